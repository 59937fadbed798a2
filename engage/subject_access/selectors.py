"""Reading subject access requests: only the organisation's own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from engage.core.errors import NotFound
from engage.core.progress import JobProgress, job_progress
from engage.partners.models import Organisation
from engage.subject_access.models import DownloadDeleted, RequestStatus, SubjectAccessRequest


def subject_access_request_get(*, organisation: Organisation | None, request_id: int) -> SubjectAccessRequest:
    found = (
        SubjectAccessRequest.objects.for_organisation(organisation)
        .select_related("person", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise NotFound("There is no such request in your organisation's records.")
    return found


def subject_access_requests_of(
    *, organisation: Organisation | None, person_id: int
) -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.for_organisation(organisation).filter(person_id=person_id)


def subject_access_progress(request: SubjectAccessRequest) -> JobProgress:
    return job_progress(
        rows_done=request.sections_done,
        rows_total=request.sections_total,
        started_at=request.started_at,
        finished_at=request.finished_at,
        finished=request.finished,
        succeeded=request.status == RequestStatus.SUCCEEDED,
    )


def subject_access_summary(request: SubjectAccessRequest, progress: JobProgress) -> str:
    if request.file_deleted_at is not None:
        day = timezone.localdate(request.file_deleted_at)
        because = DownloadDeleted(request.file_deleted_because or DownloadDeleted.RETENTION)
        return f"The download was deleted on {day.day} {day:%B %Y} {because.label}."
    if request.status == RequestStatus.SUCCEEDED:
        return f"Ready: {request.records:,} records in {request.sections_total} files."
    if request.status == RequestStatus.FAILED:
        return request.error or "It stopped."
    if request.status == RequestStatus.QUEUED:
        return "Waiting for the worker to start it."
    return f"Gathered {progress.rows_done} of {progress.rows_total} files."
