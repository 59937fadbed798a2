"""Reference files uploaded on the administrator's page, loaded by the worker with
their progress shown.

The upload is kept in the imports folder (the web and the worker share it) until the
load ends. A load runs in one transaction (services.py), so, as for conversation
imports, its progress is noted in a small file beside the upload rather than in the
job's row, which other connections could not see until the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from engage.conversations.services import import_dir
from engage.core.errors import InvalidInput, NotFound
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.reach import services
from engage.reach.models import ReferenceJob, ReferenceJobStatus, ReferenceKind, ReferenceLoad

UPLOADABLE = (ReferenceKind.IMD, ReferenceKind.CENSUS, ReferenceKind.POSTCODES, ReferenceKind.BOUNDARIES)
_SUFFIXES = {
    ReferenceKind.IMD: (".csv", ".xlsx"),
    ReferenceKind.CENSUS: (".csv",),
    ReferenceKind.POSTCODES: (".csv",),
    ReferenceKind.BOUNDARIES: (".geojson", ".json"),
}
PROGRESS_EVERY = 20_000


def _folder() -> Path:
    folder = import_dir() / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reference_job_create(*, actor: Any, kind: str, upload: UploadedFile, start: bool = True) -> ReferenceJob:
    """Keep an uploaded reference file and queue its load."""
    if kind not in UPLOADABLE:
        raise InvalidInput({"kind": "Choose which kind of file this is."})
    name = Path(upload.name or "").name
    if not name.lower().endswith(_SUFFIXES[ReferenceKind(kind)]):
        wanted = " or ".join(_SUFFIXES[ReferenceKind(kind)])
        raise InvalidInput(
            {"file": f"{name or 'The file'} is not a {wanted} file, which this kind of file must be."}
        )
    path = _folder() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    size = 0
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
            size += len(chunk)
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
                from engage.reach.tasks import reference_job_task

                job_id = job.pk
                transaction.on_commit(lambda: reference_job_task.enqueue(job_id=job_id))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _progress_path(job: ReferenceJob) -> Path:
    return Path(job.stored_path).with_suffix(".progress")


def reference_job_progress(job: ReferenceJob) -> tuple[int, int]:
    """(rows done, rows expected) of a running load; (0, 0) where nothing was noted."""
    try:
        done, total = _progress_path(job).read_text(encoding="ascii").split()
        return int(done), int(total)
    except (OSError, ValueError):
        return 0, 0


def _noter(job: ReferenceJob) -> Callable[[int, int], None]:
    path = _progress_path(job)
    last = [-PROGRESS_EVERY]

    def note(done: int, total: int) -> None:
        if done - last[0] < PROGRESS_EVERY and done < total:
            return
        last[0] = done
        temporary = path.with_suffix(".progress-new")
        try:
            temporary.write_text(f"{done} {total}", encoding="ascii")
            os.replace(temporary, path)
        except OSError:  # progress is a courtesy: a full disk must not fail the load here
            pass

    return note


def reference_job_run(*, job_id: int) -> ReferenceJob:
    """Load the job's file. Always returns the job: SUCCEEDED with its load, or FAILED
    with `error` saying what is wrong and where; the data changes only on success."""
    job = ReferenceJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"There is no reference load numbered {job_id}.")
    if job.finished:
        return job
    ReferenceJob.objects.filter(pk=job.pk).update(
        status=ReferenceJobStatus.RUNNING, started_at=timezone.now()
    )
    path = Path(job.stored_path)
    note = _noter(job)
    load: ReferenceLoad | None = None
    try:
        actor = job.created_by
        if job.kind == ReferenceKind.IMD:
            load = services.imd_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
        elif job.kind == ReferenceKind.POSTCODES:
            load = services.postcodes_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
        elif job.kind == ReferenceKind.CENSUS:
            load = services.census_load(actor=actor, path=path, file_name=job.file_name)
        else:
            load = services.boundaries_load(actor=actor, path=path, file_name=job.file_name)
    except Exception as error:  # every failure is reported on the page, none lost
        message = getattr(error, "message", "") or f"The file could not be loaded: {error}"
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.FAILED, error=message, finished_at=timezone.now()
        )
    else:
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.SUCCEEDED, load=load, finished_at=timezone.now()
        )
    finally:
        path.unlink(missing_ok=True)
        _progress_path(job).unlink(missing_ok=True)
    return ReferenceJob.objects.get(pk=job.pk)
