"""Reach side by side: one dimension quarter by quarter, or activity by activity, and
for the board, every priority's seldom-heard groups.

Each comparison is one GROUP BY in the database (the quarter or activity, then the
dimension's field); each row is then a reach report of its own, through disclosure
control like every other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncQuarter

from engage.activities.models import Activity, PartnershipPriority
from engage.core.cell_key import Tally, weight_of
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.reach.groups import DIMENSIONS, Dimension
from engage.reach.report import (
    DimensionReport,
    ReachArea,
    ReachReport,
    ReachSet,
    answer_overrides,
    dimension_report,
    place_counts,
    populations_for,
    reach_conversations,
    reach_report,
)

MOST_ACTIVITIES = 15


@dataclass(frozen=True)
class CompareRow:
    label: str
    conversations: Published
    report: DimensionReport


def _quarter_label(day: Any) -> str:
    first = ["January", "April", "July", "October"][(day.month - 1) // 3]
    last = ["March", "June", "September", "December"][(day.month - 1) // 3]
    return f"{first} to {last} {day.year}"


def _rows(
    tallies: dict[Any, dict[object, Tally]],
    labels: dict[Any, str],
    dimension: Dimension,
    population: dict[str, int],
    rule: DisclosureRule,
) -> list[CompareRow]:
    overrides = answer_overrides().get(dimension.key, {})
    return [
        CompareRow(
            label=labels[key],
            conversations=publish_count(
                (total := sum(values.values(), Tally())).count, rule, weighted=total.weighted
            ),
            report=dimension_report(dimension, place_counts(dimension, values, overrides), population, rule),
        )
        for key, values in tallies.items()
        if key in labels
    ]


def reach_over_time(
    reach_set: ReachSet, dimension: Dimension, *, rule: DisclosureRule, area: ReachArea | None
) -> list[CompareRow]:
    """The dimension's reach in each quarter of the set, oldest first."""
    tallies: dict[Any, dict[object, Tally]] = defaultdict(dict)
    rows = (
        reach_conversations(reach_set)
        .annotate(quarter=TruncQuarter("occurred_on"))
        .values_list("quarter", dimension.field)
        .annotate(n=Count("*"), w=Sum(weight_of()))
        .order_by("quarter")
    )
    for quarter, value, count, weighted in rows:
        tallies[quarter][value] = tallies[quarter].get(value, Tally()) + Tally(count, weighted)
    labels = {quarter: _quarter_label(quarter) for quarter in tallies}
    population = populations_for(area, (dimension,))[dimension.key]
    return _rows(dict(tallies), labels, dimension, population, rule)


def reach_by_activity(
    reach_set: ReachSet, dimension: Dimension, *, rule: DisclosureRule, area: ReachArea | None
) -> list[CompareRow]:
    """The dimension's reach in each of the set's busiest activities, busiest first."""
    conversations = reach_conversations(reach_set).filter(activity__isnull=False)
    busiest = list(
        conversations.values_list("activity_id")
        .annotate(n=Count("*"))
        .order_by("-n", "activity_id")[:MOST_ACTIVITIES]
    )
    ids = [activity_id for activity_id, _ in busiest]
    tallies: dict[Any, dict[object, Tally]] = {activity_id: {} for activity_id in ids}
    for activity_id, value, count, weighted in (
        conversations.filter(activity_id__in=ids)
        .values_list("activity_id", dimension.field)
        .annotate(n=Count("*"), w=Sum(weight_of()))
    ):
        tallies[activity_id][value] = tallies[activity_id].get(value, Tally()) + Tally(count, weighted)
    labels = dict(Activity.objects.filter(pk__in=ids).values_list("pk", "title"))
    population = populations_for(area, (dimension,))[dimension.key]
    return _rows(tallies, labels, dimension, population, rule)


@dataclass(frozen=True)
class PriorityReach:
    priority: PartnershipPriority
    report: ReachReport


def reach_by_priority(
    *, rule: DisclosureRule, area: ReachArea | None, reach_set: ReachSet | None = None
) -> list[PriorityReach]:
    """Each active priority's reach on every dimension, against one population."""
    populations = populations_for(area, DIMENSIONS)
    base = reach_set or ReachSet()
    return [
        PriorityReach(
            priority=priority,
            report=reach_report(
                ReachSet(
                    priority_id=priority.pk,
                    organisation_id=base.organisation_id,
                    date_from=base.date_from,
                    date_to=base.date_to,
                ),
                rule=rule,
                area=area,
                populations=populations,
            ),
        )
        for priority in PartnershipPriority.objects.filter(is_active=True).order_by("position", "title")
    ]
