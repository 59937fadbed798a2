"""The reports pages for staff: the list, choosing and starting a report, its preview
with every section's reading age, editing a section's words with long sentences and
jargon marked, its Easy Read version, publishing, and its PDF and Word files; the
partnership's jargon list and uploaded pictures. Thin: each view parses, calls one
service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.activities.models import Activity
from engage.core.access import require_permission
from engage.core.errors import InvalidInput, NotFound, NotPermitted
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.pagination import page_of
from engage.core.roles import Permission
from engage.partnership.filters import last_whole_month, months_back
from engage.reports import selectors, services
from engage.reports.document import report_document
from engage.reports.files import report_file_response
from engage.reports.forms import (
    ActivityReportForm,
    EasyReadPointForm,
    JargonForm,
    NarrativeForm,
    PictogramForm,
    ReportForm,
)
from engage.reports.models import PUBLIC_KINDS, Report, ReportKind, ReportState
from engage.reports.pictograms import ATTRIBUTION, PICTOGRAMS
from engage.reports.plain_english import PUBLIC_READING_AGE, marked, readability
from engage.reports.sections import section_spec, section_specs


def _report(request: ScopedRequest, report_id: int) -> Report:
    report = selectors.report_get(organisation=request.organisation, report_id=report_id)
    if report is None:
        raise NotFound("There is no such report, or it is another organisation's draft.")
    return report


def _writes(request: ScopedRequest, report: Report) -> bool:
    return (
        Permission.WRITE_REPORTS in request.permissions
        and getattr(request.organisation, "pk", None) == report.organisation_id
    )


def _writer(request: ScopedRequest, report: Report) -> dict[str, Any]:
    return {"actor": request.user, "organisation": request.organisation, "report_id": report.pk}


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def report_list(request: ScopedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    search = request.GET.get("q", "").strip()[:100]
    page = page_of(
        selectors.report_list(organisation=request.organisation, kind=kind, state=state, search=search),
        request.GET.get("page"),
        25,
    )
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "kind": kind if kind in ReportKind.values else "",
            "state": state if state in ReportState.values else "",
            "search": search,
            "kinds": ReportKind.choices,
            "states": ReportState.choices,
            "writes": Permission.WRITE_REPORTS in request.permissions and request.organisation is not None,
            "manages": Permission.MANAGE_PARTNERSHIP in request.permissions,
        },
    )


def _ended_activities(request: ScopedRequest) -> list[Activity]:
    return selectors.ended_activities(organisation=request.organisation, today=timezone.localdate())


def _suggested(kind: str) -> dict[str, Any]:
    """What a new report starts with: every section, and the last financial year (April to
    March) for a Local Account, the last twelve whole months for a board paper."""
    last = last_whole_month(timezone.localdate())
    if kind == ReportKind.LOCAL_ACCOUNT:
        last = last.replace(month=3) if last.month >= 3 else last.replace(year=last.year - 1, month=3)
        title = f"Our Local Account {last.year - 1} to {last.year}"
    else:
        title = f"Engagement assurance for the board, {last:%B %Y}"
    return {
        "title": title,
        "month_from": f"{months_back(last, 11):%Y-%m}",
        "month_to": f"{last:%Y-%m}",
        "sections": [spec.key for spec in section_specs(kind)],
    }


@require_permission(Permission.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def report_new(request: ScopedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in ReportKind.values:
        return render(request, "reports/new_choose.html", {"kinds": ReportKind.choices})
    form: Any
    if kind == ReportKind.ACTIVITY:
        activities = _ended_activities(request)
        form = ActivityReportForm(request.POST or None, activities=activities)
    else:
        form = ReportForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == ReportKind.ACTIVITY:
                chosen = next(a for a in activities if str(a.pk) == data["activity"])
                report = services.report_create(
                    actor=request.user, organisation=request.organisation, kind=kind,
                    title=data["title"] or f"{chosen.title}: what you told us and what we did",
                    month_from=None, month_to=None, activity_id=chosen.pk,
                )  # fmt: skip
            else:
                report = services.report_create(
                    actor=request.user, organisation=request.organisation, kind=kind, title=data["title"],
                    month_from=data["month_from"], month_to=data["month_to"],
                    priority_ids=data["priorities"], section_keys=data["sections"],
                )  # fmt: skip
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, "Started. The figures are being worked out: this page shows them when ready."
            )
            return redirect("reports:detail", report_id=report.pk)
    elif request.method == "GET" and kind != ReportKind.ACTIVITY:
        form.initial = _suggested(kind)
    return render(
        request,
        "reports/new.html",
        {"form": form, "kind": kind, "kind_words": ReportKind(kind).label},
        status=400 if request.method == "POST" else 200,
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def report_detail(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    document = report_document(report)
    pairs = selectors.jargon_pairs()
    scores = {s.key: readability(s.narrative, pairs) for s in document.sections}
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "doc": document,
            "scores": scores,
            "goal": PUBLIC_READING_AGE if report.kind in PUBLIC_KINDS else None,
            "writes": _writes(request, report),
            "manages": Permission.MANAGE_PARTNERSHIP in request.permissions,
            "easy_read_count": report.easy_read_points.count(),
        },
    )


@require_permission(Permission.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def report_edit(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = ReportForm(
        request.POST or None,
        kind=report.kind,
        initial={
            "title": report.title,
            "month_from": f"{report.month_from:%Y-%m}",
            "month_to": f"{report.month_to:%Y-%m}",
            "priorities": [str(pk) for pk in report.priorities.values_list("pk", flat=True)],
            "sections": report.sections,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_choices_save(
                **_writer(request, report), title=data["title"], month_from=data["month_from"],
                month_to=data["month_to"], priority_ids=data["priorities"], section_keys=data["sections"],
            )  # fmt: skip
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Saved the report's choices.")
            return redirect("reports:detail", report_id=report.pk)
    return render(
        request,
        "reports/edit.html",
        {"form": form, "report": report},
        status=400 if request.method == "POST" else 200,
    )


@require_permission(Permission.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def report_section(request: ScopedRequest, report_id: int, key: str) -> HttpResponse:
    report = _report(request, report_id)
    spec = section_spec(report.kind, key)
    if spec is None:
        raise NotFound("This kind of report has no such section.")
    document = report_document(report)
    current = next((s.narrative for s in document.sections if s.key == key), "")
    form = NarrativeForm(request.POST or None, initial={"text": current})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_section_save(**_writer(request, report), key=key, text=form.cleaned_data["text"])
        except InvalidInput as error:
            show_on_form(form, error)
            status = 400
        else:
            messages.success(request, f"Saved “{spec.title}”. Its reading age is worked out again below.")
            return redirect(
                reverse("reports:section", kwargs={"report_id": report.pk, "key": key}) + "#check"
            )
    elif request.method == "POST":
        status = 400
    pairs = selectors.jargon_pairs()
    text = form.data.get("text", current) if form.is_bound else current
    return render(
        request,
        "reports/section.html",
        {
            "report": report,
            "spec": spec,
            "form": form,
            "score": selectors.section_readability(text),
            "marked": marked(text, pairs),
            "goal": PUBLIC_READING_AGE if report.kind in PUBLIC_KINDS else None,
        },
        status=status,
    )


def _done(request: ScopedRequest, report: Report, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("reports:detail", kwargs={"report_id": report.pk}) + anchor)


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def report_rebuild(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    services.report_rebuild(**_writer(request, report))
    return _done(request, report, "The figures are being worked out again. Reload this page in a minute.")


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def report_publish(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    services.report_publish(
        **_writer(request, report), manages_partnership=Permission.MANAGE_PARTNERSHIP in request.permissions
    )
    return _done(
        request, report, "Published." + (" It is on the public site now." if report.is_public_kind else "")
    )


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def report_withdraw(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    services.report_withdraw(**_writer(request, report))
    return _done(request, report, "Withdrawn. It is a draft again, and no longer on the public site.")


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def report_delete(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    services.report_delete(**_writer(request, report))
    messages.success(request, f"Deleted the draft “{report.title}”.")
    return redirect("reports:list")


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def report_file(request: ScopedRequest, report_id: int, version: str, extension: str) -> HttpResponse:
    report = _report(request, report_id)
    return report_file_response(report, version=version, extension=extension)


# --- Easy Read ----------------------------------------------------------------------------


def _uploaded() -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in selectors.pictogram_list()]


def _easy_read_page(
    request: ScopedRequest,
    report: Report,
    *,
    bound: EasyReadPointForm | None = None,
    bound_id: int | None = None,
) -> HttpResponse:
    """The Easy Read version with a form for each point; `bound`: a form sent back with
    its errors, for the point `bound_id` (None: the form that adds one)."""
    if not report.is_public_kind:
        raise NotFound("Only reports for the public have an Easy Read version.")
    document = report_document(report, with_easy_read=True)
    uploaded = _uploaded()
    kept = {p.pk: p for p in report.easy_read_points.all()}
    forms = {
        point_id: EasyReadPointForm(
            kind=report.kind,
            uploaded=uploaded,
            initial={
                "section_key": point.section_key,
                "text": point.text,
                "picture": point.picture,
                "uploaded_picture": point.uploaded_picture_id or "",
            },
            prefix=f"p{point_id}",
        )
        for point_id, point in kept.items()
    }
    add_form = EasyReadPointForm(kind=report.kind, uploaded=uploaded, prefix="new")
    if bound is not None and bound_id is not None:
        forms[bound_id] = bound
    elif bound is not None:
        add_form = bound
    return render(
        request,
        "reports/easy_read.html",
        {
            "report": report,
            "doc": document,
            "forms": forms,
            "add_form": add_form,
            "open_id": bound_id if bound is not None else None,
            "writes": _writes(request, report) and not report.is_published,
        },
        status=400 if bound is not None else 200,
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def easy_read(request: ScopedRequest, report_id: int) -> HttpResponse:
    return _easy_read_page(request, _report(request, report_id))


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def easy_read_draft(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    count = services.easy_read_draft(**_writer(request, report))
    messages.success(request, f"Drafted {count} points from the report. Check each one, and its picture.")
    return redirect("reports:easy-read", report_id=report.pk)


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def easy_read_point(request: ScopedRequest, report_id: int, point_id: int | None = None) -> HttpResponse:
    report = _report(request, report_id)
    if point_id is not None and not report.easy_read_points.filter(pk=point_id).exists():
        raise NotFound("There is no such point in this report's Easy Read version.")
    prefix = f"p{point_id}" if point_id is not None else "new"
    form = EasyReadPointForm(request.POST, kind=report.kind, uploaded=_uploaded(), prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        try:
            point = services.easy_read_point_save(
                **_writer(request, report), point_id=point_id, section_key=data["section_key"], text=data["text"],
                picture=data["picture"], uploaded_picture_id=data["uploaded_picture"] or None,
            )  # fmt: skip
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Saved the point.")
            return redirect(
                reverse("reports:easy-read", kwargs={"report_id": report.pk}) + f"#point-{point.pk}"
            )
    return _easy_read_page(request, report, bound=form, bound_id=point_id)


@require_permission(Permission.WRITE_REPORTS)
@require_POST
def easy_read_point_delete(request: ScopedRequest, report_id: int, point_id: int) -> HttpResponse:
    report = _report(request, report_id)
    services.easy_read_point_delete(**_writer(request, report), point_id=point_id)
    messages.success(request, "Took the point out.")
    return redirect("reports:easy-read", report_id=report.pk)


# --- The jargon list and pictures ---------------------------------------------------------


@require_permission(Permission.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def jargon(request: ScopedRequest) -> HttpResponse:
    manages = Permission.MANAGE_PARTNERSHIP in request.permissions
    form = JargonForm(request.POST or None)
    if request.method == "POST":
        if not manages:
            raise NotPermitted("Only the partnership's administrators change the jargon list.")
        if form.is_valid():
            try:
                services.jargon_save(actor=request.user, **form.cleaned_data)
            except InvalidInput as error:
                show_on_form(form, error)
            else:
                messages.success(request, f"Saved “{form.cleaned_data['term']}”.")
                return redirect("reports:jargon")
    query = request.GET.get("q", "").strip()[:80].lower()
    terms = [t for t in selectors.jargon_list() if query in t.term.lower() or query in t.plain.lower()]
    return render(
        request,
        "reports/jargon.html",
        {"form": form, "terms": terms, "manages": manages, "query": query},
        status=400 if request.method == "POST" else 200,
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def jargon_delete(request: ScopedRequest, term_id: int) -> HttpResponse:
    services.jargon_delete(actor=request.user, term_id=term_id)
    messages.success(request, "Took it off the list.")
    return redirect("reports:jargon")


@require_permission(Permission.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def pictures(request: ScopedRequest) -> HttpResponse:
    form = PictogramForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.pictogram_upload(
                actor=request.user, organisation=request.organisation, name=form.cleaned_data["name"],
                description=form.cleaned_data["description"], licence=form.cleaned_data["licence"],
                content=upload.read(services.PICTURE_BYTES_MOST + 1), file_name=upload.name,
            )  # fmt: skip
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"Uploaded “{form.cleaned_data['name']}”.")
            return redirect("reports:pictures")
    return render(
        request,
        "reports/pictures.html",
        {
            "form": form,
            "uploaded": selectors.pictogram_list(),
            "shipped": PICTOGRAMS,
            "attribution": ATTRIBUTION,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def picture_image(request: ScopedRequest, pictogram_id: int) -> HttpResponse:
    pictogram = selectors.pictogram_get(pictogram_id=pictogram_id)
    if pictogram is None:
        raise NotFound("There is no such picture.")
    response = HttpResponse(bytes(pictogram.data), content_type=pictogram.content_type)
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
