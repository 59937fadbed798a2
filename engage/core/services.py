"""Writing the audit log. Every service that touches a person's record calls this
inside its own transaction, so the change and its audit record land together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engage.core.models import AuditAction, AuditEvent
from engage.core.types import Actor, Tenant


def user_or_none(actor: Actor) -> Any:
    """The user to record as having done something, or None for the software itself
    (a command, the demo, a background task started by no one)."""
    return actor if getattr(actor, "pk", None) else None


def audit_record(
    *,
    actor: Actor,
    organisation: Tenant,
    action: AuditAction,
    subject_type: str,
    subject_id: object = "",
    summary: str,
    reason: str = "",
) -> AuditEvent:
    label = getattr(actor, "email", "") if actor is not None else ""
    return AuditEvent.objects.create(
        actor=user_or_none(actor),
        actor_label=label or "system",
        organisation_id=organisation.pk if organisation is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        summary=summary[:500],
        reason=reason[:500],
    )


def audit_record_many(
    *,
    actor: Actor,
    organisation: Tenant,
    action: AuditAction,
    subject_type: str,
    subject_ids: Iterable[object],
    summary: str,
    reason: str = "",
) -> int:
    """One event per subject, written in one statement (exports touch many records)."""
    label = getattr(actor, "email", "") if actor is not None else ""
    events = [
        AuditEvent(
            actor=user_or_none(actor),
            actor_label=label or "system",
            organisation_id=organisation.pk if organisation is not None else None,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            summary=summary[:500],
            reason=reason[:500],
        )
        for subject_id in subject_ids
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
