"""Themes counted by a grouping, for analysts to take away (CSV, Excel and the API):
one row per theme or sub-theme and group, with how many conversations and their
sentiment. The same set of conversations as the themes page (the organisation's own,
chosen by its filters), in long form, which is what a spreadsheet or R and Python read
best. A conversation counts once in each sub-theme it has, and once in their theme; a
conversation of an activity serving two priorities counts under each priority.

Labels are people's where a conversation was reviewed, otherwise the model's, and so is
the sentiment, as on the themes page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from engage.activities.models import Activity
from engage.conversations.models import Channel, Conversation
from engage.insight.models import Category, Framework, Sentiment
from engage.insight.selectors import conversation_labels

NOT_RECORDED = "Not recorded"

# What the counts may be grouped by: the name used in a URL, and the column's heading.
GROUPINGS: dict[str, str] = {
    "month": "Month",
    "channel": "Channel",
    "activity": "Activity",
    "priority": "Partnership priority",
    "age_band": "Age band",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "carer": "Carer",
    "deprivation": "Deprivation quintile",
}
_DEMOGRAPHIC = ("age_band", "sex", "ethnic_group", "disability", "carer")


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    sub_theme: str  # "" for the theme as a whole
    group: str
    conversations: int
    positive: int
    neutral: int
    negative: int


def _quintile(decile: int | None) -> str:
    if decile is None:
        return "Not known"
    quintile = (decile + 1) // 2
    return f"{quintile} ({'most deprived' if quintile == 1 else 'least deprived' if quintile == 5 else 'middle'} fifth)"


def _groups_of(conversations: QuerySet[Conversation], by: str) -> dict[int, list[str]]:
    """Each conversation's groups under `by` (one, or for priorities any number)."""
    if by == "priority":
        found: dict[int, list[str]] = defaultdict(list)
        through = Activity.priorities.through.objects.filter(
            activity_id__in=conversations.exclude(activity=None).values("activity_id")
        ).values_list("activity_id", "partnershippriority__title")
        by_activity: dict[int, list[str]] = defaultdict(list)
        for activity_id, title in through:
            by_activity[activity_id].append(title)
        for pk, activity_id in conversations.order_by().values_list("pk", "activity_id"):
            found[pk] = sorted(by_activity.get(activity_id, [])) or ["No priority"]
        return found
    if by == "activity":
        rows = conversations.order_by().values_list("pk", "activity__title")
        return {pk: [title or "Not part of an activity"] for pk, title in rows}
    if by == "month":
        return {
            pk: [day.strftime("%Y-%m")]
            for pk, day in conversations.order_by().values_list("pk", "occurred_on")
        }
    if by == "channel":
        labels = dict(Channel.choices)
        return {
            pk: [str(labels.get(value, value))]
            for pk, value in conversations.order_by().values_list("pk", "channel")
        }
    if by == "deprivation":
        return {
            pk: [_quintile(decile)] for pk, decile in conversations.order_by().values_list("pk", "imd_decile")
        }
    if by in _DEMOGRAPHIC:
        rows = conversations.order_by().values_list("pk", by)
        return {pk: [" ".join(str(value).split()) or NOT_RECORDED] for pk, value in rows}
    raise ValueError(f"Themes cannot be grouped by {by!r}.")


def theme_counts(conversations: QuerySet[Conversation], *, framework: Framework, by: str) -> list[ThemeCount]:
    """The set's themes and sub-themes counted by `by` (one of GROUPINGS), sorted by
    theme, sub-theme and group."""
    groups = _groups_of(conversations, by)
    feelings = {
        pk: person or model
        for pk, model, person in conversations.order_by().values_list(
            "pk", "insight__sentiment", "review__sentiment"
        )
    }
    labels = conversation_labels(conversations)
    categories = {c.pk: c for c in Category.objects.filter(framework=framework).select_related("parent")}
    counts: Counter[tuple[int, str]] = Counter()
    moods: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for pk, subs in labels.items():
        known = [categories[s] for s in subs if s in categories]
        parents = {c.parent_id for c in known if c.parent_id is not None}
        for category_id in {c.pk for c in known} | parents:
            for group in groups.get(pk, [NOT_RECORDED]):
                counts[(category_id, group)] += 1
                if feelings.get(pk):
                    moods[(category_id, group)][str(feelings[pk])] += 1
    rows = []
    for (category_id, group), count in counts.items():
        category = categories[category_id]
        theme, sub_theme = (category.parent.name, category.name) if category.parent else (category.name, "")
        mood = moods[(category_id, group)]
        rows.append(
            ThemeCount(
                theme=theme,
                sub_theme=sub_theme,
                group=group,
                conversations=count,
                positive=mood[Sentiment.POSITIVE],
                neutral=mood[Sentiment.NEUTRAL],
                negative=mood[Sentiment.NEGATIVE],
            )
        )
    return sorted(rows, key=lambda r: (r.theme, r.sub_theme, r.group))


@dataclass(frozen=True)
class ConversationRow:
    """One conversation as an analyst takes it away: what was said and how it was
    analysed, with the place and groups recorded, and no one's name, contact or
    reference (those stay with the person's record)."""

    id: int
    occurred_on: str
    channel: str
    activity: str
    question: str
    text: str
    rating: int | None  # 1 very good to 5 very poor (ADR 0040)
    sentiment: str
    themes: list[str]
    age_band: str
    sex: str
    ethnic_group: str
    disability: str
    carer: str
    ward_code: str
    deprivation_decile: int | None
    consent_to_quote: bool


def conversation_rows(conversations: QuerySet[Conversation]) -> list[ConversationRow]:
    """The set's conversations, oldest first, each with its themes (sub-themes)."""
    labels = conversation_labels(conversations)
    names = dict(
        Category.objects.filter(pk__in={c for subs in labels.values() for c in subs}).values_list(
            "pk", "name"
        )
    )
    channels = dict(Channel.choices)
    rows = conversations.order_by("occurred_on", "pk").values_list(
        "pk", "occurred_on", "channel", "activity__title", "question", "text", "rating",
        "insight__sentiment", "review__sentiment", "age_band", "sex", "ethnic_group", "disability",
        "carer", "ward_code", "imd_decile", "consent_to_quote",
    )  # fmt: skip
    return [
        ConversationRow(
            id=pk,
            occurred_on=occurred.isoformat(),
            channel=str(channels.get(channel, channel)),
            activity=activity or "",
            question=question,
            text=text,
            rating=rating,
            sentiment=person or model or "",
            themes=sorted(names[c] for c in labels.get(pk, set()) if c in names),
            age_band=age,
            sex=sex,
            ethnic_group=ethnic,
            disability=disability,
            carer=carer,
            ward_code=ward,
            deprivation_decile=decile,
            consent_to_quote=consent,
        )
        for (pk, occurred, channel, activity, question, text, rating, model, person, age, sex, ethnic,
             disability, carer, ward, decile, consent) in rows
    ]  # fmt: skip
