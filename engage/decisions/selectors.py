"""Reading decisions and following the trail both ways: from a decision to the themes
and the number of people behind it, and from a theme, an activity or a priority to every
decision it informed.

Counts of people go through disclosure control. Only the organisation that heard a
conversation sees it among a decision's evidence (`DecisionEvidence.for_organisation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from engage.activities.models import Activity
from engage.conversations.models import Conversation
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.core.errors import NotFound
from engage.decisions.models import ActivityPublication, Decision, DecisionEvidence
from engage.insight.models import Category


def decision_list(
    *,
    activity_id: int | None = None,
    priority_id: int | None = None,
    theme_id: int | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("organisation", "activity")
    if activity_id is not None:
        decisions = decisions.filter(activity_id=activity_id)
    if priority_id is not None:
        decisions = decisions.filter(priorities=priority_id)
    if theme_id is not None:
        # A theme's decisions include those linked to its sub-categories.
        decisions = decisions.filter(Q(themes=theme_id) | Q(themes__parent=theme_id))
    if status:
        decisions = decisions.filter(status=status)
    for word in search.split():
        decisions = decisions.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return decisions.distinct()


def decision_get(*, decision_id: int) -> Decision:
    decision: Decision | None = (
        Decision.objects.select_related("organisation", "activity").filter(pk=decision_id).first()
    )
    if decision is None:
        raise NotFound(f"There is no decision numbered {decision_id}.")
    return decision


@dataclass(frozen=True)
class DecisionTrail:
    """What informed a decision: the people heard (published), the themes, and, for the
    organisation that heard them, its own conversations among the evidence."""

    decision: Decision
    people: Published
    themes: list[Category]
    own_evidence: list[Conversation]
    amendments: list[Any]


def decision_trail(*, decision_id: int, organisation: Any, rule: DisclosureRule) -> DecisionTrail:
    decision = decision_get(decision_id=decision_id)
    people = DecisionEvidence.objects.filter(decision=decision).aggregate(
        n=Count("conversation", distinct=True)
    )["n"]
    own = [
        evidence.conversation
        for evidence in DecisionEvidence.objects.for_organisation(organisation)
        .filter(decision=decision)
        .select_related("conversation")
    ]
    return DecisionTrail(
        decision=decision,
        people=publish_count(people, rule),
        themes=list(decision.themes.select_related("parent").order_by("parent__name", "name")),
        own_evidence=own,
        amendments=list(decision.amendments.select_related("changed_by")),
    )


@dataclass(frozen=True)
class PriorityTrail:
    """From a partnership priority back to what people said, and what was done."""

    decisions: list[Decision]
    themes: list[Category]
    people: Published


def priority_trail(*, priority_id: int, rule: DisclosureRule) -> PriorityTrail:
    decisions = list(decision_list(priority_id=priority_id))
    themes = list(
        Category.objects.filter(decisions__in=decisions).distinct().select_related("parent").order_by("name")
    )
    people = DecisionEvidence.objects.filter(decision__in=decisions).aggregate(
        n=Count("conversation", distinct=True)
    )["n"]
    return PriorityTrail(decisions=decisions, themes=themes, people=publish_count(people, rule))


def decision_of_organisation(*, decision_id: int, organisation: Any) -> Decision:
    """A decision the organisation recorded; "not found" for any other."""
    decision: Decision | None = Decision.objects.filter(pk=decision_id, organisation=organisation).first()
    if decision is None:
        raise NotFound("Only the organisation that recorded a decision can change it, and yours did not.")
    return decision


def decision_choices(limit: int = 200) -> list[Decision]:
    """Recent decisions, for "use as evidence for…"."""
    return list(Decision.objects.order_by("-created_at")[:limit])


def activity_led_by(*, activity_id: int, organisation: Any) -> Activity:
    """An activity the organisation leads; "not found" for any other."""
    activity = Activity.objects.filter(pk=activity_id, lead_organisation=organisation).first()
    if activity is None:
        raise NotFound(
            "Only the lead organisation can publish an activity's page, and yours does not lead this one."
        )
    return activity


def publication_of(activity: Any) -> ActivityPublication | None:
    return ActivityPublication.objects.filter(activity=activity).first()
