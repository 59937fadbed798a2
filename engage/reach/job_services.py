"""Reference files uploaded on the administrator's page, loaded by the worker with
their progress shown.

The upload is kept in the imports folder (the web and the worker share it) until the
load ends. A load runs in one transaction (services.py), so, as for conversation
imports, its progress is noted in a small file beside the upload rather than in the
job's row, which other connections could not see until the end. The same file is the
load's heartbeat: a thread touches it every few seconds while the load runs, and a load
whose file has gone quiet for ENGAGE_JOB_STALE_SECONDS has lost its worker and is marked
failed, its upload deleted (engage/core/jobs.py).
"""

from __future__ import annotations

import datetime as dt
import functools
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
from engage.core.jobs import file_touch, file_touched_since, heartbeat, stale_jobs_fail
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
WORKER_STOPPED = (
    "The worker stopped while this was running; nothing of it was kept. "
    "Start it again by uploading the file again."
)


def _folder() -> Path:
    folder = import_dir() / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reference_job_create(*, actor: Any, kind: str, upload: UploadedFile, start: bool = True) -> ReferenceJob:
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
    """(rows done, rows expected) of a running load; (0, 0) where nothing was noted.

    A running load whose worker has stopped is marked failed as its progress is read,
    and `job` is refreshed, so the page shows it failed rather than running for ever."""
    if job.status == ReferenceJobStatus.RUNNING and reference_jobs_fail_stale(job_id=job.pk):
        job.refresh_from_db()
        return 0, 0
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


def _files_remove(job: ReferenceJob) -> None:
    Path(job.stored_path).unlink(missing_ok=True)
    _progress_path(job).unlink(missing_ok=True)
    _progress_path(job).with_suffix(".progress-new").unlink(missing_ok=True)


def _beat_since(job: ReferenceJob, moment: dt.datetime) -> bool:
    return file_touched_since(_progress_path(job), moment)


def reference_jobs_fail_stale(*, job_id: int | None = None) -> list[int]:
    """Mark failed the running loads (or the one) whose worker has stopped: no heartbeat
    on the row nor on the progress file for ENGAGE_JOB_STALE_SECONDS. Their transaction
    never committed, so the data is as it was; their uploads are deleted."""
    jobs = ReferenceJob.objects.all() if job_id is None else ReferenceJob.objects.filter(pk=job_id)

    def audit(job: ReferenceJob) -> None:
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="reference_job",
            subject_id=job.pk,
            summary=f"Marked the load of {job.file_name} failed: its worker stopped while it ran.",
        )

    return stale_jobs_fail(
        jobs,
        running=ReferenceJobStatus.RUNNING,
        failed=ReferenceJobStatus.FAILED,
        message=WORKER_STOPPED,
        alive=_beat_since,
        on_failed=audit,
        after_commit=_files_remove,
    )


def reference_job_run(*, job_id: int) -> ReferenceJob:
    """Load the queued job's file. Returns the job: SUCCEEDED with its load, or FAILED
    with `error` saying what is wrong and where; the data changes only on success. A
    job that is not queued (finished, or taken by another worker) is returned as it is."""
    job = ReferenceJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"There is no reference load numbered {job_id}.")
    if job.status != ReferenceJobStatus.QUEUED:
        return job
    reference_jobs_fail_stale()
    now = timezone.now()
    claimed = ReferenceJob.objects.filter(pk=job.pk, status=ReferenceJobStatus.QUEUED).update(
        status=ReferenceJobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:  # another worker took it
        return ReferenceJob.objects.get(pk=job.pk)
    path = Path(job.stored_path)
    note = _noter(job)
    note(0, 0)  # the progress file, touched by the heartbeat from now on
    load: ReferenceLoad | None = None
    try:
        with heartbeat(functools.partial(file_touch, _progress_path(job)), name=f"load {job.pk} heartbeat"):
            load = _load(job, path, note)
    except Exception as error:  # every failure is reported on the page, none lost
        message = getattr(error, "message", "") or f"The file could not be loaded: {error}"
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.FAILED, error=message, finished_at=timezone.now()
        )
    except BaseException:
        # The worker is being stopped; the load's transaction has rolled back.
        ReferenceJob.objects.filter(pk=job.pk, status=ReferenceJobStatus.RUNNING).update(
            status=ReferenceJobStatus.FAILED, error=WORKER_STOPPED, finished_at=timezone.now()
        )
        raise
    else:
        # Unconditional: the data is loaded, even had the job been marked failed meanwhile.
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.SUCCEEDED, load=load, error="", finished_at=timezone.now()
        )
    finally:
        _files_remove(job)
    return ReferenceJob.objects.get(pk=job.pk)


def _load(job: ReferenceJob, path: Path, note: Callable[[int, int], None]) -> ReferenceLoad:
    actor = job.created_by
    if job.kind == ReferenceKind.IMD:
        return services.imd_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.POSTCODES:
        return services.postcodes_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.CENSUS:
        return services.census_load(actor=actor, path=path, file_name=job.file_name)
    return services.boundaries_load(actor=actor, path=path, file_name=job.file_name)
