"""The decisions' staff pages: every partner reads them, those who run engagement record
and amend their own, and evidence is ticked in the conversation search."""

from __future__ import annotations

import pytest

from engage.accounts.tests.factories import member_of
from engage.core.roles import Role
from engage.decisions.models import Decision, DecisionAmendment, DecisionEvidence
from engage.partners.tests.factories import OrganisationFactory
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Evening appointments at Harrowmere",
    "summary": "People said they could not get appointments after work.",
    "decided_by": "board",
    "decided_by_name": "Castlebridge Health and Wellbeing Board",
    "decided_on_day": "1",
    "decided_on_month": "6",
    "decided_on_year": "2026",
    "status": "agreed",
}


def test_an_officer_records_amends_and_links_evidence_and_a_board_member_reads(client_for):
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    council = OrganisationFactory(name="Castlebridge Council")
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    assert officer.get("/staff/decisions/new/").status_code == 200
    bad = officer.post("/staff/decisions/new/", {**FORM, "status": "not_taken"})
    assert "Say why it was not taken" in bad.content.decode()
    response = officer.post("/staff/decisions/new/", FORM)
    decision = Decision.objects.get()
    assert response["Location"] == f"/staff/decisions/{decision.pk}/"
    amended = officer.post(
        f"/staff/decisions/{decision.pk}/edit/", {**FORM, "status": "done", "note": "Open since July."}
    )
    assert amended.status_code == 302
    assert DecisionAmendment.objects.get().changes == {"status": ["agreed", "done"]}
    conversations_add(healthwatch, 2, text="No appointments after work.")
    search = officer.get("/staff/conversations/").content.decode()
    assert "Use as evidence" in search
    ids = [str(pk) for pk in healthwatch.conversations.values_list("pk", flat=True)]
    officer.post("/staff/decisions/evidence/", {"decision": decision.pk, "conversation": ids})
    assert DecisionEvidence.objects.count() == 2
    page = officer.get(f"/staff/decisions/{decision.pk}/").content.decode()
    assert "No appointments after work." in page
    assert "status from" in page
    assert "Open since July." in page
    # Another partner's board member sees the decision and how many people, not whose words.
    board = client_for(member_of(council, Role.BOARD_MEMBER), council)
    theirs = board.get(f"/staff/decisions/{decision.pk}/").content.decode()
    assert "Evening appointments at Harrowmere" in theirs
    assert "No appointments after work." not in theirs
    assert "Amend this decision" not in theirs
    assert board.get("/staff/decisions/new/").status_code == 403
    assert board.get("/staff/decisions/?q=evening").status_code == 200
    # Another partner's officer cannot amend it, nor link another's conversations.
    council_officer = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    assert council_officer.get(f"/staff/decisions/{decision.pk}/edit/").status_code == 404
    council_officer.post("/staff/decisions/evidence/", {"decision": decision.pk, "conversation": ids})
    assert DecisionEvidence.objects.count() == 2
