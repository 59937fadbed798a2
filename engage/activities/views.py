"""Staff pages of the engagement register: the list, calendar and timeline, one
activity, registering and changing an activity with overlap warnings, the priority
coverage matrix, and the partnership's priorities."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engage.activities import exports, overlap, planning, selectors, services, steps
from engage.activities.forms import ActivityForm, PriorityForm
from engage.activities.models import Activity, Level, Method, OverlapDecision, Stage, Status, TargetGroup
from engage.core.access import require_permission
from engage.core.errors import DomainError, InvalidInput, NotFound
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest, int_param
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.decisions.selectors import decision_list, publication_of
from engage.evaluation.selectors import STATE_COLOURS as EVALUATION_COLOURS
from engage.evaluation.selectors import STATE_WORDS as EVALUATION_WORDS
from engage.evaluation.selectors import evaluation_counts, evaluation_states
from engage.partners.selectors import organisation_list
from engage.partnership.before_you_ask.selectors import before_you_ask
from engage.partnership.sharing.selectors import activity_sharing


def _filters(request: ScopedRequest) -> dict[str, Any]:
    """The register's filters, read from the query string; unknown values are ignored."""
    get = request.GET
    return {
        "search": get.get("q", "").strip()[:100],
        "organisation_id": int_param(get.get("organisation"), field="organisation"),
        "priority_id": int_param(get.get("priority"), field="priority"),
        "target_group": get.get("group", "") if get.get("group") in TargetGroup.values else "",
        "area_id": int_param(get.get("area"), field="area"),
        "stage": get.get("stage", "") if get.get("stage") in Stage.values else "",
        "level": get.get("level", "") if get.get("level") in Level.values else "",
        "status": get.get("status", "") if get.get("status") in Status.values else "",
    }


def _filter_context(request: ScopedRequest, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "filters": filters,
        "organisation_choices": [(o.pk, o.name) for o in organisation_list(active_only=True)],
        "priority_choices": [(p.pk, p.title) for p in selectors.priority_list()],
        "group_choices": TargetGroup.choices,
        "area_choices": [
            (a.pk, f"{a.name} (retired)" if a.retired_on else a.name)
            for a in selectors.area_list(retired=True)
        ],
        "stage_choices": Stage.choices,
        "level_choices": Level.choices,
        "status_choices": Status.choices,
        "query": request.GET.urlencode(),
    }


@require_permission(Permission.VIEW_REGISTER)
def activity_list(request: ScopedRequest) -> HttpResponse:
    filters = _filters(request)
    page = paginate(request, selectors.activity_list(**filters), per_page=25)
    # Each ended activity's evaluation, and how many are overdue, as with overdue feedback.
    evaluations = evaluation_states(activity_ids=[a.pk for a in page])
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "evaluations": evaluations,
            "evaluation_words": EVALUATION_WORDS,
            "evaluation_colours": EVALUATION_COLOURS,
            "evaluations_overdue": evaluation_counts().overdue,
            **_filter_context(request, filters),
        },
    )


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_permission(Permission.VIEW_REGISTER)
def activity_calendar(request: ScopedRequest) -> HttpResponse:
    filters = _filters(request)
    month = _month(request.GET.get("month", ""))
    calendar = planning.month_calendar(month=month, filters=filters, today=timezone.localdate())
    return render(
        request,
        "activities/activity_calendar.html",
        {"calendar": calendar, **_filter_context(request, filters)},
    )


@require_permission(Permission.VIEW_REGISTER)
def activity_timeline(request: ScopedRequest) -> HttpResponse:
    filters = _filters(request)
    start = _month(request.GET.get("from", "")) if request.GET.get("from") else None
    timeline = planning.timeline(filters=filters, today=timezone.localdate(), start=start)
    return render(
        request,
        "activities/activity_timeline.html",
        {"timeline": timeline, **_filter_context(request, filters)},
    )


@require_permission(Permission.VIEW_REGISTER)
def activity_export_csv(request: ScopedRequest) -> HttpResponse:
    activities = selectors.activity_list(**_filters(request))
    response = HttpResponse(exports.activities_csv(activities), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="engagement-register-{timezone.localdate()}.csv"'
    return response


@require_permission(Permission.VIEW_REGISTER)
def activity_export_ical(request: ScopedRequest) -> HttpResponse:
    activities = selectors.activity_list(**_filters(request))
    response = HttpResponse(
        exports.activities_ical(activities, host=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="engagement-register-{timezone.localdate()}.ics"'
    return response


@require_permission(Permission.VIEW_REGISTER)
def activity_detail(request: ScopedRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(activity_id=activity_id)
    if activity is None:
        raise NotFound("There is no such activity in the register.")
    is_lead = activity.lead_organisation_id == getattr(request.organisation, "pk", None)
    overlaps = overlap.overlap_list(probe=overlap.ActivityProbe.from_activity(activity))
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "is_lead": is_lead and Permission.REGISTER_ACTIVITIES in request.permissions,
            "contact": selectors.contact_route(activity=activity, viewer_organisation=request.organisation),
            "overlaps": [
                (o, selectors.contact_route(activity=o.other, viewer_organisation=request.organisation))
                for o in overlaps
            ],
            "series_activities": selectors.activity_list()
            .filter(series=activity.series)
            .exclude(pk=activity.pk)
            if activity.series_id
            else [],
            "decisions": OverlapDecision.choices,
            # The trail from the activity to what was done because of it.
            "informed": list(decision_list(activity_id=activity.pk)),
            "publication": publication_of(activity),
            "method_names": [Method(m).label for m in activity.methods if m in Method.values],
            "group_names": [TargetGroup(g).label for g in activity.target_groups if g in TargetGroup.values],
            # What the viewer's organisation shares of its conversations of the activity.
            "sharing": activity_sharing(organisation=request.organisation, activity_id=activity.pk),
        },
    )


def _form(
    request: ScopedRequest,
    *,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    activity: Activity | None = None,
) -> ActivityForm:
    # An activity in an area since retired keeps it when changed.
    keeping = [area.pk for area in activity.areas.all()] if activity is not None else []
    return ActivityForm(
        data,
        initial=initial,
        priorities=selectors.priority_list(),
        areas=selectors.area_list(keeping=keeping),
        organisations=organisation_list(active_only=True),
        contacts=selectors.staff_of(organisation=request.organisation),
        series=selectors.series_list(),
    )


def _save(request: ScopedRequest, form: ActivityForm, activity_id: int | None) -> HttpResponse:
    """Save the activity; the service refuses one that overlaps others the person has
    not yet seen (OverlapsToConfirm), and the page then shows them."""
    data = form.to_input()
    seen = bool(form.cleaned_data.get("confirm_overlaps"))
    if activity_id is None:
        activity = services.activity_create(
            actor=request.user,
            organisation=request.organisation,
            data=data,
            screening_id=int_param(request.GET.get("screening"), field="screening"),
            overlaps_seen=seen,
        )
        messages.success(request, "The activity is in the register.")
    else:
        activity = services.activity_update(
            actor=request.user,
            organisation=request.organisation,
            activity_id=activity_id,
            data=data,
            overlaps_seen=seen,
        )
        messages.success(request, "The activity has been saved.")
    return redirect("activities:activity-detail", activity_id=activity.pk)


_ID = re.compile(r"[0-9]{1,12}")


def _heard(form: ActivityForm, activity: Any) -> Any:
    """What the partnership already heard about the activity as answered so far ("before
    you ask"), or None before its topic is known."""
    data = form.data if isinstance(form.data, QueryDict) else QueryDict()
    if not data or not any(str(data.get(name, "")).strip() for name in ("title", "topic", "purpose")):
        return None
    return before_you_ask(
        title=str(data.get("title", ""))[:200],
        topic=str(data.get("topic", ""))[:200],
        purpose=str(data.get("purpose", ""))[:2000],
        area_ids=[int(v) for v in data.getlist("area_ids") if _ID.fullmatch(str(v))][:50],
        target_groups=[str(v) for v in data.getlist("target_groups")][:20],
        exclude_activity_id=getattr(activity, "pk", None),
    )


def _step_page(
    request: ScopedRequest,
    form: ActivityForm,
    step: steps.Step,
    activity: Any,
    *,
    show_problems: bool,
) -> HttpResponse:
    """One step's questions; the answers to the others go along unseen."""
    problems = steps.errors_of(form, step) if show_problems and form.is_bound else {}
    steps.keep_only_errors(form, problems)
    return render(
        request,
        "activities/activity_step.html",
        {
            "form": form,
            "step": step,
            "number": steps.STEPS.index(step) + 1,
            "total": len(steps.STEPS),
            "previous": steps.step_before(step),
            "hidden": steps.hidden_answers(form, step),
            "reached_check": request.POST.get("reached_check") == "yes",
            "activity": activity,
            # Once the topic is known, what was already heard about it.
            "heard": _heard(form, activity) if steps.STEPS.index(step) > 0 else None,
        },
    )


def _check_page(
    request: ScopedRequest, form: ActivityForm, activity: Any, warnings: list[Any] | None = None
) -> HttpResponse:
    """Every answer with a way to change it, and what the service said of them."""
    form.is_valid()  # for the answers as read, and each problem beside its answer
    return render(
        request,
        "activities/activity_check.html",
        {
            "form": form,
            "answers": list(steps.check_your_answers(form)),
            "hidden": steps.hidden_answers(form, None),
            "warnings": warnings or [],
            "activity": activity,
            "heard": _heard(form, activity),
        },
    )


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def activity_edit(request: ScopedRequest, activity_id: int | None = None) -> HttpResponse:
    """Register an activity in steps, or change one your organisation leads from its
    check-your-answers page. A post without a step (the check page's, or any client's
    whole form) saves; overlapping activities are shown before saving, and saving again
    records that they were seen."""
    activity = None
    initial: dict[str, Any] = {"status": Status.PLANNED}
    if activity_id is not None:
        activity = selectors.activity_get(activity_id=activity_id)
        if activity is None or activity.lead_organisation_id != getattr(request.organisation, "pk", None):
            raise NotFound(
                "Only the lead organisation can change an activity, and yours does not lead this one."
            )
        initial = ActivityForm.initial_from(activity)
    elif screening := selectors.screening_for_prefill(
        screening_id=int_param(request.GET.get("screening"), field="screening")
    ):
        initial |= screening
    if request.method == "GET":
        form = _form(request, initial=initial, activity=activity)
        if activity is None:
            return _step_page(request, form, steps.STEPS[0], activity, show_problems=False)
        return _check_page(
            request, _form(request, data=steps.answers_from(form), activity=activity), activity
        )

    form = _form(request, data=request.POST, activity=activity)
    go = request.POST.get("go", "save")
    if go != "save":
        return _move(request, form, activity, go)
    warnings: list[Any] = []
    if form.is_valid():
        try:
            return _save(request, form, activity_id)
        except services.OverlapsToConfirm as found:
            warnings = [
                (o, selectors.contact_route(activity=o.other, viewer_organisation=request.organisation))
                for o in found.overlaps
            ]
        except InvalidInput as error:
            show_on_form(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
    return _check_page(request, form, activity, warnings)


def _move(request: ScopedRequest, form: ActivityForm, activity: Any, go: str) -> HttpResponse:
    """Continue from a step (its questions answered well), or go back to one."""
    step = steps.step_named(request.POST.get("step", ""))
    if go == "next" and step is not None:
        form.is_valid()
        if steps.errors_of(form, step):
            return _step_page(request, form, step, activity, show_problems=True)
        following = steps.step_after(step)
        if following is None or request.POST.get("reached_check") == "yes":
            return _check_page(request, form, activity)
        return _step_page(request, form, following, activity, show_problems=False)
    chosen = steps.step_named(go)
    if chosen is None:
        return _check_page(request, form, activity)
    return _step_page(request, form, chosen, activity, show_problems=False)


@require_permission(Permission.REGISTER_ACTIVITIES)
@require_POST
def overlap_review(request: ScopedRequest, activity_id: int, other_id: int) -> HttpResponse:
    try:
        services.overlap_review_record(
            actor=request.user,
            organisation=request.organisation,
            activity_id=activity_id,
            other_id=other_id,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", "")[:500],
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your decision about the overlap has been recorded.")
    return redirect("activities:activity-detail", activity_id=activity_id)


@require_permission(Permission.VIEW_REGISTER)
def coverage(request: ScopedRequest) -> HttpResponse:
    """The partnership's priorities against the activities that engage on them."""
    today = timezone.localdate()
    months = int_param(request.GET.get("months"), field="months", most=24) or 12
    months = months if months in (3, 6, 12, 24) else 12
    by = request.GET.get("by", "group") if request.GET.get("by") in ("group", "area") else "group"
    matrix = planning.coverage_matrix(today=today, months=months, by=by)
    return render(request, "activities/coverage.html", {"matrix": matrix, "months": months, "by": by})


@require_permission(Permission.MANAGE_PRIORITIES)
def priority_list(request: ScopedRequest) -> HttpResponse:
    return render(
        request, "activities/priority_list.html", {"priorities": selectors.priority_list(active_only=False)}
    )


@require_permission(Permission.MANAGE_PRIORITIES)
@require_http_methods(["GET", "POST"])
def priority_edit(request: ScopedRequest, priority_id: int | None = None) -> HttpResponse:
    priority = (
        selectors.priority_list(active_only=False).filter(pk=priority_id).first() if priority_id else None
    )
    if priority_id and priority is None:
        raise NotFound("There is no such priority.")
    initial = (
        {f: getattr(priority, f) for f in ("title", "description", "position", "is_active")}
        if priority
        else {}
    )
    form = PriorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"position": form.cleaned_data["position"] or 0}
        try:
            if priority is None:
                data.pop("is_active")
                services.priority_create(actor=request.user, **data)
            else:
                services.priority_update(actor=request.user, priority_id=priority.pk, **data)
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "The priority has been saved.")
            return redirect("activities:priority-list")
    return render(request, "activities/priority_form.html", {"form": form, "priority": priority})
