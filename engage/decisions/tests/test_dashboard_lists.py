"""What waits for an organisation in "You said, we did", as its dashboard lists it:
feedback overdue, emails that failed, decisions ready to publish, drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engage.activities.tests.factories import ActivityFactory
from engage.decisions.models import DecisionStatus, FeedbackMessage, MessageStatus
from engage.decisions.selectors import (
    decision_list_proposed,
    decision_list_to_publish,
    failed_emails_by_decision,
    overdue_feedback_list,
)
from engage.decisions.tests.factories import DecisionFactory
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)


def _ended(organisation, *, promised=None, given=None):
    return ActivityFactory(
        lead_organisation=organisation,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 31),
        feedback_promised_on=promised,
        feedback_given_on=given,
    )


def test_overdue_feedback_is_the_organisations_led_activities_past_their_promise_most_overdue_first():
    council = OrganisationFactory()
    later = _ended(council, promised=dt.date(2026, 8, 1))
    earlier = _ended(council, promised=dt.date(2026, 7, 1))
    _ended(council, promised=dt.date(2026, 7, 1), given=dt.date(2026, 7, 2))  # told
    _ended(council, promised=TODAY)  # due today, not yet overdue
    _ended(council)  # promised nothing
    _ended(OrganisationFactory(), promised=dt.date(2026, 6, 1))  # a partner's
    joined = _ended(OrganisationFactory(), promised=dt.date(2026, 6, 1))
    joined.partner_organisations.add(council)  # its lead tells people, not the partner

    found = overdue_feedback_list(organisation=council, today=TODAY)
    assert found.items == [earlier, later]
    assert overdue_feedback_list(organisation=None, today=TODAY).total == 0


def test_failed_emails_are_counted_by_decision_for_the_organisations_own_people_only():
    council = OrganisationFactory()
    trust = OrganisationFactory()
    decision = DecisionFactory(title="Evening opening")
    other = DecisionFactory(title="Parking")
    for person in PersonFactory.create_batch(2, organisation=council):
        FeedbackMessage.objects.create(decision=decision, person=person, status=MessageStatus.FAILED)
    FeedbackMessage.objects.create(
        decision=other, person=PersonFactory(organisation=council), status=MessageStatus.FAILED
    )
    FeedbackMessage.objects.create(
        decision=other, person=PersonFactory(organisation=council), status=MessageStatus.SENT
    )
    FeedbackMessage.objects.create(
        decision=other, person=PersonFactory(organisation=trust), status=MessageStatus.FAILED
    )

    found = failed_emails_by_decision(organisation=council)
    assert [(f.decision_title, f.people) for f in found] == [("Evening opening", 2), ("Parking", 1)]
    assert [f.people for f in failed_emails_by_decision(organisation=trust)] == [1]
    assert failed_emails_by_decision(organisation=None) == []


def test_ready_to_publish_are_decided_unpublished_decisions_about_activities_it_leads():
    council = OrganisationFactory()
    led = _ended(council)
    agreed = DecisionFactory(activity=led, decided_on=dt.date(2026, 6, 1))
    # Recorded by a partner, about the council's activity: the council publishes it.
    by_partner = DecisionFactory(
        activity=led, organisation=OrganisationFactory(), decided_on=dt.date(2026, 7, 1)
    )
    not_taken = DecisionFactory(
        activity=led, status=DecisionStatus.NOT_TAKEN, reason_not_taken="No money.", decided_on=None
    )
    DecisionFactory(activity=led, status=DecisionStatus.PROPOSED)
    DecisionFactory(activity=led, published_at=timezone.now())
    DecisionFactory(organisation=council)  # about no activity: no page to go on
    DecisionFactory(activity=_ended(OrganisationFactory()))

    found = decision_list_to_publish(organisation=council)
    assert found.items == [by_partner, agreed, not_taken]  # newest decided first, undated last


def test_drafts_are_the_organisations_own_proposed_decisions():
    council = OrganisationFactory()
    draft = DecisionFactory(organisation=council, status=DecisionStatus.PROPOSED)
    DecisionFactory(organisation=council)
    DecisionFactory(organisation=OrganisationFactory(), status=DecisionStatus.PROPOSED)

    assert decision_list_proposed(organisation=council).items == [draft]
    assert decision_list_proposed(organisation=None).total == 0
