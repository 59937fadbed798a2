"""People, consent and groups, end to end through the staff pages."""

from __future__ import annotations

import pytest

from engage.accounts.tests.factories import member_of
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.models import Consent, GroupKind, GroupMembership, OrganisationKind, Person
from engage.partners.tests.factories import (
    ConsentFactory,
    GroupFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def icb():
    return OrganisationFactory(name="Castlebridge ICB", kind=OrganisationKind.ICB)


@pytest.fixture
def officer(icb, client_for):
    return client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)


def test_officer_adds_a_person_with_roles(officer, icb) -> None:
    response = officer.post(
        "/staff/people/new/",
        {
            "given_name": "Grace",
            "family_name": "Okafor",
            "email": "Grace.Okafor@Example.org",
            "postcode": "dy1  1hf",
            "roles": ["carer", "volunteer"],
        },
    )
    person = Person.objects.for_organisation(icb).get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/people/{person.pk}/"
    assert (person.email, person.postcode) == ("grace.okafor@example.org", "DY1 1HF")
    assert sorted(person.roles.values_list("role", flat=True)) == ["carer", "volunteer"]
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, subject_id=str(person.pk)).exists()


def test_adding_a_person_without_a_name_shows_an_error_summary_and_saves_nothing(officer, icb) -> None:
    response = officer.post("/staff/people/new/", {"email": "not-an-email"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the person&#39;s first name." in page
    assert "Enter an email address in the right format" in page
    assert 'href="#id_given_name"' in page
    assert "<title>Error: " in page
    assert not Person.objects.exists()


def test_viewing_a_person_is_audited(officer, icb) -> None:
    person = PersonFactory(organisation=icb)
    response = officer.get(f"/staff/people/{person.pk}/")
    assert response.status_code == 200
    assert person.email in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED, subject_id=str(person.pk)).count() == 1


def test_editing_records_which_fields_changed_but_not_their_values(officer, icb) -> None:
    person = PersonFactory(organisation=icb, phone="07700 900001")
    officer.post(
        f"/staff/people/{person.pk}/edit/",
        {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "email": person.email,
            "phone": "07700 900999",
            "postcode": person.postcode,
        },
    )
    person.refresh_from_db()
    event = AuditEvent.objects.get(action=AuditAction.UPDATED, subject_id=str(person.pk))
    assert person.phone == "07700 900999"
    assert event.summary == "Changed phone."
    assert "900999" not in event.summary


def test_consent_is_recorded_with_the_three_box_date(officer, icb) -> None:
    person = PersonFactory(organisation=icb)
    response = officer.post(
        f"/staff/people/{person.pk}/consent/",
        {
            "purpose": "quote",
            "given_on_day": "3",
            "given_on_month": "4",
            "given_on_year": "2025",
            "method": "paper_form",
            "source": "Big Conversation, Castlebridge Library",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.purpose, consent.given_on.isoformat()) == ("quote", "2025-04-03")


def test_an_impossible_date_is_refused_with_a_clear_message(officer, icb) -> None:
    person = PersonFactory(organisation=icb)
    response = officer.post(
        f"/staff/people/{person.pk}/consent/",
        {
            "purpose": "quote",
            "given_on_day": "31",
            "given_on_month": "2",
            "given_on_year": "2025",
            "method": "paper_form",
        },
    )
    assert "Enter a real date" in response.content.decode()
    assert 'href="#id_given_on_day"' in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawal_through_the_page_takes_the_person_off_the_contact_list(officer, icb) -> None:
    person = PersonFactory(organisation=icb, family_name="Nowak")
    ConsentFactory(person=person)
    assert "Nowak" in officer.get("/staff/people/contact-list/").content.decode()
    officer.post(
        f"/staff/people/{person.pk}/consent/contact/withdraw/",
        {
            "withdrawn_on_day": "1",
            "withdrawn_on_month": "6",
            "withdrawn_on_year": "2025",
            "method": "email",
        },
    )
    assert "Nowak" not in officer.get("/staff/people/contact-list/").content.decode()
    assert "Nowak" not in officer.get("/staff/people/contact-list.csv").content.decode()


def test_contact_list_download_is_a_csv_attachment(officer, icb) -> None:
    ConsentFactory(person=PersonFactory(organisation=icb))
    response = officer.get("/staff/people/contact-list.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="contact-list-')


def test_erasing_a_person_removes_everything_held_and_keeps_why(officer, icb) -> None:
    person = PersonFactory(organisation=icb)
    ConsentFactory(person=person)
    group = GroupFactory(organisation=icb)
    GroupMembership.objects.create(group=group, person=person)
    empty = officer.post(f"/staff/people/{person.pk}/erase/", {"reason": ""}).content.decode()
    assert "Say why the record is being erased." in empty
    assert "Choose what happens to what they said." in empty
    assert Person.objects.exists()
    officer.post(f"/staff/people/{person.pk}/erase/", {"reason": "Asked to be forgotten", "words": "delete"})
    assert not Person.objects.exists()
    assert not Consent.objects.exists()
    assert not GroupMembership.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETED)
    assert event.reason == "Asked to be forgotten"


def test_people_search_finds_by_name_and_postcode(officer, icb) -> None:
    PersonFactory(organisation=icb, given_name="Priya", family_name="Shah", postcode="DY2 7AB")
    PersonFactory(organisation=icb, given_name="Liam", family_name="Murphy", postcode="DY5 1XX")
    page = officer.get("/staff/people/?q=dy2").content.decode()
    assert "Priya Shah" in page
    assert "Liam Murphy" not in page


def test_a_patient_participation_group_needs_its_practice(officer, icb) -> None:
    practice = OrganisationFactory(name="Oak Tree Surgery", kind=OrganisationKind.GP_PRACTICE)
    missing = officer.post(
        "/staff/groups/new/", {"name": "Oak Tree PPG", "kind": GroupKind.PATIENT_PARTICIPATION}
    )
    assert "Choose the GP practice" in missing.content.decode()
    officer.post(
        "/staff/groups/new/",
        {
            "name": "Oak Tree PPG",
            "kind": GroupKind.PATIENT_PARTICIPATION,
            "gp_practice": str(practice.pk),
        },
    )
    assert icb.groups.get().gp_practice == practice


def test_another_partners_group_shows_no_members(officer, icb) -> None:
    other = OrganisationFactory()
    group = GroupFactory(organisation=other, name="Young carers")
    member = PersonFactory(organisation=other, family_name="Hidden")
    GroupMembership.objects.create(group=group, person=member)
    page = officer.get(f"/staff/groups/{group.pk}/").content.decode()
    assert "Young carers" in page
    assert "Hidden" not in page
    assert "can see who belongs" in page


def test_board_member_sees_aggregates_but_no_people(icb, client_for) -> None:
    board = client_for(member_of(icb, Role.BOARD_MEMBER), icb)
    PersonFactory(organisation=icb, family_name="Quietly")
    assert board.get("/staff/").status_code == 200
    assert "Quietly" not in board.get("/staff/").content.decode()
    assert board.get("/staff/people/").status_code == 403
    assert board.get("/api/v1/people/").status_code == 403


def test_each_person_shown_on_a_list_is_audited(officer, icb) -> None:
    shown = PersonFactory(organisation=icb)
    PersonFactory(organisation=icb)
    officer.get("/staff/people/")
    listed = AuditEvent.objects.filter(action=AuditAction.LISTED, subject_type="person")
    assert listed.count() == 1  # one event for the page, however many are on it
    assert listed.get().subjects.filter(subject_id=str(shown.pk)).count() == 1


def test_the_running_organisation_changes_its_group_but_others_cannot(officer, icb, client_for) -> None:
    group = GroupFactory(organisation=icb, name="Tuesday carers")
    officer.post(f"/staff/groups/{group.pk}/edit/", {"name": "Thursday carers", "kind": GroupKind.CARERS})
    group.refresh_from_db()
    assert (group.name, group.is_active) == ("Thursday carers", False)
    other = OrganisationFactory()
    outsider = client_for(member_of(other, Role.ENGAGEMENT_OFFICER), other)
    assert outsider.get(f"/staff/groups/{group.pk}/edit/").status_code == 404
    outsider.post(f"/staff/groups/{group.pk}/edit/", {"name": "Taken over", "kind": GroupKind.CARERS})
    group.refresh_from_db()
    assert group.name == "Thursday carers"
