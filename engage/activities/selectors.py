"""Reads of the engagement register. Activities are visible to every partner."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from engage.accounts.models import User
from engage.activities.models import Activity, ActivitySeries, Area, PartnershipPriority, Screening, Status
from engage.core.pagination import Shortlist, no_shortlist, shortlist
from engage.partners.models import Organisation


def area_list(*, keeping: Iterable[int] = (), retired: bool = False) -> QuerySet[Area]:
    """The areas in use, with the retired ones too if `retired` (to find past
    activities by), or only those of them in `keeping` (an activity's own, so that
    changing the activity keeps them)."""
    areas = Area.objects.select_related("parent").order_by("kind", "name")
    if retired:
        return areas
    return areas.filter(Q(retired_on__isnull=True) | Q(pk__in=list(keeping)))


def area_with_related(area_ids: list[int]) -> set[int]:
    """The areas given, their ancestors and their descendants: an activity in a ward
    reaches the same people as one in its locality or across the whole place."""
    areas = {a.pk: a for a in Area.objects.all().only("id", "parent_id")}
    children: dict[int, list[int]] = {}
    for area in areas.values():
        if area.parent_id:
            children.setdefault(area.parent_id, []).append(area.pk)
    related: set[int] = set()
    for start in area_ids:
        node: int | None = start
        while node is not None and node not in related:  # ancestors
            related.add(node)
            node = areas[node].parent_id if node in areas else None
        stack = list(children.get(start, []))
        while stack:  # descendants
            child = stack.pop()
            if child not in related:
                related.add(child)
                stack.extend(children.get(child, []))
    return related


def priority_list(*, active_only: bool = True) -> QuerySet[PartnershipPriority]:
    priorities = PartnershipPriority.objects.all()
    return priorities.filter(is_active=True) if active_only else priorities


def activity_list(
    *,
    search: str = "",
    organisation_id: int | None = None,
    priority_id: int | None = None,
    target_group: str = "",
    area_id: int | None = None,
    stage: str = "",
    level: str = "",
    status: str = "",
    starts_after: date | None = None,
    ends_before: date | None = None,
) -> QuerySet[Activity]:
    activities = Activity.objects.select_related("lead_organisation", "series").prefetch_related(
        "priorities", "areas", "partner_organisations"
    )
    for word in search.split():
        activities = activities.filter(
            Q(title__icontains=word) | Q(topic__icontains=word) | Q(purpose__icontains=word)
        )
    if organisation_id:
        activities = activities.filter(
            Q(lead_organisation_id=organisation_id) | Q(partner_organisations__id=organisation_id)
        )
    if priority_id:
        activities = activities.filter(priorities__id=priority_id)
    if target_group:
        # JSON lists are matched as text so the same query runs on SQLite and PostgreSQL.
        activities = activities.filter(target_groups__icontains=f'"{target_group}"')
    if area_id:
        activities = activities.filter(areas__id__in=area_with_related([area_id]))
    if stage:
        activities = activities.filter(stage=stage)
    if level:
        activities = activities.filter(level=level)
    if status:
        activities = activities.filter(status=status)
    if starts_after:
        activities = activities.filter(ends_on__gte=starts_after)
    if ends_before:
        activities = activities.filter(starts_on__lte=ends_before)
    return activities.distinct().order_by("-starts_on", "title", "id")


def activity_get(*, activity_id: int) -> Activity | None:
    return activity_list().filter(pk=activity_id).first()


def _looked_after_by(user: User) -> Q:
    return Q(contact=user) | Q(created_by=user)


def activity_list_looked_after(
    *, organisation: Organisation | None, user: User | None, limit: int = 6
) -> Shortlist[Activity]:
    """The organisation's activities a member of staff looks after (they are its
    contact, or registered it) and that are not closed, the soonest to end first: the
    ones that may still need them, past ones waiting for feedback included."""
    if organisation is None or user is None:
        return no_shortlist()
    return shortlist(
        Activity.objects.filter(_looked_after_by(user), lead_organisation=organisation)
        .exclude(status=Status.CLOSED)
        .select_related("lead_organisation")
        .order_by("ends_on", "title", "id"),
        limit,
    )


def activity_list_current_and_upcoming(
    *,
    organisation: Organisation | None,
    leaving_out_those_of: User | None = None,
    today: date | None = None,
    limit: int = 6,
) -> Shortlist[Activity]:
    """The organisation's activities, led or joined as a partner, that have not ended
    and are not closed: those under way first, then those to come, by start date.
    `leaving_out_those_of`: a member of staff whose own activities are listed apart."""
    if organisation is None:
        return no_shortlist()
    today = today or timezone.localdate()
    activities = Activity.objects.filter(
        Q(lead_organisation=organisation) | Q(partner_organisations=organisation), ends_on__gte=today
    ).exclude(status=Status.CLOSED)
    if leaving_out_those_of is not None:
        activities = activities.exclude(
            _looked_after_by(leaving_out_those_of), lead_organisation=organisation
        )
    return shortlist(
        activities.select_related("lead_organisation").distinct().order_by("starts_on", "title", "id"),
        limit,
    )


def contact_route(*, activity: Activity, viewer_organisation: Organisation | None) -> dict[str, str]:
    """How a viewer reaches the activity's contact. The lead organisation sees its own
    member of staff; everyone else sees the organisation's shared address, so staff
    details stay with the organisation that holds them."""
    lead = activity.lead_organisation
    if viewer_organisation is not None and viewer_organisation.pk == lead.pk and activity.contact:
        return {
            "name": activity.contact.get_full_name() or activity.contact.email,
            "email": activity.contact.email,
        }
    return {"name": lead.name, "email": lead.contact_email}


def series_list() -> QuerySet[ActivitySeries]:
    return ActivitySeries.objects.select_related("lead_organisation").order_by("title")


def staff_of(*, organisation: Organisation | None) -> QuerySet[User]:
    """Staff who can be named as an activity's contact: the organisation's own users."""
    if organisation is None:
        return User.objects.none()
    return (
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .distinct()
        .order_by("email")
    )


def screening_for_prefill(*, screening_id: int | None) -> dict[str, Any] | None:
    """What a screening recommended, as the starting values of a new activity."""
    if screening_id is None:
        return None
    screening = Screening.objects.filter(pk=screening_id).first()
    if screening is None:
        return None
    recommendation = screening.recommendation or {}
    return {
        "title": screening.title,
        "involvement_type": recommendation.get("involvement_type", ""),
        "level": recommendation.get("level", ""),
        "methods": [m for m in recommendation.get("methods", []) if isinstance(m, str)],
        "target_groups": [
            g
            for g in recommendation.get("target_groups", (screening.answers or {}).get("affected", []))
            if isinstance(g, str)
        ],
    }
