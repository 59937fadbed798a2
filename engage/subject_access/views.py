"""Subject access pages: ask for everything held about a person (from their page),
watch it being gathered, download the ZIP. Organisation administrators only, and only
their organisation's requests."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from engage.core.access import require_permission
from engage.core.http import ScopedRequest
from engage.core.progress import job_progress_json
from engage.core.roles import Permission
from engage.subject_access import selectors, services
from engage.subject_access.models import RequestStatus


@require_permission(Permission.PRODUCE_SUBJECT_ACCESS)
@require_POST
def request_create(request: ScopedRequest, person_id: int) -> HttpResponse:
    made = services.subject_access_request_create(
        actor=request.user, organisation=request.organisation, person_id=person_id
    )
    return redirect("subject_access:request-detail", request_id=made.pk)


@require_permission(Permission.PRODUCE_SUBJECT_ACCESS)
@require_GET
def request_detail(request: ScopedRequest, request_id: int) -> HttpResponse:
    found = selectors.subject_access_request_get(organisation=request.organisation, request_id=request_id)
    progress = selectors.subject_access_progress(found)
    return render(
        request,
        "subject_access/request_detail.html",
        {
            "found": found,
            "progress": progress,
            "summary": selectors.subject_access_summary(found, progress),
        },
    )


@require_permission(Permission.PRODUCE_SUBJECT_ACCESS)
@require_GET
def request_status(request: ScopedRequest, request_id: int) -> JsonResponse:
    """Progress for the page's script: counts of files only."""
    found = selectors.subject_access_request_get(organisation=request.organisation, request_id=request_id)
    progress = selectors.subject_access_progress(found)
    response = JsonResponse(
        {
            "id": found.pk,
            **job_progress_json(
                progress,
                status=found.status,
                status_label=found.state_label,
                summary=selectors.subject_access_summary(found, progress),
            ),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_permission(Permission.PRODUCE_SUBJECT_ACCESS)
@require_GET
def request_download(request: ScopedRequest, request_id: int) -> HttpResponse:
    found = selectors.subject_access_request_get(organisation=request.organisation, request_id=request_id)
    path = Path(found.file_path) if found.file_path else None
    if found.status != RequestStatus.SUCCEEDED or path is None or not path.is_file():
        raise Http404("It is not ready, or it has been deleted.")
    services.subject_access_download_record(actor=request.user, request=found)
    # One person's records: small enough to send whole.
    response = HttpResponse(path.read_bytes(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{found.pk}.zip"'
    response["Cache-Control"] = "no-store"
    return response
