"""Overlap ("fatigue") warnings: before an activity is registered or changed, find the
other activities that would ask the same people about the same thing at the same time.

Reads only, like a selector. One check is a handful of queries whatever the size of the
register: the time window and the place are filtered in the database (the activity
dates are indexed), the keywords, groups and priorities of the few hundred candidates
left are compared in Python, and whole activities are loaded only for the matches.

The rule (`overlap_list`): another activity is reported when

1. **time**: its dates come within `window_days` of the probe's (a gap of up to the
   window between one ending and the other starting, or running at the same time), and
2. **place**: one of its areas is one of the probe's areas, or contains one, or lies
   within one (a ward is in its locality, and the locality in the whole place), and
3. either **topic**: the Jaccard similarity of the two sets of keywords (title, topic
   and purpose, as `textkit.keywords` makes them) is at least `topic_threshold`, or
   their topic similarity (engage/activities/topics.py: words, word forms and the
   analysis's themes, the same that "before you ask" ranks by) is at least
   `vector_threshold`, which finds the same topic in other words,
   or **people and priority**: they engage the same group of people *and* serve the
   same partnership priority, however differently they are worded. An activity for
   the general public reaches every group, so it shares a group with any activity.

Closed activities need no rule of their own: once one ended more than the window ago,
the dates leave it out. Every overlap says which of these matched and why, in plain
English (`Overlap.explanation`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

from engage.activities.models import (
    Activity,
    Area,
    AreaKind,
    OverlapDecision,
    OverlapReview,
    PartnershipPriority,
    TargetGroup,
)
from engage.activities.topics import topic_similarities
from textkit.keywords import keywords, stem, written_words

if TYPE_CHECKING:
    from engage.activities.services import ActivityInput

DEFAULT_TOPIC_THRESHOLD = 0.25
# The topic similarity above which two activities are about the same thing: on the
# labelled pairs of bench/before_you_ask_quality.py, most related pairs and few
# unrelated ones reach it.
DEFAULT_VECTOR_THRESHOLD = 0.3
DEFAULT_LIMIT = 50
# The most keywords named in one explanation; `Overlap.shared_terms` keeps them all.
TERMS_IN_EXPLANATION = 6


class Matched(StrEnum):
    """What two activities have in common. Equal to its plain value: "topic" in matched."""

    PLACE = "place"
    GROUPS = "groups"
    PRIORITY = "priority"
    TOPIC = "topic"
    TIME = "time"


def _window_days_setting() -> int:
    return int(settings.ENGAGE_OVERLAP_WINDOW_DAYS)


@dataclass(frozen=True)
class ActivityProbe:
    """The activity being registered or edited, reduced to what overlap needs."""

    topic_terms: frozenset[str]
    target_groups: frozenset[str]
    area_ids: frozenset[int]
    starts_on: date
    ends_on: date
    priority_ids: frozenset[int] = frozenset()
    # The activity being edited, so that it is not reported as overlapping itself.
    exclude_activity_id: int | None = None
    # Its title, topic and purpose as written, to name the shared words as people wrote them.
    topic_text: str = ""

    @classmethod
    def from_input(cls, data: ActivityInput, exclude_activity_id: int | None = None) -> ActivityProbe:
        """From the form or API input, before it is saved; the keywords are made the
        same way `activity_create` makes `Activity.topic_terms`."""
        text = f"{data.title} {data.topic} {data.purpose}"
        return cls(
            topic_terms=keywords(text),
            topic_text=text,
            target_groups=frozenset(data.target_groups),
            area_ids=frozenset(data.area_ids),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            priority_ids=frozenset(data.priority_ids),
            exclude_activity_id=exclude_activity_id,
        )

    @classmethod
    def from_activity(cls, activity: Activity) -> ActivityProbe:
        """From a saved activity (uses prefetched areas and priorities when present)."""
        text = f"{activity.title} {activity.topic} {activity.purpose}"
        terms = activity.topic_terms.split() or keywords(text)
        return cls(
            topic_terms=frozenset(terms),
            topic_text=text,
            target_groups=frozenset(activity.target_groups),
            area_ids=frozenset(area.pk for area in activity.areas.all()),
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
            priority_ids=frozenset(priority.pk for priority in activity.priorities.all()),
            exclude_activity_id=activity.pk,
        )


@dataclass(frozen=True)
class OverlapCriteria:
    """How close two activities must be to be reported."""

    # Days between one activity ending and the other starting that still count as
    # "at the same time" for the people asked. From settings.ENGAGE_OVERLAP_WINDOW_DAYS
    # when the criteria are made, else 28.
    window_days: int = field(default_factory=_window_days_setting)
    # The least Jaccard similarity of the keyword sets (shared / all keywords of both)
    # for a similar topic: 0.25 when a quarter of all their keywords are shared. At least one
    # keyword must be shared whatever the threshold.
    topic_threshold: float = DEFAULT_TOPIC_THRESHOLD
    # The least topic similarity (engage/activities/topics.py) for a similar topic in
    # other words; above 1 turns it off.
    vector_threshold: float = DEFAULT_VECTOR_THRESHOLD
    # The most overlaps returned, closest first; None returns them all. A warning is
    # read by a person: past a few dozen, more rows add nothing but time (a whole-place
    # activity for the general public over months can overlap a thousand others).
    limit: int | None = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.window_days < 0:
            raise ValueError("The overlap window cannot be a negative number of days.")
        if not 0.0 <= self.topic_threshold <= 1.0:
            raise ValueError("The topic threshold is a similarity between 0 and 1.")
        if self.limit is not None and self.limit < 1:
            raise ValueError("The limit must be at least 1, or None for every overlap.")


@dataclass(frozen=True)
class Overlap:
    """Another activity that overlaps the probe, and why."""

    other: Activity  # with lead_organisation and contact loaded
    matched: tuple[Matched, ...]  # in the order place, groups, priority, topic, time
    shared_terms: list[str]  # keywords in both, sorted
    topic_similarity: float  # the keywords' Jaccard similarity or the topic similarity, the higher, 0..1
    shared_groups: list[str]  # TargetGroup values the two have in common, in TargetGroup order
    shared_areas: list[
        str
    ]  # how the areas meet: "Brierley Hill", "Pensnett ward within Brierley Hill locality"
    days_apart: int  # 0 when the dates overlap, else the days between one ending and the other starting
    score: float  # 0..1, for ordering: higher is a closer overlap
    review: OverlapReview | None = None  # a "joined up" or "not related" decision about this pair
    # Of shared_groups, those shared only because one activity is for the general public.
    general_public_groups: list[str] = field(default_factory=list)
    shared_priorities: list[str] = field(default_factory=list)  # titles of the priorities both serve
    # Whether every place in shared_areas is an area both name (no "within").
    same_areas: bool = True
    # The shared keywords as the people registering them wrote them ("waiting", not
    # "wait"), in the order written; what the explanation names.
    shared_words: list[str] = field(default_factory=list)

    @property
    def is_not_related(self) -> bool:
        return self.review is not None and self.review.decision == OverlapDecision.NOT_RELATED

    @property
    def is_joined_up(self) -> bool:
        return self.review is not None and self.review.decision == OverlapDecision.JOINED_UP

    def explanation(self) -> list[str]:
        """One plain-English sentence for each thing that matched, and only those."""
        sentences: list[str] = []
        if Matched.PLACE in self.matched:
            if self.same_areas:
                sentences.append(f"Same place: both are in {_and(self.shared_areas)}.")
            else:
                sentences.append(f"Same place: {_and(self.shared_areas)}.")
        if Matched.GROUPS in self.matched:
            sentences.append(self._people_sentence())
        if Matched.PRIORITY in self.matched:
            titles = [f"'{title}'" for title in self.shared_priorities]
            noun = "priority" if len(titles) == 1 else "priorities"
            sentences.append(f"Same priority: both serve the partnership {noun} {_and(titles)}.")
        if Matched.TOPIC in self.matched and not (self.shared_words or self.shared_terms):
            sentences.append("Similar topic: they are about the same thing in other words.")
        elif Matched.TOPIC in self.matched:
            words = self.shared_words or self.shared_terms
            terms = [f"'{word}'" for word in words[:TERMS_IN_EXPLANATION]]
            if len(words) > TERMS_IN_EXPLANATION:
                terms.append(f"{len(words) - TERMS_IN_EXPLANATION} more")
            sentences.append(f"Similar topic: both are about {_and(terms)}.")
        if Matched.TIME in self.matched:
            if self.days_apart == 0:
                sentences.append("At the same time: they run at the same time.")
            else:
                days = "1 day" if self.days_apart == 1 else f"{self.days_apart} days"
                sentences.append(f"Close in time: they are {days} apart.")
        return sentences

    def _people_sentence(self) -> str:
        through_public = set(self.general_public_groups)
        both = [_group_label(g) for g in self.shared_groups if g not in through_public]
        via = [_group_label(g) for g in self.shared_groups if g in through_public]
        if not via:
            return f"Same people: both engage {_and(both)}."
        public = f"one is for the general public, which includes {_and(via)}"
        if not both:
            return f"Same people: {public}."
        return f"Same people: both engage {_and(both)}, and {public}."


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


_GROUP_ORDER = {value: position for position, value in enumerate(TargetGroup.values)}


def _group_label(value: str) -> str:
    label = str(TargetGroup(value).label) if value in _GROUP_ORDER else value
    # "Carers" -> "carers", but "LGBTQ+ people" keeps its capitals.
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def shared_target_groups(first: Collection[str], second: Collection[str]) -> tuple[list[str], list[str]]:
    """The groups two activities both engage, and which of those they share only because
    one of them is for the general public (which includes every group).

    Returns (shared, through_general_public), each in TargetGroup order.
    """
    public = TargetGroup.GENERAL_PUBLIC.value
    exact = set(first) & set(second)
    through_public: set[str] = set()
    if public in first and public not in second:
        through_public = set(second) - exact
    elif public in second and public not in first:
        through_public = set(first) - exact

    def order(values: Iterable[str]) -> list[str]:
        return sorted(values, key=lambda v: (_GROUP_ORDER.get(v, len(_GROUP_ORDER)), v))

    return order(exact | through_public), order(through_public)


@dataclass(frozen=True)
class _AreaTree:
    """The whole area table (a few dozen rows), read once per check."""

    names: Mapping[int, str]
    kinds: Mapping[int, str]
    parents: Mapping[int, int | None]
    children: Mapping[int, list[int]]

    @classmethod
    def load(cls) -> _AreaTree:
        names: dict[int, str] = {}
        kinds: dict[int, str] = {}
        parents: dict[int, int | None] = {}
        children: dict[int, list[int]] = {}
        for pk, name, kind, parent_id in Area.objects.values_list("id", "name", "kind", "parent_id"):
            names[pk], kinds[pk], parents[pk] = name, kind, parent_id
            if parent_id is not None:
                children.setdefault(parent_id, []).append(pk)
        return cls(names, kinds, parents, children)

    def ancestors(self, area_id: int) -> list[int]:
        """Nearest first, not including the area itself."""
        found: list[int] = []
        node = self.parents.get(area_id)
        while node is not None and node not in found and node != area_id:
            found.append(node)
            node = self.parents.get(node)
        return found

    def related(self, area_ids: Iterable[int]) -> set[int]:
        """The areas, their ancestors and their descendants (as `selectors.area_with_related`)."""
        related: set[int] = set()
        for start in area_ids:
            if start not in self.names:
                continue
            related.add(start)
            related.update(self.ancestors(start))
            stack = list(self.children.get(start, []))
            while stack:
                child = stack.pop()
                if child not in related:
                    related.add(child)
                    stack.extend(self.children.get(child, []))
        return related

    def label(self, area_id: int) -> str:
        """ "Brierley Hill ward", "Brierley Hill locality"; a whole place by its name."""
        kind = self.kinds.get(area_id)
        name = self.names.get(area_id, str(area_id))
        return name if kind == AreaKind.PLACE else f"{name} {kind}"

    def meeting(self, probe_areas: Iterable[int], other_areas: Iterable[int]) -> tuple[list[str], bool]:
        """How two sets of areas meet, as phrases, and whether they meet only in areas
        both name. An area both name is given by its name alone; otherwise the smaller
        area is said to be within the larger."""
        probe_set, other_set = set(probe_areas), set(other_areas)
        same = probe_set & other_set
        phrases = {self.names.get(pk, str(pk)) for pk in same}
        for inner_set, outer_set in ((other_set, probe_set), (probe_set, other_set)):
            for inner in inner_set - same:
                # The nearest larger area names the place best.
                outer = next((a for a in self.ancestors(inner) if a in outer_set and a not in same), None)
                if outer is not None:
                    phrases.add(f"{self.label(inner)} within {self.label(outer)}")
        within = len(phrases) > len(same)
        return sorted(phrases), not within


def _review_for_pairs(activity_id: int, other_ids: Collection[int]) -> dict[int, OverlapReview]:
    """The latest decision about each pair, whichever of the two activities made it."""
    reviews = OverlapReview.objects.filter(
        Q(activity_id=activity_id, other_id__in=other_ids)
        | Q(other_id=activity_id, activity_id__in=other_ids)
    ).order_by("decided_at", "id")
    found: dict[int, OverlapReview] = {}
    for review in reviews:  # later decisions replace earlier ones
        found[review.other_id if review.activity_id == activity_id else review.activity_id] = review
    return found


def _score(
    *,
    similarity: float,
    exact_groups: bool,
    public_groups: bool,
    priority: bool,
    days_apart: int,
    window: int,
    same_areas: bool,
) -> float:
    """0..1 for ordering: the topic weighs most, then the people, time, place and priority.

    topic 0.45 x similarity; people 0.2 for a group both name (0.1 when only through the
    general public); time 0.15 x (1 - days apart / (window + 1)); place 0.1 for an area
    both name (0.05 for one within the other); priority 0.1.
    """
    people = 0.2 if exact_groups else 0.1 if public_groups else 0.0
    time = 0.15 * (1 - days_apart / (window + 1))
    place = 0.1 if same_areas else 0.05
    score = 0.45 * similarity + people + time + place + (0.1 if priority else 0.0)
    return round(min(1.0, max(0.0, score)), 4)


@dataclass
class _Candidate:
    activity_id: int
    matched: tuple[Matched, ...]
    shared_terms: list[str]
    similarity: float
    shared_groups: list[str]
    public_groups: list[str]
    priority_ids: set[int]
    areas: set[int]
    days_apart: int
    score: float = 0.0
    review: OverlapReview | None = None
    shared_areas: list[str] = field(default_factory=list)
    same_areas: bool = True


@dataclass(frozen=True)
class _Window:
    """The dates another activity must touch: the probe's, widened by the window."""

    earliest: date
    latest: date

    def links(self, through: Any, **lookups: Any) -> Any:
        """Rows of an activity's many-to-many table, for activities in the window; the
        join reads the activity date index, not the activities."""
        return through._default_manager.filter(
            activity__starts_on__lte=self.latest, activity__ends_on__gte=self.earliest, **lookups
        )


def _areas_in_window(
    probe: ActivityProbe, related: set[int], window: _Window
) -> tuple[dict[int, set[int]], Any]:
    """The candidates: activities in the window with an area related to the probe's, each
    with those areas; and the query that finds them, to reuse as a subquery."""
    area_links = window.links(Activity.areas.through, area_id__in=related)
    if probe.exclude_activity_id is not None:
        area_links = area_links.exclude(activity_id=probe.exclude_activity_id)
    other_areas: dict[int, set[int]] = {}
    for activity_id, area_id in area_links.values_list("activity_id", "area_id"):
        other_areas.setdefault(activity_id, set()).add(area_id)
    return other_areas, area_links


def _priorities_in_window(
    probe: ActivityProbe, window: _Window, candidate_ids: Collection[int]
) -> dict[int, set[int]]:
    """The probe's priorities that each candidate serves too (only the probe's are read)."""
    shared: dict[int, set[int]] = {}
    if not probe.priority_ids:
        return shared
    links = window.links(Activity.priorities.through, partnershippriority_id__in=probe.priority_ids)
    for activity_id, priority_id in links.values_list("activity_id", "partnershippriority_id"):
        if activity_id in candidate_ids:
            shared.setdefault(activity_id, set()).add(priority_id)
    return shared


def _compare(
    probe: ActivityProbe,
    criteria: OverlapCriteria,
    row: tuple[int, str, list[str] | None, date, date],
    areas: set[int],
    priorities: set[int],
    *,
    alike: float = 0.0,
) -> _Candidate | None:
    """Apply the rule to one candidate already in the window and the place; `alike` is
    its topic similarity to the probe."""
    activity_id, topic_terms, target_groups, starts_on, ends_on = row
    terms = frozenset(topic_terms.split())
    shared = probe.topic_terms & terms
    jaccard = len(shared) / len(probe.topic_terms | terms) if shared else 0.0
    topic = (bool(shared) and jaccard >= criteria.topic_threshold) or alike >= criteria.vector_threshold
    similarity = max(jaccard, alike)
    if not (topic or priorities):
        return None  # cannot match: most candidates leave here, before the groups
    groups, public_groups = shared_target_groups(probe.target_groups, target_groups or [])
    if not (topic or groups):
        return None
    matched = [Matched.PLACE]
    matched += [Matched.GROUPS] if groups else []
    matched += [Matched.PRIORITY] if priorities else []
    matched += [Matched.TOPIC] if topic else []
    matched.append(Matched.TIME)
    days_apart = max(0, (starts_on - probe.ends_on).days, (probe.starts_on - ends_on).days)
    return _Candidate(
        activity_id=activity_id,
        matched=tuple(matched),
        shared_terms=sorted(shared),
        similarity=round(similarity, 4),
        shared_groups=groups,
        public_groups=public_groups,
        priority_ids=priorities,
        areas=areas,
        days_apart=days_apart,
        score=_score(
            similarity=similarity,
            exact_groups=len(groups) > len(public_groups),
            public_groups=bool(public_groups),
            priority=bool(priorities),
            days_apart=days_apart,
            window=criteria.window_days,
            same_areas=bool(probe.area_ids & areas),
        ),
    )


def _with_reviews(
    probe: ActivityProbe, candidates: list[_Candidate], include_reviewed: bool
) -> list[_Candidate]:
    if probe.exclude_activity_id is None or not candidates:
        return candidates
    reviews = _review_for_pairs(probe.exclude_activity_id, [c.activity_id for c in candidates])
    for candidate in candidates:
        candidate.review = reviews.get(candidate.activity_id)
    if include_reviewed:
        return candidates
    return [c for c in candidates if c.review is None or c.review.decision != OverlapDecision.NOT_RELATED]


def _overlaps(probe: ActivityProbe, candidates: list[_Candidate], tree: _AreaTree) -> list[Overlap]:
    """Whole activities, area phrases and priority titles, for the matches only."""
    activities = Activity.objects.select_related("lead_organisation", "contact").in_bulk(
        [c.activity_id for c in candidates]
    )
    priority_ids = set().union(*(c.priority_ids for c in candidates))
    titles = (
        dict(PartnershipPriority.objects.filter(pk__in=priority_ids).values_list("id", "title"))
        if priority_ids
        else {}
    )
    overlaps: list[Overlap] = []
    for c in candidates:
        if c.activity_id not in activities:  # deleted since step 3
            continue
        shared_areas, same_areas = tree.meeting(probe.area_ids, c.areas)
        overlaps.append(
            Overlap(
                other=activities[c.activity_id],
                matched=c.matched,
                shared_terms=c.shared_terms,
                topic_similarity=c.similarity,
                shared_groups=c.shared_groups,
                shared_areas=shared_areas,
                days_apart=c.days_apart,
                score=c.score,
                review=c.review,
                general_public_groups=c.public_groups,
                shared_priorities=sorted(titles[pk] for pk in c.priority_ids if pk in titles),
                same_areas=same_areas,
                shared_words=_as_written(probe, activities[c.activity_id], c.shared_terms),
            )
        )
    return overlaps


def _as_written(probe: ActivityProbe, other: Activity, shared: list[str]) -> list[str]:
    """The shared keywords as written: in the probe's words, then the other activity's
    for any the probe's text no longer holds (stored keywords of an older wording), then
    the keyword itself. One word for each keyword."""
    stems = frozenset(shared)
    words = written_words(probe.topic_text, stems)
    found = {stem(word.lower()) for word in words}
    if len(found) < len(stems):
        other_words = written_words(f"{other.title} {other.topic} {other.purpose}", stems - found)
        words += other_words
        found |= {stem(word.lower()) for word in other_words}
    return words + sorted(stems - found)


def overlap_list(
    *, probe: ActivityProbe, criteria: OverlapCriteria | None = None, include_reviewed: bool = True
) -> list[Overlap]:
    """The activities that overlap the probe, closest first (by `Overlap.score`), at
    most `criteria.limit` of them.

    Reported when within the time window AND in an overlapping area (the same area, one
    containing it, or one within it) AND (a similar topic: keyword Jaccard similarity at
    least the threshold or topic similarity at least its own, OR a shared group of people together with a shared partnership
    priority). The general public counts as sharing every group.

    An overlap already marked "not related" for this pair (by either activity) still
    comes back with `review` set, so a page can show it folded away; with
    `include_reviewed=False` it is left out. Pairs marked "joined up" always come back.
    Reviews exist only for saved activities, so they are looked up only when the probe
    has `exclude_activity_id`.

    A fixed number of queries (at most eight, and the register's topic vectors brought
    up to date) whatever the size of the register.
    """
    criteria = criteria or OverlapCriteria()
    if not probe.area_ids or probe.ends_on < probe.starts_on:
        return []
    tree = _AreaTree.load()  # 1
    related = tree.related(probe.area_ids)
    window = _Window(
        earliest=probe.starts_on - timedelta(days=criteria.window_days),
        latest=probe.ends_on + timedelta(days=criteria.window_days),
    )
    # Time and place in the database.
    other_areas, area_links = _areas_in_window(probe, related, window)  # 2
    if not other_areas:
        return []
    shared_priorities = _priorities_in_window(probe, window, other_areas)  # 3
    # Keywords, groups and dates of the candidates only, compared in Python.
    rows = (
        Activity.objects.filter(
            starts_on__lte=window.latest,
            ends_on__gte=window.earliest,
            pk__in=area_links.values("activity_id"),
        )
        .order_by()
        .values_list("id", "topic_terms", "target_groups", "starts_on", "ends_on")
    )  # 4
    found = list(rows)
    # The same similarity "before you ask" ranks by, for the candidates only.
    alike = (
        topic_similarities(probe.topic_text, activity_ids=[row[0] for row in found])
        if probe.topic_text.strip() and criteria.vector_threshold <= 1
        else {}
    )
    no_priorities: set[int] = set()
    candidates = [
        candidate
        for row in found
        if (
            candidate := _compare(
                probe,
                criteria,
                row,
                other_areas[row[0]],
                shared_priorities.get(row[0], no_priorities),
                alike=alike.get(row[0], 0.0),
            )
        )
        is not None
    ]
    candidates = _with_reviews(probe, candidates, include_reviewed)  # 5
    candidates.sort(key=lambda c: (-c.score, c.days_apart, c.activity_id))
    if criteria.limit is not None:
        candidates = candidates[: criteria.limit]
    return _overlaps(probe, candidates, tree) if candidates else []  # 6, 7
