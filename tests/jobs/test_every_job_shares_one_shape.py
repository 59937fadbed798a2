"""Every kind of background job shares one shape: its state, when it changed, and, for a
job that works through an upload, the progress note and heartbeat beside the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from engage.conversations.models import ImportJob, ImportStatus
from engage.core.models import BackgroundJob, JobStatus, UploadedFileJob
from engage.insight.models import AnalysisRun
from engage.partners.models import RegisterJob
from engage.places.models import ReferenceJob
from engage.retention.models import RetentionRun
from engage.subject_access.models import SubjectAccessRequest

OWN_STATES: dict[type, set[str]] = {ImportJob: {ImportStatus.HELD}}


@pytest.mark.parametrize(
    "model", [ImportJob, ReferenceJob, RegisterJob, AnalysisRun, RetentionRun, SubjectAccessRequest]
)
def test_each_kind_of_job_keeps_its_own_words_for_the_shared_states(model: type[BackgroundJob]) -> None:
    field = model._meta.get_field("status")
    # The shared states, in the job's own words; an import has one more of its own (held
    # while a person checks its ratings, ADR 0040), which is neither running nor finished.
    assert {value for value, _ in field.choices} - OWN_STATES.get(model, set()) == set(JobStatus.values)
    assert issubclass(model, BackgroundJob)
    assert model(status=JobStatus.FAILED).finished
    assert not model(status=JobStatus.RUNNING).finished
    assert model(status=JobStatus.RUNNING).running


def test_an_uploaded_file_jobs_progress_note_and_heartbeat_live_beside_its_upload(tmp_path: Path) -> None:
    upload = tmp_path / "upload.csv"
    upload.write_text("text\nhello\n")
    job: UploadedFileJob = ReferenceJob(file_name="upload.csv", stored_path=str(upload))
    assert job.progress_read() is None
    job.progress_note(20, 100)
    assert job.progress_read() == (20, 100)
    assert job.progress_beat_since(timezone.now() - dt.timedelta(seconds=5))
    assert not job.progress_beat_since(timezone.now() + dt.timedelta(seconds=5))
    job.files_remove()
    assert list(tmp_path.iterdir()) == []
    job.progress_note(5)  # a note with no upload folder left is no error
    assert ImportJob(stored_path=str(tmp_path / "gone" / "x.csv")).progress_read() is None
