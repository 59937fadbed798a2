"""Reach for a set of conversations: who spoke, against who lives here.

Reads only counts. The participants of each dimension are counted by the database, one
GROUP BY over the set per field (the answers, then the deprivation decile), so a million
conversations come back as a few dozen rows; the few distinct answers are then put in
their groups here (`groups.place_answer`, with a person's mappings). The population is
the census (or File 7's denominators, for deprivation) over the partnership's local
authorities.

Every count shown goes through disclosure control (`engage.core.disclosure`), and every
share, ratio and interval is worked out from the published counts, never the true
ones, so nothing derived says more than the counts do. Staff looking at their own
organisation's conversations get `DisclosureRule.exact()`: true figures.

The set spans the whole partnership unless an organisation is chosen: reach is an
aggregate, and a count of how many answered "16-24" says nothing about anyone once
small numbers are hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from engage.conversations.models import Conversation
from engage.core.cell_key import Tally, weight_of
from engage.core.disclosure import (
    DisclosureRule,
    Published,
    publish_breakdown,
    publish_count,
    publish_table,
)
from engage.places.models import CensusCount, DeprivationArea, ReferenceKind, ReferenceLoad
from engage.places.selectors import census_counts, imd_edition
from engage.reach.groups import (
    CORE20,
    DEPRIVATION,
    DIMENSIONS,
    OUTSIDE,
    UNKNOWN,
    Dimension,
    normalised_answer,
    place_answer,
    place_decile,
)
from engage.reach.models import AnswerMapping
from engage.reach.representation import (
    MATERIAL_LOW,
    at_most_sentence,
    representation,
    under_represented_sentence,
    wilson_interval,
)

ILLUSTRATIVE_AREA = "DEMO-P"
_AUTHORITY_PREFIXES = ("E06", "E07", "E08", "E09", "W06")


@dataclass(frozen=True)
class ReachSet:
    """Which conversations: an activity's, a priority's, an organisation's, a period's."""

    activity_id: int | None = None
    priority_id: int | None = None
    organisation_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def reach_conversations(reach_set: ReachSet) -> QuerySet[Conversation]:
    """The conversations of a set, across partners: only ever counted (see the notes)."""
    conversations = Conversation.objects.order_by()
    if reach_set.organisation_id is not None:
        conversations = conversations.filter(organisation_id=reach_set.organisation_id)
    if reach_set.activity_id is not None:
        conversations = conversations.filter(activity_id=reach_set.activity_id)
    if reach_set.priority_id is not None:
        conversations = conversations.filter(activity__priorities=reach_set.priority_id)
    if reach_set.date_from is not None:
        conversations = conversations.filter(occurred_on__gte=reach_set.date_from)
    if reach_set.date_to is not None:
        conversations = conversations.filter(occurred_on__lte=reach_set.date_to)
    return conversations


@dataclass(frozen=True)
class ReachArea:
    """Whose population reach is measured against."""

    codes: tuple[str, ...]  # local authority codes (DEMO-P for the illustrative one)
    illustrative: bool

    @property
    def description(self) -> str:
        if self.illustrative:
            return "an illustrative population made up for the demo, not real census figures"
        return "usual residents of " + ", ".join(self.codes) + " (Census 2021)"


def reach_area() -> ReachArea | None:
    """The local authorities of ENGAGE_REACH_LOCAL_AUTHORITIES, else those with census
    counts loaded, else the demo's illustrative population; None when there is none."""
    configured = tuple(settings.ENGAGE_REACH_LOCAL_AUTHORITIES)
    if configured:
        return ReachArea(codes=configured, illustrative=False)
    loaded = sorted(
        code
        for code in CensusCount.objects.values_list("area_code", flat=True).distinct()
        if code.startswith(_AUTHORITY_PREFIXES)
    )
    if loaded:
        return ReachArea(codes=tuple(loaded), illustrative=False)
    if ReferenceLoad.objects.filter(kind=ReferenceKind.ILLUSTRATIVE).exists():
        return ReachArea(codes=(ILLUSTRATIVE_AREA,), illustrative=True)
    return None


# --- The population ------------------------------------------------------------------------


def _area_lsoas(area: ReachArea) -> list[str]:
    return list(
        DeprivationArea.objects.filter(
            edition=imd_edition(), local_authority_code__in=area.codes
        ).values_list("lsoa_code", flat=True)
    )


def population_by_group(dimension: Dimension, area: ReachArea | None) -> dict[str, int]:
    """How many residents of the area are in each group of a dimension; empty where the
    file it needs is not loaded."""
    if area is None:
        return {}
    if not dimension.census_dimension:
        by_decile = dict(
            DeprivationArea.objects.filter(edition=imd_edition(), local_authority_code__in=area.codes)
            .order_by()
            .values_list("imd_decile")
            .annotate(people=Sum("population"))
        )
        counts = {str(decile): people for decile, people in by_decile.items()}
    else:
        counts = census_counts(dimension=dimension.census_dimension, area_codes=list(area.codes))
        if not counts and not area.illustrative:
            counts = census_counts(dimension=dimension.census_dimension, area_codes=_area_lsoas(area))
    population = {
        group.name: sum(counts.get(category, 0) for category in group.census_categories)
        for group in dimension.groups
    }
    return population if any(population.values()) else {}


# --- The participants ----------------------------------------------------------------------


def answer_overrides() -> dict[str, dict[str, str]]:
    """People's choices of where survey wordings go, by dimension."""
    found: dict[str, dict[str, str]] = {}
    for dimension, answer, group in AnswerMapping.objects.values_list("dimension", "answer", "group"):
        found.setdefault(dimension, {})[answer] = group
    return found


# What reach counts of each conversation: its answers, then where it lives; in the order
# of the `conversation_reach` index (engage/conversations/models.py).
REACH_FIELDS = ("age_band", "sex", "ethnic_group", "disability", "carer", "imd_decile")


def field_counts(
    conversations: QuerySet[Conversation], fields: tuple[str, ...]
) -> dict[str, dict[object, Tally]]:
    """How many conversations hold each value of each field, with their weighted sum
    (the cell key method, engage/core/cell_key.py). One GROUP BY over all the fields
    together (one pass over the set, read from the `conversation_reach` index, which
    holds the record keys too) gives a row per combination that occurs; those rows, far
    fewer than the conversations, are then added up field by field."""
    totals: dict[str, dict[object, Tally]] = {name: {} for name in fields}
    columns = [totals[name] for name in fields]
    rows = conversations.values_list(*fields).annotate(n=Count("*"), w=Sum(weight_of())).order_by()
    for *values, count, weighted in rows.iterator():
        tally = Tally(count, weighted)
        for column, value in zip(columns, values, strict=True):
            column[value] = column.get(value, Tally()) + tally
    return totals


@dataclass
class Placed:
    """A dimension's participants once each answer is in its place."""

    groups: dict[str, Tally]
    unknown: Tally = field(default_factory=Tally)
    outside: Tally = field(default_factory=Tally)
    outside_answers: dict[str, Tally] = field(default_factory=dict)  # wording -> how many


def place_counts(
    dimension: Dimension, values: Mapping[object, Tally], overrides: Mapping[str, str]
) -> Placed:
    placed = Placed(groups={group.name: Tally() for group in dimension.groups})
    for value, tally in values.items():
        if dimension.census_dimension:
            where = place_answer(dimension, str(value or ""), overrides)
        else:
            where = place_decile(dimension, value if isinstance(value, int) else None)
        if where == UNKNOWN:
            placed.unknown += tally
        elif where == OUTSIDE or where not in placed.groups:
            placed.outside += tally
            wording = normalised_answer(str(value))
            placed.outside_answers[wording] = placed.outside_answers.get(wording, Tally()) + tally
        else:
            placed.groups[where] += tally
    return placed


# --- The report ----------------------------------------------------------------------------


TOO_FEW = "Too few to show"
HIDDEN_TO_PROTECT = "Hidden so that a smaller figure cannot be worked out"


@dataclass(frozen=True)
class GroupRow:
    name: str
    people: str
    participants: Published
    participant_share: float | None  # of those who answered, from published counts
    population: int
    population_share: float | None
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    under_represented: bool
    over_represented: bool
    sentence: str
    # Hidden to protect a smaller figure, not for being small itself (disclosure control's
    # secondary suppression): never called "too few", which would be untrue.
    hidden_to_protect: bool = False

    @property
    def hidden_reason(self) -> str:
        """Why the count is "*", in words a page shows; empty where it is shown."""
        if not self.participants.hidden:
            return ""
        return HIDDEN_TO_PROTECT if self.hidden_to_protect else TOO_FEW


@dataclass(frozen=True)
class DimensionReport:
    dimension: Dimension
    rows: list[GroupRow]
    answered: Published
    unknown: Published
    outside: Published
    total: Published
    outside_answers: list[tuple[str, Published]]
    population: int
    withheld: bool
    # The base of the shares leaves out the groups hidden by disclosure control.
    answered_short: bool = False
    # The unknown and outside figures hidden to protect a smaller one, not for being small.
    unknown_hidden_to_protect: bool = False
    outside_hidden_to_protect: bool = False

    @property
    def unmapped_sentence(self) -> str:
        """How many answers fitted none of the census's groups (a "75+" where the census
        counts 75 to 84 and 85 and over apart): said in words, never made a group of
        their own; empty where there were none."""
        fit = f"did not fit {self.dimension.unmapped_words}"
        if self.outside_hidden_to_protect:
            return f"Some answers {fit}; how many is hidden so that a smaller figure cannot be worked out."
        if self.outside.hidden:
            return f"A few answers {fit} (too few to say how many)."
        if not self.outside.value:
            return ""
        return f"{self.outside.text} answer{'' if self.outside.value == 1 else 's'} {fit}."

    @property
    def under_represented(self) -> list[GroupRow]:
        return [row for row in self.rows if row.under_represented]

    @property
    def population_known(self) -> bool:
        return self.population > 0


def _answered(
    groups: list[Published], total: Published, unknown: Published, outside: Published
) -> tuple[int, bool]:
    """Those who answered, the base of every share, from published figures only, and
    whether it is short of the truth:

    - the groups' sum where every group is shown (so the shares add up);
    - else the total less the unknown and outside, where those are shown;
    - else the sum of the groups shown: a few hidden people short, and said so on the
      page. (The true figure, even rounded, could with the other figures pin down a
      hidden one, so it is never used.)
    """
    shown = sum(group.value or 0 for group in groups)
    if not any(group.hidden for group in groups):
        return shown, False
    if total.value is not None and unknown.value is not None and outside.value is not None:
        return max(shown, total.value - unknown.value - outside.value), False
    return shown, True


def dimension_report(
    dimension: Dimension, placed: Placed, population: Mapping[str, int], rule: DisclosureRule
) -> DimensionReport:
    """One dimension's published table: a row of the groups, the unknown and those that
    fit no group (one entry for all of them, so that disclosure control sees how the
    total is made up), and the shares and ratios from the figures shown."""
    names = [group.name for group in dimension.groups]
    tallies = [*(placed.groups[name] for name in names), placed.unknown, placed.outside]
    table = publish_table(
        [[tally.count for tally in tallies]], rule, weighted=[[tally.weighted for tally in tallies]]
    )
    cells, total = table.cells[0], table.row_totals[0]
    shown_groups, unknown, outside = cells[: len(names)], cells[-2], cells[-1]
    answered, short = _answered(shown_groups, total, unknown, outside)
    participants = {
        name: shown.value for name, shown in zip(names, shown_groups, strict=True) if shown.value is not None
    }
    # Shares and ratios from the published counts, over those who answered.
    measured = representation(participants, population, answered=answered) if answered else None
    by_name = {group.group: group for group in measured.groups} if measured else {}
    rows = []
    for column, (group, shown) in enumerate(zip(dimension.groups, shown_groups, strict=True)):
        reach = by_name.get(group.name)
        usable = reach is not None and not shown.hidden and answered
        people = population.get(group.name, 0)
        population_share = people / sum(population.values()) if people else None
        protecting = (0, column) in table.hidden_second
        at_most = (
            _at_most_ratio(table.range_of(0, column), answered, population_share)
            if protecting and not short
            else None
        )
        rows.append(
            GroupRow(
                name=group.name,
                people=group.people,
                participants=shown,
                participant_share=(shown.value or 0) / answered if usable and answered else None,
                population=people,
                population_share=population_share,
                ratio=reach.ratio if usable and reach else None,
                ratio_low=reach.ratio_low if usable and reach else None,
                ratio_high=reach.ratio_high if usable and reach else None,
                under_represented=bool(usable and reach and reach.under_represented) or at_most is not None,
                over_represented=bool(usable and reach and reach.over_represented),
                sentence=(
                    under_represented_sentence(group.people, reach)
                    if usable and reach
                    else at_most_sentence(group.people, at_most)
                    if at_most is not None
                    else ""
                ),
                hidden_to_protect=protecting,
            )
        )
    width = len(tallies)
    return DimensionReport(
        dimension=dimension,
        rows=rows,
        answered=Published(answered),
        unknown=unknown,
        outside=outside,
        total=total,
        outside_answers=_outside_answers(placed, outside, rule),
        population=sum(population.values()),
        withheld=table.withheld,
        answered_short=short,
        unknown_hidden_to_protect=(0, width - 2) in table.hidden_second,
        outside_hidden_to_protect=(0, width - 1) in table.hidden_second,
    )


MOST_WORDINGS = 20


def _outside_answers(placed: Placed, outside: Published, rule: DisclosureRule) -> list[tuple[str, Published]]:
    """The commonest wordings that fit no group, with how many gave each. A wording given
    fewer times than the rule shows could be one person's own words (a name typed in
    the age box), so it is listed only where the figures are true, to the collecting
    organisation's own staff. The wordings are a breakdown of the outside figure, so
    they go through disclosure control as one table with it as their total (the rest
    summed into one entry), or the figure less the wordings shown would give a hidden
    one; and none is listed where that figure is itself hidden."""
    if outside.hidden:
        return []
    wordings = sorted(placed.outside_answers.items(), key=lambda item: (-item[1].count, item[0]))
    listed, rest = wordings[:MOST_WORDINGS], sum((tally for _, tally in wordings[MOST_WORDINGS:]), Tally())
    tallies = [tally for _, tally in listed] + [rest]
    cells, _ = publish_breakdown(
        [tally.count for tally in tallies], rule, weighted=[tally.weighted for tally in tallies]
    )
    return [(wording, shown) for (wording, _), shown in zip(listed, cells, strict=False) if not shown.hidden]


def _at_most_ratio(
    bounds: tuple[int, int] | None, answered: int, population_share: float | None
) -> float | None:
    """For a group hidden to protect a smaller figure: the greatest ratio its count could
    give, where even that is under-represented (the whole interval below 1 and the ratio
    below four fifths); else None. The bounds come from the published figures alone
    (`PublishedTable.range_of`), so this says nothing the page does not already."""
    if bounds is None or not answered or not population_share:
        return None
    most = min(bounds[1], answered)
    ratio = most / answered / population_share
    _, upper = wilson_interval(most, answered)
    if ratio < MATERIAL_LOW and upper / population_share < 1:
        return ratio
    return None


@dataclass(frozen=True)
class ReachReport:
    reach_set: ReachSet
    conversations: Published
    area: ReachArea | None
    dimensions: list[DimensionReport]
    exact: bool  # true figures, for staff of the collecting organisation

    @property
    def under_represented(self) -> list[GroupRow]:
        """Every group under-represented, each once: the most deprived quintile is the
        same people as Core20, so where both are reported it is named as Core20 only."""
        rows = []
        core20 = {group.census_categories for group in CORE20.groups}
        has_core20 = any(report.dimension is CORE20 for report in self.dimensions)
        for report in self.dimensions:
            for row in report.under_represented:
                group = report.dimension.group(row.name)
                if (
                    has_core20
                    and report.dimension is DEPRIVATION
                    and group
                    and group.census_categories in core20
                ):
                    continue
                rows.append(row)
        return rows

    def dimension(self, key: str) -> DimensionReport | None:
        return next((report for report in self.dimensions if report.dimension.key == key), None)


def reach_report(
    reach_set: ReachSet,
    *,
    rule: DisclosureRule,
    dimensions: tuple[Dimension, ...] = DIMENSIONS,
    area: ReachArea | None = None,
    populations: Mapping[str, dict[str, int]] | None = None,
) -> ReachReport:
    """Reach of one set on each dimension. `area` and `populations` may be passed in by
    callers that report many sets against the same population."""
    conversations = reach_conversations(reach_set)
    area = area if area is not None else reach_area()
    overrides = answer_overrides()
    # Always every reach field, in the index's order, however few dimensions are asked
    # for: one pass that SQLite reads from the index without sorting.
    counted = field_counts(conversations, REACH_FIELDS)
    reports = []
    for dimension in dimensions:
        placed = place_counts(dimension, counted[dimension.field], overrides.get(dimension.key, {}))
        population = (
            populations[dimension.key]
            if populations is not None and dimension.key in populations
            else population_by_group(dimension, area)
        )
        reports.append(dimension_report(dimension, placed, population, rule))
    total = sum(next(iter(counted.values())).values(), Tally()) if counted else Tally()
    return ReachReport(
        reach_set=reach_set,
        conversations=publish_count(total.count, rule, weighted=total.weighted),
        area=area,
        dimensions=reports,
        exact=rule == DisclosureRule.exact(),
    )


def populations_for(
    area: ReachArea | None, dimensions: tuple[Dimension, ...] = DIMENSIONS
) -> dict[str, dict[str, int]]:
    return {dimension.key: population_by_group(dimension, area) for dimension in dimensions}
