"""Background entry points: each takes ids and calls the runner."""

from __future__ import annotations

from django_tasks import task

from engage.insight import runner


@task()
def analysis_run_task(*, run_id: int) -> str:
    """Run one analysis to the end; returns its final status."""
    return str(runner.analysis_run_execute(run_id=run_id).status)


@task()
def model_training_task(*, training_id: int) -> str:
    """Train one new model; returns the training's final status."""
    return str(runner.model_training_execute(training_id=training_id).status)
