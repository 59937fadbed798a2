"""New conversations are analysed without anyone starting an analysis: an import that
lands, or a conversation recorded by staff or through the public form, queues one once
it commits; a run that ends with conversations added while it ran queues the next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engage.conversations import services as conversations
from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import services as import_services
from engage.conversations.imports.mapping import GENERIC
from engage.conversations.models import Channel, ImportStatus
from engage.conversations.tests.factories import ConversationFactory
from engage.insight import runner, services
from engage.insight.models import AnalysisRun, RunStatus
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _record(organisation, text: str) -> None:
    conversations.conversation_record(
        actor=None,
        organisation=organisation,
        text=text,
        channel=Channel.WEB_FORM,
        occurred_on=dt.date(2026, 3, 2),
    )


def _queued_import(organisation, path):
    with path.open("rb") as content:
        return import_services.import_job_create(
            actor=None,
            organisation=organisation,
            content=content,
            file_name=path.name,
            template=GENERIC,
            start=False,
        )


def test_an_import_that_lands_queues_an_analysis_once_it_commits(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    organisation = OrganisationFactory()
    path = tmp_path / "survey.csv"
    path.write_text("Comment,Date\nThe nurse was kind,01/03/2026\nToo long a wait,02/03/2026\n")
    job = _queued_import(organisation, path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = import_pipeline.import_job_run(job_id=job.pk)
    assert done.status == ImportStatus.SUCCEEDED
    assert callbacks, "nothing was waiting for the import to commit"
    queued = AnalysisRun.objects.get()
    assert (queued.status, queued.rows_total) == (RunStatus.QUEUED, 2)


def test_an_import_that_adds_nothing_queues_nothing(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    organisation = OrganisationFactory()
    path = tmp_path / "survey.csv"
    path.write_text("Comment,Date\nThe nurse was kind,01/03/2026\n")
    for _ in range(2):
        with path.open("rb") as content:
            job = import_services.import_job_create(
                actor=None,
                organisation=organisation,
                content=content,
                file_name=path.name,
                template=GENERIC,
                start=False,
            )
        with django_capture_on_commit_callbacks(execute=False):
            import_pipeline.import_job_run(job_id=job.pk)
    AnalysisRun.objects.all().delete()
    job = _queued_import(organisation, path)
    with django_capture_on_commit_callbacks(execute=True):
        again = import_pipeline.import_job_run(job_id=job.pk)
    assert (again.added, again.duplicates) == (0, 1)
    assert not AnalysisRun.objects.exists()


def test_conversations_recorded_one_by_one_share_the_analysis_that_waits(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _record(organisation, "The app would not let me book.")
    with django_capture_on_commit_callbacks(execute=True):
        _record(organisation, "Lovely receptionist.")
    queued = AnalysisRun.objects.get()  # the second joined the one waiting
    assert queued.status == RunStatus.QUEUED
    assert services.conversations_pending().count() == 2


def test_a_run_that_ends_with_conversations_added_meanwhile_queues_the_next(
    django_capture_on_commit_callbacks,
):
    organisation = OrganisationFactory()
    ConversationFactory(organisation=organisation, text="Before the run")
    run = services.analysis_run_create(actor=None, start=False)
    started = timezone.now()
    done = runner.analysis_run_execute(run_id=run.pk)
    assert done.status == RunStatus.SUCCEEDED
    assert AnalysisRun.objects.count() == 1  # nothing came in meanwhile
    # One that landed as the run was finishing, after the chunk that would have read it.
    ConversationFactory(organisation=organisation, text="Landed during the run")
    with django_capture_on_commit_callbacks(execute=True):
        runner.analysis_follow_up(started)
    assert AnalysisRun.objects.filter(status=RunStatus.QUEUED).count() == 1


def test_a_conversation_left_pending_from_before_a_run_queues_no_run_after_it():
    organisation = OrganisationFactory()
    ConversationFactory(organisation=organisation, text="Old, and still pending")
    runner.analysis_follow_up(timezone.now() + dt.timedelta(seconds=1))
    assert not AnalysisRun.objects.exists()
