"""Decisions through the REST API and `engage decisions`: the same rules as the pages."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from engage.accounts.tests.factories import member_of
from engage.core.roles import Role
from engage.decisions.models import Decision, DecisionEvidence
from engage.partners.tests.factories import OrganisationFactory
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
        == 404
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
