"""Starting a subject access request: an organisation administrator asks for everything
the organisation holds about one of its people; the worker gathers it (runner.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.core.errors import NotFound
from engage.core.jobs import enqueue_after_commit, stale_jobs_fail
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation, Person
from engage.subject_access.models import (
    ZIP_NAME,
    DownloadDeleted,
    RequestStatus,
    SubjectAccessRequest,
    download_file_remove,
    zips_folder,
)

WORKER_STOPPED = "The worker stopped while gathering it. Ask again."


def subject_access_request_create(
    *, actor: Actor, organisation: Organisation | None, person_id: object
) -> SubjectAccessRequest:
    """Queue the gathering of everything `organisation` holds about one of its people."""
    with transaction.atomic():
        person = (
            Person.objects.for_organisation(organisation).filter(pk=person_id).first()
            if isinstance(person_id, int)
            else None
        )
        if person is None or organisation is None:
            raise NotFound("There is no such person in your organisation's records.")
        request = SubjectAccessRequest.objects.create(
            organisation=organisation, person=person, requested_by=user_or_none(actor)
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="person",
            subject_id=person.pk,
            summary=f"Asked for everything held about the person (subject access request {request.pk}).",
        )
        enqueue_after_commit("engage.subject_access.tasks.subject_access_task", request_id=request.pk)
    return request


def subject_access_download_record(*, actor: Actor, request: SubjectAccessRequest) -> None:
    """Each download of the ZIP is an export of personal data: audited."""
    audit_record(
        actor=actor,
        organisation=request.organisation,
        action=AuditAction.EXPORTED,
        subject_type="person",
        subject_id=request.person_id or "",
        summary=f"Downloaded everything held about the person (subject access request {request.pk}).",
    )


def _partial_zip_remove(request: SubjectAccessRequest) -> None:
    """The half-written ZIP of a request whose worker stopped: its name begins with the
    request's number (runner.py), and nothing points at it."""
    folder = zips_folder()
    if not folder.is_dir():
        return
    for path in folder.glob(f"{request.pk}-*.zip"):
        found = ZIP_NAME.fullmatch(path.name)
        if found is not None and int(found["request"]) == request.pk:
            download_file_remove(path)  # a plain file only; one it cannot remove is swept later


def subject_access_requests_fail_stale() -> list[int]:
    """Mark failed a request whose worker stopped while gathering (no heartbeat for
    ENGAGE_JOB_STALE_SECONDS, engage/core/jobs.py), so its page says so and its
    half-written ZIP is removed; returns the ids marked."""

    def audit(request: SubjectAccessRequest) -> None:
        audit_record(
            actor=None,
            organisation=request.organisation,
            action=AuditAction.UPDATED,
            subject_type="person",
            subject_id=request.person_id or "",
            summary=f"Marked subject access request {request.pk} failed: its worker stopped while gathering.",
        )

    return stale_jobs_fail(
        SubjectAccessRequest.objects.all(),
        running=RequestStatus.RUNNING,
        failed=RequestStatus.FAILED,
        message=WORKER_STOPPED,
        on_failed=audit,
        after_commit=_partial_zip_remove,
    )


def on_person_erasing(*, person: Person, **_: Any) -> None:
    """A person's erasure reaches the copies gathered for them: every ZIP of their
    requests goes (the partners app sends this inside the erasure's transaction, before
    the record is deleted). The requests stay, saying when and why their download went;
    the files are removed once the erasure commits, so one rolled back loses nothing.
    A request still gathering is caught by the runner, which keeps no ZIP for a person
    erased meanwhile (runner.py)."""
    held = SubjectAccessRequest.objects.filter(person=person).exclude(file_path="")
    paths = [Path(stored) for stored in held.values_list("file_path", flat=True)]
    if not paths:
        return
    held.update(file_path="", file_deleted_at=timezone.now(), file_deleted_because=DownloadDeleted.ERASURE)

    def remove() -> None:
        for path in paths:
            download_file_remove(path)

    transaction.on_commit(remove)
