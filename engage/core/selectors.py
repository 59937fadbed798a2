"""Reading the audit log."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from engage.core.models import AuditEvent
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
    administrators only); otherwise the events of that organisation."""
    events = AuditEvent.objects.select_related("organisation")
    if organisation is not None:
        events = events.for_organisation(organisation)
    if action:
        events = events.filter(action=action)
    if subject_type:
        events = events.filter(subject_type=subject_type)
    if subject_id:
        events = events.filter(subject_id=subject_id)
    if actor_label:
        events = events.filter(actor_label__icontains=actor_label)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events
