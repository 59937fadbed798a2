"""A subject access request: everything one organisation holds about one person,
gathered in the background into one ZIP of readable files with a cover note.

The ZIP is personal data of the organisation (reached only through `for_organisation`);
the request keeps no copy of the person's details, only a link to their record, which
erasing the person empties. The ZIP is deleted under the retention rule for subject
access downloads (engage/retention), or at once when the person is erased (services.py);
the request stays, saying when it went and why."""

from __future__ import annotations

import logging
import re
import secrets
import stat
from pathlib import Path

from django.conf import settings
from django.db import models

from engage.core.models import BackgroundJob, JobStatus
from engage.core.scoping import OrganisationScopedQuerySet
from engage.partners.models import Organisation, Person

logger = logging.getLogger(__name__)


class DownloadDeleted(models.TextChoices):
    """Why a gathered ZIP was deleted before anyone asked: its time ran out, or the
    person it is about was erased (their right to erasure reaches the copy too)."""

    RETENTION = "retention", "under the retention rule for subject access downloads"
    ERASURE = "erasure", "when their record was erased"


class RequestStatus(models.TextChoices):
    QUEUED = JobStatus.QUEUED, "Waiting to start"
    RUNNING = JobStatus.RUNNING, "Gathering"
    SUCCEEDED = JobStatus.SUCCEEDED, "Ready to download"
    FAILED = JobStatus.FAILED, "Failed"


# The ZIP's name: the request's number and a part no one can guess. Retention removes
# only files named so (and never one of a request waiting or gathering), so a folder
# shared by mistake loses nothing else.
ZIP_NAME = re.compile(r"(?P<request>[0-9]{1,18})-[A-Za-z0-9_-]{22}\.zip")


def zips_folder() -> Path:
    """Where the ZIPs are written, beside the other things the software keeps."""
    return Path(settings.VAR_DIR) / "subject-access"


def zip_name(request_id: int) -> str:
    return f"{request_id}-{secrets.token_urlsafe(16)}.zip"


def download_file_remove(path: Path) -> bool:
    """Remove one request's ZIP; True once it is gone (or was already). Only a plain
    file named as the gathering names them is removed, never a link, whatever a row
    says: the path comes from the database."""
    if ZIP_NAME.fullmatch(path.name) is None:
        logger.warning("Left %s: it is not named as a subject access download.", path)
        return False
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        path.unlink()
    except FileNotFoundError:
        return True
    except OSError:  # the retention rule's sweep of files no request points at tries again
        logger.warning("Could not remove %s.", path, exc_info=True)
        return False
    return True


class RequestQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class SubjectAccessRequest(BackgroundJob):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="subject_access_requests"
    )
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Progress, a section (a file of the ZIP) at a time.
    sections_total = models.PositiveSmallIntegerField(default=0)
    sections_done = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True)
    # When the ZIP was deleted (file_path is then empty), by the retention run or the
    # person's erasure (file_deleted_because); None while it is held, and for a request
    # that never made one.
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    file_deleted_because = models.CharField(max_length=10, choices=DownloadDeleted.choices, blank=True)
    records = models.PositiveIntegerField(default=0, help_text="Records gathered, over every file.")

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"subject access request {self.pk}"

    @property
    def state_label(self) -> str:
        """Its status in words, saying where the download was deleted."""
        if self.file_deleted_at is not None:
            return "Download deleted"
        return str(self.get_status_display())
