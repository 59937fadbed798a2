"""The page that loads organisations from a register, in the background with a
progress bar, for the partnership's administrators (organisations are every partner's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from engage.core.access import require_permission
from engage.core.errors import InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.roles import Permission
from engage.core.upload_limit import allow_uploads_up_to, explain_stopped_upload
from engage.core.uploaded_jobs import uploaded_job_status
from engage.partners.models import RegisterJob
from engage.partners.registers import selectors, services
from engage.partners.registers.forms import RegisterUploadForm
from engage.partners.registers.readers import SIZE_LIMIT


def _job_status(job: RegisterJob) -> dict[str, object]:
    return uploaded_job_status(
        job, subject_type="register_job", rows_when_done=job.rows, summary_when_done=job.result
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
@allow_uploads_up_to(SIZE_LIMIT)
def register_load(request: ScopedRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = RegisterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    explain_stopped_upload(form, request)
    if posted and form.is_valid():
        try:
            job = services.register_job_create(
                actor=request.user,
                register=form.cleaned_data["register"],
                upload=form.cleaned_data["file"],
                postcode_prefixes=form.split(form.cleaned_data["postcode_prefixes"]),
                commissioners=form.split(form.cleaned_data["commissioners"]),
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"{job.file_name} is queued: its progress is shown below.")
            return redirect("registers:register-load")
    jobs = selectors.register_job_list()
    return render(
        request,
        "registers/register_load.html",
        {"form": form, "jobs": [(job, _job_status(job)) for job in jobs]},
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_GET
def register_job_status(request: ScopedRequest, job_id: int) -> JsonResponse:
    job = selectors.register_job_get(job_id)
    if job is None:
        raise Http404("There is no such load.")
    response = JsonResponse(_job_status(job))
    response["Cache-Control"] = "no-store"
    return response
