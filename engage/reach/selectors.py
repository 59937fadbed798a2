"""Reach's own reads: the wordings people gave for an answer and where each is counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum

from engage.conversations.models import Conversation
from engage.core.cell_key import Tally, weight_of
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.partners.models import Organisation
from engage.reach.groups import Dimension, normalised_answer, place_answer
from engage.reach.models import AnswerMapping


@dataclass(frozen=True)
class Wording:
    wording: str  # normalised
    count: Published
    placed: str  # a group's name, UNKNOWN or OUTSIDE
    chosen: bool  # by a person, not the built-in rules


def _wording_counts(conversations: Any, field: str) -> dict[str, Tally]:
    totals: dict[str, Tally] = {}
    rows = conversations.order_by().values_list(field).annotate(n=Count("*"), w=Sum(weight_of()))
    for value, count, weighted in rows:
        normal = normalised_answer(str(value or ""))
        totals[normal] = totals.get(normal, Tally()) + Tally(count, weighted)
    return totals


def answer_wordings(
    dimension: Dimension, *, rule: DisclosureRule, organisation: Organisation | None = None, limit: int = 500
) -> list[Wording]:
    """The wordings given for a dimension across the bank, most common first, and where
    each is counted; the counts through disclosure control. A wording given fewer times
    than the rule shows could be one person's own words, so it is listed only where it
    is in `organisation`'s own conversations (the viewer's, who may see them)."""
    overrides = dict(AnswerMapping.objects.filter(dimension=dimension.key).values_list("answer", "group"))
    totals = _wording_counts(Conversation.objects.all(), dimension.field)
    own = (
        set(_wording_counts(Conversation.objects.for_organisation(organisation), dimension.field))
        if organisation is not None
        else set()
    )
    found = []
    for wording, tally in sorted(totals.items(), key=lambda item: (-item[1].count, item[0])):
        shown = publish_count(tally.count, rule, weighted=tally.weighted)
        if shown.hidden and wording not in own:
            continue
        found.append(
            Wording(
                wording=wording,
                count=shown,
                placed=place_answer(dimension, wording, overrides),
                chosen=wording in overrides,
            )
        )
    return found[:limit]
