"""Background entry points: each takes ids and calls the runner."""

from __future__ import annotations

from django_tasks import task

from engage.subject_access import runner


@task()
def subject_access_task(*, request_id: int) -> str:
    """Gather one subject access request to the end; returns its final status."""
    return str(runner.subject_access_execute(request_id=request_id).status)
