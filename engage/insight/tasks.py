"""Background entry points: each takes ids and calls one service."""

from __future__ import annotations

from django_tasks import task

from engage.insight import services


@task()
def analysis_run_task(*, run_id: int) -> str:
    """Run one analysis to the end; returns its final status."""
    return str(services.analysis_run_execute(run_id=run_id).status)
