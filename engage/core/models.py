"""The audit log: who did what to whose record, when, for which organisation, and why;
the shape every background job shares (BackgroundJob, UploadedFileJob); and the
partnership itself (its name and place), which every page names.

Append-only: an event, once written, is never changed or deleted by the application.
Summaries name fields and actions, never the values of personal data, so that the log
itself does not become a second copy of what people told us.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from engage.core.jobs import file_touch, file_touched_since


class AuditAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    LISTED = "listed", "Listed"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Deleted"
    EXPORTED = "exported", "Exported"
    CONSENT_GRANTED = "consent_granted", "Consent given"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    SIGNED_IN = "signed_in", "Signed in"
    SWITCHED_ORGANISATION = "switched_organisation", "Switched organisation"
    ROLE_GRANTED = "role_granted", "Role given"
    ROLE_REMOVED = "role_removed", "Role removed"
    SIGN_IN_REFUSED = "sign_in_refused", "Sign-in refused after too many wrong tries"
    SECOND_FACTOR_SET_UP = "second_factor_set_up", "Two-step sign-in set up"
    SECOND_FACTOR_RESET = "second_factor_reset", "Two-step sign-in reset"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    TOKEN_CREATED = "token_created", "Access token made"
    TOKEN_REVOKED = "token_revoked", "Access token revoked"
    TOKEN_USED = "token_used", "Access token used"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_organisation(self, organisation: Any) -> AuditEventQuerySet:
        return self.filter(organisation=organisation)


class AppendOnly(models.Model):
    """A record the application writes once and never changes or deletes one by one
    (retention deletes old ones in bulk, through a queryset)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only and cannot be deleted.")


class AuditEvent(AppendOnly):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the trail survives the user's account being removed.
    actor_label = models.CharField(max_length=254, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation whose data this was, or in whose name it was done.",
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    reason = models.CharField(max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.subject_type}"


class AuditEventSubject(AppendOnly):
    """One of the records an event about many touched (a page listing twenty
    conversations, an export of the contact list): the event is written once, readable
    in the trail, and each record it touched is here, so that a search of the trail for
    a record, or a subject access request, still finds every time it was shown. The
    record's kind is the event's `subject_type`. Append-only, as events are."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="subjects")
    subject_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["subject_id"], name="audit_subject_many")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.subject_id}"


class Partnership(models.Model):
    """The partnership this installation serves: its name and its place (a local
    authority district, by its ONS code). There is at most one, written by
    `engage setup` or the first-run page; until then pages use ENGAGE_PARTNERSHIP_NAME."""

    name = models.CharField(max_length=120)
    place_code = models.CharField(max_length=9, help_text="The ONS code of its local authority district.")
    place_name = models.CharField(max_length=100)
    set_up_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="partnership_only_one")]

    def __str__(self) -> str:
        return self.name


class RateLimitHit(models.Model):
    """One counted request, for `engage.core.ratelimit`: which limit it counts against,
    whose it was, and when.

    `key` is a keyed hash of the client (for the public, its network address) that
    changes every day, never the address itself; hits are deleted once they are older
    than their limit's window, so a row lives about an hour.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()
    # Also a keyed hash: what else the hit is filed under (for sign-in, the account
    # tried, whatever the address), so all of an account's hits can be forgotten at once.
    subject = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="rate_limit_scope_key_at"),
            models.Index(fields=["scope", "at"], name="rate_limit_scope_at"),
            models.Index(fields=["scope", "subject"], name="rate_limit_scope_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class JobStatus(models.TextChoices):
    """The four states of every background job. Each kind of job (ImportJob,
    ReferenceJob, AnalysisRun) gives them its own words ("Importing", "Loading")."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class BackgroundJob(models.Model):
    """What every background job has: its state and when it changed, with the error
    that ended it. A subclass declares `status` with its own labels (the values are
    JobStatus's). How a job shows it is alive and is found dead is engage/core/jobs.py."""

    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Its last sign of life while running (engage/core/jobs.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    status: Any

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def running(self) -> bool:
        return bool(self.status == JobStatus.RUNNING)


class UploadedFileJob(BackgroundJob):
    """A job that works through an uploaded file, in one transaction (an import, a
    reference load). Its row cannot show progress until it commits, and on SQLite no
    other connection may write meanwhile, so the job notes how far it has got in a small
    file beside the upload (the web and the worker share that folder), rewritten whole
    so a reader never sees half of it. The same file is its heartbeat: a thread touches
    it while the job runs, and its modification time tells every process that the job
    is alive. Upload and notes go when the job ends (the upload may hold full postcodes)."""

    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)

    class Meta:
        abstract = True

    def progress_path(self) -> Path:
        return Path(self.stored_path).with_suffix(".progress")

    def progress_note(self, done: int, total: int = 0) -> None:
        """Note rows done (of `total`, where known). Progress is a courtesy: a full disk
        must not fail the job here."""
        path = self.progress_path()
        temporary = path.with_suffix(".progress-new")
        try:
            temporary.write_text(f"{done} {total}", encoding="ascii")
            os.replace(temporary, path)
        except OSError:
            pass

    def progress_read(self) -> tuple[int, int] | None:
        """(rows done, rows expected or 0) as last noted, or None where nothing was."""
        try:
            done, _, total = self.progress_path().read_text(encoding="ascii").partition(" ")
            return int(done), int(total or 0)
        except (OSError, ValueError):
            return None

    def progress_beat(self) -> None:
        """The job is alive: the note's modification time becomes now."""
        file_touch(self.progress_path())

    def progress_beat_since(self, moment: dt.datetime) -> bool:
        """Whether the running job has shown it is alive since `moment`."""
        return file_touched_since(self.progress_path(), moment)

    def files_remove(self) -> None:
        """The upload and its notes: a job that has ended needs neither."""
        Path(self.stored_path).unlink(missing_ok=True)
        self.progress_path().unlink(missing_ok=True)
        self.progress_path().with_suffix(".progress-new").unlink(missing_ok=True)
