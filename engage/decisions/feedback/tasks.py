"""Background entry points: each takes ids and calls the runner.

The weekly reminder of overdue feedback keeps itself going: each run queues the next
for the following Monday morning, and `overdue_reminders_schedule` (called when a worker
starts) queues one if none is waiting, so a fresh install or a lost task starts it
again. Running it twice in a week sends nothing twice (`OverdueReminder`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from engage.decisions.feedback import runner

REMINDER_WEEKDAY = 0  # Monday
REMINDER_HOUR = 8


@task()
def feedback_send_task(*, decision_id: int) -> dict[str, int]:
    """Send the queued emails about one published decision."""
    report = runner.feedback_send(decision_id=decision_id)
    return {
        "sent": report.sent,
        "skipped": report.skipped,
        "retrying": report.retrying,
        "failed": report.failed,
    }


def next_reminder_at(now: dt.datetime) -> dt.datetime:
    """The next Monday at 08:00, local time, strictly after `now`."""
    local = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE))
    days = (REMINDER_WEEKDAY - local.weekday()) % 7
    candidate = (local + dt.timedelta(days=days)).replace(
        hour=REMINDER_HOUR, minute=0, second=0, microsecond=0
    )
    if candidate <= local:
        candidate += dt.timedelta(days=7)
    return candidate


@task()
def overdue_reminders_task() -> dict[str, int]:
    """This week's reminders; then the next week's run is queued."""
    report = runner.overdue_reminders_send()
    _queue_next()
    return {"sent": report.sent, "already_sent": report.already_sent, "failed": report.failed}


def _queue_next() -> None:
    if overdue_reminders_task.get_backend().supports_defer:
        overdue_reminders_task.using(run_after=next_reminder_at(timezone.now())).enqueue()


def overdue_reminders_schedule() -> bool:
    """Queue the weekly reminder unless one is waiting; True if this queued it. Only the
    database backend keeps tasks to look in; with any other there is nothing to do."""
    if not overdue_reminders_task.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - only with the database backend

    path = f"{overdue_reminders_task.module_path}"
    waiting = DBTaskResult.objects.filter(task_path=path, status="READY").exists()
    if not waiting:
        _queue_next()
    return not waiting
