"""The partnership's picture, for every role: themes, sentiment and trends over what
partners share; one group against everyone else; relational care over time; and search
across the partnership. Figures only, under disclosure control, and quotes their own
organisation approved and chose to share (selectors.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from engage.core.access import require_permission
from engage.core.http import ScopedRequest
from engage.core.roles import Permission
from engage.partners.models import OrganisationKind
from engage.partnership import selectors
from engage.partnership.filters import PictureFilters, picture_filters
from engage.partnership.sharing.selectors import organisation_sharing_get


def _context(request: ScopedRequest, filters: PictureFilters, **more: Any) -> dict[str, Any]:
    return {
        "filters": filters,
        "kinds": OrganisationKind.choices,
        "groups": selectors.group_choices(),
        "own_sharing": organisation_sharing_get(organisation=request.organisation),
        "state": selectors.picture_state(),
        **more,
    }


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def picture(request: ScopedRequest) -> HttpResponse:
    filters = picture_filters(request.GET)
    summary = selectors.picture_summary(filters)
    return render(request, "partnership/picture.html", _context(request, filters, summary=summary))


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def compare(request: ScopedRequest) -> HttpResponse:
    """A group against everyone else; without a group, the page asks for one."""
    filters = picture_filters(request.GET)
    crosstab = selectors.picture_crosstab(filters) if filters.group else None
    return render(request, "partnership/compare.html", _context(request, filters, crosstab=crosstab))


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def relational_care(request: ScopedRequest) -> HttpResponse:
    filters = picture_filters(request.GET)
    care = selectors.relational_care(filters)
    return render(request, "partnership/relational_care.html", _context(request, filters, care=care))


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def search(request: ScopedRequest) -> HttpResponse:
    filters = picture_filters(request.GET)
    found = selectors.partnership_search(filters, words=request.GET.get("q", "")[:200])
    return render(request, "partnership/search.html", _context(request, filters, found=found))
