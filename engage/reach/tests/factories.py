"""Conversations and reference data made quickly for the reach tests: many rows at once,
with only the fields reach reads."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from engage.conversations.models import Channel, Conversation

_keys = itertools.count(1)
# A record key of weight 1 (engage/core/cell_key.py): with it, a published count is the
# true count rounded, so a test can say what the page shows. Tests of the cell key
# method itself pass keys of other weights.
UNIT_WEIGHT = 128


def conversations_add(organisation: Any, how_many: int, **fields: Any) -> None:
    """`how_many` conversations of `organisation`, each with these fields (weight 1
    unless a `record_key` is given)."""
    fields.setdefault("occurred_on", dt.date(2026, 5, 1))
    fields.setdefault("record_key", UNIT_WEIGHT)
    fields.setdefault("text", "About the service.")
    Conversation.objects.bulk_create(
        Conversation(
            organisation=organisation,
            channel=Channel.SURVEY,
            dedupe_key=f"reach-{next(_keys)}",
            **fields,
        )
        for _ in range(how_many)
    )
