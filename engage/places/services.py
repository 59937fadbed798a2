"""Loading the reference data that reach is measured against and imports place people
by. Each load checks the whole file first, then replaces what was there for that edition
in one transaction, so a bad file leaves the data as it was and a good one is never half
in.

Files uploaded on the administrator's page are kept in the uploads folder (the web and
the worker share it) and queued as a ReferenceJob, which the worker loads
(`runner.py`). A load runs in one transaction, so, as for conversation imports, its
progress is noted in a small file beside the upload rather than in the job's row, which
other connections could not see until the end. The same file is the load's heartbeat: a
thread touches it every few seconds while the load runs, and a load whose file has gone
quiet for ENGAGE_JOB_STALE_SECONDS has lost its worker and is marked failed, its upload
deleted (engage/core/jobs.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

from engage.core import uploaded_jobs
from engage.core.errors import InvalidInput
from engage.core.jobs import enqueue_after_commit
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.tabular.errors import ImportFileError
from engage.core.types import Actor
from engage.core.uploads import upload_store, uploads_folder
from engage.places.loaders.boundaries import read_boundaries_file
from engage.places.loaders.census import read_census_file
from engage.places.loaders.imd import ProgressCallback, read_imd_file
from engage.places.loaders.postcodes import PostcodeRow, Skipped, read_postcode_file
from engage.places.loaders.wards import read_ward_file
from engage.places.models import (
    Boundary,
    BoundaryKind,
    CensusCount,
    CensusDimension,
    DeprivationArea,
    ImdEdition,
    Postcode,
    ReferenceJob,
    ReferenceKind,
    ReferenceLoad,
    Ward,
)
from engage.places.selectors import in_batches

BATCH = 2000
POSTCODE_BATCH = 20_000
_POSTCODE_COLUMNS = ("postcode", "lsoa_2011", "lsoa_2021", "ward_code", "local_authority_code", "terminated")


def _record_load(
    *, actor: Actor, kind: str, edition: str, file_name: str, rows: int, note: str, what: str
) -> ReferenceLoad:
    """The load's record and its audit event, inside the load's transaction."""
    load = ReferenceLoad.objects.create(
        kind=kind,
        edition=edition,
        file_name=file_name[:255],
        rows=rows,
        note=note,
        loaded_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        organisation=None,
        action=AuditAction.CREATED,
        subject_type="reference_load",
        subject_id=load.pk,
        summary=f"Loaded {what} from {file_name}: {note}",
    )
    return load


def imd_load(
    *, actor: Actor, path: Path, file_name: str, on_progress: ProgressCallback | None = None
) -> ReferenceLoad:
    """Load an Indices of Deprivation File 7 (either edition, told by its columns),
    replacing that edition's areas. Raises ImportFileError naming the file, line and
    column of the first problem; nothing changes then."""
    parsed = read_imd_file(path, file_name=file_name, on_progress=on_progress)
    edition = ImdEdition(parsed.edition)
    with transaction.atomic():
        DeprivationArea.objects.filter(edition=edition).delete()
        DeprivationArea.objects.bulk_create(
            (DeprivationArea(edition=edition, **dataclasses.asdict(row)) for row in parsed.rows),
            batch_size=BATCH,
        )
        authorities = len({row.local_authority_code for row in parsed.rows})
        load = _record_load(
            actor=actor,
            kind=ReferenceKind.IMD,
            edition=edition,
            file_name=file_name,
            rows=len(parsed.rows),
            note=f"{len(parsed.rows):,} LSOAs in {authorities:,} local authorities.",
            what=str(edition.label),
        )
    if on_progress is not None:
        on_progress(len(parsed.rows), len(parsed.rows))
    return load


def _insert_postcodes(rows: list[PostcodeRow]) -> int:
    """Insert a batch, a postcode already in (earlier in the file) skipped; returns how
    many went in. PostgreSQL copies the batch to a temporary table first (COPY is its
    bulk path; it cannot skip duplicates itself)."""
    table = connection.ops.quote_name(Postcode._meta.db_table)
    columns = ", ".join(_POSTCODE_COLUMNS)
    values = [tuple(getattr(row, name) for name in _POSTCODE_COLUMNS) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS reach_postcode_batch ON COMMIT DROP AS "  # noqa: S608 - names from the model
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY reach_postcode_batch ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM reach_postcode_batch "  # noqa: S608
                "ON CONFLICT (postcode) DO NOTHING"
            )
            added = cursor.rowcount
            cursor.execute("TRUNCATE reach_postcode_batch")
            return added
        placeholders = ", ".join(["%s"] * len(_POSTCODE_COLUMNS))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT (postcode) DO NOTHING",  # noqa: S608
            values,
        )
        return int(cursor.rowcount)


def _postcode_index(*, drop: bool) -> None:
    """Drop, or create again, the index of postcodes by local authority (the model's
    `postcode_by_authority`), inside the load's transaction: DDL is transactional on
    both databases, so a failed load puts it back with the rows."""
    (index,) = (index for index in Postcode._meta.indexes if index.name == "postcode_by_authority")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if drop:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(index.name)}")
        else:
            # Plain character fields: each column is named as its field.
            columns = ", ".join(quote(name) for name in index.fields)
            cursor.execute(
                f"CREATE INDEX {quote(index.name)} ON {quote(Postcode._meta.db_table)} ({columns})"
            )


def postcodes_load(
    *, actor: Actor, path: Path, file_name: str, on_progress: ProgressCallback | None = None
) -> ReferenceLoad:
    """Load a postcode lookup (see loaders/postcodes.py), replacing the postcodes held.
    All in one transaction: a file refused part way (its columns, a broken line) leaves
    the postcodes as they were. Rows that are not postcodes are skipped and counted."""
    skipped = Skipped()
    added = attempted = 0
    with transaction.atomic():
        Postcode.objects.all().delete()
        # Building the look-up index once at the end is far quicker than keeping it up
        # to date over millions of inserts (72 s against 27 s for the whole directory).
        _postcode_index(drop=True)
        batch: list[PostcodeRow] = []
        for row in read_postcode_file(path, file_name=file_name, skipped=skipped, on_progress=on_progress):
            batch.append(row)
            if len(batch) == POSTCODE_BATCH:
                added += _insert_postcodes(batch)
                attempted += len(batch)
                batch = []
        added += _insert_postcodes(batch)
        attempted += len(batch)
        _postcode_index(drop=False)
        if added == 0:
            raise ImportFileError("The file holds no postcodes.", file_name=file_name)
        note = f"{added:,} postcodes."
        if attempted > added:
            note += f" {attempted - added:,} repeated postcodes were loaded once."
        if skipped.count:
            lines = ", ".join(str(line) for line in skipped.first_lines)
            note += f" {skipped.count:,} rows were not postcodes and were skipped (first on lines {lines})."
        load = _record_load(
            actor=actor,
            kind=ReferenceKind.POSTCODES,
            edition="",
            file_name=file_name,
            rows=added,
            note=note,
            what="the postcode lookup",
        )
    if on_progress is not None:
        on_progress(attempted, attempted)
    return load


def census_load(*, actor: Actor, path: Path, file_name: str) -> ReferenceLoad:
    """Load a Census 2021 bulk table (see loaders/census.py), replacing the counts of its
    dimensions for the areas it covers, so an LSOA file and a local authority file of
    the same table sit side by side. Checked whole first; nothing changes on a problem."""
    parsed = read_census_file(path, file_name=file_name)
    with transaction.atomic():
        for batch in in_batches({row.area_code for row in parsed.rows}):
            CensusCount.objects.filter(dimension__in=list(parsed.dimensions), area_code__in=batch).delete()
        CensusCount.objects.bulk_create(
            (
                CensusCount(
                    dimension=row.dimension,
                    category=row.category[:200],
                    area_code=row.area_code,
                    count=row.count,
                    source=parsed.table,
                )
                for row in parsed.rows
            ),
            batch_size=BATCH,
        )
        dimensions = ", ".join(
            f"{CensusDimension(name).label.split(' (')[0].lower()} ({count} categories)"
            for name, count in parsed.dimensions.items()
        )
        return _record_load(
            actor=actor,
            kind=ReferenceKind.CENSUS,
            edition=parsed.table,
            file_name=file_name,
            rows=len(parsed.rows),
            note=f"{parsed.areas:,} areas: {dimensions}.",
            what=f"Census 2021 {parsed.table}",
        )


def boundaries_load(
    *,
    actor: Actor,
    path: Path,
    file_name: str,
    allow_demo_codes: bool = False,
    kind: str = ReferenceKind.BOUNDARIES,
) -> ReferenceLoad:
    """Load a GeoJSON boundaries file of wards or LSOAs (see loaders/boundaries.py),
    replacing the boundaries of the areas it holds. Checked whole first."""
    parsed = read_boundaries_file(path, file_name=file_name, allow_demo_codes=allow_demo_codes)
    codes = [feature.code for feature in parsed.features]
    with transaction.atomic():
        for batch in in_batches(codes):
            Boundary.objects.filter(kind=parsed.kind, code__in=batch).delete()
        Boundary.objects.bulk_create(
            (
                Boundary(
                    kind=parsed.kind,
                    code=feature.code,
                    name=feature.name[:120],
                    rings=[[list(point) for point in ring] for ring in feature.rings],
                    projected=parsed.projected,
                )
                for feature in parsed.features
            ),
            batch_size=500,
        )
        label = BoundaryKind(parsed.kind).label.lower() if parsed.kind == BoundaryKind.WARD else "LSOA"
        return _record_load(
            actor=actor,
            kind=kind,
            edition=parsed.code_property.upper(),
            file_name=file_name,
            rows=len(codes),
            note=f"{len(codes):,} {label} boundaries ({parsed.code_property}).",
            what=f"{label} boundaries",
        )


def wards_load(
    *, actor: Actor, path: Path, file_name: str, on_progress: ProgressCallback | None = None
) -> ReferenceLoad:
    """Load the ONS ward to local authority district lookup (see loaders/wards.py),
    replacing the wards loaded before: a lookup is a whole edition, national or for a
    region, and a ward merged away in a new edition must not linger in the list.
    The partnership's own areas are not touched (they change only when someone
    chooses to: engage.places.areas). Checked whole first; nothing changes on a problem."""
    parsed = read_ward_file(path, file_name=file_name, on_progress=on_progress)
    with transaction.atomic():
        Ward.objects.all().delete()
        Ward.objects.bulk_create(
            (Ward(edition=parsed.edition, **dataclasses.asdict(row)) for row in parsed.rows), batch_size=BATCH
        )
        districts = len({row.local_authority_code for row in parsed.rows})
        load = _record_load(
            actor=actor,
            kind=ReferenceKind.WARDS,
            edition=parsed.edition,
            file_name=file_name,
            rows=len(parsed.rows),
            note=f"{len(parsed.rows):,} wards in {districts:,} local authority districts ({parsed.edition}).",
            what="the ward lookup",
        )
    if on_progress is not None:
        on_progress(len(parsed.rows), len(parsed.rows))
    return load


UPLOADABLE = (
    ReferenceKind.WARDS,
    ReferenceKind.IMD,
    ReferenceKind.CENSUS,
    ReferenceKind.POSTCODES,
    ReferenceKind.BOUNDARIES,
)
_SUFFIXES = {
    ReferenceKind.WARDS: (".csv",),
    ReferenceKind.IMD: (".csv", ".xlsx"),
    ReferenceKind.CENSUS: (".csv",),
    ReferenceKind.POSTCODES: (".csv",),
    ReferenceKind.BOUNDARIES: (".geojson", ".json"),
}
PROGRESS_EVERY = 20_000
WORKER_STOPPED = uploaded_jobs.WORKER_STOPPED


def reference_job_create(
    *, actor: Actor, kind: str, upload: UploadedFile, start: bool = True
) -> ReferenceJob:
    """Keep an uploaded reference file and queue its load."""
    reference_jobs_fail_stale()
    if kind not in UPLOADABLE:
        raise InvalidInput({"kind": "Choose which kind of file this is."})
    name = Path(upload.name or "").name
    if not name.lower().endswith(_SUFFIXES[ReferenceKind(kind)]):
        wanted = " or ".join(_SUFFIXES[ReferenceKind(kind)])
        raise InvalidInput(
            {"file": f"{name or 'The file'} is not a {wanted} file, which this kind of file must be."}
        )
    stored = upload_store(
        upload.chunks(), folder=uploads_folder("reference"), suffix=Path(name).suffix.lower()
    )
    path, size = stored.path, stored.size_bytes
    try:
        with transaction.atomic():
            job = ReferenceJob.objects.create(
                kind=kind,
                file_name=name[:255],
                stored_path=str(path),
                size_bytes=size,
                created_by=user_or_none(actor),
            )
            audit_record(
                actor=actor,
                organisation=None,
                action=AuditAction.CREATED,
                subject_type="reference_job",
                subject_id=job.pk,
                summary=f"Queued the load of {name} ({ReferenceKind(kind).label}).",
            )
            if start:
                enqueue_after_commit("engage.places.tasks.reference_job_task", job_id=job.pk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def progress_noter(job: ReferenceJob) -> Callable[[int, int], None]:
    return uploaded_jobs.progress_noter(job, every=PROGRESS_EVERY)


def reference_jobs_fail_stale(*, job_id: int | None = None) -> list[int]:
    """Mark failed the running loads (or the one) whose worker has stopped."""
    return uploaded_jobs.uploaded_jobs_fail_stale(ReferenceJob, subject_type="reference_job", job_id=job_id)


def reference_job_progress(job: ReferenceJob) -> tuple[int, int]:
    """(rows done, rows expected) of a running load; a dead one is marked failed."""
    return uploaded_jobs.uploaded_job_progress(job, subject_type="reference_job")
