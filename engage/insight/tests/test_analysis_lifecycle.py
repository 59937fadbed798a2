"""Only one analysis waits or runs at a time, decided by the database; a running one
shows a heartbeat; one whose worker died is found and marked failed, so the next can
start. See engage/core/jobs.py."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.core.errors import Conflict
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight import runner, selectors, services
from engage.insight.models import AnalysisRun, RunStatus
from engage.insight.tests.factories import AnalysisRunFactory
from engage.insight.tests.test_services import add

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(minutes=10)


def dead_run() -> AnalysisRun:
    """A run marked running by a worker that went ten minutes ago."""
    then = timezone.now() - LONG_AGO
    return AnalysisRunFactory(status=RunStatus.RUNNING, started_at=then, heartbeat_at=then, rows_total=50)


def test_a_second_analysis_is_refused_while_one_waits():
    services.analysis_run_create(actor=None, start=False)
    with pytest.raises(Conflict) as refused:
        services.analysis_run_create(actor=None, start=False)
    assert refused.value.status == 409
    assert refused.value.message == "An analysis is already waiting or running. Wait for it to finish."
    assert AnalysisRun.objects.count() == 1


def test_the_database_itself_refuses_a_second_waiting_or_running_analysis():
    AnalysisRun.objects.create(status=RunStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnalysisRun.objects.create(status=RunStatus.QUEUED)
    # Finished ones, any number.
    AnalysisRun.objects.create(status=RunStatus.SUCCEEDED)
    AnalysisRun.objects.create(status=RunStatus.FAILED)
    assert AnalysisRun.objects.count() == 3


def test_an_analysis_whose_worker_died_is_marked_failed_and_the_next_can_start():
    dead = dead_run()
    following = services.analysis_run_create(actor=None, start=False)
    assert following.status == RunStatus.QUEUED
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert dead.error == (
        "The worker stopped while this was running. What it finished is kept; start it again to do the rest."
    )
    assert dead.finished_at is not None
    assert AuditEvent.objects.filter(
        subject_type="analysis_run", subject_id=str(dead.pk), action="updated"
    ).exists()


def test_an_analysis_still_beating_is_not_marked_failed():
    then = timezone.now() - LONG_AGO
    AnalysisRun.objects.create(status=RunStatus.RUNNING, started_at=then, heartbeat_at=timezone.now())
    with pytest.raises(Conflict):
        services.analysis_run_create(actor=None, start=False)


def test_the_progress_page_marks_an_analysis_whose_worker_died_failed(client_for, organisation):
    dead = dead_run()
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    status = analyst.get(f"/staff/themes/runs/{dead.pk}/status/").json()
    assert (status["status"], status["finished"]) == ("failed", True)
    assert selectors.analysis_run_current() is None


def test_the_models_page_no_longer_shows_a_dead_analysis_as_running(client_for, organisation):
    dead_run()
    manager = client_for(member_of(organisation, Role.PARTNERSHIP_ADMIN), organisation)
    page = manager.get("/staff/themes/models/").content.decode()
    assert "data-status-url" not in page
    assert "The worker stopped while this was running." in page
    assert AnalysisRun.objects.get().status == RunStatus.FAILED


def test_an_analysis_marked_failed_meanwhile_stops_after_the_chunk_in_hand(organisation, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 2)
    for number in range(6):
        add(organisation, f"The staff were kind, visit {number}")
    run = services.analysis_run_create(actor=None, start=False)
    chunks: list[int] = []

    def mark_failed_after_the_first(done: int, total: int) -> None:
        chunks.append(done)
        AnalysisRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="Marked failed.")

    finished = runner.analysis_run_execute(run_id=run.pk, on_progress=mark_failed_after_the_first)
    assert chunks == [2]
    assert (finished.status, finished.error) == (RunStatus.FAILED, "Marked failed.")


def test_only_a_queued_analysis_starts(organisation):
    run = AnalysisRun.objects.create(status=RunStatus.FAILED, error="Stopped.")
    again = runner.analysis_run_execute(run_id=run.pk)
    assert (again.status, again.error, again.started_at) == (RunStatus.FAILED, "Stopped.", None)


@pytest.mark.django_db(transaction=True)
def test_a_running_analysis_updates_its_heartbeat_from_a_connection_of_its_own(organisation, settings):
    """The heartbeat is written by another thread (another connection) and committed at
    once, so other processes see it while the analysis works on a chunk."""
    settings.ENGAGE_JOB_HEARTBEAT_SECONDS = 0.05
    add(organisation, "The staff were kind")
    run = services.analysis_run_create(actor=None, start=False)
    seen: list[dt.datetime | None] = []

    def long_chunk(done: int, total: int) -> None:
        AnalysisRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
        time.sleep(0.6)
        seen.append(AnalysisRun.objects.get(pk=run.pk).heartbeat_at)

    finished = runner.analysis_run_execute(run_id=run.pk, on_progress=long_chunk)
    assert finished.status == RunStatus.SUCCEEDED
    assert seen[0] is not None
    assert seen[0] > timezone.now() - dt.timedelta(seconds=30)
