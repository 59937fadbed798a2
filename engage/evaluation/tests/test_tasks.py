"""The nightly evaluation run: it opens the evaluations of activities that ended, works
the board's page out again, and queues the next night's run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.activities.tests.factories import ActivityFactory
from engage.evaluation.models import BoardSnapshot, Evaluation
from engage.evaluation.tasks import evaluation_daily_schedule, evaluation_daily_task, next_daily_at

TASK_PATH = "engage.evaluation.tasks.evaluation_daily_task"
LONDON = ZoneInfo("Europe/London")


def test_the_next_run_is_at_two_in_the_morning_london_time() -> None:
    evening = dt.datetime(2026, 12, 7, 22, 30, tzinfo=LONDON)
    assert next_daily_at(evening) == dt.datetime(2026, 12, 8, 2, 0, tzinfo=LONDON)
    small_hours = dt.datetime(2026, 12, 8, 1, 0, tzinfo=LONDON)
    assert next_daily_at(small_hours) == dt.datetime(2026, 12, 8, 2, 0, tzinfo=LONDON)


@pytest.mark.django_db
def test_the_nightly_run_opens_evaluations_works_the_board_out_and_queues_the_next() -> None:
    activity = ActivityFactory()  # ended in March
    outcome = evaluation_daily_task.call()
    assert outcome["opened"] == 1
    assert Evaluation.objects.get().activity == activity
    assert BoardSnapshot.objects.get().pk == outcome["board"]
    waiting = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert waiting.run_after > timezone.now()
    # A worker starting again finds it waiting and queues no second one.
    assert evaluation_daily_schedule() is False
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
