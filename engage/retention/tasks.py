"""Background entry points: the daily retention run.

The run keeps itself going, as the weekly reminder does (decisions/feedback/tasks.py):
each run queues the next for the following day at ENGAGE_RETENTION_HOUR (London time),
and `retention_schedule` (called when a worker starts) queues one if none is waiting, so
a fresh install, a lost task or a worker that was off at the hour starts it again. A run
due while no worker ran is done as soon as one starts. Two runs never overlap (the
database refuses a second, `retention_run_create`), and a run repeated on one day deletes
nothing more.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from engage.core.errors import Conflict
from engage.retention import runner, selectors, services
from engage.retention.models import RunTrigger


@task()
def retention_run_task() -> dict[str, int]:
    """Apply every rule for today; then the next day's run is queued."""
    try:
        try:
            run = services.retention_run_create(actor=None, trigger=RunTrigger.SCHEDULE)
        except Conflict:  # one is running already (from the command line, or another worker)
            return {"run": 0, "deleted": 0}
        run = runner.retention_run_execute(run_id=run.pk)
        return {"run": run.pk, "deleted": run.rows_done}
    finally:
        retention_schedule()


def retention_schedule() -> bool:
    """Queue the next daily run unless one is waiting; True if this queued it. Only the
    database backend keeps tasks to look in; with any other there is nothing to do."""
    if not retention_run_task.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - only with the database backend

    waiting = DBTaskResult.objects.filter(task_path=retention_run_task.module_path, status="READY").exists()
    if not waiting:
        retention_run_task.using(run_after=selectors.next_run_at(timezone.now())).enqueue()
    return not waiting
