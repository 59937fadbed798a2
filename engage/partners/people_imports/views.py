"""Staff pages for importing a contact list into the organisation's people: the file,
its columns matched (prefilled from a template), the first rows as they will be read,
then the import in the background with a progress bar and its report. The steps before
the import share the conversation import's kept uploads (engage.core.tabular.pending):
the file is named between pages only inside a signed value bound to the organisation."""

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
from django.views.decorators.http import require_GET, require_http_methods

from engage.core.access import require_permission
from engage.core.errors import InvalidInput
from engage.core.exports import csv_text
from engage.core.http import ScopedRequest
from engage.core.roles import Permission
from engage.core.tabular.columns import columns_guess
from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.pending import pending_from, pending_keep, pending_preview, pending_token
from engage.core.tabular.rejections import rejected_rows_csv
from engage.core.upload_limit import explain_stopped_upload
from engage.core.uploaded_jobs import uploaded_job_status
from engage.partners.models import PeopleImportJob, PeopleImportStatus
from engage.partners.people_imports import preview, selectors, services
from engage.partners.people_imports.columns import FIELDS, TEMPLATE_HEADINGS
from engage.partners.people_imports.forms import (
    PeopleImportMappingForm,
    PeopleImportUploadForm,
    column_field_name,
    guess_columns,
)

PENDING_KIND = "partners.people_imports"
PAGE_SIZE = 50
# Importing people writes their records, their consent and their groups' members.
NEEDED = (Permission.EDIT_PEOPLE, Permission.RECORD_CONSENT, Permission.MANAGE_GROUPS)


def _status(job: PeopleImportJob) -> dict[str, object]:
    return uploaded_job_status(
        job, subject_type=services.SUBJECT_TYPE, rows_when_done=job.rows, summary_when_done=job.result
    )


@require_permission(*NEEDED)
@require_GET
def people_import_list(request: ScopedRequest) -> HttpResponse:
    jobs = selectors.people_import_list(organisation=request.organisation)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people_imports/list.html", {"page": page})


@require_permission(*NEEDED)
@require_GET
def people_import_template_csv(request: ScopedRequest) -> HttpResponse:
    """The ready-made template's headings, as an empty CSV to fill in."""
    response = HttpResponse(csv_text(TEMPLATE_HEADINGS, []), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contact-list-template.csv"'
    return response


@require_permission(*NEEDED)
@require_http_methods(["GET", "POST"])
def people_import_new(request: ScopedRequest) -> HttpResponse:
    """Step 1: the file, and a template (or the columns matched by hand)."""
    templates = services.template_list(organisation=request.organisation)
    posted = request.method == "POST"
    form = PeopleImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None, templates=templates
    )
    explain_stopped_upload(form, request)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = pending_keep(
                upload,
                file_name=Path(upload.name or "upload").name,
                extra={"template": form.cleaned_data["template"]},
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            token = pending_token(pending, kind=PENDING_KIND, organisation_id=int(request.organisation.pk))
            return redirect(f"{reverse('people-imports:columns')}?{urlencode({'upload': token})}")
    return render(request, "people_imports/new.html", {"form": form, "templates": templates})


def _initial(request: ScopedRequest, template_name: str, headings: list[str]) -> dict[str, Any]:
    """The mapping form's first answers: the template's, or a guess from the headings."""
    if template_name:
        try:
            template = services.template_find(organisation=request.organisation, name=template_name)
        except InvalidInput:
            template = None
        if template is not None:
            found = columns_guess(headings, fields={f: f for f in FIELDS}, known=[template.mapping])
            return {
                **{column_field_name(f): h for f, h in found.items() if f in template.mapping},
                **template.defaults,
            }
    return guess_columns(headings)


@require_permission(*NEEDED)
@require_http_methods(["GET", "POST"])
def people_import_columns(request: ScopedRequest) -> HttpResponse:
    """Step 2: the columns found and the first rows; match them to fields. Step 3 (the
    same address, `action` "check"): the first rows as they will be read; "start" queues
    the import, "change" goes back to step 2 with the answers kept."""
    posted = request.method == "POST"
    token = (request.POST.get("upload") if posted else request.GET.get("upload")) or ""
    pending = pending_from(token, kind=PENDING_KIND, organisation_id=int(request.organisation.pk))
    try:
        file_preview = pending_preview(pending) if pending is not None else None
    except ImportFileError:  # pragma: no cover - it was read at step 1
        file_preview = None
    if pending is None or file_preview is None:
        messages.info(
            request,
            "The uploaded file is no longer waiting to be imported: it was imported already, or was kept "
            "for more than a day. Choose it again.",
        )
        return redirect("people-imports:new")
    action = request.POST.get("action", "check") if posted else ""
    template_name = str(pending.extra.get("template") or "")
    form = PeopleImportMappingForm(
        request.POST if posted else None,
        headings=file_preview.headings,
        initial=_initial(request, template_name, file_preview.headings),
    )
    context: dict[str, Any] = {
        "form": form,
        "preview": file_preview,
        "file_name": pending.file_name,
        "token": token,
        "template_name": template_name,
    }
    if not posted or action == "change" or not form.is_valid():
        return render(
            request, "people_imports/columns.html", context, status=400 if posted and form.errors else 200
        )
    try:
        reading = preview.rows_as_read(
            pending.path, file_name=pending.file_name, mapping=form.mapping, defaults=form.defaults
        )
    except ImportFileError as error:
        form.add_error(None, error.message)
        return render(request, "people_imports/columns.html", context, status=400)
    context.update({"reading": reading, "hidden": _answers(request)})
    if action != "start":
        return render(request, "people_imports/check.html", context)
    name = form.cleaned_data["save_as"].strip()
    try:
        with transaction.atomic():  # the template and the job together, or neither
            if name:
                services.template_save(
                    actor=request.user,
                    organisation=request.organisation,
                    name=name,
                    mapping=form.mapping,
                    defaults=form.defaults,
                )
            with pending.path.open("rb") as content:
                job = services.people_import_create(
                    actor=request.user,
                    organisation=request.organisation,
                    content=content,
                    file_name=pending.file_name,
                    mapping=form.mapping,
                    defaults=form.defaults,
                    template_name=name or template_name,
                )
    except ImportFileError as error:
        form.add_error(None, error.message)
    except InvalidInput as error:
        for key, message in error.errors.items():
            form.add_error(form.error_field(key), message)
    else:
        pending.path.unlink(missing_ok=True)
        saved = f" The choices are saved as the template {name!r}." if name else ""
        messages.success(request, f"{job.file_name} is queued for import.{saved}")
        return redirect("people-imports:detail", import_id=job.pk)
    return render(request, "people_imports/columns.html", context, status=400)


def _answers(request: ScopedRequest) -> list[tuple[str, str]]:
    """Step 2's answers, carried through step 3 as hidden fields (checked again on return)."""
    skip = {"csrfmiddlewaretoken", "action", "upload"}
    return [(key, value) for key, values in request.POST.lists() if key not in skip for value in values]


@require_permission(*NEEDED)
@require_GET
def people_import_detail(request: ScopedRequest, import_id: int) -> HttpResponse:
    """One import: its progress while it runs, its report when it has finished."""
    job = selectors.people_import_get(organisation=request.organisation, job_id=import_id)
    status = _status(job)
    job.refresh_from_db()
    rejections = None
    if job.status == PeopleImportStatus.SUCCEEDED and job.rejected:
        rejections = Paginator(
            selectors.people_import_rejection_list(organisation=request.organisation, job_id=job.pk),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    return render(
        request, "people_imports/detail.html", {"job": job, "status": status, "rejections": rejections}
    )


@require_permission(*NEEDED)
@require_GET
def people_import_status(request: ScopedRequest, import_id: int) -> JsonResponse:
    job = selectors.people_import_get(organisation=request.organisation, job_id=import_id)
    response = JsonResponse(_status(job))
    response["Cache-Control"] = "no-store"
    return response


@require_permission(*NEEDED)  # type: ignore[arg-type]
@require_GET
def people_import_rejections_csv(request: ScopedRequest, import_id: int) -> StreamingHttpResponse:
    job = selectors.people_import_get(organisation=request.organisation, job_id=import_id)
    rejections = selectors.people_import_rejection_list(organisation=request.organisation, job_id=job.pk)
    services.rejections_exported(actor=request.user, organisation=request.organisation, job=job)
    response = StreamingHttpResponse(rejected_rows_csv(rejections), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="people-import-{job.pk}-rejected-rows.csv"'
    return response
