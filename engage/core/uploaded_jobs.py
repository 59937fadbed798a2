"""What every job that loads an uploaded file in one transaction shares, beyond
engage/core/jobs.py: the worker's run of it (claimed once, its heartbeat kept, finished
or failed with a sentence), noting its progress every so many rows, finding the ones
whose worker stopped, and the status its page's script reads (a reference load, a
register load). Each kind keeps its own words; the shape is one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import timezone

from engage.core.errors import NotFound
from engage.core.jobs import heartbeat, stale_jobs_fail
from engage.core.models import AuditAction, JobStatus, UploadedFileJob
from engage.core.progress import job_progress, job_progress_json, time_left_text
from engage.core.services import audit_record

Job = TypeVar("Job", bound=UploadedFileJob)

WORKER_STOPPED = (
    "The worker stopped while this was running; nothing of it was kept. "
    "Start it again by uploading the file again."
)


def uploaded_job_run(
    model: type[Job],
    *,
    job_id: int,
    subject_type: str,
    load: Callable[[Job, Callable[[int, int], None]], dict[str, Any]],
    every: int,
) -> Job:
    """The worker's run of a queued job: claim it (a job not queued, finished or taken by
    another worker, is returned as it is), `load(job, note)` its file with the progress
    noted and the heartbeat kept, and finish it SUCCEEDED with the fields `load` returns,
    or FAILED with `error` saying what is wrong and where (the load's transaction has
    rolled back, so the data changes only on success). Its upload goes either way."""
    job = model._default_manager.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"There is no {subject_type.replace('_', ' ')} numbered {job_id}.")
    if job.status != JobStatus.QUEUED:
        return job
    uploaded_jobs_fail_stale(model, subject_type=subject_type)
    now = timezone.now()
    jobs = model._default_manager.filter(pk=job.pk)
    if not jobs.filter(status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    ):
        return jobs.get()  # another worker took it
    note = progress_noter(job, every=every)
    note(0, 0)  # the progress file, touched by the heartbeat from now on
    try:
        with heartbeat(job.progress_beat, name=f"{subject_type} {job.pk} heartbeat"):
            done = load(job, note)
    except Exception as error:  # every failure is reported on the page, none lost
        message = getattr(error, "message", "") or f"The file could not be loaded: {error}"
        jobs.update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
    except BaseException:
        # The worker is being stopped; the load's transaction has rolled back.
        jobs.filter(status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=WORKER_STOPPED, finished_at=timezone.now()
        )
        raise
    else:
        # Unconditional: the data is loaded, even had the job been marked failed meanwhile.
        jobs.update(status=JobStatus.SUCCEEDED, error="", finished_at=timezone.now(), **done)
    finally:
        job.files_remove()
    return jobs.get()


def progress_noter(job: UploadedFileJob, *, every: int) -> Callable[[int, int], None]:
    """Note the job's progress beside its upload every `every` rows, and at the end."""
    last = [-every]

    def note(done: int, total: int) -> None:
        if done - last[0] < every and done < total:
            return
        last[0] = done
        job.progress_note(done, total)

    return note


def uploaded_jobs_fail_stale(
    model: type[UploadedFileJob], *, subject_type: str, job_id: int | None = None
) -> list[int]:
    """Mark failed the running jobs of `model` (or the one) whose worker has stopped: no
    heartbeat on the row nor on the progress file for ENGAGE_JOB_STALE_SECONDS. Their
    transaction never committed, so the data is as it was; their uploads are deleted."""
    jobs = model._default_manager.all()
    if job_id is not None:
        jobs = jobs.filter(pk=job_id)

    def audit(job: UploadedFileJob) -> None:
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type=subject_type,
            subject_id=job.pk,
            summary=f"Marked the load of {job.file_name} failed: its worker stopped while it ran.",
        )

    return stale_jobs_fail(
        jobs,
        running=JobStatus.RUNNING,
        failed=JobStatus.FAILED,
        message=WORKER_STOPPED,
        alive=model.progress_beat_since,
        on_failed=audit,
        after_commit=model.files_remove,
    )


def uploaded_job_progress(job: UploadedFileJob, *, subject_type: str) -> tuple[int, int]:
    """(rows done, rows expected) of a running job; (0, 0) where nothing was noted. A
    running job whose worker has stopped is marked failed as its progress is read, and
    `job` refreshed, so its page shows it failed rather than running for ever."""
    if job.status == JobStatus.RUNNING and uploaded_jobs_fail_stale(
        type(job), subject_type=subject_type, job_id=job.pk
    ):
        job.refresh_from_db()
        return 0, 0
    return job.progress_read() or (0, 0)


def uploaded_job_status(
    job: Any, *, subject_type: str, rows_when_done: int, summary_when_done: str
) -> dict[str, object]:
    """What the job's status URL answers (job-progress.mjs reads it): its progress, and
    a sentence saying where it is, what it did, or why it failed."""
    done, total = uploaded_job_progress(job, subject_type=subject_type) if not job.finished else (0, 0)
    if job.status == JobStatus.SUCCEEDED:
        done = total = rows_when_done
    progress = job_progress(
        rows_done=done,
        rows_total=total,
        started_at=job.started_at,
        finished_at=job.finished_at,
        finished=job.finished,
        succeeded=job.status == JobStatus.SUCCEEDED,
    )
    if job.status == JobStatus.FAILED:
        summary = job.error
    elif job.status == JobStatus.SUCCEEDED:
        summary = summary_when_done
    elif job.status == JobStatus.QUEUED:
        summary = "Waiting for the worker to start it."
    else:
        rate = f", {progress.rows_per_second:,.0f} a second" if progress.rows_per_second else ""
        summary = f"{progress.rows_done:,} rows read{rate}; {time_left_text(progress.seconds_left)}."
    return {
        "id": job.pk,
        **job_progress_json(
            progress, status=job.status, status_label=job.get_status_display(), summary=summary
        ),
    }
