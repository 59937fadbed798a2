"""The staff area's own pages: the dashboard and the audit trail."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from engage.core.access import require_permission, require_sign_in
from engage.core.http import ScopedRequest
from engage.core.models import AuditAction
from engage.core.pagination import paginate
from engage.core.roles import Permission, Role
from engage.core.selectors import audit_event_list
from engage.insight.selectors import NEW_THEME_DAYS
from engage.partners.models import ConsentPurpose, PersonRoleKind
from engage.staff.selectors import start_page


@require_sign_in
def home(request: ScopedRequest) -> HttpResponse:
    """The start page: what the person looks after, what waits for them, what is new."""
    today = timezone.localdate()
    return render(
        request,
        "staff/home.html",
        {
            "start": start_page(
                organisation=request.organisation,
                user=request.user,
                permissions=request.permissions,
                today=today,
            ),
            "today": today,
            "new_theme_days": NEW_THEME_DAYS,
            "consent_labels": dict(ConsentPurpose.choices),
            "role_names": [Role(r).label.lower() for r in sorted(request.roles)],
            "role_labels": dict(PersonRoleKind.choices),
        },
    )


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_permission(Permission.VIEW_ORGANISATION_AUDIT)
def audit(request: ScopedRequest) -> HttpResponse:
    """An organisation's trail; a partnership administrator may look across all."""
    partnership_wide = Permission.VIEW_PARTNERSHIP_AUDIT in request.permissions
    everyone = partnership_wide and request.GET.get("scope") == "all"
    filters = {
        "action": request.GET.get("action", "") if request.GET.get("action") in AuditAction.values else "",
        "subject_type": request.GET.get("subject_type", "")[:40],
        "subject_id": request.GET.get("subject_id", "")[:64],
        "actor_label": request.GET.get("actor", "")[:100],
        "since": _parse_date(request.GET.get("since", "")),
        "until": _parse_date(request.GET.get("until", "")),
    }
    events = audit_event_list(
        organisation=None if everyone else request.organisation,
        action=str(filters["action"]),
        subject_type=str(filters["subject_type"]),
        subject_id=str(filters["subject_id"]),
        actor_label=str(filters["actor_label"]),
        since=_parse_date(request.GET.get("since", "")),
        until=_parse_date(request.GET.get("until", "")),
    )
    return render(
        request,
        "staff/audit.html",
        {
            "page": paginate(request, events, per_page=100),
            "filters": filters,
            "everyone": everyone,
            "partnership_wide": partnership_wide,
            "actions": AuditAction.choices,
        },
    )
