from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from engage.core.errors import Conflict, DomainError
from engage.core.models import AuditAction, AuditEvent
from engage.partners import services
from engage.partners.models import Consent, ConsentMethod, ConsentPurpose
from engage.partners.selectors import contact_list, person_list
from engage.partners.tests.factories import ConsentFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def grant(person, purpose=ConsentPurpose.CONTACT, given_on=dt.date(2025, 1, 10)):
    return services.consent_grant(
        actor=None,
        organisation=person.organisation,
        person_id=person.pk,
        purpose=purpose,
        given_on=given_on,
        method=ConsentMethod.ONLINE_FORM,
        source="Spring survey",
    )


def test_person_with_contact_consent_is_on_the_contact_list() -> None:
    person = PersonFactory()
    grant(person)
    assert list(contact_list(organisation=person.organisation)) == [person]


def test_withdrawn_contact_consent_removes_person_from_contact_list_and_export_at_once() -> None:
    person = PersonFactory(given_name="Aisha", family_name="Begum")
    stays = PersonFactory(organisation=person.organisation, given_name="Tom", family_name="Evans")
    grant(person)
    grant(stays)
    services.consent_withdraw(
        actor=None,
        organisation=person.organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.CONTACT,
        withdrawn_on=dt.date(2025, 6, 1),
        method=ConsentMethod.EMAIL,
    )
    assert list(contact_list(organisation=person.organisation)) == [stays]
    exported = services.contact_list_export(actor=None, organisation=person.organisation)
    assert "Begum" not in exported
    assert "Evans" in exported
    assert list(person_list(organisation=person.organisation, consent=ConsentPurpose.CONTACT)) == [stays]


def test_withdrawal_keeps_the_history_and_consent_can_be_given_again() -> None:
    person = PersonFactory()
    grant(person, given_on=dt.date(2024, 1, 1))
    services.consent_withdraw(
        actor=None,
        organisation=person.organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.CONTACT,
        withdrawn_on=dt.date(2024, 5, 1),
        method=ConsentMethod.PHONE,
    )
    grant(person, given_on=dt.date(2025, 2, 2))
    records = Consent.objects.for_organisation(person.organisation).filter(person=person)
    assert records.count() == 2
    assert records.standing().get().given_on == dt.date(2025, 2, 2)


def test_consent_for_other_purposes_is_unaffected_by_a_withdrawal() -> None:
    person = PersonFactory()
    grant(person, ConsentPurpose.CONTACT)
    grant(person, ConsentPurpose.QUOTE)
    services.consent_withdraw(
        actor=None,
        organisation=person.organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.CONTACT,
        withdrawn_on=dt.date(2025, 6, 1),
        method=ConsentMethod.EMAIL,
    )
    standing = set(
        Consent.objects.for_organisation(person.organisation).standing().values_list("purpose", flat=True)
    )
    assert standing == {ConsentPurpose.QUOTE}


def test_giving_consent_twice_for_the_same_purpose_is_refused_clearly() -> None:
    person = PersonFactory()
    grant(person)
    with pytest.raises(Conflict, match="already recorded"):
        grant(person)


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [
        (dt.date(2024, 12, 31), "before the date it was given"),
        (dt.date(2999, 1, 1), "cannot be in the future"),
    ],
)
def test_impossible_withdrawal_dates_are_refused_and_consent_still_stands(withdrawn_on, message) -> None:
    person = PersonFactory()
    grant(person, given_on=dt.date(2025, 1, 1))
    with pytest.raises(DomainError, match=message):
        services.consent_withdraw(
            actor=None,
            organisation=person.organisation,
            person_id=person.pk,
            purpose=ConsentPurpose.CONTACT,
            withdrawn_on=withdrawn_on,
            method=ConsentMethod.EMAIL,
        )
    assert Consent.objects.for_organisation(person.organisation).standing().count() == 1


def test_withdrawing_consent_that_was_never_given_is_refused() -> None:
    person = PersonFactory()
    with pytest.raises(DomainError, match="no consent standing"):
        services.consent_withdraw(
            actor=None,
            organisation=person.organisation,
            person_id=person.pk,
            purpose=ConsentPurpose.QUOTE,
            withdrawn_on=dt.date(2025, 1, 1),
            method=ConsentMethod.EMAIL,
        )


def test_consent_cannot_be_recorded_for_another_organisations_person() -> None:
    person = PersonFactory()
    with pytest.raises(DomainError, match="no such person"):
        services.consent_grant(
            actor=None,
            organisation=OrganisationFactory(),
            person_id=person.pk,
            purpose=ConsentPurpose.CONTACT,
            given_on=dt.date(2025, 1, 1),
            method=ConsentMethod.EMAIL,
        )
    assert not Consent.objects.exists()


def test_consent_changes_are_audited() -> None:
    person = PersonFactory()
    grant(person)
    services.consent_withdraw(
        actor=None,
        organisation=person.organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.CONTACT,
        withdrawn_on=dt.date(2025, 6, 1),
        method=ConsentMethod.EMAIL,
        reason="Asked by phone",
    )
    actions = list(AuditEvent.objects.filter(subject_id=str(person.pk)).values_list("action", "reason"))
    assert (AuditAction.CONSENT_GRANTED, "") in actions
    assert (AuditAction.CONSENT_WITHDRAWN, "Asked by phone") in actions


def test_contact_export_neutralises_spreadsheet_formulas_and_audits_each_person() -> None:
    person = PersonFactory(given_name='=HYPERLINK("http://evil")', family_name="+SUM(A1)", phone="-1")
    ConsentFactory(person=person)
    text = services.contact_list_export(actor=None, organisation=person.organisation)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["First name", "Last name", "Email", "Phone", "Roles"]
    assert rows[1][:2] == ['\'=HYPERLINK("http://evil")', "'+SUM(A1)"]
    assert rows[1][3] == "'-1"
    exported = AuditEvent.objects.get(action=AuditAction.EXPORTED, subject_type="person")
    assert list(exported.subjects.values_list("subject_id", flat=True)) == [str(person.pk)]


def test_people_without_email_or_phone_are_not_on_the_contact_list() -> None:
    person = PersonFactory(email="", phone="")
    ConsentFactory(person=person)
    assert not contact_list(organisation=person.organisation).exists()
