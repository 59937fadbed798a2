"""Decisions recorded with what informed them, amended with their history kept, and the
trail followed both ways; evidence linked only from the organisation's own bank."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.conversations.models import Conversation
from engage.core.disclosure import DisclosureRule
from engage.core.errors import InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.decisions import selectors, services
from engage.decisions.models import Decision, DecisionEvidence, DecisionStatus
from engage.decisions.services import DecisionInput
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category
from engage.partners.tests.factories import OrganisationFactory
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db

NHS_RULE = DisclosureRule(smallest_shown=8, round_to=5)


@pytest.fixture
def healthwatch():
    return OrganisationFactory(name="Healthwatch Castlebridge")


@pytest.fixture
def council():
    return OrganisationFactory(name="Castlebridge Council")


def _input(**changes):
    base = DecisionInput(
        title="Longer opening hours at Harrowmere surgery",
        summary="People told us they could not get appointments after work, so the surgery opens until 8pm.",
        decided_by="board",
        decided_by_name="Castlebridge Health and Wellbeing Board",
        decided_on=dt.date(2026, 6, 1),
        status=DecisionStatus.AGREED,
    )
    return dataclasses.replace(base, **changes)


def test_a_decision_is_recorded_with_its_activity_priorities_and_themes(healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    priority = PriorityFactory()
    theme = Category.objects.filter(framework=framework_built_in(), parent__isnull=False).first()
    decision = services.decision_record(
        actor=None,
        organisation=healthwatch,
        data=_input(activity_id=activity.pk, priority_ids=(priority.pk,), theme_ids=(theme.pk,)),
    )
    assert decision.activity == activity
    assert list(decision.priorities.all()) == [priority]
    assert list(selectors.decision_list(theme_id=theme.pk)) == [decision]
    assert list(selectors.decision_list(theme_id=theme.parent_id)) == [decision]  # its category too
    assert list(selectors.decision_list(activity_id=activity.pk, status="agreed")) == [decision]
    assert list(selectors.decision_list(search="opening hours")) == [decision]
    assert AuditEvent.objects.filter(subject_type="decision", subject_id=str(decision.pk)).exists()


def test_every_problem_is_named_by_field_and_nothing_is_saved(healthwatch):
    with pytest.raises(InvalidInput) as raised:
        services.decision_record(
            actor=None,
            organisation=healthwatch,
            data=_input(
                title=" ",
                summary="",
                decided_by="mayor",
                decided_by_name="",
                status=DecisionStatus.NOT_TAKEN,
                activity_id=999_999,
                priority_ids=(999_999,),
            ),
        )
    assert set(raised.value.errors) == {
        "title",
        "summary",
        "decided_by",
        "decided_by_name",
        "reason_not_taken",
        "activity_id",
        "priority_ids",
    }
    assert not selectors.decision_list().exists()


def test_an_amendment_keeps_what_changed_and_why_and_only_the_recorder_may_amend(healthwatch, council):
    decision = services.decision_record(actor=None, organisation=healthwatch, data=_input())
    current = services.decision_input_of(decision)
    services.decision_amend(
        actor=None,
        organisation=healthwatch,
        decision_id=decision.pk,
        data=dataclasses.replace(
            current,
            status=DecisionStatus.NOT_TAKEN,
            reason_not_taken="The practice could not recruit evening staff.",
            note="Update from the July board.",
        ),
    )
    (amendment,) = selectors.decision_trail(
        decision_id=decision.pk, organisation=healthwatch, rule=NHS_RULE
    ).amendments
    assert amendment.changes == {
        "status": ["agreed", "not_taken"],
        "reason_not_taken": ["", "The practice could not recruit evening staff."],
    }
    assert amendment.note == "Update from the July board."
    with pytest.raises(NotFound):
        services.decision_amend(actor=None, organisation=council, decision_id=decision.pk, data=current)


def test_evidence_comes_only_from_the_organisations_own_bank_and_counts_people_once(healthwatch, council):
    decision = services.decision_record(actor=None, organisation=healthwatch, data=_input())
    conversations_add(healthwatch, 9, sex="Female")
    conversations_add(council, 3, sex="Male")
    ours = list(selectors_conversation_ids(healthwatch))
    theirs = list(selectors_conversation_ids(council))
    assert (
        services.decision_evidence_add(
            actor=None, organisation=healthwatch, decision_id=decision.pk, conversation_ids=ours
        )
        == 9
    )
    # Again: nothing twice.
    assert (
        services.decision_evidence_add(
            actor=None, organisation=healthwatch, decision_id=decision.pk, conversation_ids=ours[:3]
        )
        == 0
    )
    with pytest.raises(InvalidInput) as refused:
        services.decision_evidence_add(
            actor=None, organisation=healthwatch, decision_id=decision.pk, conversation_ids=[theirs[0]]
        )
    assert "conversation_ids" in refused.value.errors
    # The council links its own to Healthwatch's decision.
    services.decision_evidence_add(
        actor=None, organisation=council, decision_id=decision.pk, conversation_ids=theirs
    )
    ours_seen = selectors.decision_trail(decision_id=decision.pk, organisation=healthwatch, rule=NHS_RULE)
    assert ours_seen.people.value == 10  # 12 people, rounded
    assert {c.pk for c in ours_seen.own_evidence} == set(ours)
    theirs_seen = selectors.decision_trail(decision_id=decision.pk, organisation=council, rule=NHS_RULE)
    assert {c.pk for c in theirs_seen.own_evidence} == set(theirs)
    # Healthwatch cannot unlink the council's: the request is refused, naming the field.
    with pytest.raises(InvalidInput) as refused:
        services.decision_evidence_remove(
            actor=None, organisation=healthwatch, decision_id=decision.pk, conversation_ids=theirs
        )
    assert "conversation_ids" in refused.value.errors
    assert DecisionEvidence.objects.count() == 12


def test_a_priority_leads_back_to_its_decisions_themes_and_people(healthwatch):
    priority = PriorityFactory()
    theme = Category.objects.filter(framework=framework_built_in(), parent__isnull=False).first()
    decision = services.decision_record(
        actor=None, organisation=healthwatch, data=_input(priority_ids=(priority.pk,), theme_ids=(theme.pk,))
    )
    conversations_add(healthwatch, 3)
    services.decision_evidence_add(
        actor=None,
        organisation=healthwatch,
        decision_id=decision.pk,
        conversation_ids=selectors_conversation_ids(healthwatch),
    )
    trail = selectors.priority_trail(priority_id=priority.pk, rule=NHS_RULE)
    assert trail.decisions == [decision]
    assert trail.themes == [theme]
    assert trail.people.hidden  # 3 people: too few to show


def selectors_conversation_ids(organisation):

    return list(Conversation.objects.for_organisation(organisation).values_list("pk", flat=True))


def test_adding_its_own_evidence_never_moves_the_partners_published_figure(healthwatch, council):
    """An organisation could otherwise add its own conversations one by one and watch the
    rounded figure step across a boundary, reading a partner's count off it: its own are
    counted apart, exactly, and the partners' figure stays as it was."""
    activity = ActivityFactory(lead_organisation=healthwatch)
    decision = Decision.objects.create(
        organisation=healthwatch,
        title="Longer opening hours",
        summary="Open until 8pm.",
        decided_by="board",
        decided_by_name="The board",
        activity=activity,
    )
    conversations_add(healthwatch, 11)
    conversations_add(council, 6)
    services.decision_evidence_add(
        actor=None,
        organisation=healthwatch,
        decision_id=decision.pk,
        conversation_ids=list(selectors_conversation_ids(healthwatch)),
    )
    rule = DisclosureRule.from_settings()
    seen = []
    for own in selectors_conversation_ids(council):
        services.decision_evidence_add(
            actor=None, organisation=council, decision_id=decision.pk, conversation_ids=[own]
        )
        trail = selectors.decision_trail(
            decision_id=decision.pk, organisation=None, rule=rule, viewer_organisation=council
        )
        seen.append((trail.people.value, trail.own_people))
    assert [people for people, _ in seen] == [seen[0][0]] * 6
    assert [own for _, own in seen] == [1, 2, 3, 4, 5, 6]
