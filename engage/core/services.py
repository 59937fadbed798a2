"""Writing the audit log. Every service that touches a person's record calls this
inside its own transaction, so the change and its audit record land together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engage.core.models import AuditAction, AuditEvent, AuditEventSubject
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


# How a kind of record reads in the plural, where adding an s would not do.
PLURALS = {"person": "people"}


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
    """One event for many records (a page of a list, an export), naming how many, with
    each record kept beside it (AuditEventSubject): the trail stays readable, one line
    a page rather than twenty, and a search for any one record still finds it. Nothing
    is written for no records. Answers the number of records."""
    ids = [str(subject_id) for subject_id in subject_ids]
    if not ids:
        return 0
    label = getattr(actor, "email", "") if actor is not None else ""
    noun = subject_type if len(ids) == 1 else PLURALS.get(subject_type, f"{subject_type}s")
    event = AuditEvent.objects.create(
        actor=user_or_none(actor),
        actor_label=label or "system",
        organisation_id=organisation.pk if organisation is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=ids[0] if len(ids) == 1 else "",
        summary=f"{summary.rstrip('.')}: {len(ids):,} {noun}."[:500],
        reason=reason[:500],
    )
    AuditEventSubject.objects.bulk_create(
        [AuditEventSubject(event=event, subject_id=subject_id) for subject_id in ids], batch_size=1000
    )
    return len(ids)
