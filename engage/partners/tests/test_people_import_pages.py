"""Importing a contact list through the staff pages: the file, its columns (prefilled
from the ready-made template), the first rows as they will be read, the import with
its report and rejected rows; only the organisation's own staff, on its own file."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engage.accounts.tests.factories import member_of
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.models import Consent, PeopleImportJob, PeopleImportStatus, PeopleImportTemplate, Person
from engage.partners.people_imports import runner
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

IMPORTS = "/staff/people/imports/"
ROWS = [
    [
        "ID",
        "Forename",
        "Surname",
        "Email",
        "Groups",
        "Consent to contact given on",
        "Consent to contact method",
    ],
    ["C-1", "Asha", "Begum", "asha@example.org", "Young Voices", "15/03/2025", "paper form"],
    ["C-2", "Tom", "Price", "not an email", "", "", ""],
    ["C-3", "Eve", "Shaw", "eve@example.org", "", "yes", ""],
]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def organisation() -> Any:
    return OrganisationFactory(name="Dudley Healthwatch")


@pytest.fixture
def officer(client_for: Any, organisation: Any) -> Any:
    return client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)


def _file(rows: list[list[str]], name: str = "crm-export.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def _step_two(client: Any, rows: list[list[str]] = ROWS, template: str = "Contact list") -> tuple[Any, str]:
    response = client.post(f"{IMPORTS}new/", {"file": _file(rows), "template": template})
    assert response.status_code == 302, response.content.decode()[:2000]
    token = parse_qs(urlsplit(response["Location"]).query)["upload"][0]
    return client.get(response["Location"]), token


def _answers(page: Any) -> dict[str, str]:
    """The mapping form's answers as the page shows them: each select's chosen option."""
    body = page.content.decode()
    answers = {}
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        answers[name] = html.unescape(chosen[1]) if chosen else ""
    return answers


def test_a_contact_list_goes_from_the_file_to_the_report(officer: Any, organisation: Any) -> None:
    columns, token = _step_two(officer)
    assert columns.status_code == 200
    body = columns.content.decode()
    assert "Forename" in body
    assert "Asha" in body  # the first rows, as the file has them
    answers = _answers(columns)
    # The ready-made template found the file's own names for the columns.
    assert answers["column_given_name"] == "Forename"
    assert answers["column_reference"] == "ID"

    check = officer.post(f"{IMPORTS}new/columns/", {"upload": token, **answers, "action": "check"})
    assert check.status_code == 200
    text = html.unescape(check.content.decode())
    assert "Contact them again: given 15 March 2025 (paper form)" in text
    assert "Will not be imported:" in text
    assert "Email: 'not an email' is not an email address" in text
    assert "2 of the first 3 rows have a problem" in text
    assert not Person.objects.exists()  # nothing yet

    started = officer.post(
        f"{IMPORTS}new/columns/",
        {"upload": token, **answers, "save_as": "From our CRM", "action": "start"},
    )
    job = PeopleImportJob.objects.for_organisation(organisation).get()
    assert started["Location"] == f"{IMPORTS}{job.pk}/"
    assert PeopleImportTemplate.objects.get(organisation=organisation).name == "From our CRM"
    waiting = officer.get(started["Location"])
    assert "job-progress.mjs" in waiting.content.decode()  # the progress bar, while it waits

    runner.people_import_run(job_id=job.pk)
    report = officer.get(started["Location"]).content.decode()
    assert 'id="count-added">1<' in report
    assert 'id="count-rejected">2<' in report
    assert "Download the rejected rows as CSV" in report
    assert Consent.objects.get(person__reference="C-1").method == "paper_form"

    rejected = officer.get(f"{IMPORTS}{job.pk}/rejections.csv")
    lines = b"".join(rejected.streaming_content).decode().splitlines()
    assert (
        lines[0]
        == "Line,Column,Reason,ID,Forename,Surname,Email,Groups,Consent to contact given on,Consent to contact method"
    )
    assert lines[1].startswith("3,Email,")
    assert AuditEvent.objects.filter(subject_type="people_import", action="exported").exists()

    status = officer.get(f"{IMPORTS}{job.pk}/status.json").json()
    assert status["status"] == PeopleImportStatus.SUCCEEDED
    assert "1 people added" in status["summary"]

    listed = officer.get(IMPORTS).content.decode()
    assert "crm-export.csv" in listed


def test_a_saved_template_fills_the_columns_next_time(officer: Any, organisation: Any) -> None:
    PeopleImportTemplate.objects.create(
        organisation=organisation,
        name="From our CRM",
        mapping={"given_name": "Forename"},
        defaults={"consent_method": "email"},
    )
    columns, _ = _step_two(officer, template="From our CRM")
    answers = _answers(columns)
    assert answers["column_given_name"] == "Forename"
    assert answers["column_email"] == ""  # the template says nothing of it
    assert answers["consent_method"] == "email"


def test_a_column_chosen_twice_or_no_name_is_refused_on_the_page(officer: Any) -> None:
    _, token = _step_two(officer)
    twice = officer.post(
        f"{IMPORTS}new/columns/",
        {
            "upload": token,
            "column_given_name": "Forename",
            "column_family_name": "Forename",
            "group_kind": "community",
        },
    )
    assert twice.status_code == 400
    assert "chosen for more than one thing" in twice.content.decode()
    nameless = officer.post(
        f"{IMPORTS}new/columns/", {"upload": token, "column_email": "Email", "group_kind": "community"}
    )
    assert nameless.status_code == 400
    assert "first names, or their full names" in nameless.content.decode()
    assert not PeopleImportJob.objects.exists()


def test_an_unreadable_file_is_refused_at_the_first_step(officer: Any) -> None:
    response = officer.post(
        f"{IMPORTS}new/", {"file": SimpleUploadedFile("contacts.pdf", b"%PDF-1.4"), "template": ""}
    )
    assert response.status_code == 200
    assert "contacts.pdf" in response.content.decode()
    assert not PeopleImportJob.objects.exists()


def test_another_organisation_cannot_use_the_upload_or_see_the_import(
    officer: Any, organisation: Any, client_for: Any
) -> None:
    _, token = _step_two(officer)
    other = OrganisationFactory()
    outsider = client_for(member_of(other, Role.ENGAGEMENT_OFFICER), other)
    refused = outsider.post(
        f"{IMPORTS}new/columns/", {"upload": token, "column_given_name": "Forename", "action": "start"}
    )
    assert refused.status_code == 302  # "no longer waiting": the token is bound to the organisation
    assert not PeopleImportJob.objects.exists()
    tampered = officer.get(f"{IMPORTS}new/columns/", {"upload": token[:-3] + "abc"})
    assert tampered.status_code == 302
    officer.post(
        f"{IMPORTS}new/columns/",
        {
            "upload": token,
            **_answers(officer.get(f"{IMPORTS}new/columns/", {"upload": token})),
            "action": "start",
        },
    )
    job = PeopleImportJob.objects.get()
    assert outsider.get(f"{IMPORTS}{job.pk}/").status_code == 404
    assert outsider.get(f"{IMPORTS}{job.pk}/rejections.csv").status_code == 404


def test_only_those_who_edit_people_and_record_consent_may_import(client_for: Any, organisation: Any) -> None:
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    assert analyst.get(IMPORTS).status_code == 403
    assert analyst.get(f"{IMPORTS}new/").status_code == 403


def test_the_template_download_is_the_ready_made_headings(officer: Any) -> None:
    response = officer.get(f"{IMPORTS}contact-list-template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("Reference,First name,Last name,Email")


def test_consent_with_no_way_of_saying_how_it_was_given_is_caught_before_the_check(officer: Any) -> None:
    _, token = _step_two(officer)
    answers = {
        "upload": token,
        "column_given_name": "Forename",
        "column_contact_consent_given_on": "Consent to contact given on",
        "group_kind": "community",
    }
    refused = officer.post(f"{IMPORTS}new/columns/", answers)
    assert refused.status_code == 400
    assert "Choose the column saying how consent to contact them again was given" in html.unescape(
        refused.content.decode()
    )
    said_once = officer.post(f"{IMPORTS}new/columns/", {**answers, "consent_method": "verbal"})
    assert said_once.status_code == 200  # on to the check
    assert "Contact them again: given 15 March 2025 (spoken, recorded by staff)" in said_once.content.decode()


def test_one_date_column_may_give_several_kinds_of_consent(officer: Any) -> None:
    _, token = _step_two(officer)
    shared = officer.post(
        f"{IMPORTS}new/columns/",
        {
            "upload": token,
            "column_given_name": "Forename",
            "column_contact_consent_given_on": "Consent to contact given on",
            "column_quote_consent_given_on": "Consent to contact given on",
            "column_contact_consent_method": "Consent to contact method",
            "column_quote_consent_method": "Consent to contact method",
            "group_kind": "community",
        },
    )
    assert shared.status_code == 200
    text = html.unescape(shared.content.decode())
    assert (
        "Contact them again: given 15 March 2025 (paper form); Quote what they said in public: given 15 March 2025"
        in text
    )
    mixed = officer.post(
        f"{IMPORTS}new/columns/",
        {
            "upload": token,
            "column_given_name": "Forename",
            "column_contact_consent_given_on": "Consent to contact given on",
            "column_contact_consent_method": "Consent to contact given on",
            "group_kind": "community",
        },
    )
    assert mixed.status_code == 400
    assert "is chosen for more than one thing" in html.unescape(mixed.content.decode())
