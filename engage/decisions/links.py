"""Adding links that may already be there: evidence to a decision, people to an
activity. Adding again adds nothing, so a double click or a retry is harmless."""

from __future__ import annotations

from typing import Any

from django.db import models


def links_add(
    model: type[models.Model], *, owner: dict[str, Any], field: str, ids: set[int], **fields: Any
) -> int:
    """Create a `model` row from `owner` to each id in `ids` (through `field`, such as
    "conversation_id") that does not exist yet; returns how many were new."""
    manager: Any = model._default_manager
    already = set(manager.filter(**owner, **{f"{field}__in": ids}).values_list(field, flat=True))
    new = sorted(ids - already)
    manager.bulk_create(model(**owner, **{field: pk}, **fields) for pk in new)
    return len(new)
