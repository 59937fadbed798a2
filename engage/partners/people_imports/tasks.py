"""Background entry points: each takes ids and calls one service."""

from __future__ import annotations

from django_tasks import task

from engage.partners.people_imports import runner


@task()
def people_import_task(*, job_id: int) -> str:
    """Import one uploaded contact list; returns the job's final status."""
    return str(runner.people_import_run(job_id=job_id).status)
