"""Background entry points: each takes ids and calls one service."""

from __future__ import annotations

from django_tasks import task

from engage.partners.registers import runner


@task()
def register_job_task(*, job_id: int) -> str:
    """Load one uploaded register file; returns the job's final status."""
    return str(runner.register_job_run(job_id=job_id).status)
