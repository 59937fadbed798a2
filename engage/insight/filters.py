"""The set of conversations a themes page, a download or the themes API is about, read
from its query (or a form): an activity, a channel, a period, a priority, search words."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from engage.conversations.models import Channel, Conversation
from engage.core.http import date_param, int_param
from engage.core.roles import Permission
from engage.insight import selectors
from engage.partners.models import Organisation


@dataclass(frozen=True)
class ThemeFilters:
    activity_id: int | None
    channel: str
    date_from: date | None
    date_to: date | None
    priority_id: int | None = None
    query: str = ""


def theme_filters(get: QueryDict | Any) -> ThemeFilters:
    """The set chosen on a themes or discovery page (GET or POST), or in the API's query."""
    return ThemeFilters(
        activity_id=int_param(get.get("activity"), field="activity"),
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        date_from=date_param(get.get("from"), field="from"),
        date_to=date_param(get.get("to"), field="to"),
        priority_id=int_param(get.get("priority"), field="priority"),
        query=get.get("q", "")[:200],
    )


def filtered_conversations(
    organisation: Organisation | None, permissions: Collection[str], filters: ThemeFilters
) -> QuerySet[Conversation]:
    """The organisation's conversations the filters choose; search words look only in
    the redacted text for those who may not read conversations."""
    return selectors.conversation_set(
        organisation=organisation,
        activity_id=filters.activity_id,
        channel=filters.channel,
        date_from=filters.date_from,
        date_to=filters.date_to,
        priority_id=filters.priority_id,
        query=filters.query,
        redacted_only=Permission.VIEW_CONVERSATIONS not in permissions,
    )
