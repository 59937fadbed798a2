"""A subject access ZIP is deleted under the retention rule (engage/retention): the
request stays, and its page says plainly when the download went and offers to gather it
again while the person is still held. A request whose worker stopped is marked failed
and its half-written ZIP removed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners import services as partners
from engage.partners.tests.factories import OrganisationFactory, PersonFactory
from engage.retention import runner as retention_runner
from engage.retention import services as retention
from engage.retention.models import RunTrigger
from engage.subject_access import runner, services
from engage.subject_access.models import RequestStatus, SubjectAccessRequest, zip_name, zips_folder
from engage.subject_access.tests.factories import SubjectAccessRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"


@pytest.fixture
def gathered():
    """A request for one of Healthwatch's people, gathered today."""
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    person = PersonFactory(organisation=healthwatch, given_name="Samira", family_name="Okafor")
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    done = runner.subject_access_execute(request_id=request.pk)
    assert Path(done.file_path).is_file()
    return healthwatch, person, done


def retention_run_in(days: int) -> None:
    """The nightly retention run, `days` from today, under the default rules."""
    run = retention.retention_run_create(
        actor=None, trigger=RunTrigger.COMMAND, run_on=timezone.localdate() + dt.timedelta(days=days)
    )
    retention_runner.retention_run_execute(run_id=run.pk)


def test_the_page_says_when_the_download_was_deleted_and_offers_to_gather_again(client_for, gathered):
    healthwatch, person, request = gathered
    zip_path = Path(request.file_path)
    user = member_of(healthwatch, Role.ORGANISATION_ADMIN)
    detail = f"/staff/subject-access/{request.pk}/"

    # A run's cut-off is 30 days back from its day: a run 30 days from now keeps today's
    # ZIP, and one a day later deletes it. (The runs end sessions too: sign in after.)
    retention_run_in(30)
    assert zip_path.is_file()
    assert "Download the ZIP file" in client_for(user, healthwatch).get(detail).content.decode()

    retention_run_in(31)
    assert not zip_path.exists()
    admin = client_for(user, healthwatch)
    page = admin.get(detail).content.decode()
    today = timezone.localdate()
    assert (
        f"The download was deleted on {today.day} {today:%B %Y} under the retention rule for subject "
        "access downloads."
    ) in page
    assert "The record of this request, who asked for it and when, is kept." in page
    assert "Download the ZIP file" not in page
    assert f'action="/staff/people/{person.pk}/subject-access/"' in page
    assert "Gather everything held about them again" in page
    assert admin.get(f"/staff/subject-access/{request.pk}/download/").status_code == 404
    status = admin.get(f"/staff/subject-access/{request.pk}/status.json").json()
    assert status["status_label"] == "Download deleted"
    assert "download deleted" in admin.get(f"/staff/people/{person.pk}/").content.decode()

    # Gathering again makes a new request, with its own ZIP; the old one stays as it was.
    again = admin.post(f"/staff/people/{person.pk}/subject-access/")
    assert again.status_code == 302
    assert SubjectAccessRequest.objects.filter(person=person).count() == 2


def test_once_the_person_is_erased_there_is_nothing_to_gather_again(client_for, gathered):
    healthwatch, person, request = gathered
    retention_run_in(31)
    partners.person_erase(actor=None, organisation=healthwatch, person_id=person.pk, reason="They asked")
    admin = client_for(member_of(healthwatch, Role.ORGANISATION_ADMIN), healthwatch)
    page = admin.get(f"/staff/subject-access/{request.pk}/").content.decode()
    assert "Their record has since been erased, so there is nothing to gather again." in page
    assert "Gather everything held about them again" not in page


def test_a_request_whose_worker_stopped_is_marked_failed_and_its_half_written_zip_removed(
    django_capture_on_commit_callbacks,
):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    stopped = SubjectAccessRequestFactory(
        status=RequestStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    alive = SubjectAccessRequestFactory(
        status=RequestStatus.RUNNING, started_at=long_ago, heartbeat_at=timezone.now()
    )
    folder = zips_folder()
    folder.mkdir(parents=True)
    half_written = folder / zip_name(stopped.pk)
    being_written = folder / zip_name(alive.pk)
    for path in (half_written, being_written):
        path.write_bytes(b"PK")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.subject_access_requests_fail_stale() == [stopped.pk]

    stopped.refresh_from_db()
    alive.refresh_from_db()
    assert (stopped.status, stopped.error) == (RequestStatus.FAILED, services.WORKER_STOPPED)
    assert alive.status == RequestStatus.RUNNING
    assert not half_written.exists()
    assert being_written.exists()
    assert AuditEvent.objects.filter(
        organisation=stopped.organisation,
        summary__startswith=f"Marked subject access request {stopped.pk} failed",
    ).exists()


def test_erasing_the_person_deletes_the_download_gathered_for_them_at_once(
    client_for, gathered, django_capture_on_commit_callbacks
):
    healthwatch, person, request = gathered
    zip_path = Path(request.file_path)

    with django_capture_on_commit_callbacks(execute=True):
        partners.person_erase(actor=None, organisation=healthwatch, person_id=person.pk, reason="They asked")

    assert not zip_path.exists()
    request.refresh_from_db()
    assert (request.file_path, request.file_deleted_because) == ("", "erasure")
    admin = client_for(member_of(healthwatch, Role.ORGANISATION_ADMIN), healthwatch)
    page = admin.get(f"/staff/subject-access/{request.pk}/").content.decode()
    today = timezone.localdate()
    assert f"The download was deleted on {today.day} {today:%B %Y} when their record was erased." in page
    assert "kept only for a set time" not in page
    assert "Download the ZIP file" not in page
    assert admin.get(f"/staff/subject-access/{request.pk}/download/").status_code == 404


def test_an_erasure_rolled_back_leaves_the_download_as_it_was(gathered, django_capture_on_commit_callbacks):
    healthwatch, person, request = gathered
    zip_path = Path(request.file_path)

    def erase_then_fail() -> None:
        with transaction.atomic():
            partners.person_erase(
                actor=None, organisation=healthwatch, person_id=person.pk, reason="They asked"
            )
            raise RuntimeError("the erasure failed after the listeners ran")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erase_then_fail()

    assert zip_path.is_file()
    request.refresh_from_db()
    assert (request.file_path, request.file_deleted_at) == (str(zip_path), None)


def test_a_person_erased_while_their_information_is_gathered_leaves_no_copy(gathered, monkeypatch):
    healthwatch, person, _ = gathered
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    first, *rest = runner.SECTIONS

    def erased_meanwhile(who, ids):
        gathered_first = first.gather(who, ids)
        partners.person_erase(actor=None, organisation=healthwatch, person_id=person.pk, reason="They asked")
        return gathered_first

    monkeypatch.setattr(runner, "SECTIONS", (dataclasses.replace(first, gather=erased_meanwhile), *rest))
    done = runner.subject_access_execute(request_id=request.pk)

    assert (done.status, done.file_path, done.error) == (
        RequestStatus.FAILED,
        "",
        runner.ERASED_WHILE_GATHERING,
    )
    assert not any(zips_folder().glob(f"{request.pk}-*.zip"))
