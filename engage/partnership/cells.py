"""Each shared conversation reduced to what the picture counts: its month, its weight
for the cell key method, its sentiment, the groups of people and places it falls in,
and its topics. Plain data, so the summary table (services.py) and the naive reading a test
and the benchmark compare it with (selectors.picture_naive) see conversations the same
way."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from engage.activities.models import Activity, Area
from engage.conversations.models import Conversation
from engage.core.cell_key import record_weight
from engage.insight.models import Category, Framework, Sentiment
from engage.insight.selectors import conversation_labels
from engage.partnership.models import Facet, Topic
from engage.reach.groups import ANSWER_DIMENSIONS, PLACE_DIMENSIONS, place_answer, place_decile
from engage.reach.report import answer_overrides

# The relational side of care (PRODUCT.md): compassion, empathy, respect and dignity
# (the built-in framework's "Relational care" theme) and being listened to.
RELATIONAL_THEME = "Relational care"
LISTENED_TO = "Staff listening, understanding & involving patients"

SENTIMENTS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)

# A cell of the picture: month, facet, value, topic, category id (None but for themes).
Key = tuple[dt.date, str, str, str, int | None]


@dataclass(frozen=True)
class Cell:
    """One conversation as the picture counts it."""

    pk: int
    groups: list[tuple[str, str]]  # (facet, value), everyone's first
    topics: list[tuple[str, int | None]]  # (topic, category id), every conversation's first
    month: dt.date
    weight: int
    feeling: str
    activity_id: int | None
    sub_themes: frozenset[int] = frozenset()


@dataclass
class Tallies:
    """One cell's counts: conversations and each sentiment, each with its weighted sum."""

    conversations: int = 0
    weighted: int = 0
    positive: int = 0
    positive_weighted: int = 0
    neutral: int = 0
    neutral_weighted: int = 0
    negative: int = 0
    negative_weighted: int = 0

    def add(self, weight: int, feeling: str) -> None:
        self.conversations += 1
        self.weighted += weight
        if feeling == Sentiment.POSITIVE:
            self.positive += 1
            self.positive_weighted += weight
        elif feeling == Sentiment.NEUTRAL:
            self.neutral += 1
            self.neutral_weighted += weight
        elif feeling == Sentiment.NEGATIVE:
            self.negative += 1
            self.negative_weighted += weight


def relational_ids(framework: Framework) -> set[int]:
    """The sub-themes of the framework that measure relational care."""
    return set(
        Category.objects.filter(framework=framework, parent__isnull=False)
        .filter(parent__name=RELATIONAL_THEME)
        .values_list("pk", flat=True)
    ) | set(Category.objects.filter(framework=framework, name=LISTENED_TO).values_list("pk", flat=True))


def _areas_of_wards() -> dict[str, list[int]]:
    """A ward's code -> the areas it is in: its ward, its locality, the whole place."""
    areas = {a.pk: a for a in Area.objects.all()}
    found: dict[str, list[int]] = {}
    for area in areas.values():
        if not area.code or area.retired_on is not None:
            continue
        chain, seen = [], set()
        current: Area | None = area
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            chain.append(current.pk)
            current = areas.get(current.parent_id) if current.parent_id else None
        found.setdefault(area.code, chain)
    return found


def _priorities_of(conversations: QuerySet[Conversation]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    through = Activity.priorities.through.objects.filter(
        activity_id__in=conversations.exclude(activity=None).values("activity_id")
    ).values_list("activity_id", "partnershippriority_id")
    for activity_id, priority_id in through:
        found[activity_id].append(priority_id)
    return found


def conversation_cells(conversations: QuerySet[Conversation], *, framework: Framework) -> Iterator[Cell]:
    """For each conversation: its id, its groups (facet, value), its topics (topic,
    category), its month, weight, sentiment and activity."""
    labels = conversation_labels(conversations)
    parents = dict(Category.objects.filter(framework=framework).values_list("pk", "parent_id"))
    relational = relational_ids(framework)
    priorities = _priorities_of(conversations)
    wards = _areas_of_wards()
    overrides = answer_overrides()
    rows = conversations.order_by().values_list(
        "pk", "occurred_on", "record_key", "activity_id", "ward_code", "imd_decile",
        "insight__sentiment", "review__sentiment", *(d.field for d in ANSWER_DIMENSIONS),
    )  # fmt: skip
    placed: dict[tuple[str, str], str] = {}
    for pk, occurred, key, activity_id, ward, decile, model_feeling, person_feeling, *answers in rows:
        groups: list[tuple[str, str]] = [(Facet.ALL, "")]
        groups += [(Facet.PRIORITY, str(p)) for p in priorities.get(activity_id, ())]
        groups += [(Facet.AREA, str(a)) for a in wards.get(ward, ())]
        for dimension, answer in zip(ANSWER_DIMENSIONS, answers, strict=True):
            where = placed.get((dimension.key, answer))
            if where is None:
                where = placed[(dimension.key, answer)] = place_answer(
                    dimension, answer, overrides.get(dimension.key)
                )
            groups.append((dimension.key, where))
        groups += [(dimension.key, place_decile(dimension, decile)) for dimension in PLACE_DIMENSIONS]
        subs = {s for s in labels.get(pk, ()) if s in parents}
        topics: list[tuple[str, int | None]] = [(Topic.ALL, None)]
        if subs & relational:
            topics.append((Topic.RELATIONAL, None))
        themes = subs | {parent for s in subs if (parent := parents[s]) is not None}
        topics += [(Topic.THEME, category_id) for category_id in themes]
        yield Cell(
            pk=pk,
            groups=groups,
            topics=topics,
            month=occurred.replace(day=1),
            weight=record_weight(key),
            feeling=person_feeling or model_feeling or "",
            activity_id=activity_id,
            sub_themes=frozenset(subs),
        )


def picture_cells(
    conversations: QuerySet[Conversation], *, framework: Framework
) -> tuple[dict[Key, Tallies], Counter[tuple[int, int]]]:
    """Every cell of the picture these conversations fill, with its tallies; and how
    many of each activity's conversations are about each sub-theme."""
    cells: dict[Key, Tallies] = defaultdict(Tallies)
    by_activity: Counter[tuple[int, int]] = Counter()
    for cell in conversation_cells(conversations, framework=framework):
        for facet, value in cell.groups:
            for topic, category_id in cell.topics:
                cells[(cell.month, facet, value, topic, category_id)].add(cell.weight, cell.feeling)
        if cell.activity_id is not None:
            for topic, category_id in cell.topics:
                if topic == Topic.THEME and category_id is not None and category_id in cell.sub_themes:
                    by_activity[(cell.activity_id, category_id)] += 1
    return cells, by_activity
