"""Importing a contact list: people, their groups, roles and consent, matched so that
importing again updates rather than copies; bad rows rejected with line and reason;
a bad file changing nothing; consent a person withdrew never brought back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from engage.conversations.models import Quote
from engage.conversations.quotes import services as quotes
from engage.conversations.tests.factories import ConversationFactory
from engage.core.errors import InvalidInput
from engage.core.models import AuditEvent
from engage.core.tabular.errors import ImportFileError
from engage.partners.models import (
    Consent,
    ConsentMethod,
    Group,
    GroupKind,
    GroupMembership,
    PeopleImportJob,
    PeopleImportRejection,
    PeopleImportStatus,
    Person,
    PersonRole,
)
from engage.partners.people_imports import runner, services
from engage.partners.people_imports.columns import CONTACT_LIST_MAPPING, TEMPLATE_HEADINGS
from engage.partners.tests.factories import ConsentFactory, GroupFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADINGS = "Reference,First name,Last name,Email,Postcode,Roles,Groups,Joined on,Consent to contact given on,Consent to contact method,Consent to quote given on,Consent to quote withdrawn on"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"


def _run(
    organisation: Any, text: str, *, name: str = "contacts.csv", mapping: Any = None, **defaults: Any
) -> PeopleImportJob:
    job = services.people_import_create(
        actor=None,
        organisation=organisation,
        content=io.BytesIO(text.encode("utf-8")),
        file_name=name,
        mapping=mapping or CONTACT_LIST_MAPPING,
        defaults=defaults,
        start=False,
    )
    return runner.people_import_run(job_id=job.pk)


def _csv(*rows: str, headings: str = HEADINGS) -> str:
    return "\n".join([headings, *rows]) + "\n"


def test_a_contact_list_brings_people_groups_roles_and_consent() -> None:
    org = OrganisationFactory()
    GroupFactory(organisation=org, name="Dudley Carers Forum", kind=GroupKind.CARERS)
    done = _run(
        org,
        _csv(
            "C-1,Asha,Begum,ASHA@example.org,dy1 1hf,Carer; volunteer,Dudley Carers Forum; Young Voices,03/02/2024,15/03/2025,paper form,,",
            "C-2,Tom,Price,tom@example.org,,,Young Voices,,2025-04-01,email,01/04/2025,02/05/2025",
        ),
        consent_method="online_form",  # for the quote, whose method the file does not give
    )
    assert done.status == PeopleImportStatus.SUCCEEDED, done.error
    assert (done.added, done.updated, done.rejected, done.groups_added, done.memberships_added) == (
        2,
        0,
        0,
        1,
        3,
    )
    asha = Person.objects.get(reference="C-1")
    assert (asha.given_name, asha.email, asha.postcode) == ("Asha", "asha@example.org", "DY1 1HF")
    assert set(PersonRole.objects.filter(person=asha).values_list("role", flat=True)) == {
        "carer",
        "volunteer",
    }
    young = Group.objects.get(organisation=org, name="Young Voices")
    assert young.kind == GroupKind.COMMUNITY  # made, of the import's kind for new groups
    assert GroupMembership.objects.get(person=asha, group__name="Dudley Carers Forum").joined_on == dt.date(
        2024, 2, 3
    )
    contact = Consent.objects.get(person=asha, purpose="contact")
    assert (contact.given_on, contact.method, contact.source) == (
        dt.date(2025, 3, 15),
        ConsentMethod.PAPER_FORM,
        "Imported from contacts.csv",
    )
    tom_quote = Consent.objects.get(person__reference="C-2", purpose="quote")
    assert tom_quote.withdrawn_on == dt.date(2025, 5, 2)  # a closed grant: the record it was given
    assert "2 people added" in done.result
    assert "1 groups made" in done.result
    assert AuditEvent.objects.filter(subject_type="people_import", subject_id=str(done.pk)).exists()
    assert not Path(done.stored_path).exists()


def test_importing_again_updates_rather_than_copies() -> None:
    org = OrganisationFactory()
    text = _csv("C-1,Asha,Begum,asha@example.org,,,Young Voices,,15/03/2025,paper form,,")
    _run(org, text)
    again = _run(org, _csv("C-1,Asha,Khan,asha@example.org,,,Young Voices,,15/03/2025,paper form,,"))
    assert (
        again.added,
        again.updated,
        again.unchanged,
        again.memberships_added,
        again.consents_recorded,
    ) == (
        0,
        1,
        0,
        0,
        0,
    )
    assert list(Person.objects.filter(organisation=org).values_list("family_name", flat=True)) == ["Khan"]
    assert Consent.objects.filter(person__organisation=org).count() == 1


def test_a_person_typed_in_by_hand_is_matched_by_email_and_given_the_reference() -> None:
    org = OrganisationFactory()
    held = PersonFactory(organisation=org, email="asha@example.org", given_name="Asha", family_name="Begum")
    done = _run(org, _csv("C-9,Asha,Begum,Asha@Example.org,,,,,,,,"))
    assert (done.added, done.updated) == (0, 1)
    held.refresh_from_db()
    assert held.reference == "C-9"


def test_another_organisations_people_are_never_matched_or_touched() -> None:
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    other = PersonFactory(
        organisation=theirs, email="asha@example.org", reference="C-1", family_name="Theirs"
    )
    GroupFactory(organisation=theirs, name="Young Voices")
    done = _run(ours, _csv("C-1,Asha,Begum,asha@example.org,,,Young Voices,,,,,"))
    assert done.added == 1
    assert done.groups_added == 1
    other.refresh_from_db()
    assert other.family_name == "Theirs"
    assert not GroupMembership.objects.filter(person=other).exists()


def test_consent_the_person_withdrew_later_is_not_brought_back() -> None:
    org = OrganisationFactory()
    person = PersonFactory(organisation=org, reference="C-1")
    ConsentFactory(
        person=person, purpose="contact", given_on=dt.date(2024, 1, 1), withdrawn_on=dt.date(2025, 6, 1)
    )
    done = _run(org, _csv("C-1,Asha,Begum,,,,,,15/03/2025,paper form,,"))
    assert done.consents_recorded == 0
    assert done.consents_not_restored == 1
    assert not Consent.objects.filter(person=person).standing().exists()
    assert "were not recorded: the person withdrew" in done.result


def test_a_withdrawal_in_the_file_takes_quotes_off_at_once() -> None:
    org = OrganisationFactory()
    person = PersonFactory(organisation=org, reference="C-1", email="sam@example.org")
    ConsentFactory(person=person, purpose="quote", given_on=dt.date(2025, 1, 1))
    said = ConversationFactory(organisation=org, consent_to_quote=False)
    quotes.quote_consent_grant(
        actor=None, organisation=org, conversation_id=said.pk, given_on=dt.date(2025, 1, 1), method="verbal"
    )
    quotes.conversation_person_link(actor=None, organisation=org, conversation_id=said.pk, email=person.email)
    quotes.quote_decide(actor=None, organisation=org, conversation_id=said.pk, approve=True)
    assert Quote.objects.filter(conversation=said).exists()

    done = _run(org, _csv("C-1,Sam,Begum,,,,,,,,01/01/2025,02/05/2025"), consent_method="email")

    assert done.status == PeopleImportStatus.SUCCEEDED, done.error
    assert done.consents_withdrawn == 1
    assert Consent.objects.get(person=person, purpose="quote").withdrawn_on == dt.date(2025, 5, 2)
    assert not Quote.objects.filter(conversation=said).exists()
    said.refresh_from_db()
    assert not said.consent_to_quote


def test_consent_the_file_records_as_given_and_withdrawn_takes_their_quotes_down_too() -> None:
    org = OrganisationFactory()
    person = PersonFactory(organisation=org, reference="C-1", email="sam@example.org")
    said = ConversationFactory(organisation=org, consent_to_quote=False)
    quotes.quote_consent_grant(
        actor=None, organisation=org, conversation_id=said.pk, given_on=dt.date(2025, 1, 1), method="verbal"
    )
    quotes.conversation_person_link(actor=None, organisation=org, conversation_id=said.pk, email=person.email)
    quotes.quote_decide(actor=None, organisation=org, conversation_id=said.pk, approve=True)

    done = _run(org, _csv("C-1,Sam,Begum,,,,,,,,01/01/2025,02/05/2025"), consent_method="email")

    assert done.consents_recorded == 1  # the record that it was given, closed
    assert not Quote.objects.filter(conversation=said).exists()
    said.refresh_from_db()
    assert not said.consent_to_quote


def test_an_older_withdrawal_does_not_close_consent_given_again_since() -> None:
    org = OrganisationFactory()
    person = PersonFactory(organisation=org, reference="C-1")
    ConsentFactory(person=person, purpose="quote", given_on=dt.date(2025, 6, 1))
    done = _run(org, _csv("C-1,Asha,Begum,,,,,,,,01/01/2025,02/05/2025"), consent_method="email")
    assert done.consents_withdrawn == 0
    assert Consent.objects.filter(person=person, purpose="quote").standing().exists()


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (",,Begum,a@example.org,,,,,,,,", "First name", "The first name is empty"),
        ("C-1,Asha,,not-an-email,,,,,,,,", "Email", "'not-an-email' is not an email address"),
        ("C-1,Asha,,,DY1,,,,,,,", "Postcode", "'DY1' is not a UK postcode"),
        ("C-1,Asha,,,,Chef,,,,,,", "Roles", "'Chef' is not a role a person can hold"),
        ("C-1,Asha,,,,,,,yes,paper form,,", "Consent to contact given on", "'yes' alone does not say when"),
        (
            "C-1,Asha,,,,,,,03/15/2025,paper form,,",
            "Consent to contact given on",
            "looks like month/day/year",
        ),
        ("C-1,Asha,,,,,,,15/03/2025,,,", "Consent to contact method", "Say how consent was given"),
        (
            "C-1,Asha,,,,,,,15/03/2025,carrier pigeon,,",
            "Consent to contact method",
            "not a way consent is given",
        ),
        ("C-1,Asha,,,,,,,,,,02/05/2025", "Consent to quote given on", "the date it was given is empty"),
        (
            "C-1,Asha,,,,,,,,,02/05/2025,01/05/2025",
            "Consent to quote withdrawn on",
            "before the date it was given",
        ),
        (
            "C-1,Asha,,,,,,,01/01/2099,email,,",
            "Consent to contact given on",
            "too far in the past or the future",
        ),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_column_and_reason(row: str, column: str, says: str) -> None:
    org = OrganisationFactory()
    done = _run(org, _csv("C-0,Good,Row,,,,,,,,,", row))
    assert done.status == PeopleImportStatus.SUCCEEDED
    assert (done.added, done.rejected) == (1, 1)
    rejection = PeopleImportRejection.objects.get(job=done)
    assert (rejection.line, rejection.column) == (3, column)
    assert says in rejection.reason
    assert dict(rejection.cells)["First name"] == row.split(",")[1]


def test_the_import_defaults_say_how_consent_was_given_where_the_file_does_not() -> None:
    org = OrganisationFactory()
    done = _run(
        org,
        _csv("C-1,Asha,,,,,,,15/03/2025,,,"),
        consent_method="verbal",
        consent_source="Stall at the market",
    )
    assert done.consents_recorded == 1
    consent = Consent.objects.get(person__reference="C-1")
    assert (consent.method, consent.source) == ("verbal", "Stall at the market")


def test_a_full_name_column_is_split_at_its_last_space() -> None:
    org = OrganisationFactory()
    done = _run(org, "Name,Email\nMary Ann Patel,mary@example.org\nCher,cher@example.org\n")
    assert done.added == 2
    assert set(Person.objects.values_list("given_name", "family_name")) == {
        ("Mary Ann", "Patel"),
        ("Cher", ""),
    }


@pytest.mark.parametrize(
    ("text", "name", "says"),
    [
        ("Email,Phone\na@example.org,1\n", "contacts.csv", "no column of first names or full names"),
        ("First name,Email\n", "contacts.pdf", "contacts.pdf"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_before_it_is_queued(
    text: str, name: str, says: str
) -> None:
    org = OrganisationFactory()
    with pytest.raises(ImportFileError, match=says):
        services.people_import_create(
            actor=None,
            organisation=org,
            content=io.BytesIO(text.encode()),
            file_name=name,
            mapping=CONTACT_LIST_MAPPING,
            start=False,
        )
    assert not PeopleImportJob.objects.exists()


def test_a_mapped_column_missing_from_the_file_is_named() -> None:
    org = OrganisationFactory()
    with pytest.raises(ImportFileError, match="The file has no column 'Forename'"):
        services.people_import_create(
            actor=None,
            organisation=org,
            content=io.BytesIO(b"First name\nAsha\n"),
            file_name="x.csv",
            mapping={"given_name": "Forename"},
            start=False,
        )


def test_mixed_encodings_fail_the_whole_import_and_change_nothing(tmp_path: Path) -> None:
    org = OrganisationFactory()
    rows = ["First name,Last name"] + [f"Person{n},Smith" for n in range(700)] + ["Zoë,Smith"]
    body = (
        "\n".join(rows[:-1]).encode("utf-8")
        + b"\n"
        + "Renée,Smith\n".encode("cp1252")
        + "Zoë,Smith\n".encode()
    )
    job = services.people_import_create(
        actor=None,
        organisation=org,
        content=io.BytesIO(body),
        file_name="mixed.csv",
        mapping=CONTACT_LIST_MAPPING,
        start=False,
    )
    done = runner.people_import_run(job_id=job.pk)
    assert done.status == PeopleImportStatus.FAILED
    assert "mixed.csv (line 703)" in done.error
    assert "encoding" in done.error
    assert not Person.objects.filter(organisation=org).exists()
    assert not PeopleImportRejection.objects.exists()


def test_a_mapping_with_problems_is_refused_field_by_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        services.people_import_create(
            actor=None,
            organisation=OrganisationFactory(),
            content=io.BytesIO(b"Email\n"),
            file_name="x.csv",
            mapping={"email": "Email", "shoe_size": "Size"},
            defaults={"consent_method": "pigeon", "group_kind": "ppg"},
            start=False,
        )
    assert set(raised.value.errors) == {"shoe_size", "given_name", "consent_method", "group_kind"}


def test_the_downloadable_template_has_every_heading_the_ready_made_mapping_reads() -> None:
    org = OrganisationFactory()
    done = _run(org, ",".join(TEMPLATE_HEADINGS) + "\nC-1,Asha" + "," * (len(TEMPLATE_HEADINGS) - 2) + "\n")
    assert done.status == PeopleImportStatus.SUCCEEDED
    assert done.added == 1


def test_a_saved_template_is_found_by_name_and_cannot_take_the_ready_made_name() -> None:
    org = OrganisationFactory()
    services.template_save(
        actor=None, organisation=org, name="From our CRM", mapping={"given_name": "Forename"}, defaults={}
    )
    assert services.template_find(organisation=org, name="From our CRM").mapping == {"given_name": "Forename"}
    with pytest.raises(InvalidInput, match="ready-made"):
        services.template_save(
            actor=None, organisation=org, name="contact list", mapping={"given_name": "F"}, defaults={}
        )
    with pytest.raises(InvalidInput):
        services.template_find(organisation=OrganisationFactory(), name="From our CRM")


# --- engage people ---


def test_the_command_imports_with_a_report_and_writes_the_rejected_rows(tmp_path: Path) -> None:
    org = OrganisationFactory(name="Dudley Healthwatch")
    source = tmp_path / "contacts.csv"
    source.write_text(
        _csv("C-1,Asha,Begum,asha@example.org,,,Young Voices,,15/03/2025,,,", "C-2,,Price,,,,,,,,,")
    )
    out, rejected = io.StringIO(), tmp_path / "rejected.csv"
    call_command(
        "people",
        "import",
        str(source),
        "--organisation",
        "Dudley Healthwatch",
        "--consent-method",
        "verbal",
        "--rejections-csv",
        str(rejected),
        stdout=out,
        stderr=io.StringIO(),
    )
    report = out.getvalue()
    assert "1 people added" in report
    assert "line 3, column 'First name': The first name is empty" in report
    assert rejected.read_text().splitlines()[1].startswith("3,First name,")
    assert Consent.objects.get(person__organisation=org).method == "verbal"


def test_the_command_refuses_a_file_it_cannot_import_and_changes_nothing(tmp_path: Path) -> None:
    OrganisationFactory(name="Dudley Healthwatch")
    source = tmp_path / "contacts.csv"
    source.write_text("Email\na@example.org\n")
    with pytest.raises(CommandError, match="no column of first names or full names"):
        call_command("people", "import", str(source), "--organisation", "Dudley Healthwatch")
    with pytest.raises(CommandError, match="no organisation called 'Nobody'"):
        call_command("people", "import", str(source), "--organisation", "Nobody")
    assert not Person.objects.exists()


def test_the_command_prints_the_template() -> None:
    out = io.StringIO()
    call_command("people", "template", stdout=out)
    assert out.getvalue().strip() == ",".join(TEMPLATE_HEADINGS)


def test_a_file_with_no_column_for_how_consent_was_given_says_so_on_each_row() -> None:
    org = OrganisationFactory()
    done = _run(org, "First name,Consent to quote given on\nAsha,15/03/2025\n")
    rejection = PeopleImportRejection.objects.get(job=done)
    assert rejection.column == "Consent to quote: how given"
    assert rejection.reason.startswith("The file has no column saying how this consent was given")


def test_the_same_person_twice_in_a_file_is_one_person_with_both_rows_groups() -> None:
    org = OrganisationFactory()
    done = _run(
        org,
        _csv(
            "C-1,Asha,Begum,asha@example.org,,,Young Voices,,,,,",
            "C-1,Asha,Begum,asha@example.org,,Carer,Carers Forum,,,,,",
            ",Asha,Khan,ASHA@example.org,,,Young Voices,,,,,",  # no reference: matched by email
        ),
    )
    assert (done.rows, done.added, done.updated, done.unchanged, done.rejected) == (3, 1, 0, 0, 0)
    (asha,) = Person.objects.filter(organisation=org)
    assert asha.family_name == "Khan"  # the last row's details
    assert set(asha.group_memberships.values_list("group__name", flat=True)) == {
        "Young Voices",
        "Carers Forum",
    }
    assert list(asha.roles.values_list("role", flat=True)) == ["carer"]
