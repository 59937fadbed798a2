"""Background entry points: each takes ids and calls one service."""

from __future__ import annotations

from django_tasks import task

from engage.conversations import services


@task()
def import_job_task(*, job_id: int) -> str:
    """Run one import job to the end; returns the job's final status."""
    return str(services.import_job_run(job_id=job_id).status)
