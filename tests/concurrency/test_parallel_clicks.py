"""Parallel clicks on the same button never give a 500, and have exactly one effect.

Each test signs one person in, then fires the same POST from several threads at once
(one test client each, sharing the person's session, released together by a barrier),
as a double click or several tabs would. Only on PostgreSQL: SQLite lets one writer in
at a time, so nothing there runs at once (and the test database in memory would report
its own table locks instead).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.imports.mapping import FFT
from engage.conversations.models import ImportJob, ImportStatus
from engage.conversations.tests.conftest import csv_bytes
from engage.core.roles import Role
from engage.decisions.models import ActivityPublication, Decision, FeedbackMessage, Participation
from engage.insight.models import AnalysisRun
from engage.partners.tests.factories import ConsentFactory, OrganisationFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time"),
]

CLICKS = 6


def clicked_at_once(client: Client, path: str, data: Callable[[], dict[str, Any]]) -> list[int]:
    """The status of each of CLICKS identical POSTs sent at the same moment."""
    barrier = threading.Barrier(CLICKS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def click() -> None:
        tab = Client(raise_request_exception=False)  # a 500 is a status here, not an exception
        tab.cookies = client.cookies
        try:
            body = data()
            barrier.wait(timeout=30)
            statuses.append(tab.post(path, body).status_code)
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(statuses) == CLICKS
    return statuses


@pytest.fixture
def organisation() -> Any:
    return OrganisationFactory(name="Healthwatch Castlebridge")


def test_starting_an_analysis_from_several_tabs_at_once_starts_one(client_for, organisation) -> None:
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    statuses = clicked_at_once(analyst, "/staff/themes/runs/new/", dict)
    assert all(status < 500 for status in statuses), statuses
    assert AnalysisRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="analysis_run_task").count() == 1


def test_starting_the_same_import_from_several_tabs_at_once_queues_it_once(
    client_for, organisation, settings, tmp_path: Path
) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    officer = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)
    content = csv_bytes(
        [
            ["Respondent ID", "Date", "FFT response", "Comment"],
            ["F1", "15/03/2025", "Very good", "The nurses were kind."],
            ["F2", "16/03/2025", "2", "Waited two hours."],
        ]
    )

    def form() -> dict[str, Any]:
        return {"file": SimpleUploadedFile("fft.csv", content), "template": FFT}

    statuses = clicked_at_once(officer, "/staff/conversations/imports/new/", form)
    assert all(status < 500 for status in statuses), statuses
    assert sorted(statuses) == [302] + [409] * (CLICKS - 1)
    assert ImportJob.objects.count() == 1
    assert len(list((tmp_path / "imports").iterdir())) == 1  # the refused copies were not kept
    assert DBTaskResult.objects.filter(task_path__endswith="import_job_task").count() == 1


def test_answering_a_held_import_from_several_tabs_at_once_queues_it_once(
    client_for, organisation, settings, tmp_path: Path
) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    officer = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)
    upload = tmp_path / "imports" / "held.csv"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"Comment,Rating\nBrilliant service,5\n")
    held = ImportJob.objects.create(
        organisation=organisation,
        file_name="five-is-best.csv",
        stored_path=str(upload),
        file_sha256="5" * 64,
        mapping={"text": "Comment", "rating": "Rating"},
        status=ImportStatus.HELD,
        started_at=timezone.now(),
    )

    statuses = clicked_at_once(
        officer, f"/staff/conversations/imports/{held.pk}/ratings/", lambda: {"rating_best": "highest"}
    )
    assert sorted(statuses) == [302] + [409] * (CLICKS - 1)
    held.refresh_from_db()
    assert (held.status, held.rating_best) == (ImportStatus.QUEUED, "highest")
    assert DBTaskResult.objects.filter(task_path__endswith="import_job_task").count() == 1


def test_publishing_an_activity_from_several_tabs_at_once_publishes_and_tells_once(
    client_for, organisation
) -> None:
    activity = ActivityFactory(lead_organisation=organisation)
    person = PersonFactory(organisation=organisation)
    ConsentFactory(person=person)
    Participation.objects.create(activity=activity, person=person)
    decision = Decision.objects.create(
        organisation=organisation,
        title="Evening appointments at Harrowmere surgery",
        summary="The surgery opens until 8pm.",
        decided_by="board",
        decided_by_name="The board",
        activity=activity,
    )
    officer = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)
    statuses = clicked_at_once(
        officer, f"/staff/decisions/publish/{activity.pk}/", lambda: {"decision": [decision.pk]}
    )
    assert all(status < 500 for status in statuses), statuses
    assert ActivityPublication.objects.filter(activity=activity).count() == 1
    assert FeedbackMessage.objects.filter(decision=decision, person=person).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="feedback_send_task").count() == 1


def test_adding_the_same_people_from_several_tabs_at_once_adds_each_once(client_for, organisation) -> None:
    activity = ActivityFactory(lead_organisation=organisation)
    people = [PersonFactory(organisation=organisation) for _ in range(3)]
    officer = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)
    statuses = clicked_at_once(
        officer,
        f"/staff/activities/{activity.pk}/people/add/",
        lambda: {"person": [person.pk for person in people]},
    )
    assert all(status < 500 for status in statuses), statuses
    assert Participation.objects.filter(activity=activity).count() == 3
