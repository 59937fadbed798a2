"""Background entry points of evaluation.

The daily run opens the evaluation of every activity that ended, and works the board's
page out again. It keeps itself going as the retention run does: each run queues the
next for the following night, and `evaluation_daily_schedule` (called when a worker
starts) queues one if none is waiting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from engage.evaluation import services
from engage.evaluation.board.services import board_refresh

DAILY_HOUR = 2


def next_daily_at(now: dt.datetime) -> dt.datetime:
    """The next DAILY_HOUR o'clock, London time, strictly after `now`."""
    local = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE))
    candidate = local.replace(hour=DAILY_HOUR, minute=0, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


@task()
def evaluation_daily_task() -> dict[str, int]:
    try:
        opened = services.evaluations_open_ended()
        snapshot = board_refresh()
        return {"opened": opened, "board": snapshot.pk}
    finally:
        evaluation_daily_schedule()


@task()
def board_refresh_task() -> dict[str, int]:
    return {"board": board_refresh().pk}


def evaluation_daily_schedule() -> bool:
    """Queue the next daily run unless one is waiting; True if this queued it."""
    if not evaluation_daily_task.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - only with the database backend

    waiting = DBTaskResult.objects.filter(
        task_path=evaluation_daily_task.module_path, status="READY"
    ).exists()
    if not waiting:
        evaluation_daily_task.using(run_after=next_daily_at(timezone.now())).enqueue()
    return not waiting
