"""A reference load whose worker died is found and marked failed, its upload deleted; a
running load shows a heartbeat on its progress file. See engage/core/jobs.py."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory
from engage.places import runner, services
from engage.places.models import ReferenceJob, ReferenceJobStatus, ReferenceKind

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(minutes=10)


def queued_load() -> ReferenceJob:
    upload = SimpleUploadedFile("census2021-ts038-ltla.csv", b"date,geography,geography code\n")
    return services.reference_job_create(actor=None, kind=ReferenceKind.CENSUS, upload=upload, start=False)


def files_of(job: ReferenceJob) -> list[Path]:
    return sorted(Path(job.stored_path).parent.iterdir())


def as_if_its_worker_died(job: ReferenceJob, *, file_too: bool = True) -> None:
    then = timezone.now() - LONG_AGO
    ReferenceJob.objects.filter(pk=job.pk).update(
        status=ReferenceJobStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    job.refresh_from_db()
    progress = Path(job.stored_path).with_suffix(".progress")
    progress.write_text("20000 100000", encoding="ascii")
    if file_too:
        os.utime(progress, (then.timestamp(), then.timestamp()))


def test_a_load_whose_worker_died_is_marked_failed_when_its_progress_is_read_and_its_upload_deleted(
    client_for, django_capture_on_commit_callbacks
):
    job = queued_load()
    as_if_its_worker_died(job)
    assert len(files_of(job)) == 2
    organisation = OrganisationFactory()
    admin = client_for(member_of(organisation, Role.PARTNERSHIP_ADMIN), organisation)

    with django_capture_on_commit_callbacks(execute=True):
        status = admin.get(f"/staff/reach/reference/{job.pk}/status/").json()

    assert (status["status"], status["finished"]) == ("failed", True)
    assert status["summary"] == (
        "The worker stopped while this was running; nothing of it was kept. "
        "Start it again by uploading the file again."
    )
    assert files_of(job) == []
    assert AuditEvent.objects.filter(subject_type="reference_job", subject_id=str(job.pk)).count() == 2


def test_a_load_still_beating_on_its_file_is_left_running():
    job = queued_load()
    as_if_its_worker_died(job, file_too=False)
    assert services.reference_job_progress(job) == (20000, 100000)
    assert job.status == ReferenceJobStatus.RUNNING


def test_the_next_load_finds_a_dead_one(django_capture_on_commit_callbacks):
    dead = queued_load()
    as_if_its_worker_died(dead)
    with django_capture_on_commit_callbacks(execute=True):
        queued_load()
    dead.refresh_from_db()
    assert dead.status == ReferenceJobStatus.FAILED
    assert not Path(dead.stored_path).exists()


def test_a_running_load_touches_its_progress_file_every_few_seconds(settings, monkeypatch):
    settings.ENGAGE_JOB_HEARTBEAT_SECONDS = 0.05
    job = queued_load()
    progress = Path(job.stored_path).with_suffix(".progress")
    seen: list[float] = []

    def slow_load(job, path, note):
        old = time.time() - 3600
        os.utime(progress, (old, old))
        time.sleep(0.5)
        seen.append(progress.stat().st_mtime)
        raise ValueError("stop here")

    monkeypatch.setattr(runner, "_load", slow_load)
    finished = runner.reference_job_run(job_id=job.pk)
    assert finished.status == ReferenceJobStatus.FAILED
    assert seen[0] > time.time() - 60
    assert not progress.exists()
    assert not Path(job.stored_path).exists()


def test_only_a_queued_load_starts():
    job = queued_load()
    ReferenceJob.objects.filter(pk=job.pk).update(
        status=ReferenceJobStatus.RUNNING, started_at=timezone.now()
    )
    assert runner.reference_job_run(job_id=job.pk).status == ReferenceJobStatus.RUNNING
    assert Path(job.stored_path).exists()
