"""Staff pages for discovering new themes: look for groups, then merge, split, name and
promote them. Thin: each parses the form, calls one service or selector, and renders.

Only redacted text is shown, and only the organisation's own conversations: every read
goes through the selectors, which scope by `request.organisation`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from engage.activities.selectors import activity_list
from engage.conversations.models import Channel
from engage.core.access import require_permission
from engage.core.errors import DomainError
from engage.core.http import ScopedRequest, back_with_message, int_param, int_params
from engage.core.roles import Permission
from engage.insight import selectors
from engage.insight.discovery import services as discovery_services
from engage.insight.filters import ThemeFilters, filtered_conversations, theme_filters
from engage.insight.framework import services as framework_services
from textkit.discover import MAX_SPLIT


def _described(filters: ThemeFilters, activities: list[Any]) -> str:
    """The set of conversations in words, as the list of discoveries shows it."""
    parts = []
    if filters.channel:
        parts.append(str(Channel(filters.channel).label))
    if filters.activity_id:
        title = next(
            (a.title for a in activities if a.pk == filters.activity_id), f"activity {filters.activity_id}"
        )
        parts.append(title)
    if filters.date_from:
        parts.append(f"from {date_format(filters.date_from, 'j F Y')}")
    if filters.date_to:
        parts.append(f"to {date_format(filters.date_to, 'j F Y')}")
    return ", ".join(parts) or "All your organisation's conversations"


def _activities(request: ScopedRequest) -> list[Any]:
    return list(activity_list(organisation_id=getattr(request.organisation, "pk", None))[:200])


@require_permission(Permission.MANAGE_INSIGHT)
@require_http_methods(["GET", "POST"])
def discover(request: ScopedRequest) -> HttpResponse:
    """Choose a set of conversations and look for groups in it; earlier discoveries."""
    activities = _activities(request)
    if request.method == "POST":
        filters = theme_filters(request.POST)
        discovery = discovery_services.theme_discovery_create(
            actor=request.user,
            organisation=request.organisation,
            conversations=filtered_conversations(request.organisation, request.permissions, filters),
            described_as=_described(filters, activities),
            filters={
                key: value
                for key, value in request.POST.items()
                if key in {"channel", "activity", "from", "to"}
            },
        )
        return redirect("insight:discovery", discovery_id=discovery.pk)
    return render(
        request,
        "insight/discover.html",
        {
            "filters": theme_filters(request.GET),
            "channels": Channel.choices,
            "activities": activities,
            "limit": discovery_services.DISCOVER_LIMIT,
            "earlier": selectors.theme_discovery_list(organisation=request.organisation),
        },
    )


@require_permission(Permission.MANAGE_INSIGHT)
def discovery(request: ScopedRequest, discovery_id: int) -> HttpResponse:
    """The groups of one discovery, to merge, split, name and promote."""
    shown = selectors.theme_discovery_get(
        actor=request.user, organisation=request.organisation, discovery_id=discovery_id
    )
    if shown is None:
        raise Http404("There is no such discovery.")
    framework = framework_services.framework_in_use()
    return render(
        request,
        "insight/discovery.html",
        {
            "shown": shown,
            "parents": selectors.parent_categories(framework),
            "max_split": MAX_SPLIT,
        },
    )


def _back(request: ScopedRequest, discovery_id: int, error: DomainError | None, success: str) -> HttpResponse:
    back = reverse("insight:discovery", kwargs={"discovery_id": discovery_id})
    if error is not None:
        return back_with_message(request, error, back)
    messages.success(request, success)
    return redirect(back)


@require_permission(Permission.MANAGE_INSIGHT)
@require_POST
def groups_merge(request: ScopedRequest, discovery_id: int) -> HttpResponse:
    chosen = int_params(request.POST.getlist("group"), field="group")
    try:
        merged = discovery_services.discovered_groups_merge(
            actor=request.user, organisation=request.organisation, discovery_id=discovery_id, group_ids=chosen
        )
    except DomainError as error:
        return _back(request, discovery_id, error, "")
    words = ", ".join(merged.keywords) or "no shared words"
    return _back(
        request,
        discovery_id,
        None,
        f"{len(chosen)} groups are now one of {merged.size:,} conversations: {words}.",
    )


@require_permission(Permission.MANAGE_INSIGHT)
@require_POST
def group_split(request: ScopedRequest, discovery_id: int, theme_group_id: int) -> HttpResponse:
    try:
        made = discovery_services.discovered_group_split(
            actor=request.user,
            organisation=request.organisation,
            discovery_id=discovery_id,
            group_id=theme_group_id,
            parts=int_param(request.POST.get("parts"), field="parts") or 2,
        )
    except DomainError as error:
        return _back(request, discovery_id, error, "")
    return _back(
        request,
        discovery_id,
        None,
        f"The group is now {len(made)} groups: "
        + "; ".join(", ".join(group.keywords) or "no shared words" for group in made)
        + ".",
    )


@require_permission(Permission.MANAGE_INSIGHT)
@require_POST
def group_promote(request: ScopedRequest, discovery_id: int, theme_group_id: int) -> HttpResponse:
    try:
        category = discovery_services.discovered_group_promote(
            actor=request.user,
            organisation=request.organisation,
            discovery_id=discovery_id,
            group_id=theme_group_id,
            name=request.POST.get("name", ""),
            parent_id=int_param(request.POST.get("parent"), field="parent"),
            description=request.POST.get("description", ""),
        )
    except DomainError as error:
        return _back(request, discovery_id, error, "")
    parent = category.parent.name if category.parent else "the framework"
    return _back(
        request,
        discovery_id,
        None,
        f"{category.name} is now a theme under {parent}. Train a new model to find it in every conversation.",
    )
