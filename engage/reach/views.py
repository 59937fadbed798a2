"""Staff pages of reach: who we heard against who lives here, by group and by place,
over time and activity by activity, for the board, and the reference data behind it.

Every figure shown comes from `engage.reach.report` through disclosure control. Only
staff of the collecting organisation, looking at their own organisation's
conversations (the organisation filter set to theirs) with the permission to see
conversations, get true figures; LSOAs are shown only to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from engage.activities.selectors import activity_list, priority_list
from engage.core.access import require_permission
from engage.core.disclosure import DisclosureRule
from engage.core.errors import DomainError, InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.roles import Permission
from engage.core.upload_limit import allow_uploads_up_to, explain_stopped_upload
from engage.core.uploaded_jobs import uploaded_job_status
from engage.partners.selectors import organisation_list
from engage.places import selectors as places_selectors
from engage.places import services as places_services
from engage.places.loaders import boundaries, postcodes
from engage.places.models import BoundaryKind, ReferenceJob
from engage.reach import compare, exports, selectors, services
from engage.reach.forms import ReferenceUploadForm
from engage.reach.groups import ANSWER_DIMENSIONS, DIMENSION_BY_KEY, DIMENSIONS, OUTSIDE, UNKNOWN
from engage.reach.place_report import place_report
from engage.reach.report import reach_area, reach_conversations, reach_report
from engage.reach.scope import ReachScope, reach_scope


def scope_for(request: ScopedRequest) -> ReachScope:
    return reach_scope(request.GET, organisation=request.organisation, permissions=request.permissions)


@dataclass(frozen=True)
class FilterChoices:
    activities: Any
    priorities: Any
    organisations: Any


def _choices() -> FilterChoices:
    return FilterChoices(
        activities=activity_list()[:300],
        priorities=priority_list(),
        organisations=organisation_list(active_only=True),
    )


def _query(request: ScopedRequest) -> str:
    return request.GET.urlencode()


@require_permission(Permission.VIEW_AGGREGATES)
def reach(request: ScopedRequest) -> HttpResponse:
    """Reach of a set on every dimension, and by ward."""
    scope = scope_for(request)
    reach_set, rule = scope.reach_set, scope.rule
    area = reach_area()
    report = reach_report(reach_set, rule=rule, area=area)
    conversations = reach_conversations(reach_set)
    wards = place_report(reach_set, area=area, kind=BoundaryKind.WARD, rule=rule, conversations=conversations)
    lsoas = (
        place_report(reach_set, area=area, kind=BoundaryKind.LSOA, rule=rule, conversations=conversations)
        if rule == DisclosureRule.exact()
        else None
    )
    return render(
        request,
        "reach/reach.html",
        {
            "report": report,
            "wards": wards,
            "lsoas": lsoas,
            "reach_set": reach_set,
            "widened": scope.widened,
            "choices": _choices(),
            "query": _query(request),
            "own_organisation": request.organisation,
        },
    )


@require_permission(Permission.VIEW_AGGREGATES)
def reach_compare(request: ScopedRequest) -> HttpResponse:
    """One dimension quarter by quarter, or activity by activity."""
    scope = scope_for(request)
    reach_set, rule = scope.reach_set, scope.rule
    dimension = DIMENSION_BY_KEY.get(request.GET.get("dimension", ""), DIMENSION_BY_KEY["core20"])
    by = "activity" if request.GET.get("by") == "activity" else "quarter"
    area = reach_area()
    rows = (
        compare.reach_by_activity(reach_set, dimension, rule=rule, area=area)
        if by == "activity"
        else compare.reach_over_time(reach_set, dimension, rule=rule, area=area)
    )
    return render(
        request,
        "reach/compare.html",
        {
            "rows": rows,
            "by": by,
            "dimension": dimension,
            "dimensions": DIMENSIONS,
            "reach_set": reach_set,
            "widened": scope.widened,
            "choices": _choices(),
            "area": area,
            "exact": rule == DisclosureRule.exact(),
        },
    )


@require_permission(Permission.VIEW_AGGREGATES)
def reach_board(request: ScopedRequest) -> HttpResponse:
    """Per priority, whether the seldom-heard were reached: for the board."""
    area = reach_area()
    rows = compare.reach_by_priority(rule=DisclosureRule.from_settings(), area=area)
    return render(request, "reach/board.html", {"rows": rows, "area": area})


@require_permission(Permission.VIEW_AGGREGATES)
def reach_export(request: ScopedRequest, file_format: str) -> HttpResponse:
    """The reach page's figures as CSV or Excel, through the same disclosure control."""
    if file_format not in ("csv", "xlsx"):
        raise Http404("Reach downloads as reach.csv or reach.xlsx.")
    scope = scope_for(request)
    reach_set, rule = scope.reach_set, scope.rule
    area = reach_area()
    report = reach_report(reach_set, rule=rule, area=area)
    wards = place_report(reach_set, area=area, kind=BoundaryKind.WARD, rule=rule)
    rows = exports.reach_rows(report, wards)
    if file_format == "xlsx":
        response = HttpResponse(
            exports.reach_workbook(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.reach_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reach.{file_format}"'
    return response


@require_permission(Permission.MANAGE_INSIGHT)
@require_http_methods(["GET", "POST"])
def answers(request: ScopedRequest) -> HttpResponse:
    """Where each survey wording goes; those who manage insight may change it."""
    may_change = Permission.MANAGE_INSIGHT in request.permissions
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        try:
            services.answer_mapping_set(
                actor=request.user,
                dimension=request.POST.get("dimension", ""),
                answer=request.POST.get("answer", ""),
                group=request.POST.get("group", ""),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Saved. Reach now counts that answer where you chose.")
        return redirect(f"{request.path}?dimension={request.POST.get('dimension', '')}")
    dimension = DIMENSION_BY_KEY.get(request.GET.get("dimension", ""), ANSWER_DIMENSIONS[0])
    if dimension not in ANSWER_DIMENSIONS:
        dimension = ANSWER_DIMENSIONS[0]
    return render(
        request,
        "reach/answers.html",
        {
            "dimension": dimension,
            "dimensions": ANSWER_DIMENSIONS,
            "wordings": selectors.answer_wordings(
                dimension,
                rule=DisclosureRule.from_settings(),
                organisation=request.organisation
                if Permission.VIEW_CONVERSATIONS in request.permissions
                else None,
            ),
            "may_change": may_change,
            "unknown": UNKNOWN,
            "outside": OUTSIDE,
        },
    )


# --- Reference data ----------------------------------------------------------------------


def _job_status(job: ReferenceJob) -> dict[str, object]:
    return uploaded_job_status(
        job,
        subject_type="reference_job",
        rows_when_done=job.load.rows if job.load else 0,
        summary_when_done=job.load.note if job.load else "Loaded.",
    )


# Reference files may be as large as the loaders read (the whole ONS Postcode Directory
# is about 1.5 GB), far more than a conversation import.
@allow_uploads_up_to(max(postcodes.SIZE_LIMIT, boundaries.SIZE_LIMIT))
@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def reference(request: ScopedRequest) -> HttpResponse:
    """What reference data is loaded, and a form to load another file."""
    posted = request.method == "POST"
    # Bound whenever posted: a stopped upload may arrive with no fields, and must still
    # show why rather than an empty form.
    form = ReferenceUploadForm(request.POST if posted else None, request.FILES if posted else None)
    explain_stopped_upload(form, request)
    if posted and form.is_valid():
        try:
            job = places_services.reference_job_create(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"{job.file_name} is queued: its progress is shown below.")
            return redirect("reach:reference")
    jobs = places_selectors.reference_job_list()
    return render(
        request,
        "reach/reference.html",
        {
            "form": form,
            "status": places_selectors.reference_status(),
            "loads": places_selectors.reference_load_list(),
            "jobs": [(job, _job_status(job)) for job in jobs],
            "area": reach_area(),
            "edition": places_selectors.imd_edition(),
        },
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_GET
def reference_job_status(request: ScopedRequest, job_id: int) -> JsonResponse:
    job = places_selectors.reference_job_get(job_id)
    if job is None:
        raise Http404("There is no such load.")
    response = JsonResponse(_job_status(job))
    response["Cache-Control"] = "no-store"
    return response
