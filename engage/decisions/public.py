"""What the public "You said, we did" pages show, and nothing more.

Only published activities and published decisions appear. Every count goes through
disclosure control; quotes are only words that staff of the organisation that heard
them approved, while consent to quote stands (`insight.selectors.themes_summary` chooses
them from `conversations.quotes.selectors.published_quotes`); the activity's
contact is never named. The page is built from these dataclasses alone, so a template
cannot reach anything else by mistake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from engage.activities.models import Activity, Area
from engage.conversations.models import Conversation
from engage.conversations.quotes.selectors import quotes_state
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.decisions.models import ActivityPublication, Decision
from engage.insight.framework.services import framework_in_use
from engage.insight.selectors import themes_summary

QUOTES_PER_THEME = 3


@dataclass(frozen=True)
class PublicTheme:
    name: str
    people: Published
    quotes: list[str]


@dataclass(frozen=True)
class PublicChange:
    changed_on: dt.date
    what: str


@dataclass(frozen=True)
class PublicDecision:
    title: str
    summary: str
    status: str
    decided_by_name: str
    decided_on: dt.date | None
    reason_not_taken: str
    history: list[PublicChange]


@dataclass(frozen=True)
class PublicPage:
    activity_id: int
    title: str
    purpose: str
    lead_organisation: str
    starts_on: dt.date
    ends_on: dt.date
    areas: list[str]
    topic: str
    easy_read: str
    took_part: Published
    themes: list[PublicTheme]
    decisions: list[PublicDecision]
    published_at: dt.datetime


def published_activities(
    *, search: str = "", topic: str = "", area_id: int | None = None
) -> QuerySet[Activity]:
    activities = (
        Activity.objects.filter(publication__isnull=False)
        .select_related("lead_organisation", "publication")
        .prefetch_related("areas")
        .order_by("-publication__published_at", "-pk")
    )
    for word in search.split():
        activities = activities.filter(
            Q(title__icontains=word) | Q(purpose__icontains=word) | Q(topic__icontains=word)
        )
    if topic:
        activities = activities.filter(topic__iexact=topic)
    if area_id is not None:
        activities = activities.filter(areas=area_id)
    return activities.distinct()


def published_areas() -> QuerySet[Area]:
    return Area.objects.filter(activities__publication__isnull=False).distinct().order_by("name")


def published_topics() -> list[str]:
    return sorted(
        set(Activity.objects.filter(publication__isnull=False).values_list("topic", flat=True)),
        key=str.casefold,
    )


_STATUS_WORDS = {
    "proposed": "Proposed",
    "agreed": "Agreed",
    "in_progress": "In progress",
    "done": "Done",
    "not_taken": "Not taken",
}


def _history(decision: Decision) -> list[PublicChange]:
    changes = []
    for amendment in decision.amendments.all():
        parts = []
        if "status" in amendment.changes:
            before, after = amendment.changes["status"]
            parts.append(
                f"status changed from {_STATUS_WORDS.get(before, before)} to {_STATUS_WORDS.get(after, after)}"
            )
        others = [name for name in amendment.changes if name not in ("status", "reason_not_taken")]
        if others:
            parts.append("details updated")
        if amendment.note:
            parts.append(amendment.note)
        if parts:
            changes.append(PublicChange(changed_on=amendment.changed_at.date(), what="; ".join(parts)))
    return changes


def _version(activity_id: int) -> str | None:
    """What the page depends on, as a cache key: None where it is not published. Two
    indexed look-ups; the page itself (themes over every conversation) is the costly part."""
    published = (
        ActivityPublication.objects.filter(activity_id=activity_id)
        .values_list("updated_at", flat=True)
        .first()
    )
    if published is None:
        return None
    decisions = Decision.objects.filter(activity_id=activity_id).aggregate(
        changed=Max("updated_at"), n=Count("id")
    )
    # A quote approved, taken back, or taken down with its consent changes the key at
    # once, so a withdrawn quote is never served from the cache.
    quotes, quotes_changed = quotes_state(Conversation.objects.filter(activity_id=activity_id))
    return hashlib.sha256(
        f"{published.isoformat()}|{decisions['changed']}|{decisions['n']}|{quotes}|{quotes_changed}".encode()
    ).hexdigest()[:24]


def public_page(*, activity_id: int, rule: DisclosureRule | None = None) -> PublicPage | None:
    """An activity's public page, or None where it is not published. Served from the
    cache for ENGAGE_PUBLIC_CACHE_SECONDS while nothing it shows has changed (new
    conversations and analyses show when the cache expires)."""
    seconds = settings.ENGAGE_PUBLIC_CACHE_SECONDS
    version = _version(activity_id)
    if version is None:
        return None
    if rule is not None or seconds <= 0:
        return _public_page(activity_id=activity_id, rule=rule)
    key = f"public-page:{activity_id}:{version}"
    page: PublicPage | None = cache.get(key)
    if page is None:
        page = _public_page(activity_id=activity_id, rule=None)
        cache.set(key, page, seconds)
    return page


def quotes_once(quotes_by_theme: list[list[str]]) -> list[list[str]]:
    """Each theme's first quotes, no words twice on the page: a comment on two themes is
    quoted under the first only, since the same words twice read as two people's."""
    quoted: set[str] = set()
    chosen: list[list[str]] = []
    for quotes in quotes_by_theme:
        fresh = list(dict.fromkeys(q for q in quotes if q not in quoted))[:QUOTES_PER_THEME]
        quoted.update(fresh)
        chosen.append(fresh)
    return chosen


def _public_page(*, activity_id: int, rule: DisclosureRule | None) -> PublicPage | None:
    rule = rule or DisclosureRule.from_settings()
    publication = (
        ActivityPublication.objects.select_related("activity", "activity__lead_organisation")
        .filter(activity_id=activity_id)
        .first()
    )
    if publication is None:
        return None
    activity = publication.activity
    conversations = Conversation.objects.filter(activity=activity)
    summary = themes_summary(conversations, framework=framework_in_use())
    shown = [theme for theme in summary.themes if theme.category.name != "Labelling not possible"]
    quotes = quotes_once([[q for sub in theme.subthemes for q in sub.quotes] for theme in shown])
    themes = [
        PublicTheme(
            name=theme.category.name,
            people=publish_count(theme.count, rule, weighted=theme.weighted),
            quotes=theme_quotes,
        )
        for theme, theme_quotes in zip(shown, quotes, strict=True)
    ]
    decisions = [
        PublicDecision(
            title=decision.title,
            summary=decision.summary,
            status=decision.get_status_display(),
            decided_by_name=decision.decided_by_name,
            decided_on=decision.decided_on,
            reason_not_taken=decision.reason_not_taken,
            history=_history(decision),
        )
        for decision in Decision.objects.filter(activity=activity, published_at__isnull=False)
        .prefetch_related("amendments")
        .order_by("-decided_on", "-pk")
    ]
    return PublicPage(
        activity_id=activity.pk,
        title=activity.title,
        purpose=activity.purpose,
        lead_organisation=activity.lead_organisation.name,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        areas=list(activity.areas.values_list("name", flat=True)),
        topic=activity.topic,
        easy_read=publication.easy_read,
        took_part=publish_count(summary.conversations, rule, weighted=summary.conversations_weighted),
        themes=themes,
        decisions=decisions,
        published_at=publication.published_at,
    )
