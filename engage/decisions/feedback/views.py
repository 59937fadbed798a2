"""Staff pages for telling people what was done: who from the organisation took part in
an activity (the people it may email when a decision is published), and trying again
the emails that failed.

Participants are personal data of the organisation that holds them: each partner sees
and changes only its own, whoever leads the activity (the selectors scope it).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from engage.activities.selectors import activity_get
from engage.core.access import require_permission
from engage.core.errors import DomainError
from engage.core.http import ScopedRequest, back_with_message, int_param, int_params
from engage.core.roles import Permission
from engage.decisions import selectors
from engage.decisions.feedback import services as feedback_services
from engage.partners.selectors import group_list


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


@require_permission(Permission.VIEW_PEOPLE)
def participants(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """Who from the organisation took part, whether each can be told, and finding more."""
    activity = activity_get(activity_id=activity_id)
    if activity is None:
        raise Http404("There is no such activity.")
    search = request.GET.get("q", "").strip()[:100]
    listed = selectors.participant_list(organisation=request.organisation, activity_id=activity.pk)
    return render(
        request,
        "decisions/participants.html",
        {
            "activity": activity,
            "participants": listed,
            "can_be_told": sum(1 for p in listed if not p.why_not),
            "search": search,
            "candidates": selectors.participant_candidates(
                organisation=request.organisation, activity_id=activity.pk, search=search
            ),
            # Only the organisation's own groups: their members are its people.
            "groups": group_list(organisation_id=request.organisation.pk) if request.organisation else [],
        },
    )


@require_permission(Permission.EDIT_PEOPLE)
@require_POST
def participants_add(request: ScopedRequest, activity_id: int) -> HttpResponse:
    try:
        added = feedback_services.participation_add(
            actor=request.user,
            organisation=request.organisation,
            activity_id=activity_id,
            person_ids=int_params(request.POST.getlist("person"), field="person"),
            group_id=int_param(request.POST.get("group"), field="group"),
        )
    except DomainError as error:
        return back_with_message(
            request, error, reverse("decisions:participants", kwargs={"activity_id": activity_id})
        )
    messages.success(request, f"{_people(added)} added to those who took part.")
    return redirect("decisions:participants", activity_id=activity_id)


@require_permission(Permission.EDIT_PEOPLE)
@require_POST
def participants_remove(request: ScopedRequest, activity_id: int) -> HttpResponse:
    try:
        removed = feedback_services.participation_remove(
            actor=request.user,
            organisation=request.organisation,
            activity_id=activity_id,
            person_ids=int_params(request.POST.getlist("person"), field="person"),
        )
    except DomainError as error:
        return back_with_message(
            request, error, reverse("decisions:participants", kwargs={"activity_id": activity_id})
        )
    messages.success(request, f"{_people(removed)} removed from those who took part.")
    return redirect("decisions:participants", activity_id=activity_id)


@require_permission(Permission.VIEW_PEOPLE)
@require_POST
def feedback_retry(request: ScopedRequest, decision_id: int) -> HttpResponse:
    """Send again, now, the organisation's emails about a decision that failed."""
    again = feedback_services.feedback_retry(
        actor=request.user, organisation=request.organisation, decision_id=decision_id
    )
    messages.success(request, f"{again} email{'' if again == 1 else 's'} will be sent again.")
    return redirect("decisions:decision-detail", decision_id=decision_id)
