"""Writing to the bank of conversations: imports, templates, conversations recorded by hand.

An import lands whole and exactly once, or not at all: the file is read, each row
checked, and the checked rows added to the bank in batches, all inside one
transaction that also records the counts, marks the job finished and writes the audit
record. A row whose key is already in the organisation's bank (or earlier in the same
file) is skipped as a duplicate by the database's unique constraint; a refused row goes
to ImportRejection with its line, column and reason.

Any failure rolls the transaction back and marks the job failed with a sentence saying
why; the bank is as it was, and the uploaded file (which may hold full postcodes) is
deleted. A worker that dies part way leaves the bank untouched (the transaction never
committed) and the job marked running: its heartbeat stops, and the job is then marked
failed and its file deleted by whoever notices first (engage/core/jobs.py). A job is
run once: only a queued job starts, and one that has finished is never run again.

Progress cannot be read from the job's row while its transaction is open (and SQLite
lets no other connection write), so the import notes it in a small file beside the
upload, which the progress page reads (engage/conversations/imports/progress.py). The
same file is the import's heartbeat: a thread touches it every few seconds, and its
modification time is what other processes go by.

One import runs at a time for each organisation, and a file is not queued twice while
it waits or runs: both are the database's constraints (models.py), so two clicks at
once cannot get past them. A job whose organisation is busy waits in line.

On SQLite the whole import holds the database's write lock; other writes wait for it
(up to the connection's 20-second timeout). See ADR 0015.

As it reads, the import compares the words of the comments with their ratings (the
words of at most ratings.CHECK_ROWS rated rows, spread over the file). Where they look
upside down (ratings.py), the transaction is rolled back at the end instead of
committed, and the job is HELD with the counts and a few examples, its file kept, until
a person says which end of the scale is best (services.import_job_ratings_decide): it
is then run again from the start. A job whose ratings a person has confirmed is not
held. See ADR 0040.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from engage.conversations.imports import cleaning, services
from engage.conversations.imports.mapping import (
    resolve_mapping,
)
from engage.conversations.imports.ratings import RatingCheck, check_every
from engage.conversations.models import (
    Conversation,
    ImportJob,
    ImportRejection,
    ImportStatus,
)
from engage.conversations.quotes.services import imported_conversations_follow
from engage.conversations.search_index import indexing_deferred
from engage.conversations.signals import conversations_added
from engage.core.errors import Conflict, DomainError, NotFound
from engage.core.jobs import heartbeat, violates
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.core.tabular.errors import ImportFileError, ImportRowError
from engage.core.tabular.read_ahead import read_ahead
from engage.core.tabular.readers import (
    open_reader,
)
from engage.core.types import Actor
from engage.places.selectors import places_for_postcodes, postcode_lookup_loaded

logger = logging.getLogger(__name__)

# Rows read, checked and added per batch; progress is noted after each.
BATCH = 5000
# The first batch is smaller: the database waits for it with nothing to do, so it
# starts inserting after a tenth of the wait, and the reading catches up behind it.
FIRST_BATCH = 500
INSERT_BATCH = 1000

ProgressCallback = Callable[[int, int], None]

_MODEL_DEFAULTS: dict[str, Any] = {
    "question": "",
    "rating": None,
    "respondent_reference": "",
    "postcode_district": "",
    "age_band": "",
    "sex": "",
    "ethnic_group": "",
    "disability": "",
    "carer": "",
    "consent_to_quote": False,
    "consent_to_contact": False,
}
UNEXPECTED_FAILURE = (
    "The import stopped because of an unexpected problem, so nothing from the file was added. "
    "Try it again; if it stops again, ask your administrator to look at the server's log."
)


@dataclass
class _Counts:
    rows: int = 0  # rows read (blank rows aside)
    attempted: int = 0  # rows that passed the checks
    added: int = 0  # of those, rows not already in the bank
    rejected: int = 0
    demographics_dropped: int = 0  # rows whose demographics were dropped: no agreement to hold them


_OPTIONAL = tuple(_MODEL_DEFAULTS.items())
_CONVERSATION_COLUMNS = (
    "organisation_id",
    "activity_id",
    "import_job_id",
    "created_at",
    "dedupe_key",
    "channel",
    "text",
    "occurred_on",
    *(name for name, _ in _OPTIONAL),
    "imported_labels",
    # Last, so a batch's places can be put on its rows once they are looked up.
    "lsoa_code",
    "ward_code",
    "imd_decile",
)
_NO_PLACE = ("", "", None)
_BATCH_TABLE = "engage_import_batch"


def _insert_new(rows: list[tuple[Any, ...]]) -> int:
    """Insert conversations (tuples for _CONVERSATION_COLUMNS) whose key is not already in
    the organisation's bank, nor earlier in the same batch; returns how many went in.

    The unique constraint on (organisation, dedupe_key) does the checking, with
    ON CONFLICT DO NOTHING, so a duplicate costs no more than the insert would have."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(Conversation._meta.db_table)
    columns = ", ".join(quote(column) for column in _CONVERSATION_COLUMNS)
    conflict = f"ON CONFLICT ({quote('organisation_id')}, {quote('dedupe_key')}) DO NOTHING"
    added = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path, but it cannot skip duplicates, so the batch
            # is copied to a temporary table of the same columns and moved from there.
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {_BATCH_TABLE} ON COMMIT DROP AS "  # noqa: S608 - names from the model
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {_BATCH_TABLE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_BATCH_TABLE} {conflict}")  # noqa: S608
            added = cursor.rowcount
            cursor.execute(f"TRUNCATE {_BATCH_TABLE}")
            return added
        # SQLite: many rows to a statement, straight to the sqlite3 connection (Django's
        # cursor rewrites the placeholders of every statement with a regular
        # expression). One statement is one sqlite3_step, during which Python's lock is
        # released and the next batch is read (read_ahead); a statement per row would
        # hand the lock back and forth for each row. Under SQLite's 32,766 parameters.
        raw = connection.connection
        per_statement = 30_000 // len(_CONVERSATION_COLUMNS)
        one_row = "({})".format(", ".join(["?"] * len(_CONVERSATION_COLUMNS)))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            statement = raw.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))} {conflict}",  # noqa: S608
                [value for row in chunk for value in row],
            )
            added += statement.rowcount
    return added


def _write_batch(job: ImportJob, rows: list[tuple[Any, ...]], rejections: list[ImportRejection]) -> int:
    """One batch of the import, inside its transaction; returns the conversations added."""
    added = _insert_new(rows)
    ImportRejection.objects.bulk_create(rejections, batch_size=INSERT_BATCH)
    return added


@dataclass
class _Batch:
    rows_read: int  # rows read so far, this batch's included
    rows: list[tuple[Any, ...]]  # checked rows, for _CONVERSATION_COLUMNS (no place yet)
    rejections: list[ImportRejection]
    fallback_lines: int = 0  # lines read as Windows-1252 so far
    postcodes: list[str] = dataclasses.field(default_factory=list)  # each row's whole postcode, or ""
    demographics_dropped: int = 0  # rows so far whose demographics were dropped


class _RatingsHeld(Exception):
    """Raised inside the import's transaction, to roll it back, where the ratings look
    upside down."""

    def __init__(self, check: RatingCheck, rows: int) -> None:
        super().__init__("The ratings look upside down.")
        self.check = check
        self.rows = rows


def _job_defaults(job: ImportJob) -> dict[str, Any]:
    """How the rows are read: the job's defaults, with its ratings as the job records them."""
    return {**job.defaults, "rating_scale": [job.rating_low, job.rating_high], "rating_best": job.rating_best}


def _checked_batches(
    job: ImportJob, *, fixed: tuple[Any, ...], check: RatingCheck | None = None
) -> Generator[_Batch, None, None]:
    """Read and check the file, BATCH rows at a time (FIRST_BATCH the first time), and
    count how its comments agree with their ratings in `check` (if given). No database
    work happens here, so it can run in a thread beside the inserts (see read_ahead)."""
    path = Path(job.stored_path)
    if not path.exists():
        raise ImportFileError(
            "The uploaded file is no longer on the server, so it cannot be imported. Upload it again.",
            file_name=job.file_name,
        )
    with open_reader(path, file_name=job.file_name) as reader:
        resolved = resolve_mapping(job.mapping, reader.headings, file_name=job.file_name)
        cleaner = cleaning.RowCleaner(
            resolved=resolved, defaults=_job_defaults(job), fallback_date=timezone.localdate(job.created_at)
        )
        rating_heading = resolved.columns.get("rating", "")
        counting = check if rating_heading and not job.ratings_confirmed else None
        every = check_every(job.rows_total)
        rows: list[tuple[Any, ...]] = []
        rejections: list[ImportRejection] = []
        postcodes: list[str] = []
        job_id = job.pk
        read = 0
        dropped = 0
        next_batch_at = min(FIRST_BATCH, BATCH)
        for line, row in reader.rows():
            read += 1
            try:
                clean = cleaner.clean(line, row)
            except ImportRowError as error:
                rejections.append(
                    ImportRejection(
                        job_id=job_id,
                        line=line,
                        column=error.column[:200],
                        reason=error.reason[:500],
                        cells=cleaner.rejected_cells(row),
                    )
                )
            else:
                values = clean.values
                dropped += clean.demographics_dropped
                if counting is not None and read % every == 0 and "rating" in values:
                    counting.add(
                        line=line,
                        text=values["text"],
                        given=row.get(rating_heading, ""),
                        stored=values["rating"],
                    )
                rows.append(
                    (
                        *fixed,
                        clean.key,
                        values["channel"],
                        values["text"],
                        values["occurred_on"],  # ISO, which both databases take for a date
                        *[values.get(name, default) for name, default in _OPTIONAL],
                        # JSON text, which both databases take for a JSON column.
                        json.dumps(values["labels"]) if values.get("labels") else None,
                    )
                )
                postcodes.append(values.get("full_postcode", ""))
            if read == next_batch_at:
                next_batch_at = (read // BATCH + 1) * BATCH
                yield _Batch(read, rows, rejections, reader.fallback_lines, postcodes, dropped)
                rows, rejections, postcodes = [], [], []
        yield _Batch(read, rows, rejections, reader.fallback_lines, postcodes, dropped)


def _placed(batch: _Batch, *, lookup: bool) -> list[tuple[Any, ...]]:
    """The batch's rows with the LSOA, ward and deprivation decile of each postcode
    (engage.reach), looked up in the main thread, since the read-ahead thread does no
    database work. The whole postcode goes no further."""
    if not lookup:
        return [(*row, *_NO_PLACE) for row in batch.rows]
    places = places_for_postcodes({postcode for postcode in batch.postcodes if postcode})
    placed = []
    for row, postcode in zip(batch.rows, batch.postcodes, strict=True):
        place = places.get(postcode)
        placed.append((*row, *((place.lsoa_code, place.ward_code, place.imd_decile) if place else _NO_PLACE)))
    return placed


def _read_and_add(
    job: ImportJob, on_progress: ProgressCallback | None, check: RatingCheck
) -> tuple[_Counts, int]:
    """Read, check and add the file's rows in batches; returns the counts and how many
    lines were read as Windows-1252."""
    counts = _Counts()
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    fixed = (job.organisation_id, job.activity_id, job.pk, created_at)
    total = job.rows_total
    fallback_lines = 0
    lookup = postcode_lookup_loaded()
    for batch in read_ahead(_checked_batches(job, fixed=fixed, check=check)):
        counts.added += _write_batch(job, _placed(batch, lookup=lookup), batch.rejections)
        counts.attempted += len(batch.rows)
        counts.rejected += len(batch.rejections)
        counts.rows = batch.rows_read
        counts.demographics_dropped = batch.demographics_dropped
        fallback_lines = batch.fallback_lines
        total = max(total, counts.rows)
        job.progress_note(counts.rows, total)
        if on_progress is not None:
            on_progress(counts.rows, total)
    if on_progress is not None:
        on_progress(counts.rows, counts.rows)
    return counts, fallback_lines


def _import(job: ImportJob, *, actor: Actor, on_progress: ProgressCallback | None) -> ImportJob:
    """The one transaction that reads the file into the bank and finishes the job."""
    with transaction.atomic():
        # Locked until the import commits: on PostgreSQL the lock also tells others that
        # the import is alive (engage/core/jobs.py).
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.RUNNING:  # marked failed meanwhile, or finished
            return locked
        check = RatingCheck()
        with indexing_deferred():
            counts, fallback_lines = _read_and_add(job, on_progress, check)
            if check.upside_down:  # inside, so nothing is indexed for rows that go back
                raise _RatingsHeld(check, counts.rows)
        duplicates = counts.attempted - counts.added
        followed = imported_conversations_follow(
            job_id=job.pk, organisation_id=job.organisation_id, file_name=job.file_name
        )
        ImportJob.objects.filter(pk=job.pk).update(
            linked=followed.linked,
            demographics_dropped=counts.demographics_dropped,
            status=ImportStatus.SUCCEEDED,
            rows_total=counts.rows,
            rows_done=counts.rows,
            added=counts.added,
            duplicates=duplicates,
            rejected=counts.rejected,
            error="",
            finished_at=timezone.now(),
        )
        if counts.added:
            conversations_added.send(
                sender=ImportJob, organisation_id=job.organisation_id, count=counts.added
            )
        note = f" {fallback_lines:,} lines were read as Windows-1252 text." if fallback_lines else ""
        audit_record(
            actor=actor,
            organisation=job.organisation,
            action=AuditAction.CREATED,
            subject_type="import_job",
            subject_id=job.pk,
            summary=(
                f"Imported {job.file_name}: {counts.added:,} conversations added, {duplicates:,} duplicates "
                f"skipped, {counts.rejected:,} rows rejected; {followed.linked:,} linked to people "
                f"the organisation holds; demographics dropped from {counts.demographics_dropped:,} rows "
                f"without agreement to hold them.{note}"
            ),
        )
    return ImportJob.objects.get(pk=job.pk)


def _fail(job: ImportJob, error: Exception) -> None:
    if isinstance(error, DomainError):
        message = f"{error.message} Nothing from the file was added."
    else:
        logger.exception("Import job %s failed", job.pk)
        message = UNEXPECTED_FAILURE
    with transaction.atomic():
        # Rejections are written in the import's transaction, so there are none to remove
        # unless an earlier run of the job left some behind.
        ImportRejection.objects.filter(job_id=job.pk).delete()
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            error=message[:2000],
            added=0,
            duplicates=0,
            rejected=0,
            finished_at=timezone.now(),
        )


def _busy_message(job: ImportJob) -> str:
    return (
        f"Another import for {job.organisation.name} is running, so this one did not start; "
        "nothing from the file was added. Start it again when that one has finished."
    )


def _claim(job: ImportJob, *, wait_in_line: bool) -> bool:
    """Mark the queued job running, committed before the import's own transaction so its
    page shows it running; False if it is no longer queued (another worker took it).
    The organisation already running an import is refused by the database: the job then
    waits in line (Conflict, `wait_in_line`) or fails saying why."""
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
                status=ImportStatus.RUNNING,
                started_at=now,
                heartbeat_at=now,
                finished_at=None,
                rows_done=0,
                added=0,
                duplicates=0,
                rejected=0,
                error="",
            )
    except IntegrityError as error:
        if not violates(error, ImportJob, "import_one_running_per_organisation"):
            raise
        if wait_in_line:
            raise Conflict(
                f"Another import for {job.organisation.name} is running; {job.file_name} waits its turn."
            ) from error
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED, error=_busy_message(job), finished_at=timezone.now()
        )
        job.files_remove()
        return False
    return bool(claimed)


def import_job_run(
    *, job_id: int, on_progress: ProgressCallback | None = None, wait_in_line: bool = False
) -> ImportJob:
    """Import the queued job's file; see the module's notes. Returns the job, finished
    (SUCCEEDED) or FAILED with `error` saying why; the bank changes only on success. A
    job that is not queued (finished, or taken by another worker) is returned as it is.
    `on_progress(rows_done, rows_total)` is called after each batch.

    While another import for the organisation runs, the job waits in line when
    `wait_in_line` (Conflict is raised and the job stays queued: the worker tries again
    later), and otherwise fails saying so."""
    job = ImportJob.objects.select_related("organisation", "created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"There is no import numbered {job_id}.")
    if job.status != ImportStatus.QUEUED:
        return job
    services.import_jobs_fail_stale(organisation=job.organisation)  # a dead import must not hold up the line
    if not _claim(job, wait_in_line=wait_in_line):
        return ImportJob.objects.select_related("organisation", "created_by").get(pk=job.pk)
    job.refresh_from_db()
    job.progress_note(0, job.rows_total)
    started = time.monotonic()
    held = False
    try:
        with heartbeat(job.progress_beat, name=f"import {job.pk} heartbeat"):
            job = _import(job, actor=job.created_by, on_progress=on_progress)
    except _RatingsHeld as ratings:
        held = _hold(job, ratings)
        return ImportJob.objects.get(pk=job.pk)
    except Exception as error:
        _fail(job, error)
        return ImportJob.objects.get(pk=job.pk)
    except BaseException:
        # The worker is being stopped (Ctrl+C twice, SystemExit): the transaction has
        # rolled back, so say so now rather than when the heartbeat is missed.
        _stopped(job)
        raise
    finally:
        if held:  # the file waits for the person's answer; its notes are done with
            Path(job.stored_path).with_suffix(".progress").unlink(missing_ok=True)
        else:
            job.files_remove()  # the file held full postcodes; the bank does not
    logger.info("Import job %s: %s rows in %.1f s", job.pk, job.rows_done, time.monotonic() - started)
    if job.status == ImportStatus.SUCCEEDED and job.added >= VACUUM_AFTER_ROWS:
        bank_tidy()
    return job


def _hold(job: ImportJob, held: _RatingsHeld) -> bool:
    """Hold the job, whose transaction rolled back, until a person has looked at its
    ratings; whether it was held (not if it was marked failed meanwhile)."""
    with transaction.atomic():
        changed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.HELD,
            rating_check=held.check.as_json(),
            rows_total=held.rows,
            rows_done=0,
            added=0,
            duplicates=0,
            rejected=0,
            error="",
            finished_at=None,
        )
        if changed:
            audit_record(
                actor=job.created_by,
                organisation=job.organisation,
                action=AuditAction.UPDATED,
                subject_type="import_job",
                subject_id=job.pk,
                summary=(
                    f"Held the import of {job.file_name} before adding anything: its comments and ratings "
                    f"disagree ({held.check.disagree:,} of {held.check.agree + held.check.disagree:,} clear "
                    "comments), so a person must say which end of the rating scale is best."
                ),
            )
    return bool(changed)


def _stopped(job: ImportJob) -> None:
    try:
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED, error=services.WORKER_STOPPED, finished_at=timezone.now()
        )
    except Exception:  # the process is going; the heartbeat's absence will say it instead
        logger.warning("Could not mark import job %s failed as its worker stopped.", job.pk, exc_info=True)


# After an import this large, PostgreSQL's table is vacuumed at once rather than when
# autovacuum next comes round: until then the new rows' pages are not marked all-visible,
# and reach's counts must read the table instead of only its index (ADR 0022).
VACUUM_AFTER_ROWS = 10_000


def bank_tidy() -> bool:
    """VACUUM (ANALYZE) the bank on PostgreSQL; a no-op on SQLite and inside a
    transaction (VACUUM cannot run in one). Returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(Conversation._meta.db_table)}")
    return True
