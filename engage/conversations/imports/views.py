"""Staff pages for importing conversations from a file, watching the import and reading
its report. Everything is reached through the organisation in scope.

Step 1 takes the file. With a template the job is queued at once. To map the columns
yourself, the file is kept in a "pending" folder under a random name and the pages
pass that name to each other only inside a signed value (with the organisation it
belongs to), never as a path the browser could choose. Step 2 shows its columns and
first rows; step 3 shows how the first rows will be read (the ratings as given and as
kept), warning where the comments and ratings disagree; starting the import hands the
file to the services and removes it. An import held because its ratings look upside
down asks, on its own page, which end of the scale is best.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.activities.selectors import activity_list
from engage.conversations.imports import preview as reading
from engage.conversations.imports import selectors, services
from engage.conversations.imports.forms import (
    ImportCheckForm,
    ImportMappingForm,
    ImportRatingsForm,
    ImportUploadForm,
    guess_columns,
)
from engage.conversations.imports.ratings import RatingScale
from engage.conversations.models import ImportJob, ImportStatus
from engage.core.access import require_permission
from engage.core.errors import InvalidInput
from engage.core.http import ScopedRequest
from engage.core.progress import job_progress_json
from engage.core.roles import Permission
from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.pending import (
    PendingUpload,
    pending_from,
    pending_keep,
    pending_preview,
    pending_token,
)
from engage.core.tabular.rejections import rejected_rows_csv
from engage.core.upload_limit import explain_stopped_upload
from engage.partnership.sharing.selectors import import_sharing

PAGE_SIZE = 50


# --- Progress, for the page's script -----------------------------------------------


def status_data(job: ImportJob) -> dict[str, Any]:
    progress = selectors.import_job_progress(job=job)
    return {
        "id": job.pk,
        **job_progress_json(
            progress,
            status=job.status,
            status_label=job.get_status_display(),
            summary=selectors.import_job_summary(job, progress),
        ),
        "added": job.added,
        "duplicates": job.duplicates,
        "rejected": job.rejected,
    }


# --- Uploads kept for mapping (engage.core.tabular.pending) --------------------------

PENDING_KIND = "conversations.imports"


def _activity_id(upload: PendingUpload) -> int | None:
    activity_id = upload.extra.get("activity_id")
    return activity_id if isinstance(activity_id, int) else None


# --- Pages --------------------------------------------------------------------------


def _organisation_id(request: ScopedRequest) -> int:
    return int(request.organisation.pk)


@require_permission(Permission.IMPORT_CONVERSATIONS)
@require_GET
def import_list(request: ScopedRequest) -> HttpResponse:
    """The organisation's imports, newest first."""
    jobs = selectors.import_job_list(organisation=request.organisation)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"page": page})


@require_permission(Permission.IMPORT_CONVERSATIONS)
@require_http_methods(["GET", "POST"])
def import_new(request: ScopedRequest) -> HttpResponse:
    """Step 1: the file, and a template or "map the columns myself"."""
    organisation = request.organisation
    templates = selectors.import_template_list(organisation=organisation)
    activities = activity_list(organisation_id=_organisation_id(request))[:200]
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        templates=templates,
        activities=activities,
    )
    explain_stopped_upload(form, request)  # a file over the upload cap arrives as no file
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        activity_id = form.cleaned_data["activity_id"]
        file_name = Path(upload.name or "upload").name
        template = form.cleaned_data["template"]
        try:
            if template:
                job = services.import_job_create(
                    actor=request.user,
                    organisation=organisation,
                    content=upload,
                    file_name=file_name,
                    template=template,
                    activity_id=activity_id,
                    start=True,
                )
                messages.success(request, f"{job.file_name} is queued for import.")
                return redirect("imports:import-detail", job_id=job.pk)
            pending = pending_keep(upload, file_name=file_name, extra={"activity_id": activity_id})
        except ImportFileError as error:
            form.add_error("file", error.message)
        except InvalidInput as error:
            for key, message in error.errors.items():
                name = {"template": "template", "activity_id": "activity_id"}.get(key)
                form.add_error(name, message)
        else:
            token = pending_token(pending, kind=PENDING_KIND, organisation_id=_organisation_id(request))
            return redirect(f"{reverse('imports:import-columns')}?{urlencode({'upload': token})}")
    return render(request, "imports/import_new.html", {"form": form, "templates": templates})


def _upload_gone(request: ScopedRequest) -> HttpResponse:
    messages.info(
        request,
        "The uploaded file is no longer waiting to be imported: it was imported already, or was "
        "kept for more than a day. Choose it again.",
    )
    return redirect("imports:import-new")


RATINGS_NOT_CHECKED = (
    "Tick to say the ratings are read the right way round, or choose Change the answers and say "
    "which end of the scale is best."
)


@require_permission(Permission.IMPORT_CONVERSATIONS)
@require_http_methods(["GET", "POST"])
def import_columns(request: ScopedRequest) -> HttpResponse:
    """Step 2: the columns found and the first rows; match them to fields. Then step 3
    (the same address, `action` "check"): how the first rows will be read; "start"
    starts the import, "change" goes back to step 2 with the answers kept."""
    token = (request.POST.get("upload") if request.method == "POST" else request.GET.get("upload")) or ""
    pending = pending_from(token, kind=PENDING_KIND, organisation_id=_organisation_id(request))
    if pending is None:
        return _upload_gone(request)
    try:
        preview = pending_preview(pending)
    except ImportFileError:  # pragma: no cover - it was read at step 1
        pending.path.unlink(missing_ok=True)
        return _upload_gone(request)
    posted = request.method == "POST"
    action = request.POST.get("action", "check") if posted else ""
    form = ImportMappingForm(
        request.POST if posted else None,
        headings=preview.headings,
        initial={**guess_columns(preview.headings), "rating_scale": "1-5"},
    )
    context: dict[str, Any] = {
        "form": form,
        "preview": preview,
        "file_name": pending.file_name,
        "token": token,
    }
    if not posted or action == "change" or not form.is_valid():
        return render(request, "imports/import_columns.html", context)
    try:
        read = reading.rows_as_read(
            pending.path, file_name=pending.file_name, mapping=form.mapping, defaults=form.defaults
        )
    except ImportFileError as error:
        form.add_error(None, error.message)
        return render(request, "imports/import_columns.html", context)
    check = ImportCheckForm(request.POST if action == "start" else None)
    context.update({"reading": read, "check": check, "hidden": _answers(request)})
    if action != "start":
        return render(request, "imports/import_check.html", context)
    warned = read.check.upside_down
    if not check.is_valid() or (warned and not check.cleaned_data["ratings_checked"]):
        check.add_error("ratings_checked", RATINGS_NOT_CHECKED)
        return render(request, "imports/import_check.html", context)
    name = form.cleaned_data["save_as"].strip()
    try:
        # The template and the job are saved together or not at all.
        with transaction.atomic():
            if name:
                services.import_template_save(
                    actor=request.user,
                    organisation=request.organisation,
                    name=name,
                    mapping=form.mapping,
                    defaults=form.defaults,
                )
            with pending.path.open("rb") as content:
                job = services.import_job_create(
                    actor=request.user,
                    organisation=request.organisation,
                    content=content,
                    file_name=pending.file_name,
                    mapping=form.mapping,
                    defaults=form.defaults,
                    activity_id=_activity_id(pending),
                    ratings_confirmed=warned,
                    start=True,
                )
    except ImportFileError as error:
        form.add_error(None, error.message)
    except InvalidInput as error:
        for key, message in error.errors.items():
            form.add_error(form.error_field(key), message)
    else:
        pending.path.unlink(missing_ok=True)
        saved = f" The mapping is saved as the template {name!r}." if name else ""
        messages.success(request, f"{job.file_name} is queued for import.{saved}")
        return redirect("imports:import-detail", job_id=job.pk)
    return render(request, "imports/import_columns.html", context)


def _answers(request: ScopedRequest) -> list[tuple[str, str]]:
    """Step 2's answers, carried through step 3 as hidden fields (the form checks them
    again when they come back)."""
    skip = {"csrfmiddlewaretoken", "action", "ratings_checked", "upload"}
    return [(key, value) for key, values in request.POST.lists() if key not in skip for value in values]


@require_permission(Permission.IMPORT_CONVERSATIONS)
@require_GET
def import_detail(request: ScopedRequest, job_id: int) -> HttpResponse:
    """One import: its progress while it runs, its report when it has finished."""
    job = selectors.import_job_get(organisation=request.organisation, job_id=job_id)
    return _detail(request, job)


def _detail(request: ScopedRequest, job: ImportJob, ratings: ImportRatingsForm | None = None) -> HttpResponse:
    rejections = None
    if job.status == ImportStatus.SUCCEEDED and job.rejected:
        rejections = Paginator(
            selectors.import_rejection_list(organisation=request.organisation, job_id=job.pk), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/import_detail.html",
        {
            "job": job,
            "status": status_data(job),
            "rejections": rejections,
            "scale": RatingScale(low=job.rating_low, high=job.rating_high, best=job.rating_best),
            "rating_check": selectors.import_job_rating_check(job=job),
            "ratings": ratings or ImportRatingsForm(),
            # What the organisation shares of this file's conversations with the partnership.
            "sharing": import_sharing(organisation=request.organisation, import_job_id=job.pk),
        },
        status=400 if ratings is not None else 200,
    )


@require_permission(Permission.IMPORT_CONVERSATIONS)
@require_POST
def import_ratings(request: ScopedRequest, job_id: int) -> HttpResponse:
    """An import held because its ratings look upside down: import it reading them from
    the end the person says is best, or cancel it."""
    job = selectors.import_job_get(organisation=request.organisation, job_id=job_id)
    if request.POST.get("action") == "cancel":
        services.import_job_cancel(actor=request.user, organisation=request.organisation, job_id=job.pk)
        messages.info(request, f"The import of {job.file_name} was cancelled; nothing from it was added.")
        return redirect("imports:import-detail", job_id=job.pk)
    form = ImportRatingsForm(request.POST)
    if not form.is_valid():
        return _detail(request, job, form)
    job = services.import_job_ratings_decide(
        actor=request.user,
        organisation=request.organisation,
        job_id=job.pk,
        best=form.cleaned_data["rating_best"],
    )
    if job.status == ImportStatus.QUEUED:
        messages.success(
            request, f"{job.file_name} is queued for import again, with the ratings read as you said."
        )
    return redirect("imports:import-detail", job_id=job.pk)


@require_permission(Permission.IMPORT_CONVERSATIONS)
@require_GET
def import_status(request: ScopedRequest, job_id: int) -> JsonResponse:
    """The job's progress for the page's script, asked for every two seconds."""
    job = selectors.import_job_get(organisation=request.organisation, job_id=job_id)
    response = JsonResponse(status_data(job))
    response["Cache-Control"] = "no-store"
    return response


# require_permission is typed for HttpResponse; a streamed response is its sibling.
@require_permission(Permission.IMPORT_CONVERSATIONS)  # type: ignore[arg-type]
@require_GET
def import_rejections_csv(request: ScopedRequest, job_id: int) -> StreamingHttpResponse:
    job = selectors.import_job_get(organisation=request.organisation, job_id=job_id)
    rejections = selectors.import_rejection_list(organisation=request.organisation, job_id=job.pk)
    services.import_rejections_exported(actor=request.user, organisation=request.organisation, job=job)
    response = StreamingHttpResponse(rejected_rows_csv(rejections), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected-rows.csv"'
    return response
