"""The evaluation pages for staff: the list of evaluations (open, overdue, complete),
one activity's evaluation with its four parts and the principles of the pledge, the
forms its lead organisation's team fills in, a participant's paper answers typed in,
and the printable link and QR code for participants. Thin: each view parses, calls one
service or selector, and renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.accounts.sign_in.selectors import qr_code_svg
from engage.activities.models import Activity
from engage.activities.selectors import activity_get
from engage.core.access import require_permission
from engage.core.errors import InvalidInput, NotFound
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.pagination import page_of
from engage.core.roles import Permission
from engage.evaluation import selectors, services
from engage.evaluation.forms import (
    CostForm,
    InfluenceForm,
    ParticipantAnswerForm,
    ParticipantsCloseForm,
    PrinciplesForm,
)
from engage.evaluation.models import EVALUATION_DUE_DAYS, evaluation_due_on


def _activity(activity_id: int) -> Activity:
    activity = activity_get(activity_id=activity_id)
    if activity is None:
        raise NotFound("There is no such activity in the register.")
    return activity


def _may_evaluate(request: ScopedRequest, activity: Activity) -> bool:
    """Only the lead organisation's team writes its evaluation."""
    return (
        getattr(request.organisation, "pk", None) == activity.lead_organisation_id
        and Permission.REGISTER_ACTIVITIES in request.permissions
    )


@require_permission(Permission.VIEW_REGISTER)
@require_GET
def evaluation_list(request: ScopedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    mine = request.GET.get("mine") == "1" and request.organisation is not None
    search = request.GET.get("q", "").strip()[:100]
    organisation = request.organisation if mine else None
    page = page_of(
        selectors.evaluation_list(state=state, organisation=organisation, search=search),
        request.GET.get("page"),
        25,
    )
    for activity in page.object_list:
        activity.evaluation_due_on = evaluation_due_on(activity.ends_on)
    return render(
        request,
        "evaluation/list.html",
        {
            "page": page,
            "state": state if state in selectors.STATE_WORDS else "",
            "mine": mine,
            "search": search,
            "counts": selectors.evaluation_counts(organisation_id=organisation.pk if organisation else None),
            "state_words": selectors.STATE_WORDS,
            "state_colours": selectors.STATE_COLOURS,
            "due_weeks": EVALUATION_DUE_DAYS // 7,
        },
    )


def _detail(request: ScopedRequest, activity: Activity, status: int = 200, **bound: Any) -> HttpResponse:
    view = selectors.evaluation_view(
        activity=activity,
        viewer_organisation=request.organisation,
        may_read_comments=Permission.VIEW_CONVERSATIONS in request.permissions,
    )
    evaluation = view.evaluation
    may_evaluate = _may_evaluate(request, activity)
    forms: dict[str, Any] = {}
    if may_evaluate:
        forms = {
            "cost_form": CostForm(
                initial={
                    "staff_hours": evaluation.staff_hours,
                    "volunteer_hours": evaluation.volunteer_hours,
                    "cost_pounds": evaluation.cost_pounds,
                    "what_worked": evaluation.what_worked,
                    "what_did_not": evaluation.what_did_not,
                }
                if evaluation
                else None
            ),
            "close_form": ParticipantsCloseForm(),
            "influence_form": InfluenceForm(
                initial={"influence_note": evaluation.influence_note if evaluation else ""}
            ),
            "principles_form": PrinciplesForm(
                principles=[row.principle for row in view.principles],
                initial_met={row.principle.pk: row.met for row in view.principles},
            ),
        }
        forms.update(bound)
    return render(
        request,
        "evaluation/detail.html",
        {
            "view": view,
            "may_evaluate": may_evaluate,
            "state_colours": selectors.STATE_COLOURS,
            "has_errors": any(form.errors for form in bound.values()),
            **forms,
        },
        status=status,
    )


@require_permission(Permission.VIEW_REGISTER)
@require_GET
def evaluation_detail(request: ScopedRequest, activity_id: int) -> HttpResponse:
    return _detail(request, _activity(activity_id))


def _back(activity_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("evaluation:detail", kwargs={"activity_id": activity_id}) + f"#{anchor}")


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def evaluation_open(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    if not _may_evaluate(request, activity):
        raise NotFound("Only the lead organisation's team evaluates an activity.")
    try:
        services.evaluation_open(activity=activity)
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, "The evaluation is open, with its link for participants.")
    return _back(activity_id, "participants")


def _part_saved(
    request: ScopedRequest,
    activity: Activity,
    form: Any,
    *,
    name: str,
    anchor: str,
    done: str,
    save: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """One part's form: saved by `save` (a service, given the form's cleaned data) and
    back to the part, or the page again with the form's errors beside its fields."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, done)
            return _back(activity.pk, anchor)
    return _detail(request, activity, status=400, **{name: form})


def _writer(request: ScopedRequest, activity: Activity) -> dict[str, Any]:
    return {"actor": request.user, "organisation": request.organisation, "activity_id": activity.pk}


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def evaluation_cost(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    return _part_saved(
        request, activity, CostForm(request.POST), name="cost_form", anchor="cost",
        done="Saved the cost and effort, and what worked.",
        save=lambda data: services.evaluation_cost_record(**_writer(request, activity), **data),
    )  # fmt: skip


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def participants_close(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    return _part_saved(
        request, activity, ParticipantsCloseForm(request.POST), name="close_form", anchor="participants",
        done="Closed: the link takes no more answers.",
        save=lambda data: services.evaluation_participants_close(
            **_writer(request, activity), not_asked=data["not_asked"]
        ),
    )  # fmt: skip


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def participants_reopen(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    try:
        services.evaluation_participants_reopen(**_writer(request, activity))
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
        return _detail(request, activity, status=400)
    messages.success(request, "Open again: the link takes answers.")
    return _back(activity.pk, "participants")


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def evaluation_influence(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    return _part_saved(
        request, activity, InfluenceForm(request.POST), name="influence_form", anchor="influence",
        done="Saved what it has influenced so far.",
        save=lambda data: services.evaluation_influence_note(
            **_writer(request, activity), note=data["influence_note"]
        ),
    )  # fmt: skip


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def evaluation_principles(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    form = PrinciplesForm(request.POST, principles=list(selectors.principle_list()), initial_met={})
    return _part_saved(
        request, activity, form, name="principles_form", anchor="principles",
        done="Saved how far the activity kept the pledge.",
        save=lambda _: services.principles_assess(**_writer(request, activity), assessed=form.assessed()),
    )  # fmt: skip


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def answer_enter(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """A participant's answers from a paper form, typed in by the lead organisation."""
    activity = _activity(activity_id)
    if not _may_evaluate(request, activity):
        raise NotFound("Only the lead organisation's team types in its participants' answers.")
    form = ParticipantAnswerForm(request.POST or None, on_paper=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_answer_enter(
                actor=request.user,
                organisation=request.organisation,
                activity_id=activity.pk,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
                answered_on=form.cleaned_data.get("answered_on"),
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Saved. Type in the next paper form, or go back to the evaluation.")
            return redirect("evaluation:answer-enter", activity_id=activity.pk)
    return render(
        request,
        "evaluation/answer_enter.html",
        {"activity": activity, "form": form},
        status=400 if form.errors else 200,
    )


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_GET
def participants_print(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """The participants' link and its QR code, to print on a handout or a poster."""
    activity = _activity(activity_id)
    if not _may_evaluate(request, activity):
        raise NotFound("Only the lead organisation's team prints its participants' link.")
    evaluation = selectors.evaluation_of(activity=activity)
    if evaluation is None:
        return _back(activity.pk, "participants")
    link = request.build_absolute_uri(reverse("site:evaluate", kwargs={"token": evaluation.public_token}))
    return render(
        request,
        "evaluation/print.html",
        {"activity": activity, "link": link, "qr_code": qr_code_svg(link)},
    )
