"""An import whose worker died is found and marked failed; one import per organisation
runs at a time (the others wait in line); a file is not queued twice; a failed import's
upload is deleted. See engage/core/jobs.py and the notes in imports/pipeline.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.accounts.tests.factories import member_of
from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import selectors as import_selectors
from engage.conversations.imports import services as import_services
from engage.conversations.imports.tasks import import_job_task
from engage.conversations.models import Conversation, ImportJob, ImportStatus
from engage.conversations.tests.test_import import HEADINGS, create, run, survey_rows
from engage.core.errors import Conflict
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ENGAGE = Path(sys.executable).with_name("engage")
LONG_AGO = dt.timedelta(minutes=10)


def uploads() -> list[Path]:
    """Every file left in the import folder (uploads, progress files), however deep."""
    folder = import_services.import_dir()
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def as_if_its_worker_died(job: ImportJob, *, file_too: bool = True) -> None:
    """The job marked running long ago by a worker that has since gone: its row's last
    sign of life and (with `file_too`) its progress file's are ten minutes old."""
    then = timezone.now() - LONG_AGO
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    job.refresh_from_db()
    job.progress_note(10)
    if file_too:
        os.utime(Path(job.stored_path).with_suffix(".progress"), (then.timestamp(), then.timestamp()))


def test_an_import_whose_worker_died_is_marked_failed_when_its_page_is_read_and_its_files_deleted(
    organisation, write_csv, client_for, django_capture_on_commit_callbacks
):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(20)]))
    as_if_its_worker_died(job)
    assert len(uploads()) == 2  # the upload and its progress file
    officer = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)

    # The files go once the marking has committed.
    with django_capture_on_commit_callbacks(execute=True):
        status = officer.get(f"/staff/conversations/imports/{job.pk}/status.json").json()

    assert (status["status"], status["finished"]) == ("failed", True)
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.FAILED, import_services.WORKER_STOPPED)
    assert job.error == (
        "The worker stopped while this was running; nothing of it was kept. "
        "Start it again by uploading the file again."
    )
    assert job.finished_at is not None
    assert uploads() == []  # the file may hold full postcodes
    assert not Conversation.objects.exists()
    event = AuditEvent.objects.get(subject_type="import_job", subject_id=str(job.pk), action="updated")
    assert "its worker stopped" in event.summary
    page = officer.get(f"/staff/conversations/imports/{job.pk}/").content.decode()
    assert "The worker stopped while this was running" in page


def test_an_import_still_beating_is_left_running(organisation, write_csv):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(20)]))
    # The row went quiet long ago (its transaction hides any update), but the worker
    # still touches the progress file: it is alive.
    as_if_its_worker_died(job, file_too=False)
    assert import_services.import_jobs_fail_stale() == []
    assert (
        import_selectors.import_job_get(organisation=organisation, job_id=job.pk).status
        == ImportStatus.RUNNING
    )
    assert len(uploads()) == 2


def test_an_import_started_moments_ago_is_left_running_though_it_has_no_progress_file(
    organisation, write_csv
):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(5)]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    assert import_services.import_jobs_fail_stale() == []


def test_the_next_import_for_the_organisation_finds_the_dead_one_and_runs(
    organisation, write_csv, django_capture_on_commit_callbacks
):
    dead = create(organisation, write_csv([HEADINGS, *survey_rows(20)], name="first.csv"))
    as_if_its_worker_died(dead)
    with django_capture_on_commit_callbacks(execute=True):
        following = run(organisation, write_csv([HEADINGS, *survey_rows(5, start=100)], name="second.csv"))
    assert (following.status, following.added) == (ImportStatus.SUCCEEDED, 5)
    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED
    assert uploads() == []


def test_a_running_import_touches_its_progress_file_every_few_seconds(organisation, write_csv, settings):
    settings.ENGAGE_JOB_HEARTBEAT_SECONDS = 0.05
    job = create(organisation, write_csv([HEADINGS, *survey_rows(5)]))
    progress_file = Path(job.stored_path).with_suffix(".progress")
    seen: list[float] = []

    def slow_batch(done: int, total: int) -> None:
        # A long batch: no progress is noted meanwhile, only the heartbeat.
        old = time.time() - 3600
        os.utime(progress_file, (old, old))
        time.sleep(0.5)
        seen.append(progress_file.stat().st_mtime)

    import_pipeline.import_job_run(job_id=job.pk, on_progress=slow_batch)
    assert seen
    assert seen[0] > time.time() - 60


def test_only_one_import_per_organisation_runs_and_the_next_waits_in_line(organisation, write_csv):
    first = create(organisation, write_csv([HEADINGS, *survey_rows(5)], name="first.csv"))
    ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    second = create(organisation, write_csv([HEADINGS, *survey_rows(5, start=50)], name="second.csv"))

    with pytest.raises(Conflict, match="Another import for Dudley Healthwatch is running"):
        import_pipeline.import_job_run(job_id=second.pk, wait_in_line=True)
    second.refresh_from_db()
    assert second.status == ImportStatus.QUEUED
    assert Path(second.stored_path).exists()

    # Another organisation is not held up.
    other = OrganisationFactory(name="Walsall Council")
    assert (
        run(other, write_csv([HEADINGS, *survey_rows(5)], name="theirs.csv")).status == ImportStatus.SUCCEEDED
    )

    # Not waiting (the command line), it fails saying why, and its file goes.
    refused = import_pipeline.import_job_run(job_id=second.pk)
    assert refused.status == ImportStatus.FAILED
    assert refused.error.startswith(
        "Another import for Dudley Healthwatch is running, so this one did not start"
    )
    assert not Path(second.stored_path).exists()
    assert not Conversation.objects.filter(organisation=organisation).exists()


def test_the_database_itself_refuses_a_second_running_import_for_an_organisation(organisation, write_csv):
    first = create(organisation, write_csv([HEADINGS, *survey_rows(5)], name="first.csv"))
    second = create(organisation, write_csv([HEADINGS, *survey_rows(5, start=9)], name="second.csv"))
    ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.filter(pk=second.pk).update(status=ImportStatus.RUNNING)


def test_the_worker_puts_an_import_that_must_wait_back_in_line(organisation, write_csv):
    first = create(organisation, write_csv([HEADINGS, *survey_rows(5)], name="first.csv"))
    ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    second = create(organisation, write_csv([HEADINGS, *survey_rows(5, start=50)], name="second.csv"))

    assert import_job_task.call(job_id=second.pk) == "queued"

    second.refresh_from_db()
    assert second.status == ImportStatus.QUEUED
    again = DBTaskResult.objects.get(task_path=import_job_task.module_path)
    assert again.args_kwargs["kwargs"] == {"job_id": second.pk}
    assert again.run_after > timezone.now()


def test_the_same_file_is_not_queued_twice_while_it_waits(organisation, write_csv):
    path = write_csv([HEADINGS, *survey_rows(5)])
    create(organisation, path)
    with pytest.raises(Conflict) as refused:
        create(organisation, path)
    assert refused.value.status == 409
    assert refused.value.message == (
        "survey.csv is already waiting to be imported, or being imported. "
        "Its page on the list of imports shows how far it has got."
    )
    assert ImportJob.objects.count() == 1
    assert len(uploads()) == 1  # the second copy was not kept
    # Another organisation may import the same file.
    create(OrganisationFactory(), path)


def test_a_file_refused_while_importing_is_deleted(organisation, write_csv, settings):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(20)]))
    settings.ENGAGE_IMPORT_MAX_ROWS = 10
    assert import_pipeline.import_job_run(job_id=job.pk).status == ImportStatus.FAILED
    assert uploads() == []


def test_a_finished_or_failed_job_is_not_run_again(organisation, write_csv):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(5)]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, error="Stopped.")
    again = import_pipeline.import_job_run(job_id=job.pk)
    assert (again.status, again.error) == (ImportStatus.FAILED, "Stopped.")
    assert not Conversation.objects.exists()


# --- A real worker, really killed -------------------------------------------------------

CHILD_IMPORT = """
import sys, time
import django
django.setup()
from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import services as import_services
from engage.conversations.imports.mapping import GENERIC
from engage.partners.tests.factories import OrganisationFactory

import_pipeline.BATCH = 10
organisation = OrganisationFactory(name=sys.argv[1])
with open(sys.argv[2], "rb") as content:
    job = import_services.import_job_create(
        actor=None, organisation=organisation, content=content, file_name="survey.csv",
        template=GENERIC, start=False,
    )

def progress(done, total):
    print(f"job {job.pk} read {done}", flush=True)
    if done >= 20:
        time.sleep(600)  # killed here, with 20 rows written in the open transaction

import_pipeline.import_job_run(job_id=job.pk, on_progress=progress)
"""

CHILD_LOOK = """
import json, sys
from pathlib import Path
import django
django.setup()
from engage.conversations.imports import services as import_services
from engage.conversations.models import Conversation, ImportJob, ImportRejection
from engage.core.models import AuditEvent

import_services.import_jobs_fail_stale()  # as the progress page does
job = ImportJob.objects.get(pk=int(sys.argv[1]))
folder = import_services.import_dir()
print(json.dumps({
    "status": job.status,
    "error": job.error,
    "conversations": Conversation.objects.filter(organisation=job.organisation).count(),
    "rejections": ImportRejection.objects.filter(job=job).count(),
    "files": sorted(str(p) for p in folder.rglob("*") if p.is_file()),
    "audited": AuditEvent.objects.filter(subject_type="import_job", subject_id=str(job.pk), action="updated").count(),
}))
"""


def _database_url(sqlite_file: Path) -> str:
    """The database the child processes share with this test: PostgreSQL's test
    database (committed data, as the test is transactional), or on SQLite a file (the
    test database lives in this process's memory)."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{sqlite_file}"
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("worker") / "engage.sqlite3"
    if connection.vendor == "postgresql":
        return path  # unused: the children use the test database
    shutil.copyfile(migrated_sqlite_template, path)
    return path


def _child(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_the_bank_unchanged_and_is_marked_failed_with_its_file_deleted(
    migrated_sqlite: Path, tmp_path: Path, write_csv: Any
) -> None:
    var = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(migrated_sqlite),
        "ENGAGE_VAR_DIR": str(var),
        "ENGAGE_JOB_HEARTBEAT_SECONDS": "0.2",
        "ENGAGE_JOB_STALE_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
    }
    source = write_csv([HEADINGS, *survey_rows(35)])
    name = f"Killed worker {tmp_path.name}"
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", CHILD_IMPORT, name, str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        job_id = None
        deadline = time.monotonic() + 120
        assert worker.stdout is not None
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            if line.startswith("job ") and line.split()[-1] == "20":
                job_id = int(line.split()[1])
                break
        assert job_id is not None, worker.stderr.read() if worker.stderr else ""

        # Silent on its row for longer than the limit, but beating on its file: alive.
        time.sleep(3)
        alive = json.loads(_child(env, "-c", CHILD_LOOK, str(job_id)).stdout)
        assert alive["status"] == "running"
        assert alive["conversations"] == 0  # written, but not committed
        assert len(alive["files"]) == 2  # the upload and its progress file

        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)

    time.sleep(3)  # the heartbeat has now been silent for longer than the limit
    # The worker, starting, looks for jobs whose worker died.
    started = _child(
        env, "-m", "engage.cli", "worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0"
    )
    assert started.returncode == 0, started.stderr
    after = json.loads(_child(env, "-c", CHILD_LOOK, str(job_id)).stdout)
    assert after == {
        "status": "failed",
        "error": import_services.WORKER_STOPPED,
        "conversations": 0,
        "rejections": 0,
        "files": [],
        "audited": 1,
    }
