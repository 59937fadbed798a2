"""Staff words the public reads are read by the redactor first: what looks like a
personal detail is shown to the author, who changes it or says they have checked;
nothing is saved meanwhile, and what they typed is kept."""

from __future__ import annotations

import dataclasses

import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.core.errors import InvalidInput
from engage.core.roles import Role
from engage.decisions import services
from engage.decisions.models import ActivityPublication, Decision, DecisionAmendment
from engage.decisions.tests.test_decisions import _input
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PERSONAL = "We rang Mrs Jane Example on 07700 900461 to say the clinic opens late."


@pytest.fixture
def healthwatch():
    return OrganisationFactory(name="Healthwatch Castlebridge")


def test_a_summary_that_looks_personal_is_refused_until_the_author_has_checked(healthwatch):
    with pytest.raises(InvalidInput) as refused:
        services.decision_record(actor=None, organisation=healthwatch, data=_input(summary=PERSONAL))
    assert "phone number" in refused.value.errors["summary"]
    assert "details_checked" in refused.value.errors
    assert "title" not in refused.value.errors
    assert not Decision.objects.exists()
    decision = services.decision_record(
        actor=None, organisation=healthwatch, data=_input(summary=PERSONAL, details_checked=True)
    )
    assert decision.summary == PERSONAL


def test_an_amendment_checks_only_the_words_that_changed_and_its_note(healthwatch):
    decision = services.decision_record(
        actor=None,
        organisation=healthwatch,
        data=_input(summary="Dr Patel, the medical director, agreed it.", details_checked=True),
    )
    current = services.decision_input_of(decision)
    services.decision_amend(
        actor=None,
        organisation=healthwatch,
        decision_id=decision.pk,
        data=dataclasses.replace(current, status="done"),
    )
    with pytest.raises(InvalidInput) as refused:
        services.decision_amend(
            actor=None,
            organisation=healthwatch,
            decision_id=decision.pk,
            data=dataclasses.replace(current, status="in_progress", note="Email jane@example.org for more."),
        )
    assert set(refused.value.errors) == {"note", "details_checked"}
    decision.refresh_from_db()
    assert decision.status == "done"
    assert DecisionAmendment.objects.filter(decision=decision).count() == 1


def test_an_easy_read_summary_is_checked_and_the_page_keeps_what_was_typed(client_for, healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    with pytest.raises(InvalidInput):
        services.activity_publish(
            actor=None, organisation=healthwatch, activity_id=activity.pk, easy_read=PERSONAL
        )
    assert not ActivityPublication.objects.exists()
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    refused = officer.post(f"/staff/decisions/publish/{activity.pk}/", {"easy_read": PERSONAL})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "There is a problem" in page
    assert PERSONAL in page  # what was typed, kept
    assert 'name="details_checked"' in page
    published = officer.post(
        f"/staff/decisions/publish/{activity.pk}/", {"easy_read": PERSONAL, "details_checked": "1"}
    )
    assert published.status_code == 302
    assert ActivityPublication.objects.get().easy_read == PERSONAL


def test_the_decision_form_asks_for_the_check_only_when_something_was_found(client_for, healthwatch):
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    assert 'name="details_checked"' not in officer.get("/staff/decisions/new/").content.decode()
    form = {
        "title": "Later opening",
        "summary": PERSONAL,
        "decided_by": "organisation",
        "decided_by_name": "Castlebridge Hospitals",
        "status": "agreed",
    }
    refused = officer.post("/staff/decisions/new/", form)
    page = refused.content.decode()
    assert 'name="details_checked"' in page
    assert "looks as if it holds personal details" in page
    assert not Decision.objects.exists()
    assert officer.post("/staff/decisions/new/", {**form, "details_checked": "on"}).status_code == 302
    assert Decision.objects.count() == 1


def test_a_partner_organisation_name_alone_passes(healthwatch):
    services.decision_record(
        actor=None,
        organisation=healthwatch,
        data=_input(
            summary="The Health and Wellbeing Board agreed longer opening hours at the walk-in centre."
        ),
    )
    assert Decision.objects.count() == 1
