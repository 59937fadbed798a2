""" "Before you ask": what the partnership already heard on an activity's topic, place and
group in the last two years, for the officer registering or screening it to reuse
instead of asking people again (issue 19, ADR 0050).

- **Past activities**, ranked by relevance: their topic similarity to what is being
  registered (engage/activities/topics.py, the same the overlap warning uses), raised
  where they were in the same place or with the same people; one of each series; with
  the decisions they informed. Activities are the partnership's register, seen by every
  partner already.
- **Themes heard**: those most told apart in what people said in the most similar
  activities (the analysis's labels of shared conversations, `ActivityThemeCount`),
  fused with those the analysis model finds in the activity's own words; each with the
  number of shared conversations about it over the last 24 whole months, across the
  partnership and in the place, under disclosure control.
- **In people's own words**: quotes of those activities approved by the organisation
  that heard them and shared by it, about those themes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Sum
from django.utils import timezone

from engage.activities.models import Activity, Area
from engage.activities.selectors import area_with_related
from engage.activities.topics import activity_text, topic_similarities
from engage.conversations.models import Conversation, Quote
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.decisions.models import Decision
from engage.insight.framework.services import framework_in_use
from engage.insight.models import Category
from engage.insight.selectors import AnalysisThemeScorer, conversation_labels
from engage.partnership.filters import last_whole_month, months_back
from engage.partnership.models import ActivityThemeCount, Facet, PictureCount, SharingLevel, Topic
from engage.partnership.sharing.selectors import sharing_levels

LOOK_BACK_DAYS = 730  # "in the last two years"
SHOWN = 5
LEAST_SIMILAR = 0.05  # below this an activity shares next to nothing with what is registered
PROFILE_FROM = 10  # the most similar activities whose themes are counted
CANDIDATES = 300  # the most similar activities ranked for place, people and time
PLACE_BONUS = 0.25
PEOPLE_BONUS = 0.15
# Where what is registered is for these people, the themes are counted for them too.
GROUP_FACETS = {
    "carers": (Facet.CARER, "Carers"),
    "most_deprived": (Facet.CORE20, "Core20"),
}
_scorer = AnalysisThemeScorer()


@dataclass(frozen=True)
class PastActivity:
    activity: Activity
    similarity: float
    same_place: bool
    same_people: bool
    decisions: list[Decision] = field(default_factory=list)


@dataclass(frozen=True)
class HeardTheme:
    category: Category
    partnership: Published  # shared conversations about it, last 24 whole months
    in_place: Published | None  # ... in the activity's area, where it names one
    for_group: Published | None  # ... of the activity's people, where the picture counts them


@dataclass(frozen=True)
class HeardQuote:
    text: str
    organisation: str
    activity: str


@dataclass
class BeforeYouAsk:
    activities: list[PastActivity]
    themes: list[HeardTheme]
    quotes: list[HeardQuote]
    place: str = ""
    group: str = ""
    months: tuple[dt.date, dt.date] | None = None

    @property
    def empty(self) -> bool:
        return not (self.activities or self.themes)


def activities_in_reach(*, today: dt.date) -> list[int]:
    """The activities "before you ask" may show: begun, and not ended more than two
    years ago."""
    since = today - dt.timedelta(days=LOOK_BACK_DAYS)
    return list(
        Activity.objects.filter(ends_on__gte=since, starts_on__lte=today).values_list("pk", flat=True)
    )


def _past_activities(
    text: str, *, area_ids: Collection[int], groups: Collection[str], today: dt.date, exclude: int | None
) -> list[PastActivity]:
    found = topic_similarities(text)
    # The most similar few hundred are all that can be shown or ranked: naming ten
    # thousand ids in a query cost PostgreSQL a tenth of a second to read.
    best = sorted(
        (pk for pk, s in found.items() if s >= LEAST_SIMILAR and pk != exclude), key=lambda pk: -found[pk]
    )
    similar = {pk: found[pk] for pk in best[:CANDIDATES]}
    if not similar:
        return []
    since = today - dt.timedelta(days=LOOK_BACK_DAYS)
    candidates = Activity.objects.filter(pk__in=list(similar), ends_on__gte=since, starts_on__lte=today)
    around = area_with_related(list(area_ids)) if area_ids else set()
    areas: dict[int, set[int]] = defaultdict(set)
    for activity_id, area_id in Activity.areas.through.objects.filter(activity__in=candidates).values_list(
        "activity_id", "area_id"
    ):
        areas[activity_id].add(area_id)
    ranked: list[tuple[float, PastActivity]] = []
    for activity in candidates.select_related("lead_organisation"):
        same_place = bool(around & areas[activity.pk])
        same_people = bool(set(groups) & set(activity.target_groups or []))
        relevance = similar[activity.pk] * (1 + PLACE_BONUS * same_place + PEOPLE_BONUS * same_people)
        ranked.append(
            (relevance, PastActivity(activity, round(similar[activity.pk], 3), same_place, same_people))
        )
    ranked.sort(key=lambda pair: (-pair[0], -pair[1].activity.ends_on.toordinal(), pair[1].activity.pk))
    shown: list[PastActivity] = []
    series: set[int] = set()
    for _, past in ranked:
        if past.activity.series_id is not None:
            if past.activity.series_id in series:
                continue  # one meeting of a series stands for the series
            series.add(past.activity.series_id)
        shown.append(past)
    return shown


def _themes(text: str, related: list[PastActivity], framework_id: int) -> list[Category]:
    """The sub-themes most told apart in the related activities' shared conversations
    (each activity weighted by its similarity, each theme by how much more often than
    across every activity), fused by rank with those the analysis model finds in the
    text itself."""
    subs = {c.pk: c for c in Category.objects.filter(framework_id=framework_id, parent__isnull=False)}
    weights = {p.activity.pk: p.similarity for p in related[:PROFILE_FROM]}
    heard: dict[int, Counter[int]] = defaultdict(Counter)
    for activity_id, category_id, n in (
        ActivityThemeCount.objects.filter(activity_id__in=weights, category_id__in=subs)
        .values("activity_id", "category_id")
        .annotate(n=Sum("conversations"))
        .values_list("activity_id", "category_id", "n")
    ):
        heard[activity_id][category_id] += n
    overall = dict(
        ActivityThemeCount.objects.filter(category_id__in=subs)
        .values("category_id")
        .annotate(n=Sum("conversations"))
        .values_list("category_id", "n")
    )
    everything = sum(overall.values()) or 1
    told_apart: dict[int, float] = defaultdict(float)
    heard_most: dict[int, float] = defaultdict(float)
    for activity_id, counts in heard.items():
        size = sum(counts.values())
        for category_id, n in counts.items():
            # How much more often than across every activity: a theme everyone hears
            # about tells little.
            told_apart[category_id] += weights[activity_id] * (
                n / size - overall.get(category_id, 0) / everything
            )
            heard_most[category_id] += weights[activity_id] * n / size
    by_profile = [pk for pk in sorted(told_apart, key=lambda pk: -told_apart[pk]) if told_apart[pk] > 1e-9]
    if not by_profile:  # one activity, or all alike: what was heard most
        by_profile = sorted(heard_most, key=lambda pk: -heard_most[pk])
    by_model: list[int] = []
    scores = _scorer.scores([text])
    labels = _scorer.labels()
    if scores is not None and labels:
        by_name = {c.name: c.pk for c in subs.values()}
        order = np.argsort(-scores[0])
        by_model = [by_name[labels[i]] for i in order[:10] if labels[i] in by_name]
    fused: dict[int, float] = defaultdict(float)
    for ranking in (by_profile, by_model):
        for rank, pk in enumerate(ranking):
            fused[pk] += 1 / (rank + 5)  # reciprocal rank fusion
    return [subs[pk] for pk, _ in sorted(fused.items(), key=lambda item: -item[1])[:SHOWN]]


def _counted(
    categories: list[Category],
    *,
    months: tuple[dt.date, dt.date],
    facet: str,
    value: str,
    rule: DisclosureRule,
) -> dict[int, Published]:
    found = {
        pk: (n, w)
        for pk, n, w in PictureCount.objects.filter(
            month__gte=months[0],
            month__lte=months[1],
            facet=facet,
            value=value,
            topic=Topic.THEME,
            category_id__in=[c.pk for c in categories],
        )
        .values("category_id")
        .annotate(n=Sum("conversations"), w=Sum("weighted"))
        .values_list("category_id", "n", "w")
    }
    return {
        c.pk: publish_count(found.get(c.pk, (0, 0))[0], rule, weighted=found.get(c.pk, (0, 0))[1])
        for c in categories
    }


def _quotes(related: list[PastActivity], categories: list[Category]) -> list[HeardQuote]:
    """Up to three approved quotes of the related activities, about the themes shown, from
    organisations that share quotes for them; the shortest readable first."""
    ids = [p.activity.pk for p in related]
    if not ids or not categories:
        return []
    levels = sharing_levels()
    found = [
        (pk, text, organisation, title)
        for pk, text, organisation, organisation_id, activity_id, import_job_id, title in Quote.objects.published()
        .filter(conversation__activity_id__in=ids)
        .values_list(
            "conversation_id",
            "text",
            "conversation__organisation__name",
            "conversation__organisation_id",
            "conversation__activity_id",
            "conversation__import_job_id",
            "conversation__activity__title",
        )[:500]
        if levels.of(organisation_id, activity_id, import_job_id) == SharingLevel.QUOTES
    ]
    wanted = {c.pk for c in categories}
    labels = conversation_labels(Conversation.objects.filter(pk__in=[row[0] for row in found]))
    about = [row for row in found if labels.get(row[0], set()) & wanted and 20 <= len(row[1]) <= 400]
    readable = sorted({row[1:] for row in about}, key=lambda row: (len(row[0]), row))
    return [HeardQuote(text, organisation, activity) for text, organisation, activity in readable[:3]]


def before_you_ask(
    *,
    title: str,
    topic: str,
    purpose: str,
    area_ids: Collection[int] = (),
    target_groups: Collection[str] = (),
    exclude_activity_id: int | None = None,
    today: dt.date | None = None,
    rule: DisclosureRule | None = None,
) -> BeforeYouAsk:
    """What the partnership already heard about an activity being registered."""
    if not (title.strip() or topic.strip() or purpose.strip()):
        return BeforeYouAsk(activities=[], themes=[], quotes=[])
    text = activity_text(title, topic, purpose)
    today = today or timezone.localdate()
    rule = rule or DisclosureRule.from_settings()
    related = _past_activities(
        text, area_ids=area_ids, groups=target_groups, today=today, exclude=exclude_activity_id
    )
    categories = _themes(text, related, framework_in_use().pk)
    last = last_whole_month(today)
    months = (months_back(last, 23), last)
    everyone = _counted(categories, months=months, facet=Facet.ALL, value="", rule=rule)
    place = ""
    in_place: dict[int, Published] = {}
    named = list(Area.objects.filter(pk__in=list(area_ids)).order_by("-kind", "name"))
    if len(named) == 1:
        place = named[0].name
        in_place = _counted(categories, months=months, facet=Facet.AREA, value=str(named[0].pk), rule=rule)
    group = ""
    for_group: dict[int, Published] = {}
    for wanted in target_groups:
        if wanted in GROUP_FACETS:
            facet, value = GROUP_FACETS[wanted]
            group = (
                "carers" if facet == Facet.CARER else "people in the most deprived fifth of England (Core20)"
            )
            for_group = _counted(categories, months=months, facet=facet, value=value, rule=rule)
            break
    themes = [HeardTheme(c, everyone[c.pk], in_place.get(c.pk), for_group.get(c.pk)) for c in categories]
    shown = related[:SHOWN]
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in Decision.objects.filter(activity_id__in=[p.activity.pk for p in shown]).order_by("-pk"):
        if decision.activity_id is not None:
            decisions[decision.activity_id].append(decision)
    activities = [
        PastActivity(p.activity, p.similarity, p.same_place, p.same_people, decisions.get(p.activity.pk, []))
        for p in shown
    ]
    return BeforeYouAsk(
        activities=activities,
        themes=themes,
        quotes=_quotes(shown, categories),
        place=place,
        group=group,
        months=months,
    )
