"""Decisions through the REST API and `engage decisions`: the same rules as the pages."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.core.roles import Role
from engage.decisions.models import Decision, DecisionEvidence, FeedbackMessage
from engage.partners.tests.factories import ConsentFactory, OrganisationFactory, PersonFactory
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Evening appointments at Harrowmere",
    "summary": "People said they could not get appointments after work.",
    "decided_by": "board",
    "decided_by_name": "Castlebridge Health and Wellbeing Board",
    "decided_on": "2026-06-01",
    "status": "agreed",
}


def test_the_api_records_amends_links_evidence_and_lists(client_for):
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    council = OrganisationFactory(name="Castlebridge Council")
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    created = officer.post("/api/v1/decisions/", BODY, content_type="application/json")
    assert created.status_code == 201
    decision_id = created.json()["id"]
    bad = officer.post("/api/v1/decisions/", {**BODY, "status": "not_taken"}, content_type="application/json")
    assert bad.status_code == 400
    assert "reason_not_taken" in bad.json()
    amended = officer.put(
        f"/api/v1/decisions/{decision_id}/",
        {**BODY, "status": "done", "note": "Open."},
        content_type="application/json",
    )
    assert amended.json()["status"] == "done"
    conversations_add(healthwatch, 9)
    ids = list(healthwatch.conversations.values_list("pk", flat=True))
    linked = officer.post(
        f"/api/v1/decisions/{decision_id}/evidence/",
        {"conversation_ids": ids},
        content_type="application/json",
    )
    assert linked.json() == {"added": 9}
    board = client_for(member_of(council, Role.BOARD_MEMBER), council)
    detail = board.get(f"/api/v1/decisions/{decision_id}/").json()
    assert detail["people"] == 10  # 9, rounded to 5
    assert detail["history"][0]["changes"] == {"status": ["agreed", "done"]}
    assert board.get("/api/v1/decisions/?status=done").json()["results"][0]["id"] == decision_id
    assert board.post("/api/v1/decisions/", BODY, content_type="application/json").status_code == 403
    council_officer = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    assert (
        council_officer.put(
            f"/api/v1/decisions/{decision_id}/", BODY, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        council_officer.post(
            f"/api/v1/decisions/{decision_id}/evidence/",
            {"conversation_ids": ids},
            content_type="application/json",
        ).status_code
        == 400  # someone else's conversations: refused by field
    )
    assert DecisionEvidence.objects.count() == 9


def _add(*extra: str, title: str = "x", out: StringIO | None = None) -> None:
    """`engage decisions add` for Healthwatch Castlebridge, with these arguments too."""
    call_command(
        "decisions",
        "add",
        "--organisation",
        "Healthwatch Castlebridge",
        "--title",
        title,
        "--summary",
        "Carers asked for evenings.",
        "--decided-by",
        "organisation",
        "--decided-by-name",
        "Healthwatch Castlebridge",
        *extra,
        stdout=out or StringIO(),
    )


def test_the_command_line_adds_lists_and_shows():
    OrganisationFactory(name="Healthwatch Castlebridge")
    out = StringIO()
    _add("--decided-on", "2026-06-01", title="Evening drop-in", out=out)
    decision = Decision.objects.get()
    assert f"Recorded decision {decision.pk}" in out.getvalue()
    out = StringIO()
    call_command("decisions", "list", "--json", stdout=out)
    assert json.loads(out.getvalue().splitlines()[0])["title"] == "Evening drop-in"
    out = StringIO()
    call_command("decisions", "show", str(decision.pk), stdout=out)
    assert "People whose words informed it: 0" in out.getvalue()
    with pytest.raises(CommandError, match="reason_not_taken"):
        _add("--status", "not_taken")
    with pytest.raises(CommandError, match="not a date"):
        _add("--decided-on", "1 June")
    assert Decision.objects.count() == 1


# --- Telling people, publishing and closing the loop, by API and CLI -------------------


@pytest.fixture
def told():
    """An activity, a decision about it, and a person who may be told."""
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    activity = ActivityFactory(lead_organisation=healthwatch)
    person = PersonFactory(organisation=healthwatch, family_name="Oyelaran")
    ConsentFactory(person=person)
    decision = Decision.objects.create(
        organisation=healthwatch,
        title="Evening appointments",
        summary="Open until 8pm.",
        decided_by="board",
        decided_by_name="The board",
        activity=activity,
    )
    return healthwatch, activity, person, decision


def test_the_api_publishes_records_participants_and_reports_the_emails(
    client_for, django_capture_on_commit_callbacks, told
):
    healthwatch, activity, person, decision = told
    api = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    added = api.post(
        f"/api/v1/activities/{activity.pk}/participants/",
        {"person_ids": [person.pk]},
        content_type="application/json",
    )
    assert added.json() == {"added": 1}
    listed = api.get(f"/api/v1/activities/{activity.pk}/participants/").json()
    assert listed["participants"][0]["can_be_told"] is True
    with django_capture_on_commit_callbacks(execute=False):
        published = api.post(
            f"/api/v1/activities/{activity.pk}/publication/",
            {"decision_ids": [decision.pk], "easy_read": "We listened."},
            content_type="application/json",
        ).json()
    assert published["decisions_published"] == 1
    assert published["emails_queued"] == 1
    assert published["page"] == f"/you-said-we-did/{activity.pk}/"
    again = api.post(
        f"/api/v1/activities/{activity.pk}/publication/",
        {"decision_ids": [decision.pk]},
        content_type="application/json",
    ).json()
    assert again["emails_queued"] == 0
    assert FeedbackMessage.objects.count() == 1
    emails = api.get(f"/api/v1/decisions/{decision.pk}/emails/").json()
    assert emails["own_counts"]["queued"] == 1  # their own people: exact
    assert emails["partners"]["queued"] == 0
    assert emails["own"][0]["person_id"] == person.pk
    # Another partner's officer sees the counts and cannot publish or read the people.
    council = OrganisationFactory(name="Castlebridge Council")
    theirs = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    seen = theirs.get(f"/api/v1/decisions/{decision.pk}/emails/").json()
    assert seen["own"] == []
    assert seen["partners"]["queued"] is None  # one email: too few to show
    assert theirs.get(f"/api/v1/activities/{activity.pk}/participants/").json()["participants"] == []
    refused = theirs.post(
        f"/api/v1/activities/{activity.pk}/publication/",
        {"decision_ids": []},
        content_type="application/json",
    )
    assert refused.status_code == 404
    board = client_for(member_of(council, Role.BOARD_MEMBER), council)
    assert board.get(f"/api/v1/activities/{activity.pk}/participants/").status_code == 403
    loop = board.get("/api/v1/closing-the-loop/").json()
    assert set(loop) >= {"ended", "feedback_given", "share_given", "median_days_to_feedback", "overdue"}


def test_the_cli_publishes_records_participants_sends_and_reports(capsys, told):
    _, activity, person, decision = told
    org = ["--organisation", "Healthwatch Castlebridge"]
    call_command("decisions", "participants", str(activity.pk), *org, "--add", str(person.pk))
    assert "Added 1 person." in capsys.readouterr().out
    call_command("decisions", "publish", str(activity.pk), *org, "--decision", str(decision.pk))
    assert "1 new decision, 1 email queued" in capsys.readouterr().out
    call_command("decisions", "send-emails")
    assert "Sent 1 email." in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [[person.email]]
    call_command("decisions", "emails", str(decision.pk), *org)
    out = capsys.readouterr().out
    assert "Sent: 1" in out
    assert person.email in out
    assert FeedbackMessage.objects.get().status == "sent"
    call_command("decisions", "loop", "--json")
    assert json.loads(capsys.readouterr().out)["ended"] >= 0
    call_command("decisions", "remind-overdue")
    assert "Sent 0 reminders" in capsys.readouterr().out
    with pytest.raises(CommandError, match="There is no organisation called 'Nobody'"):
        call_command("decisions", "publish", str(activity.pk), "--organisation", "Nobody")
    council = OrganisationFactory(name="Castlebridge Council")
    with pytest.raises(
        CommandError, match="There is no person in your organisation's records with the number"
    ):
        call_command(
            "decisions",
            "participants",
            str(activity.pk),
            "--organisation",
            council.name,
            "--add",
            str(person.pk),
        )
