"""Reading the audit log."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from engage.core.models import AuditEvent, AuditEventSubject
from engage.core.types import Tenant


def audit_event_list(
    *,
    organisation: Tenant,
    action: str = "",
    subject_type: str = "",
    subject_id: str = "",
    actor_label: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first. `organisation=None` means the whole partnership (its
    administrators only); otherwise the events of that organisation. A record's events
    include those about many records that touched it (a page it was listed on)."""
    events = AuditEvent.objects.select_related("organisation").prefetch_related("subjects")
    if organisation is not None:
        events = events.for_organisation(organisation)
    if action:
        events = events.filter(action=action)
    if subject_type:
        events = events.filter(subject_type=subject_type)
    if subject_id:
        events = events.filter(about_record(subject_id))
    if actor_label:
        events = events.filter(actor_label__icontains=actor_label)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def about_record(subject_id: str) -> Q:
    """Events about the record with this id, alone or among many (kind aside: filter
    `subject_type` too where the kind is known)."""
    return Q(subject_id=subject_id) | Q(
        pk__in=AuditEventSubject.objects.filter(subject_id=subject_id).values("event_id")
    )
