"""The nightly run keeps itself going from the worker, and `engage retention run` does the
same work from the command line, with `--dry-run` to only count."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.models import DBTaskResult

from engage.conversations.models import Conversation
from engage.conversations.tests.factories import ConversationFactory
from engage.core.models import JobStatus
from engage.retention import selectors
from engage.retention.models import RetentionRun, RunTrigger
from engage.retention.tasks import retention_run_task, retention_schedule

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TASK_PATH = "engage.retention.tasks.retention_run_task"


@pytest.fixture(autouse=True)
def folders(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 12, 6, 15, 25, tzinfo=LONDON), dt.datetime(2026, 12, 7, 2, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 12, 7, 1, 59, tzinfo=LONDON), dt.datetime(2026, 12, 7, 2, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 12, 7, 2, 0, tzinfo=LONDON), dt.datetime(2026, 12, 8, 2, 0, tzinfo=LONDON)),
        # The nights the clocks change: still 2 o'clock, London time.
        (dt.datetime(2027, 3, 27, 12, 0, tzinfo=LONDON), dt.datetime(2027, 3, 28, 2, 0, tzinfo=LONDON)),
        (dt.datetime(2027, 10, 30, 12, 0, tzinfo=LONDON), dt.datetime(2027, 10, 31, 2, 0, tzinfo=LONDON)),
    ],
)
def test_the_nightly_run_is_at_the_hour_london_time(now, expected):
    found = selectors.next_run_at(now)
    assert found == expected
    assert found.astimezone(LONDON).hour == 2


def test_the_hour_is_a_setting(settings):
    settings.ENGAGE_RETENTION_HOUR = 23
    now = dt.datetime(2026, 12, 6, 15, 25, tzinfo=LONDON)
    assert selectors.next_run_at(now) == dt.datetime(2026, 12, 6, 23, 0, tzinfo=LONDON)


def test_starting_a_worker_queues_the_nightly_run_once():
    assert retention_schedule() is True
    assert retention_schedule() is False
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task.status == "READY"
    assert task.run_after == selectors.next_run_at(task.enqueued_at)


def test_engage_worker_queues_the_nightly_run_when_it_starts(monkeypatch):
    # The worker's own loop is django-tasks-db's: replaced here, so what is tested is
    # what `engage worker` adds to it.
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, *args, **options: None)
    call_command("worker", "--batch")
    call_command("worker", "--batch")
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert list(waiting.values_list("status", flat=True)) == ["READY"]


def test_the_nightly_task_applies_the_rules_then_queues_the_next_night():
    ConversationFactory(occurred_on=dt.date(2000, 1, 3))
    kept = ConversationFactory(occurred_on=timezone.localdate())
    outcome = retention_run_task.call()
    run = RetentionRun.objects.get()
    assert outcome == {"run": run.pk, "deleted": 1}
    assert (run.trigger, run.status, run.run_on) == (
        RunTrigger.SCHEDULE,
        JobStatus.SUCCEEDED,
        selectors.today(),
    )
    assert list(Conversation.objects.all()) == [kept]
    nxt = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert nxt.run_after > timezone.now()


def test_a_night_when_a_run_is_already_going_deletes_nothing_and_still_queues_the_next():
    RetentionRun.objects.create(
        run_on=selectors.today(), status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    ConversationFactory(occurred_on=dt.date(2000, 1, 3))
    assert retention_run_task.call() == {"run": 0, "deleted": 0}
    assert Conversation.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1


def test_with_a_backend_that_runs_at_once_nothing_is_queued_for_later(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert retention_schedule() is False
    assert not DBTaskResult.objects.exists()


def test_the_dry_run_command_counts_and_deletes_nothing():
    ConversationFactory(occurred_on=dt.date(2000, 1, 3))
    ConversationFactory(occurred_on=dt.date(2000, 1, 4))
    out = StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    text = out.getvalue()
    cutoff = selectors.day_text(selectors.cutoffs_on(selectors.today())["conversations"])
    assert (
        f"Conversations (kept for 72 months): 2 conversations heard before {cutoff} would be deleted by a run today."
        in text
    )
    assert "Nothing was deleted (--dry-run)." in text
    assert Conversation.objects.count() == 2
    assert not RetentionRun.objects.exists()


def test_the_run_command_deletes_with_a_progress_bar_and_reports_each_kind():
    ConversationFactory(occurred_on=dt.date(2000, 1, 3))
    out, err = StringIO(), StringIO()
    call_command("retention", "run", stdout=out, stderr=err)
    assert Conversation.objects.count() == 0
    run = RetentionRun.objects.get()
    assert run.trigger == RunTrigger.COMMAND
    assert "Conversations: Deleted 1 conversation heard before" in out.getvalue()
    assert f"Deleted 1 record in all (run {run.pk})." in out.getvalue()
    assert "1 / 1 records" in err.getvalue()


def test_the_run_command_refuses_while_another_run_is_going():
    RetentionRun.objects.create(run_on=selectors.today(), status=JobStatus.QUEUED)
    with pytest.raises(CommandError, match="already waiting or running"):
        call_command("retention", "run", stdout=StringIO())


def test_engage_lists_the_retention_command():
    from engage.cli.main import help_text  # noqa: PLC0415 - the front page, as `engage` prints it

    assert "retention" in help_text()
