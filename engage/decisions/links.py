"""Adding links that may already be there: evidence to a decision, people to an
activity. Adding again adds nothing, so a double click or a retry is harmless."""

from __future__ import annotations

from typing import Any

from django.db import models


def links_add(
    model: type[models.Model], *, owner: dict[str, Any], field: str, ids: set[int], **fields: Any
) -> int:
    """Create a `model` row from `owner` to each id in `ids` (through `field`, such as
    "conversation_id") that does not exist yet; returns how many were new.

    Called inside the caller's transaction. The owner's row (the decision, the activity)
    is locked first, so two of these for the same owner at once (two tabs, a double
    click) take turns: the second sees the first's rows and adds only what is new,
    instead of failing on the unique constraint. (SQLite's write lock already does this.)"""
    for record in owner.values():
        type(record)._default_manager.select_for_update().filter(pk=record.pk).exists()
    manager: Any = model._default_manager
    already = set(manager.filter(**owner, **{f"{field}__in": ids}).values_list(field, flat=True))
    new = sorted(ids - already)
    manager.bulk_create((model(**owner, **{field: pk}, **fields) for pk in new), ignore_conflicts=True)
    return len(new)
