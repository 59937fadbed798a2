"""The evaluation pages as each role uses them: the team fills its evaluation in, partners
read it, a participant answers by the link once, a partner scores by a single-use link,
and the administrators run the rounds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of, sign_in_as
from engage.activities.tests.factories import ActivityFactory
from engage.core.roles import Role
from engage.evaluation.models import Evaluation, ParticipantAnswer, ScoreSheet, Statement
from engage.evaluation.self_assessment.services import round_open, scoring_links_make
from engage.evaluation.tests.factories import EvaluationFactory, ParticipantAnswerFactory
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _client(organisation: Any, role: str) -> Client:
    return sign_in_as(Client(), member_of(organisation, role))


@pytest.fixture(autouse=True)
def _forms_may_be_sent_at_once(settings: Any) -> None:
    settings.ENGAGE_FEEDBACK_MIN_SECONDS = 0


def test_the_team_fills_its_evaluation_in_and_a_partner_only_reads_it() -> None:
    activity = ActivityFactory()
    team = _client(activity.lead_organisation, Role.ENGAGEMENT_OFFICER)
    page = team.get(f"/staff/evaluations/{activity.pk}/")
    assert page.status_code == 200
    assert "Open the evaluation" in page.content.decode()
    assert team.post(f"/staff/evaluations/{activity.pk}/open/").status_code == 302
    refused = team.post(
        f"/staff/evaluations/{activity.pk}/cost/",
        {
            "staff_hours": "-1",
            "volunteer_hours": "0",
            "cost_pounds": "10",
            "what_worked": "x",
            "what_did_not": "y",
        },
    )
    assert refused.status_code == 400
    assert "Enter the staff hours as a number from 0" in refused.content.decode()
    saved = team.post(
        f"/staff/evaluations/{activity.pk}/cost/",
        {
            "staff_hours": "6",
            "volunteer_hours": "2",
            "cost_pounds": "40",
            "what_worked": "Tea",
            "what_did_not": "Rain",
        },
    )
    assert saved.status_code == 302
    assert Evaluation.objects.get().what_worked == "Tea"
    partner = _client(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    read = partner.get(f"/staff/evaluations/{activity.pk}/").content.decode()
    assert "Tea" in read
    assert "Save the account" not in read
    assert (
        partner.post(
            f"/staff/evaluations/{activity.pk}/influence/", {"influence_note": "Not ours"}
        ).status_code
        == 400
    )
    assert partner.get(f"/staff/evaluations/{activity.pk}/participants/print/").status_code == 404
    assert Evaluation.objects.get().influence_note == ""


def test_the_list_shows_each_evaluations_state_and_filters_by_it() -> None:
    EvaluationFactory(activity=ActivityFactory(title="Carers cafe"))
    client = _client(OrganisationFactory(), Role.BOARD_MEMBER)
    page = client.get("/staff/evaluations/?state=overdue").content.decode()
    assert "Carers cafe" in page
    assert "Overdue" in page
    assert "Carers cafe" not in client.get("/staff/evaluations/?state=complete").content.decode()
    assert client.get("/staff/evaluations/?q=nothing+like+it").status_code == 200


def test_a_participant_answers_once_by_the_link_without_an_account() -> None:
    evaluation = EvaluationFactory()
    public = Client()
    link = f"/evaluate/{evaluation.public_token}/"
    form = public.get(link)
    assert form.status_code == 200
    assert "Tell us how it went" in form.content.decode()
    bad = public.post(link, {"listened": "9"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    sent = public.post(link, {"listened": "5", "accessible": "4", "comment": "Kind staff."})
    assert sent.status_code == 302
    assert sent["Location"] == "/evaluate/thank-you/"
    assert "answered already" in public.get(link).content.decode()
    public.post(link, {"listened": "1"})
    assert ParticipantAnswer.objects.count() == 1
    # A bot fills the hidden box: answered as if sent, nothing saved.
    assert Client().post(link, {"listened": "5", "website": "spam"}).status_code == 302
    assert ParticipantAnswer.objects.count() == 1
    assert Client().get("/evaluate/not-a-link/").status_code == 404


def test_paper_answers_are_typed_in_on_their_own_page() -> None:
    evaluation = EvaluationFactory()
    team = _client(evaluation.activity.lead_organisation, Role.ENGAGEMENT_OFFICER)
    url = f"/staff/evaluations/{evaluation.activity_id}/participants/paper/"
    assert team.get(url).status_code == 200
    assert team.post(url, {"comment": ""}).status_code == 400
    assert (
        team.post(
            url,
            {"listened": "2", "answered_on_day": "21", "answered_on_month": "3", "answered_on_year": "2026"},
        ).status_code
        == 302
    )
    assert ParticipantAnswer.objects.get().source == "paper"


def test_the_print_page_carries_the_link_and_its_qr_code() -> None:
    evaluation = EvaluationFactory()
    team = _client(evaluation.activity.lead_organisation, Role.ENGAGEMENT_OFFICER)
    page = team.get(f"/staff/evaluations/{evaluation.activity_id}/participants/print/").content.decode()
    assert f"/evaluate/{evaluation.public_token}/" in page
    assert "<svg" in page


def test_comments_reach_only_the_lead_organisations_staff_who_read_what_people_said() -> None:
    evaluation = EvaluationFactory()
    ParticipantAnswerFactory(evaluation=evaluation, comment="The room was cold.")
    url = f"/staff/evaluations/{evaluation.activity_id}/"
    assert (
        "The room was cold."
        in _client(evaluation.activity.lead_organisation, Role.ENGAGEMENT_OFFICER).get(url).content.decode()
    )
    assert (
        "The room was cold."
        not in _client(evaluation.activity.lead_organisation, Role.BOARD_MEMBER).get(url).content.decode()
    )
    assert (
        "The room was cold."
        not in _client(OrganisationFactory(), Role.ENGAGEMENT_OFFICER).get(url).content.decode()
    )


def test_a_round_is_run_from_opening_to_results_and_scored_by_single_use_links() -> None:
    admin = _client(OrganisationFactory(), Role.PARTNERSHIP_ADMIN)
    assert admin.post("/staff/self-assessment/rounds/open/", {"title": ""}).status_code == 400
    assert admin.post("/staff/self-assessment/rounds/open/", {"title": "Spring 2027"}).status_code == 302
    round_page = admin.get("/staff/self-assessment/").content.decode()
    round_id = re.search(r"/staff/self-assessment/rounds/(\d+)/", round_page).group(1)  # type: ignore[union-attr]
    made = admin.post(f"/staff/self-assessment/rounds/{round_id}/links/", {"group": "vcse", "count": "6"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    links = re.findall(r"http://testserver(/score/[^/<]+/)", made.content.decode())
    assert len(links) == 6
    statements = list(Statement.objects.filter(is_active=True))
    for index, link in enumerate(links):
        scorer = Client()
        assert "Score the partnership" in scorer.get(link).content.decode()
        answers = {f"score_{s.pk}": str(index + 2) for s in statements}
        assert scorer.post(link, answers).status_code == 302
        assert scorer.get(link).status_code == 404  # used
    assert ScoreSheet.objects.count() == 6
    # While open, no results: they would change with each sheet.
    open_page = admin.get(f"/staff/self-assessment/rounds/{round_id}/").content.decode()
    assert "Results are shown when the round closes" in open_page
    assert "Middle half" not in open_page
    assert admin.post(f"/staff/self-assessment/rounds/{round_id}/close/").status_code == 302
    board = _client(OrganisationFactory(), Role.BOARD_MEMBER)
    results = board.get(f"/staff/self-assessment/rounds/{round_id}/").content.decode()
    # Six from one group: shown once, as everyone, their average (2 to 7) 4.5.
    assert "Everyone" in results
    assert "4.5" in results
    assert board.get("/staff/self-assessment/trends/").status_code == 200
    assert board.post("/staff/self-assessment/rounds/open/", {"title": "Mine"}).status_code == 403


def test_objectives_statements_and_the_pledge_are_kept_by_administrators() -> None:
    admin = _client(OrganisationFactory(), Role.PARTNERSHIP_ADMIN)
    statement = Statement.objects.first()
    created = admin.post(
        "/staff/self-assessment/objectives/new/",
        {
            "title": "Impact",
            "owner": "Healthwatch",
            "due_on_day": "31",
            "due_on_month": "3",
            "due_on_year": "2027",
            "status": "on_track",
            "statements": [str(statement.pk)],  # type: ignore[union-attr]
            "activities": "99999",
        },
    )
    assert created.status_code == 400
    assert "activities" in created.content.decode()
    created = admin.post(
        "/staff/self-assessment/objectives/new/",
        {
            "title": "Impact",
            "owner": "Healthwatch",
            "due_on_day": "31",
            "due_on_month": "3",
            "due_on_year": "2027",
            "status": "on_track",
        },
    )
    assert created.status_code == 302
    objective_url = created["Location"]
    action = admin.post(
        f"{objective_url}actions/",
        {
            "action-title": "Report",
            "action-owner": "HW",
            "action-due_on_day": "1",
            "action-due_on_month": "1",
            "action-due_on_year": "2027",
            "action-status": "done",
        },
    )
    assert action.status_code == 302
    assert "Report" in admin.get(objective_url).content.decode()
    assert (
        admin.post(
            "/staff/self-assessment/statements/", {"text": "Partners share data well", "is_active": "on"}
        ).status_code
        == 302
    )
    assert (
        admin.post(
            "/staff/self-assessment/pledge/", {"title": "We go where people are", "is_active": "on"}
        ).status_code
        == 302
    )
    officer = _client(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    assert officer.get("/staff/self-assessment/pledge/").status_code == 200
    assert officer.post("/staff/self-assessment/pledge/", {"title": "Mine"}).status_code == 403
    assert officer.post("/staff/self-assessment/statements/", {"text": "Mine"}).status_code == 403


def test_the_register_and_the_dashboard_show_overdue_evaluations_like_overdue_feedback() -> None:
    activity = ActivityFactory(title="Carers forum")  # ended in March: overdue by now
    officer = _client(activity.lead_organisation, Role.ENGAGEMENT_OFFICER)
    register = officer.get("/staff/activities/").content.decode()
    assert "1 evaluation is overdue" in register
    assert "Evaluation overdue" in register
    dashboard = officer.get("/staff/").content.decode()
    assert "Evaluations overdue" in dashboard
    assert f"/staff/evaluations/{activity.pk}/" in dashboard
    # Another partner's officer sees the register's count, not it on their dashboard.
    other = _client(OrganisationFactory(), Role.ENGAGEMENT_OFFICER).get("/staff/").content.decode()
    assert f"/staff/evaluations/{activity.pk}/" not in other


def test_a_bot_filling_the_hidden_box_is_thanked_and_nothing_is_scored() -> None:
    scoring = round_open(actor=None, title="Spring 2027")
    token = scoring_links_make(actor=None, round_id=scoring.pk, group="nhs", count=1).tokens[0]
    statement = scoring.statements.first()
    sent = Client().post(f"/score/{token}/", {f"score_{statement.pk}": "9", "website": "spam"})  # type: ignore[union-attr]
    assert sent.status_code == 302
    assert sent["Location"] == "/score/thank-you/"
    assert not ScoreSheet.objects.exists()
    assert Client().get(f"/score/{token}/").status_code == 200  # the link still works for its person
