"""Training a new model runs in the worker, not in the page's request: with tens of
thousands of labels it takes a minute or more. The page queues it, shows how far it has
got (themes learnt of those to learn) while the worker trains, and then what came of
it: the model made, or why none was kept. One waits or runs at a time, and one whose
worker died is marked failed so another can start."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.cli.management.commands.worker import stale_jobs_fail_everywhere
from engage.core.errors import Conflict
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight import runner, services
from engage.insight.models import ModelTraining, ModelVersion, PersonLabel, RunStatus
from engage.insight.tests.test_services import WAITING

pytestmark = pytest.mark.django_db


def test_the_worker_trains_the_model_noting_each_theme_learnt(labelled_bank, monkeypatch):
    training = services.model_training_create(actor=None, start=False)
    assert training.status == RunStatus.QUEUED
    seen: list[tuple[int, int]] = []
    original = services.model_train

    def watched(**arguments):
        def noted(done: int, total: int) -> None:
            row = ModelTraining.objects.get(pk=training.pk)
            seen.append((row.categories_done, row.categories_total))
            arguments["on_progress"](done, total)

        return original(**{**arguments, "on_progress": noted})

    monkeypatch.setattr(services, "model_train", watched)
    finished = runner.model_training_execute(training_id=training.pk)
    version = ModelVersion.objects.get()
    assert finished.status == RunStatus.SUCCEEDED
    assert finished.model_version == version
    assert (finished.categories_done, finished.categories_total) == (2, 2)
    # The row said how far it had got as each theme was learnt: none, then one of two.
    assert seen == [(0, 0), (1, 2)]
    assert finished.started_at <= finished.finished_at
    # A finished training is not started again.
    assert runner.model_training_execute(training_id=training.pk).model_version == version
    assert ModelVersion.objects.count() == 1
    assert AuditEvent.objects.filter(subject_type="model_training", action="created").count() == 1


def test_a_model_not_kept_fails_the_training_with_the_reason(labelled_bank):
    runner.model_training_execute(training_id=services.model_training_create(actor=None, start=False).pk)
    PersonLabel.objects.filter(category__name=WAITING).delete()
    worse = runner.model_training_execute(
        training_id=services.model_training_create(actor=None, start=False).pk
    )
    assert worse.status == RunStatus.FAILED
    assert worse.error.startswith("The new model was not kept: it would be worse than the one in use.")
    kept = runner.model_training_execute(
        training_id=services.model_training_create(actor=None, force=True, start=False).pk
    )
    assert kept.status == RunStatus.SUCCEEDED
    assert kept.model_version.number == 2


def test_an_unexpected_failure_fails_the_training_and_keeps_no_model(labelled_bank, monkeypatch):
    def broken(**_arguments):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(services, "model_train", broken)
    failed = runner.model_training_execute(
        training_id=services.model_training_create(actor=None, start=False).pk
    )
    assert failed.status == RunStatus.FAILED
    assert failed.error == runner.TRAINING_FAILED
    assert "out of memory" not in failed.error
    assert not ModelVersion.objects.exists()


def test_one_training_at_a_time_and_one_whose_worker_died_is_marked_failed(labelled_bank, settings):
    first = services.model_training_create(actor=None, start=False)
    with pytest.raises(Conflict, match="already being trained"):
        services.model_training_create(actor=None, start=False)
    # Its worker started it, then died: silent for longer than a job may be.
    long_ago = timezone.now() - dt.timedelta(seconds=settings.ENGAGE_JOB_STALE_SECONDS + 5)
    ModelTraining.objects.filter(pk=first.pk).update(
        status=RunStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    assert stale_jobs_fail_everywhere() == 1
    first.refresh_from_db()
    assert (first.status, first.error) == (RunStatus.FAILED, services.TRAINING_WORKER_STOPPED)
    assert services.model_training_create(actor=None, start=False).status == RunStatus.QUEUED


def test_the_models_page_shows_a_training_under_way_and_its_status_answers_the_script(
    client_for, labelled_bank
):
    analyst = client_for(member_of(labelled_bank, Role.ANALYST), labelled_bank)
    training = ModelTraining.objects.create()
    page = analyst.get("/staff/themes/models/").content.decode()
    assert "A new model is being trained. You can leave this page" in page
    assert f'data-status-url="/staff/themes/models/trainings/{training.pk}/status/"' in page
    assert "/static/engage/job-progress.mjs" in page
    status_url = f"/staff/themes/models/trainings/{training.pk}/status/"
    assert analyst.get(status_url).json()["summary"] == (
        "Waiting for the background worker to start training the new model."
    )
    ModelTraining.objects.filter(pk=training.pk).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(seconds=10),
        heartbeat_at=timezone.now(),
        categories_done=3,
        categories_total=12,
    )
    page = analyst.get("/staff/themes/models/").content.decode()
    assert '<progress id="training-progress-bar" class="nhsuk-u-width-full" max="12" value="3">' in page
    status = analyst.get(status_url)
    assert status["Cache-Control"] == "no-store"
    assert (status.json()["rows_done"], status.json()["rows_total"], status.json()["finished"]) == (
        3,
        12,
        False,
    )
    assert status.json()["summary"].startswith("Learnt 3 of 12 themes, ")
    ModelTraining.objects.filter(pk=training.pk).update(categories_done=12)
    assert analyst.get(status_url).json()["summary"] == (
        "Learnt all 12 themes; now learning sentiment and checking the new model."
    )
    # Finished: the page no longer polls and says what came of it.
    ModelTraining.objects.filter(pk=training.pk).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error="The new model was not kept: no."
    )
    assert analyst.get(status_url).json()["finished"] is True
    page = analyst.get("/staff/themes/models/").content.decode()
    assert "job-progress.mjs" not in page
    assert "Latest training" in page
    assert "The new model was not kept: no." in page
    assert analyst.get("/staff/themes/models/trainings/2147483000/status/").status_code == 404


def test_a_second_click_while_one_trains_is_told_so(client_for, labelled_bank):
    analyst = client_for(member_of(labelled_bank, Role.ANALYST), labelled_bank)
    ModelTraining.objects.create(
        status=RunStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    page = analyst.post("/staff/themes/models/train/", follow=True).content.decode()
    assert "A new model is already being trained. Wait for it to finish." in page
    assert ModelTraining.objects.count() == 1


def test_only_those_who_manage_insight_see_a_trainings_status(client_for, labelled_bank):
    training = ModelTraining.objects.create()
    board = client_for(member_of(labelled_bank, Role.BOARD_MEMBER), labelled_bank)
    assert board.get(f"/staff/themes/models/trainings/{training.pk}/status/").status_code == 403
