"""Nothing unconsented or unredacted is ever published: a bank with personal details
planted in what people said, some of them not consenting to be quoted, is analysed and
its activity published; every public page is then scanned for the planted details and
for the words of those who did not consent."""

from __future__ import annotations

import dataclasses

import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation
from engage.core.roles import Role
from engage.decisions import services
from engage.decisions.services import DecisionInput
from engage.insight import runner as insight_runner
from engage.insight import services as insight
from engage.insight.tests.test_services import KIND, SLOW, STAFF, WAITING, add
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PLANTED = [
    "07700 900461",
    "jane.example@example.org",
    "943 476 5919",  # an NHS number from the test range
    "DY1 1HF",
    "Mrs Jane Example",
]
UNCONSENTED = "The porter Zanzibarian said nothing to my husband for an hour"


@pytest.fixture
def published(client):
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    activity = ActivityFactory(lead_organisation=healthwatch, title="Hospital visit survey", topic="hospital")
    for round_ in range(6):
        for text in KIND:
            # None of these agreed to be quoted: the planted one below is the only
            # quotable comment about staff, so the page shows it, redacted.
            add(healthwatch, f"{text} ({round_})", rating=1, labels=[STAFF], consent=False)
        for text in SLOW:
            add(healthwatch, f"{text} ({round_})", rating=5, labels=[WAITING])
    add(
        healthwatch,
        "The nurse was kind and caring, call Mrs Jane Example on 07700 900461 or jane.example@example.org, "
        "NHS number 943 476 5919, we live at DY1 1HF",
        rating=1,
        labels=[STAFF],
    )
    add(healthwatch, UNCONSENTED, rating=5, labels=[WAITING], consent=False)
    Conversation.objects.filter(organisation=healthwatch).update(activity=activity)
    insight.model_train(actor=None)
    insight_runner.analysis_run_execute(run_id=insight.analysis_run_create(actor=None, start=False).pk)
    decision = services.decision_record(
        actor=None,
        organisation=healthwatch,
        data=DecisionInput(
            title="Kinder welcome on the wards",
            summary="People praised the nurses and asked for the same welcome from every member of staff.",
            decided_by="organisation",
            decided_by_name="Castlebridge Hospitals",
            status="agreed",
            activity_id=activity.pk,
        ),
    )
    services.decision_evidence_add(
        actor=None,
        organisation=healthwatch,
        decision_id=decision.pk,
        conversation_ids=Conversation.objects.for_organisation(healthwatch).values_list("pk", flat=True),
    )
    services.activity_publish(
        actor=None,
        organisation=healthwatch,
        activity_id=activity.pk,
        easy_read="We asked about your hospital visit.\nYou said the nurses were kind.",
        decision_ids=[decision.pk],
    )
    return activity, decision


def test_public_pages_show_consented_redacted_quotes_and_nothing_personal(client, published):
    activity, _decision = published
    pages = [
        client.get("/you-said-we-did/").content.decode(),
        client.get("/you-said-we-did/?q=hospital").content.decode(),
        client.get(f"/you-said-we-did/{activity.pk}/").content.decode(),
        client.get("/").content.decode(),
    ]
    page = pages[2]
    assert "Kinder welcome on the wards" in page
    assert "You said the nurses were kind." in page
    # The one consented comment about staff is quoted, its personal details taken out.
    assert "The nurse was kind and caring, call" in page
    for html in pages:
        for detail in PLANTED:
            assert detail not in html, detail
        assert "Zanzibarian" not in html
        assert "The receptionist was helpful and kind" not in html
        assert activity.contact is None or activity.contact.email not in html


def test_an_unpublished_activity_has_no_public_page_and_publishing_twice_changes_nothing(client, published):
    activity, decision = published
    other = ActivityFactory(lead_organisation=activity.lead_organisation)
    assert client.get(f"/you-said-we-did/{other.pk}/").status_code == 404
    decision.refresh_from_db()
    first = decision.published_at
    services.activity_publish(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        decision_ids=[decision.pk],
    )
    decision.refresh_from_db()
    assert decision.published_at == first


def test_only_the_lead_organisation_publishes(client_for, published):
    activity, _ = published
    council = OrganisationFactory(name="Castlebridge Council")
    officer = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    assert officer.get(f"/staff/decisions/publish/{activity.pk}/").status_code == 404
    lead = client_for(
        member_of(activity.lead_organisation, Role.ENGAGEMENT_OFFICER), activity.lead_organisation
    )
    assert lead.get(f"/staff/decisions/publish/{activity.pk}/").status_code == 200
    response = lead.post(f"/staff/decisions/publish/{activity.pk}/", {"easy_read": "Short."})
    assert response["Location"] == f"/you-said-we-did/{activity.pk}/"


def test_the_cached_page_changes_as_soon_as_a_decision_does(client, published):
    activity, decision = published
    assert "Agreed" in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    current = services.decision_input_of(decision)
    services.decision_amend(
        actor=None,
        organisation=activity.lead_organisation,
        decision_id=decision.pk,
        data=dataclasses.replace(current, status="done", note="Every ward now greets people by name."),
    )
    page = client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    assert "Every ward now greets people by name." in page
    later = services.decision_record(
        actor=None,
        organisation=activity.lead_organisation,
        data=dataclasses.replace(current, title="Quieter nights on the wards", activity_id=activity.pk),
    )
    assert "Quieter nights" not in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    services.activity_publish(
        actor=None, organisation=activity.lead_organisation, activity_id=activity.pk, decision_ids=[later.pk]
    )
    assert "Quieter nights" in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
