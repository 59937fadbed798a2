"""The worker's side of a register load: claim the queued job, load its file with its
progress noted and its heartbeat kept, and finish it, SUCCEEDED with what it did or
FAILED with a sentence saying why (the organisations change only on success)."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from engage.core.errors import NotFound
from engage.core.jobs import heartbeat
from engage.partners.models import RegisterJob, RegisterJobStatus
from engage.partners.registers import services


def register_job_run(*, job_id: int) -> RegisterJob:
    """Load the queued job's file; a job not queued (finished, or taken by another
    worker) is returned as it is."""
    job = RegisterJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"There is no register load numbered {job_id}.")
    if job.status != RegisterJobStatus.QUEUED:
        return job
    services.register_jobs_fail_stale()
    now = timezone.now()
    claimed = RegisterJob.objects.filter(pk=job.pk, status=RegisterJobStatus.QUEUED).update(
        status=RegisterJobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:  # another worker took it
        return RegisterJob.objects.get(pk=job.pk)
    note = services.progress_noter(job)
    note(0, 0)  # the progress file, touched by the heartbeat from now on
    try:
        with heartbeat(job.progress_beat, name=f"register load {job.pk} heartbeat"):
            load = services.organisations_load(
                actor=job.created_by,
                path=Path(job.stored_path),
                file_name=job.file_name,
                register=job.register,
                postcode_prefixes=job.postcode_prefixes,
                commissioners=job.commissioners,
                on_progress=note,
            )
    except Exception as error:  # every failure is reported on the page, none lost
        message = getattr(error, "message", "") or f"The file could not be loaded: {error}"
        RegisterJob.objects.filter(pk=job.pk).update(
            status=RegisterJobStatus.FAILED, error=message, finished_at=timezone.now()
        )
    except BaseException:
        # The worker is being stopped; the load's transaction has rolled back.
        RegisterJob.objects.filter(pk=job.pk, status=RegisterJobStatus.RUNNING).update(
            status=RegisterJobStatus.FAILED, error=services.WORKER_STOPPED, finished_at=timezone.now()
        )
        raise
    else:
        RegisterJob.objects.filter(pk=job.pk).update(
            status=RegisterJobStatus.SUCCEEDED,
            result=load.sentence(),
            rows=load.created + load.updated + load.unchanged,
            error="",
            finished_at=timezone.now(),
        )
    finally:
        job.files_remove()
    return RegisterJob.objects.get(pk=job.pk)
