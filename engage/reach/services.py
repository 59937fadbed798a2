"""Reach's own writes: where a survey's wording of an answer is counted. Loading the
reference data is engage.places'."""

from __future__ import annotations

from django.db import transaction

from engage.core.errors import InvalidInput
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.reach.groups import ANSWER_DIMENSIONS, DIMENSION_BY_KEY, OUTSIDE, UNKNOWN, normalised_answer
from engage.reach.models import AnswerMapping


def answer_mapping_set(*, actor: Actor, dimension: str, answer: str, group: str) -> AnswerMapping | None:
    """Choose where a survey wording goes for a dimension: one of its groups, "unknown"
    or "outside"; an empty group puts it back to the built-in rule (returns None)."""
    found = DIMENSION_BY_KEY.get(dimension)
    if found is None or found not in ANSWER_DIMENSIONS:
        raise InvalidInput({"dimension": f"{dimension!r} is not a dimension answers are given for."})
    normal = normalised_answer(answer)
    if not normal:
        raise InvalidInput({"answer": "Say which wording this is for."})
    if len(normal) > 80:
        raise InvalidInput({"answer": "A wording is at most 80 characters."})
    allowed = {g.name for g in found.groups} | {UNKNOWN, OUTSIDE, ""}
    if group not in allowed:
        raise InvalidInput({"group": f"{group!r} is not one of the groups of {found.title.lower()}."})
    with transaction.atomic():
        if not group:
            AnswerMapping.objects.filter(dimension=dimension, answer=normal).delete()
            mapping = None
        else:
            mapping, _ = AnswerMapping.objects.update_or_create(
                dimension=dimension,
                answer=normal,
                defaults={"group": group, "changed_by": user_or_none(actor)},
            )
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="answer_mapping",
            subject_id=mapping.pk if mapping else "",
            summary=f"{found.title}: {normal!r} now counted as {group or 'the built-in rule says'}.",
        )
    return mapping
