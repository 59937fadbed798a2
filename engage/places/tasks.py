"""Background entry points: each takes ids and calls one service."""

from __future__ import annotations

from django_tasks import task

from engage.places import runner


@task()
def reference_job_task(*, job_id: int) -> str:
    """Load one uploaded reference file; returns the job's final status."""
    return str(runner.reference_job_run(job_id=job_id).status)
