"""Insight's staff pages: themes for everyone, review for those who label, models for analysts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.conversations.models import Channel, Conversation
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight import runner, services
from engage.insight.models import (
    AnalysisRun,
    Category,
    ConversationInsight,
    ModelVersion,
    PersonLabel,
    Review,
    RunStatus,
)
from engage.insight.tests.test_services import STAFF, add
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(labelled_bank: Any) -> Any:
    add(labelled_bank, "Kind staff, my number is 07700 900123, quote me", rating=1)
    services.model_train(actor=None)
    runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    return labelled_bank


def test_a_board_member_sees_themes_with_consented_redacted_quotes_only(client_for, analysed):
    board = client_for(member_of(analysed, Role.BOARD_MEMBER), analysed)
    page = board.get("/staff/themes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Staff" in html
    assert "Timeliness of care" in html
    assert "07700" not in html
    assert board.get("/staff/themes/review/").status_code == 403
    assert board.get("/staff/themes/models/").status_code == 403


def test_an_analyst_reviews_with_the_keyboard_page_and_the_label_is_kept(client_for, analysed):
    analyst_user = member_of(analysed, Role.ANALYST)
    analyst = client_for(analyst_user, analysed)
    page = analyst.get("/staff/themes/review/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "review-keys.mjs" in html
    current = int(html.split('name="conversation" value="')[1].split('"')[0])
    parking = Category.objects.filter(parent__isnull=False).exclude(name=STAFF).first()
    response = analyst.post(
        "/staff/themes/review/", {"conversation": current, "category": [parking.pk], "sentiment": "negative"}
    )
    assert response.status_code == 302
    review = Review.objects.get(conversation_id=current)
    assert (review.sentiment, review.reviewed_by) == ("negative", analyst_user)
    assert list(PersonLabel.objects.filter(conversation_id=current).values_list("category", flat=True)) == [
        parking.pk
    ]
    # The next page offers another conversation.
    assert (
        f'name="conversation" value="{current}"' not in analyst.get("/staff/themes/review/").content.decode()
    )


def test_skipping_moves_on_without_labelling(client_for, analysed):
    analyst = client_for(member_of(analysed, Role.ANALYST), analysed)
    html = analyst.get("/staff/themes/review/").content.decode()
    current = html.split('name="conversation" value="')[1].split('"')[0]
    response = analyst.post("/staff/themes/review/", {"conversation": current, "skip": "1"})
    assert response.status_code == 302
    assert f"skipped={current}" in response["Location"]
    assert not Review.objects.filter(conversation_id=current).exists()


def test_an_analyst_trains_and_starts_an_analysis_from_the_models_page(
    client_for, analysed, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    analyst = client_for(member_of(analysed, Role.ANALYST), analysed)
    # Training is queued for the worker (here the tasks run as the request commits).
    with django_capture_on_commit_callbacks(execute=True):
        trained = analyst.post("/staff/themes/models/train/", follow=True).content.decode()
    assert "Training a new model has started" in trained
    with django_capture_on_commit_callbacks(execute=True):
        assert analyst.post("/staff/themes/runs/new/").status_code == 302
    page = analyst.get("/staff/themes/models/").content.decode()
    assert "Latest training" in page
    version = ModelVersion.objects.get(number=2)
    assert f"Model 2 is trained on {version.labelled_conversations:,} labelled conversations" in page
    assert "Finished" in page
    assert ">2<" in page  # model 2 is listed


def test_another_organisation_sees_no_themes_of_ours(client_for, analysed):
    other = OrganisationFactory(name="Walsall Council")
    officer = client_for(member_of(other, Role.ENGAGEMENT_OFFICER), other)
    html = officer.get("/staff/themes/").content.decode()
    assert "Timeliness of care" not in html
    assert "There are no conversations here" in html


def test_showing_a_conversation_for_review_is_audited(client_for, analysed):

    analyst = client_for(member_of(analysed, Role.ANALYST), analysed)
    html = analyst.get("/staff/themes/review/").content.decode()
    current = html.split('name="conversation" value="')[1].split('"')[0]
    assert AuditEvent.objects.filter(
        subject_type="conversation", subject_id=current, action="listed"
    ).exists()


def test_a_running_analysis_shows_its_progress_on_the_themes_and_models_pages(client_for, analysed):

    run = AnalysisRun.objects.create(
        status=RunStatus.RUNNING,
        rows_total=52_000,
        rows_done=13_000,
        started_at=timezone.now() - timezone.timedelta(seconds=10),
    )
    analyst = client_for(member_of(analysed, Role.ANALYST), analysed)
    for path in ("/staff/themes/", "/staff/themes/models/"):
        html = analyst.get(path).content.decode()
        assert f'data-status-url="/staff/themes/runs/{run.pk}/status/"' in html, path
        # The bar moves in tenths; the counts, about every partner's conversations, are
        # not given, only the size through disclosure control.
        assert '<progress id="run-progress-bar" class="nhsuk-u-width-full" max="100" value="20">' in html
        assert "/static/engage/job-progress.mjs" in html
    status = analyst.get(f"/staff/themes/runs/{run.pk}/status/").json()
    assert (status["rows_done"], status["rows_total"], status["percent"], status["finished"]) == (
        20,
        100,
        20,
        False,
    )
    assert status["summary"] == "Analysing about 52,000 conversations: 20% done, less than a minute left."
    assert "13,000" not in analyst.get("/staff/themes/models/").content.decode()
    # Finished: the pages no longer poll, and the status says so.
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, rows_done=52_000, finished_at=timezone.now()
    )
    assert "job-progress.mjs" not in analyst.get("/staff/themes/").content.decode()
    assert analyst.get(f"/staff/themes/runs/{run.pk}/status/").json()["finished"] is True
    assert analyst.get("/staff/themes/runs/999999/status/").status_code == 404


def test_a_small_analysis_shows_no_count_and_no_steps(client_for, analysed):
    """A bar moving in thirds would say there were three conversations to analyse."""

    run = AnalysisRun.objects.create(
        status=RunStatus.RUNNING,
        rows_total=3,
        rows_done=1,
        started_at=timezone.now() - timezone.timedelta(seconds=5),
    )
    board = client_for(member_of(analysed, Role.BOARD_MEMBER), analysed)
    status = board.get(f"/staff/themes/runs/{run.pk}/status/").json()
    assert (status["rows_done"], status["rows_total"], status["percent"]) == (0, 0, 0)
    assert status["summary"].startswith("Analysing fewer than 8 conversations, ")


def test_a_role_that_may_not_read_conversations_cannot_learn_whether_a_name_occurs(client_for):
    """A board member's word filter on the themes page looks in the redacted text only,
    so counting matches cannot tell them whether a name appears in what people wrote."""
    icb = OrganisationFactory()
    said = Conversation.objects.create(
        organisation=icb,
        channel=Channel.SURVEY,
        occurred_on=dt.date(2026, 3, 1),
        dedupe_key="named",
        text="Dr Quillfeather was rude to my mother",
    )
    ConversationInsight.objects.create(
        conversation=said,
        redacted_text="[NAME] was rude to my mother",
        sentiment="negative",
        text_hash="0" * 64,
        analysed_at=timezone.now(),
    )
    board = client_for(member_of(icb, Role.BOARD_MEMBER), icb)
    by_name = board.get("/staff/themes/?q=Quillfeather").content.decode()
    by_word = board.get("/staff/themes/?q=rude").content.decode()
    assert "0 conversations" in by_name
    assert "1 conversation" in by_word
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    assert "1 conversation" in officer.get("/staff/themes/?q=Quillfeather").content.decode()
