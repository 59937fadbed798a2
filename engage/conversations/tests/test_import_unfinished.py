"""The organisation's imports still under way, as its dashboard lists them: waiting,
running, or held for a person to check the ratings; never another's, never a dead one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engage.conversations.imports.selectors import (
    import_job_list_unfinished,
    import_job_progress,
    import_job_summary,
)
from engage.conversations.imports.services import HELD_MAX_AGE
from engage.conversations.models import ImportJob, ImportStatus
from engage.conversations.tests.factories import ImportJobFactory
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _job(organisation, status, **fields):
    return ImportJobFactory(
        organisation=organisation,
        status=status,
        file_sha256=f"{ImportJob.objects.count():064d}",
        stored_path="/nonexistent/upload.csv",
        **fields,
    )


def test_waiting_running_and_held_imports_are_listed_oldest_first_and_no_others(organisation):
    now = timezone.now()
    running = _job(organisation, ImportStatus.RUNNING, started_at=now, heartbeat_at=now)
    waiting = _job(organisation, ImportStatus.QUEUED)
    held = _job(organisation, ImportStatus.HELD, started_at=now)
    _job(organisation, ImportStatus.SUCCEEDED)
    _job(organisation, ImportStatus.FAILED)
    _job(OrganisationFactory(), ImportStatus.QUEUED)

    found = import_job_list_unfinished(organisation=organisation)
    assert found.items == [running, waiting, held]
    assert import_job_list_unfinished(organisation=None).total == 0


def test_a_dead_running_import_and_one_held_too_long_are_marked_failed_not_listed(organisation):
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    dead = _job(organisation, ImportStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    forgotten = _job(organisation, ImportStatus.HELD, started_at=timezone.now() - HELD_MAX_AGE * 2)

    assert import_job_list_unfinished(organisation=organisation).total == 0
    for job in (dead, forgotten):
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED


def test_each_says_in_words_where_it_has_got(organisation):
    waiting = _job(organisation, ImportStatus.QUEUED)
    held = _job(organisation, ImportStatus.HELD, started_at=timezone.now())
    assert import_job_summary(waiting, import_job_progress(job=waiting)) == (
        "Waiting for the background worker to start the import."
    )
    assert import_job_summary(held, import_job_progress(job=held)) == (
        "Nothing has been added: the ratings need checking first."
    )
