"""Reading the audit log, and the partnership's name."""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from engage.core.models import AuditEvent, AuditEventSubject, Partnership
from engage.core.types import Tenant

# Every page names the partnership, so its name is kept in each process for a short
# while rather than read for every page. A write in this process forgets it at once
# (partnership_name_forget); other processes (the worker, other web processes) read it
# again within NAME_KEPT_SECONDS.
NAME_KEPT_SECONDS = 30.0
_name_kept: list[tuple[float, str]] = []


def partnership_get() -> Partnership | None:
    """The partnership, once it is set up."""
    return Partnership.objects.filter(pk=1).first()


def partnership_name() -> str:
    """The partnership's name as set up, or ENGAGE_PARTNERSHIP_NAME before it is."""
    now = time.monotonic()
    if _name_kept and now - _name_kept[0][0] < NAME_KEPT_SECONDS:
        return _name_kept[0][1]
    name = Partnership.objects.filter(pk=1).values_list("name", flat=True).first()
    name = name or settings.ENGAGE_PARTNERSHIP_NAME
    _name_kept[:] = [(now, name)]
    return name


def partnership_name_forget() -> None:
    """Read the name afresh next time (after it is written, or a test's database rolled back)."""
    _name_kept.clear()


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
