"""The worker's side of a reference load: claim the queued job, load its file with its
progress noted and its heartbeat kept, and finish it, SUCCEEDED or FAILED with a
sentence saying why (engage.places.services has the loads themselves)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from engage.core.errors import NotFound
from engage.core.jobs import heartbeat
from engage.places import services
from engage.places.models import ReferenceJob, ReferenceJobStatus, ReferenceKind, ReferenceLoad


def reference_job_run(*, job_id: int) -> ReferenceJob:
    """Load the queued job's file. Returns the job: SUCCEEDED with its load, or FAILED
    with `error` saying what is wrong and where; the data changes only on success. A
    job that is not queued (finished, or taken by another worker) is returned as it is."""
    job = ReferenceJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"There is no reference load numbered {job_id}.")
    if job.status != ReferenceJobStatus.QUEUED:
        return job
    services.reference_jobs_fail_stale()
    now = timezone.now()
    claimed = ReferenceJob.objects.filter(pk=job.pk, status=ReferenceJobStatus.QUEUED).update(
        status=ReferenceJobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:  # another worker took it
        return ReferenceJob.objects.get(pk=job.pk)
    path = Path(job.stored_path)
    note = services.progress_noter(job)
    note(0, 0)  # the progress file, touched by the heartbeat from now on
    load: ReferenceLoad | None = None
    try:
        with heartbeat(job.progress_beat, name=f"load {job.pk} heartbeat"):
            load = _load(job, path, note)
    except Exception as error:  # every failure is reported on the page, none lost
        message = getattr(error, "message", "") or f"The file could not be loaded: {error}"
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.FAILED, error=message, finished_at=timezone.now()
        )
    except BaseException:
        # The worker is being stopped; the load's transaction has rolled back.
        ReferenceJob.objects.filter(pk=job.pk, status=ReferenceJobStatus.RUNNING).update(
            status=ReferenceJobStatus.FAILED, error=services.WORKER_STOPPED, finished_at=timezone.now()
        )
        raise
    else:
        # Unconditional: the data is loaded, even had the job been marked failed meanwhile.
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.SUCCEEDED, load=load, error="", finished_at=timezone.now()
        )
    finally:
        job.files_remove()
    return ReferenceJob.objects.get(pk=job.pk)


def _load(job: ReferenceJob, path: Path, note: Callable[[int, int], None]) -> ReferenceLoad:
    actor = job.created_by
    if job.kind == ReferenceKind.IMD:
        return services.imd_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.POSTCODES:
        return services.postcodes_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.WARDS:
        return services.wards_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.CENSUS:
        return services.census_load(actor=actor, path=path, file_name=job.file_name)
    return services.boundaries_load(actor=actor, path=path, file_name=job.file_name)
