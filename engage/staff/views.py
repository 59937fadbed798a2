"""The staff area's own pages: the dashboard and the audit trail."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from engage.core.access import require_permission, require_sign_in
from engage.core.models import AuditAction
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.core.selectors import audit_event_list
from engage.partners.models import ConsentPurpose, PersonRoleKind
from engage.partners.selectors import organisation_people_summary, partnership_summary


@require_sign_in
def home(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    own = None
    if Permission.VIEW_PEOPLE in request.permissions:  # type: ignore[attr-defined]
        own = organisation_people_summary(organisation=organisation)
    return render(request, "staff/home.html", {
        "summary": partnership_summary(), "own": own,
        "consent_labels": dict(ConsentPurpose.choices), "role_labels": dict(PersonRoleKind.choices),
    })


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_permission(Permission.VIEW_ORGANISATION_AUDIT)
def audit(request: HttpRequest) -> HttpResponse:
    """An organisation's trail; a partnership administrator may look across all."""
    partnership_wide = Permission.VIEW_PARTNERSHIP_AUDIT in request.permissions  # type: ignore[attr-defined]
    everyone = partnership_wide and request.GET.get("scope") == "all"
    filters = {
        "action": request.GET.get("action", "") if request.GET.get("action") in AuditAction.values else "",
        "subject_type": request.GET.get("subject_type", "")[:40],
        "subject_id": request.GET.get("subject_id", "")[:64],
        "actor_label": request.GET.get("actor", "")[:100],
        "since": _parse_date(request.GET.get("since", "")),
        "until": _parse_date(request.GET.get("until", "")),
    }
    events = audit_event_list(organisation=None if everyone else request.organisation, **filters)  # type: ignore[attr-defined]
    return render(request, "staff/audit.html", {
        "page": paginate(request, events, per_page=100), "filters": filters, "everyone": everyone,
        "partnership_wide": partnership_wide, "actions": AuditAction.choices,
    })
