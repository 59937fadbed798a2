"""A reader with every question the reach pages and API allow tries to recover a small
count of another organisation's: it must recover none.

The reader is an engagement officer of organisation A. Organisations B and C hold
conversations in a few months, under a few activities, in a few age groups and wards,
with small counts among them. The reader asks reach for every set the pages and API
allow (every organisation, activity, priority and window of whole months, and every
day-level window too, which is widened), exactly as the pages ask (`reach_scope`), and
reads every published figure of every dimension and the wards. It also knows its own
organisation's conversations exactly, as it may.

It then solves for B's and C's counts with integer programming, as the strongest reader
would: it knows the rule (a count of 1 to 7 hidden, others rounded), is even told which
hidden figures are small rather than hidden to protect another, knows that a figure
shown comes from a weighted sum of at most twice the count (engage/core/cell_key.py), and
that its own figures are exact. For every count of 1 to 7 of B's or C's, in any set it
asked about or any single month, activity and group, it finds the least and greatest
value consistent with everything published. If the two are equal, the count is
recovered, and the test fails naming it. A control shows the same solver recovers
counts when the figures are published without the cell key's weights (rounding alone
gives them away), so its silence below is not an artefact.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.conversations.models import Channel, Conversation
from engage.core.cell_key import HEAVY, LIGHT, record_weight
from engage.core.disclosure import DisclosureRule, Published
from engage.core.roles import ROLE_PERMISSIONS, Role
from engage.demo.services import illustrative_population_load
from engage.partners.tests.factories import OrganisationFactory
from engage.places.models import BoundaryKind
from engage.reach.groups import AGE, UNKNOWN, place_answer
from engage.reach.place_report import place_report
from engage.reach.report import reach_area, reach_report
from engage.reach.scope import reach_scope

pytestmark = pytest.mark.django_db

MONTHS = [dt.date(2026, month, 1) for month in (1, 2, 3, 4)]
AGES = ["16-24", "45-54", "75-84", ""]
WARDS = ["DEMO-W11A", "DEMO-W21A"]
OFFICER = ROLE_PERMISSIONS[Role.ENGAGEMENT_OFFICER]


@dataclass(frozen=True, order=True)
class Atom:
    """The finest cell: one organisation's conversations of one activity, month, age
    answer and ward."""

    organisation: str
    activity: str  # "" for none
    month: int
    age: str
    ward: str


@dataclass
class Partnership:
    organisations: dict[str, Any]
    activities: dict[str, Any]
    priorities: dict[str, set[str]]  # priority name -> activity names
    priority_objects: dict[str, Any]
    counts: dict[Atom, int] = field(default_factory=dict)


def _build(seed: int) -> Partnership:
    rng = random.Random(seed)
    organisations = {name: OrganisationFactory(name=f"Organisation {name}") for name in "ABC"}
    p1 = PriorityFactory(title="Urgent care")
    activities = {
        "a1": ActivityFactory(lead_organisation=organisations["A"], priorities=[p1]),
        "a2": ActivityFactory(lead_organisation=organisations["B"]),
    }
    for activity in activities.values():
        activity.partner_organisations.set(list(organisations.values()))
    partnership = Partnership(
        organisations=organisations,
        activities=activities,
        priorities={"p1": {"a1"}},
        priority_objects={"p1": p1},
    )
    rows = []
    number = itertools.count()
    for org, activity, month, age, ward in itertools.product("ABC", ["", "a1", "a2"], range(4), AGES, WARDS):
        # Mostly empty, often small, sometimes larger: like a real bank of one area.
        n = rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 4, 6, 9, 14]) if org != "A" else rng.choice([0, 2, 5, 11])
        partnership.counts[Atom(org, activity, month, age, ward)] = n
        for _ in range(n):
            rows.append(
                Conversation(
                    organisation=organisations[org],
                    activity=activities[activity] if activity else None,
                    channel=Channel.SURVEY,
                    occurred_on=MONTHS[month] + dt.timedelta(days=rng.randrange(27)),
                    text="What I said.",
                    age_band=age,
                    ward_code=ward,
                    dedupe_key=f"attack-{next(number)}",
                    # Real keys: drawn at random, as the database draws them.
                    record_key=rng.randrange(256),
                )
            )
    Conversation.objects.bulk_create(rows)
    return partnership


def _windows(*, day_level: bool) -> Iterable[tuple[str, str, set[int]]]:
    """(from, to, months covered): no window, every run of whole months, and, with
    `day_level`, windows of days inside them (which the reader may ask for, and gets
    answered for the whole months)."""
    yield "", "", set(range(4))
    for first in range(4):
        for last in range(first, 4):
            end = (MONTHS[last] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            yield MONTHS[first].isoformat(), end.isoformat(), set(range(first, last + 1))
            if day_level:
                start, stop = MONTHS[first] + dt.timedelta(days=3), end - dt.timedelta(days=5)
                yield start.isoformat(), stop.isoformat(), set(range(first, last + 1))


def _atoms_asked(
    partnership: Partnership, org: str | None, activity: str | None, priority: str | None, months: set[int]
) -> frozenset[Atom]:
    """The atoms a question covers: what the reader knows a set to be made of."""
    return frozenset(
        atom
        for atom in partnership.counts
        if (org is None or atom.organisation == org)
        and (activity is None or atom.activity == activity)
        and (priority is None or atom.activity in partnership.priorities[priority])
        and atom.month in months
    )


@dataclass(frozen=True)
class Observation:
    atoms: frozenset[Atom]
    shown: Published
    small: bool  # hidden for being 1 to 7 (the reader is told)
    exact: bool = False  # the reader's own organisation's true figure


def _observe(partnership: Partnership, rule_override: DisclosureRule | None) -> list[Observation]:
    """Every figure the reader can read, with the atoms it counts."""
    reader = partnership.organisations["A"]
    area = reach_area()
    observations: list[Observation] = []
    org_names = {None: None, **dict(partnership.organisations)}
    questions = [
        (org_name, activity_name, priority_name, window)
        for org_name, activity_name, priority_name in itertools.product(
            [None, "A", "B", "C"], [None, "a1", "a2"], [None, "p1"]
        )
        # Windows of days are answered as the whole months they cover: asked for every
        # organisation without other filters, that is shown; the rest take whole months.
        for window in _windows(day_level=activity_name is None and priority_name is None)
    ]
    for org_name, activity_name, priority_name, (date_from, date_to, months) in questions:
        if org_name == "A":
            continue  # the reader's own figures: exact, and already known to it atom by atom
        params = {
            "organisation": str(org_names[org_name].pk) if org_name else "",
            "activity": str(partnership.activities[activity_name].pk) if activity_name else "",
            "priority": str(partnership.priority_objects[priority_name].pk) if priority_name else "",
            "from": date_from,
            "to": date_to,
        }
        scope = reach_scope(params, organisation=reader, permissions=OFFICER)
        rule = rule_override if (rule_override and not scope.exact) else scope.rule
        report = reach_report(scope.reach_set, rule=rule, area=area)
        wards = place_report(scope.reach_set, area=area, kind=BoundaryKind.WARD, rule=rule)
        in_set = _atoms_asked(partnership, org_name, activity_name, priority_name, months)
        assert not scope.exact
        observations.append(Observation(in_set, report.conversations, False))
        age = report.dimension("age")
        assert age is not None
        for row in age.rows:
            atoms = frozenset(a for a in in_set if place_answer(AGE, a.age, {}) == row.name)
            observations.append(
                Observation(atoms, row.participants, _small(row.participants, atoms, partnership))
            )
        unknown = frozenset(a for a in in_set if place_answer(AGE, a.age, {}) == UNKNOWN)
        observations.append(Observation(unknown, age.unknown, _small(age.unknown, unknown, partnership)))
        if wards is not None:
            for figure in wards.areas:
                atoms = frozenset(a for a in in_set if a.ward == figure.code)
                observations.append(
                    Observation(atoms, figure.participants, _small(figure.participants, atoms, partnership))
                )
    return observations


def _small(shown: Published, atoms: frozenset[Atom], partnership: Partnership) -> bool:
    """Whether a hidden figure was hidden for being small (the reader is told)."""
    return shown.hidden and 1 <= sum(partnership.counts[a] for a in atoms) <= 7


def _bounds(observation: Observation, perturbed: bool) -> tuple[float, float] | None:
    """What a published figure tells the reader of the true count of its set."""
    value = observation.shown.value
    if value is None:
        # Hidden to protect another: 0 or 8 and more (the pages say which "*" is which);
        # `_reader_knows` adds that, as it takes a 0-or-1 unknown.
        return (1, 7) if observation.small else None
    if value == 0:
        return 0, 0
    if perturbed:
        # The true count is 8 or more, and the weighted sum behind the figure (at most
        # twice the count) rounds to it, unless the figure is the floor of what is shown.
        return (max(8, (value - 1) // 2) if value > 10 else 8), np.inf
    return max(8, value - 2), value + 2


def _reader_knows(
    partnership: Partnership, observations: list[Observation], unknown: list[Atom], perturbed: bool
) -> tuple[LinearConstraint, int]:
    """Every published figure as bounds on the sum of the unknown counts it covers (the
    reader's own counts, known, taken off), and how many 0-or-1 unknowns follow the
    counts: one for each figure hidden to protect another, which the reader knows is 0
    or 8 and more (8z <= count <= 500z)."""
    index = {atom: i for i, atom in enumerate(unknown)}
    rows, low, high = [], [], []
    protecting: list[tuple[np.ndarray, int]] = []
    for observation in {(o.atoms, o.shown.value, o.small): o for o in observations}.values():
        bounds = _bounds(observation, perturbed)
        own = sum(partnership.counts[a] for a in observation.atoms if a.organisation == "A")
        row = np.zeros(len(unknown))
        for atom in observation.atoms:
            if atom.organisation != "A":
                row[index[atom]] = 1
        if bounds is None:
            protecting.append((row, own))
            continue
        rows.append(row)
        low.append(bounds[0] - own)
        high.append(bounds[1] - own)
    width = len(unknown) + len(protecting)
    matrix = np.zeros((len(rows) + 2 * len(protecting), width))
    matrix[: len(rows), : len(unknown)] = np.array(rows)
    for k, (row, own) in enumerate(protecting):
        for line, factor, bound in (
            (len(rows) + 2 * k, 8, (-own, np.inf)),
            (len(rows) + 2 * k + 1, 500, (-np.inf, -own)),
        ):
            matrix[line, : len(unknown)] = row
            matrix[line, len(unknown) + k] = -factor
            low.append(bound[0])
            high.append(bound[1])
    return LinearConstraint(matrix, low, high), len(protecting)


def _targets(
    partnership: Partnership, observations: list[Observation], unknown: list[Atom]
) -> dict[frozenset[Atom], str]:
    """Every count of 1 to 7 of B's or C's the reader might want: each finest cell, and
    each organisation's part of every set asked about."""
    targets = {frozenset([a]): str(a) for a in unknown if 1 <= partnership.counts[a] <= 7}
    for observation in observations:
        for org in "BC":
            part = frozenset(a for a in observation.atoms if a.organisation == org)
            if part and 1 <= sum(partnership.counts[a] for a in part) <= 7:
                targets.setdefault(part, f"{org}'s part of a set of {len(observation.atoms)} cells")
    return targets


def _recovered(
    partnership: Partnership, observations: list[Observation], *, perturbed: bool, first_only: bool = False
) -> list[str]:
    """The counts of 1 to 7 of B's and C's that the published figures pin to one value."""
    unknown = sorted(a for a in partnership.counts if a.organisation != "A")
    index = {atom: i for i, atom in enumerate(unknown)}
    constraint, flags = _reader_knows(partnership, observations, unknown, perturbed)
    width = len(unknown) + flags
    integral = np.ones(width)
    bounds = Bounds(0, np.r_[np.full(len(unknown), 500), np.ones(flags)])
    found = []
    for atoms, name in _targets(partnership, observations, unknown).items():
        goal = np.zeros(width)
        goal[[index[a] for a in atoms]] = 1
        least = milp(goal, constraints=[constraint], integrality=integral, bounds=bounds)
        most = milp(-goal, constraints=[constraint], integrality=integral, bounds=bounds)
        assert least.status == 0, "the true counts must fit what was published"
        if most.status == 0 and round(float(goal @ least.x)) == round(float(goal @ most.x)):
            found.append(f"{name} = {round(float(goal @ least.x))}")
            if first_only:
                break
    return found


def test_no_small_count_of_another_organisation_can_be_recovered() -> None:
    illustrative_population_load()
    partnership = _build(1)
    observations = _observe(partnership, rule_override=None)
    assert len(observations) > 2000, "the reader should have asked every question allowed"
    recovered = _recovered(partnership, observations, perturbed=True)
    assert not recovered, "Recovered from the published figures:\n" + "\n".join(recovered[:20])


def test_the_solver_does_recover_counts_from_rounding_alone() -> None:
    """The control: the same questions, published with rounding and suppression but
    without the cell key's weights (the rule of before), give small counts away."""
    illustrative_population_load()
    partnership = _build(1)
    observations = _observe(partnership, rule_override=DisclosureRule())
    assert _recovered(partnership, observations, perturbed=False, first_only=True)


def test_the_weights_are_what_the_reader_is_told() -> None:
    """The reader's model of the weights (0, 1 or 2) is the software's."""

    assert {record_weight(k) for k in range(256)} == {0, 1, 2}
    assert record_weight(LIGHT - 1) == 0
    assert record_weight(HEAVY) == 2


def _observe_picture(partnership: Partnership) -> list[Observation]:
    """Every figure of the partnership's shared picture the reader can read: the
    conversations counted for everyone and for each age group, in every window of whole
    months and for every choice of kinds of organisation, on the themes page and beside
    everyone else on the comparison page (each organisation shares counts)."""
    from django.http import QueryDict  # noqa: PLC0415 - only this test reads the picture

    from engage.partnership.filters import picture_filters  # noqa: PLC0415 - as above
    from engage.partnership.models import SharingLevel  # noqa: PLC0415 - as above
    from engage.partnership.selectors import picture_crosstab, picture_summary  # noqa: PLC0415 - as above
    from engage.partnership.services import picture_refresh_all  # noqa: PLC0415 - as above
    from engage.partnership.tests.factories import OrganisationSharingFactory  # noqa: PLC0415 - as above

    kinds = {"A": "council", "B": "nhs_trust", "C": "vcse"}
    for name, organisation in partnership.organisations.items():
        organisation.kind = kinds[name]
        organisation.save(update_fields=["kind"])
        OrganisationSharingFactory(organisation=organisation, level=SharingLevel.COUNTS)
    picture_refresh_all()
    observations: list[Observation] = []
    groups = ["", *(f"age:{group.name}" for group in AGE.groups), f"age:{UNKNOWN}"]
    for first, last in itertools.combinations_with_replacement(range(4), 2):
        months = set(range(first, last + 1))
        for chosen in ([], ["council"], ["nhs_trust"], ["vcse"], ["nhs_trust", "vcse"]):
            orgs = {name for name, kind in kinds.items() if not chosen or kind in chosen}
            for group in groups:
                query = QueryDict(mutable=True)
                query.setlist("kind", chosen)
                query.update({"from": f"2026-{first + 1:02d}", "to": f"2026-{last + 1:02d}", "group": group})
                filters = picture_filters(query, today=dt.date(2026, 12, 7))
                atoms = frozenset(
                    a
                    for a in partnership.counts
                    if a.organisation in orgs
                    and a.month in months
                    and (not group or place_answer(AGE, a.age, {}) == group.partition(":")[2])
                )
                shown = picture_summary(filters).conversations
                observations.append(Observation(atoms, shown, _small(shown, atoms, partnership)))
                if group:
                    crosstab = picture_crosstab(filters)
                    observations.append(
                        Observation(
                            atoms, crosstab.group_total, _small(crosstab.group_total, atoms, partnership)
                        )
                    )
    return observations


def test_the_partnership_picture_gives_away_no_small_count_either() -> None:
    """The same reader also reads the shared picture (step 12): every period, kind of
    organisation and age group, on its themes page and its comparison page, beside all it
    read from reach. Still no count of 1 to 7 of B's or C's comes out to one value."""
    illustrative_population_load()
    partnership = _build(1)
    picture = _observe_picture(partnership)
    assert len(picture) > 300
    assert any(o.shown.value for o in picture), "the picture should show figures, not only hide them"
    observations = _observe(partnership, rule_override=None) + picture
    recovered = _recovered(partnership, observations, perturbed=True)
    assert not recovered, "Recovered from the published figures:\n" + "\n".join(recovered[:20])


def _published(text: str) -> Published:
    return Published(None if text in {"*", "\N{EN DASH}"} else int(text.replace(",", "")))


def _observe_reports(partnership: Partnership) -> list[Observation]:
    """The reader also writes a Local Account for every window of whole months (step 14)
    and reads its figures: the conversations across the partnership, and those partners
    share (each organisation shares counts, as `_observe_picture` set)."""
    from engage.reports.figures import report_figures  # noqa: PLC0415 - only this test reads reports
    from engage.reports.tests.factories import ReportFactory  # noqa: PLC0415 - as above

    observations = []
    for first, last in itertools.combinations_with_replacement(range(4), 2):
        report = ReportFactory(
            organisation=partnership.organisations["A"], month_from=MONTHS[first], month_to=MONTHS[last]
        )
        sections = report_figures(report, today=dt.date(2026, 12, 7))["sections"]
        figures = {
            item["label"]: item["value"]
            for key in ("summary", "heard")
            for block in sections[key]["blocks"]
            if block["type"] == "figures"
            for item in block["items"]
        }
        atoms = frozenset(a for a in partnership.counts if first <= a.month <= last)
        for label in (
            "Conversations across the partnership",
            "Conversations partners share with the partnership",
        ):
            shown = _published(figures[label])
            observations.append(Observation(atoms, shown, _small(shown, atoms, partnership)))
    return observations


def test_reports_give_away_no_small_count_either() -> None:
    """Beside everything it read from reach and the picture, the reader's Local Accounts
    of every window of whole months: still no count of 1 to 7 of B's or C's comes out to
    one value, and a report's figures are those reach and the picture published."""
    illustrative_population_load()
    partnership = _build(1)
    picture = _observe_picture(partnership)
    reports = _observe_reports(partnership)
    assert len(reports) == 20
    assert any(o.shown.value for o in reports), "the reports should show figures, not only hide them"
    observations = _observe(partnership, rule_override=None) + picture + reports
    recovered = _recovered(partnership, observations, perturbed=True)
    assert not recovered, "Recovered from the published figures:\n" + "\n".join(recovered[:20])
