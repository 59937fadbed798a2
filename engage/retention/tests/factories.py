"""Factories for retention rules and runs, and for the old records a run deletes."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import factory
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.core.models import AuditAction, AuditEvent, JobStatus, RateLimitHit
from engage.partners.models import Organisation
from engage.retention.models import (
    PeriodUnit,
    ResultStatus,
    RetentionKind,
    RetentionResult,
    RetentionRule,
    RetentionRun,
    RunTrigger,
)
from engage.subject_access.models import RequestStatus, SubjectAccessRequest, zip_name, zips_folder
from engage.subject_access.tests.factories import SubjectAccessRequestFactory


class RetentionRuleFactory(factory.django.DjangoModelFactory):
    """The partnership's own rule: conversations kept for 60 months."""

    class Meta:
        model = RetentionRule
        django_get_or_create = ("kind",)

    kind = RetentionKind.CONVERSATIONS
    amount = 60
    unit = PeriodUnit.MONTHS


class RetentionRunFactory(factory.django.DjangoModelFactory):
    """A nightly run that finished."""

    class Meta:
        model = RetentionRun

    trigger = RunTrigger.SCHEDULE
    run_on = dt.date(2026, 12, 1)
    status = JobStatus.SUCCEEDED
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)


class RetentionResultFactory(factory.django.DjangoModelFactory):
    """What a run did with conversations: 12 deleted, as many as it expected."""

    class Meta:
        model = RetentionResult

    run = factory.SubFactory(RetentionRunFactory)
    kind = RetentionKind.CONVERSATIONS
    period = "72 months"
    cutoff = dt.date(2020, 12, 1)
    expected = 12
    deleted = 12
    status = ResultStatus.DONE


# --- Old records of the kinds that are not an app's own models -------------------------


def audit_event_at(at: dt.datetime, action: str = AuditAction.VIEWED) -> AuditEvent:
    """An audit event made at `at` (the trail stamps its own time; a queryset update,
    which the append-only model does not see, moves it back)."""
    event = AuditEvent.objects.create(
        action=action, subject_type="person", subject_id="1", summary="Viewed a person's record."
    )
    AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return event


def sign_in_try_at(at: dt.datetime, scope: str = "sign-in:account-and-address") -> RateLimitHit:
    return RateLimitHit.objects.create(scope=scope, key=uuid.uuid4().hex, at=at)


def session_ended_at(at: dt.datetime) -> Session:
    return Session.objects.create(session_key=uuid.uuid4().hex, session_data="", expire_date=at)


def task_result_finished_at(at: dt.datetime | None, status: str = "SUCCESSFUL") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        finished_at=at,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="engage.insight.tasks.analysis_run_task",
        backend_name="default",
        run_after=at or timezone.now(),
        exception_class_path="",
        traceback="",
    )


def file_changed_at(path: Path, at: dt.datetime, content: str = "x") -> Path:
    """A file whose last change was at `at`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    os.utime(path, (at.timestamp(), at.timestamp()))
    return path


def upload_name(suffix: str = ".csv") -> str:
    """A name as the upload store gives one (engage/core/uploads.py)."""
    return f"{uuid.uuid4().hex}{suffix}"


def subject_access_gathered_at(
    organisation: Organisation, at: dt.datetime | None, status: str = RequestStatus.SUCCEEDED
) -> tuple[SubjectAccessRequest, Path]:
    """A subject access request in `status`, and its ZIP, written at `at`: one that is
    ready points at it (finished at `at`); one waiting or gathering does not yet."""
    request = SubjectAccessRequestFactory(organisation=organisation, status=status)
    path = file_changed_at(zips_folder() / zip_name(request.pk), at or timezone.now(), "PK")
    if status == RequestStatus.SUCCEEDED:
        SubjectAccessRequest.objects.filter(pk=request.pk).update(
            file_path=str(path), finished_at=at, started_at=at
        )
    request.refresh_from_db()
    return request, path


def subject_access_left_behind_at(at: dt.datetime, request_id: int = 900_000) -> Path:
    """A ZIP no request points at, as a worker that stopped part way leaves one."""
    return file_changed_at(zips_folder() / zip_name(request_id), at, "PK")
