"""Starting a subject access request: an organisation administrator asks for everything
the organisation holds about one of its people; the worker gathers it (runner.py)."""

from __future__ import annotations

from django.db import transaction

from engage.core.errors import NotFound
from engage.core.jobs import enqueue_after_commit
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation, Person
from engage.subject_access.models import SubjectAccessRequest


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
