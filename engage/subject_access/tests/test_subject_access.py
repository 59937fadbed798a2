"""Subject access: everything the organisation holds about one person, in one ZIP with a
cover note, gathered in the background with progress; nothing of anyone else's, nor of
another partner's records; organisation administrators only; each download audited."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Quote, QuoteConsent
from engage.conversations.quotes import services as quotes
from engage.conversations.services import conversations_listed_record
from engage.conversations.tests.factories import ConversationFactory
from engage.core.errors import NotFound
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.decisions.models import Decision, DecisionEvidence, Participation
from engage.partners import services as partners
from engage.partners.selectors import people_shown
from engage.partners.tests.factories import (
    ConsentFactory,
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PersonRoleFactory,
)
from engage.subject_access import runner, services
from engage.subject_access.models import RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def held(db):
    """A person of Healthwatch's with something of every kind, and someone else's records
    beside them, and a partner's."""
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    person = PersonFactory(
        organisation=healthwatch, given_name="Samira", family_name="Okafor", email="samira@example.org"
    )
    PersonRoleFactory(person=person)
    GroupMembershipFactory(group=GroupFactory(organisation=healthwatch, name="Carers' circle"), person=person)
    ConsentFactory(person=person)
    said = ConversationFactory(
        organisation=healthwatch, text="The carers' drop-in saved my sanity", person=person
    )
    QuoteConsent.objects.create(conversation=said, given_on=said.occurred_on, source="staff", method="verbal")
    quotes.quote_decide(actor=None, organisation=healthwatch, conversation_id=said.pk, approve=True)
    activity = ActivityFactory(lead_organisation=healthwatch, title="Carers' listening event")
    decision = Decision.objects.create(
        organisation=healthwatch,
        title="Keep the drop-in open",
        summary="People said it matters.",
        decided_by="organisation",
        decided_by_name="Healthwatch",
        activity=activity,
    )
    DecisionEvidence.objects.create(decision=decision, conversation=said)
    Participation.objects.create(activity=activity, person=person)
    # Someone else's words, and a partner's person with the same email.
    ConversationFactory(organisation=healthwatch, text="Someone else entirely: the parking")
    council = OrganisationFactory(name="Castlebridge Council")
    PersonFactory(organisation=council, email="samira@example.org", notes="The council's own notes")
    ConversationFactory(organisation=council, text="The council heard this")
    return healthwatch, person, said


def _zip(path: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_everything_held_about_the_person_and_nothing_else(held):
    healthwatch, person, _said = held
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    done = runner.subject_access_execute(request_id=request.pk)
    assert done.status == RequestStatus.SUCCEEDED
    assert (done.sections_done, done.sections_total) == (len(runner.SECTIONS) + 1, len(runner.SECTIONS) + 1)
    files = _zip(done.file_path)
    assert set(files) == {s.file_name for s in runner.SECTIONS} | {"README.txt"}
    assert json.loads(files["record.json"])["email"] == "samira@example.org"
    assert "Carers' circle" in files["groups.csv"]
    said_rows = list(csv.DictReader(io.StringIO(files["conversations.csv"])))
    assert [row["What they said"] for row in said_rows] == ["The carers' drop-in saved my sanity"]
    assert "Approved" in files["quotes.csv"]
    assert "Keep the drop-in open" in files["evidence.csv"]
    assert "Carers' listening event" in files["activities.csv"]
    assert "Asked for everything held about the person" in files["audit-trail.csv"]
    everything = "\n".join(files.values())
    for not_theirs in ("Someone else entirely", "The council heard this", "The council's own notes"):
        assert not_theirs not in everything
    assert "Everything Healthwatch Castlebridge holds about Samira Okafor" in files["README.txt"]
    assert "conversations.csv (1 records)" in files["README.txt"]


def test_the_audit_trail_includes_the_lists_their_record_and_words_were_shown_on(held):
    """A page of a list is one audit event naming each record on it: a subject access
    request still finds each time the person, or what they said, was shown."""
    healthwatch, person, said = held
    other = PersonFactory(organisation=healthwatch)
    people_shown(actor=None, organisation=healthwatch, person_ids=[other.pk, person.pk], where="a test list")
    people_shown(actor=None, organisation=healthwatch, person_ids=[other.pk], where="another list")
    conversations_listed_record(actor=None, organisation=healthwatch, conversation_ids=[said.pk])
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    trail = _zip(runner.subject_access_execute(request_id=request.pk).file_path)["audit-trail.csv"]
    assert "Shown in a test list: 2 people." in trail
    assert "another list" not in trail
    assert "Shown in a list of conversations: 1 conversation." in trail


def test_another_organisations_person_is_not_found_and_a_finished_request_is_not_run_again(held):
    healthwatch, person, _ = held
    council = OrganisationFactory(name="Castlebridge NHS Trust")
    with pytest.raises(NotFound):
        services.subject_access_request_create(actor=None, organisation=council, person_id=person.pk)
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    first = runner.subject_access_execute(request_id=request.pk)
    again = runner.subject_access_execute(request_id=request.pk)
    assert again.file_path == first.file_path


def test_a_person_erased_before_it_ran_fails_with_a_reason_and_leaves_no_file(held, tmp_path):
    healthwatch, person, _ = held
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    partners.person_erase(
        actor=None, organisation=healthwatch, person_id=person.pk, reason="Asked", words="delete"
    )
    done = runner.subject_access_execute(request_id=request.pk)
    assert done.status == RequestStatus.FAILED
    assert "erased" in done.error
    assert not list((Path(tmp_path) / "subject-access").glob("*.zip"))


def test_the_pages_gather_show_progress_and_download_for_the_organisation_administrator_alone(
    client_for, held, django_capture_on_commit_callbacks
):
    healthwatch, person, _ = held
    admin = client_for(member_of(healthwatch, Role.ORGANISATION_ADMIN), healthwatch)
    assert "Gather everything held about them" in admin.get(f"/staff/people/{person.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = admin.post(f"/staff/people/{person.pk}/subject-access/")
    assert started.status_code == 302
    detail = started["Location"]
    request_id = int(detail.rstrip("/").split("/")[-1])
    waiting = admin.get(detail).content.decode()
    assert "Waiting for the worker to start it." in waiting
    assert f"/staff/subject-access/{request_id}/status.json" in waiting  # the progress bar's source
    assert admin.get(f"/staff/subject-access/{request_id}/download/").status_code == 404  # not ready
    runner.subject_access_execute(request_id=request_id)  # as the worker does
    assert "Download the ZIP file" in admin.get(detail).content.decode()
    status = admin.get(f"/staff/subject-access/{request_id}/status.json").json()
    assert (status["finished"], status["status"]) == (True, "succeeded")
    download = admin.get(f"/staff/subject-access/{request_id}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert (
        AuditEvent.objects.filter(action="exported", subject_type="person", subject_id=str(person.pk)).count()
        == 1
    )
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    assert officer.get(detail).status_code == 403
    assert "Gather everything" not in officer.get(f"/staff/people/{person.pk}/").content.decode()
    council = OrganisationFactory(name="Castlebridge NHS Trust")
    theirs = client_for(member_of(council, Role.ORGANISATION_ADMIN), council)
    assert theirs.get(detail).status_code == 404
    assert theirs.get(f"/staff/subject-access/{request_id}/download/").status_code == 404


def test_quotes_of_their_words_are_listed_with_the_approved_words(held):
    healthwatch, person, said = held
    request = services.subject_access_request_create(
        actor=None, organisation=healthwatch, person_id=person.pk
    )
    files = _zip(runner.subject_access_execute(request_id=request.pk).file_path)
    assert Quote.objects.get(conversation=said).text in files["quotes.csv"]
