"""Factories for organisations, groups, people and consent."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import factory

from engage.partners.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Group,
    GroupKind,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
    PersonRoleKind,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = OrganisationKind.VCSE


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Community group {n}")
    kind = GroupKind.COMMUNITY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.LazyAttribute(lambda p: f"{p.given_name.lower()}.{p.family_name.lower()}@example.org")
    phone = "07700 900123"
    postcode = "DY1 1HF"


class PersonRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRole

    person = factory.SubFactory(PersonFactory)
    role = PersonRoleKind.VOLUNTEER


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.CONTACT
    given_on = dt.date(2025, 3, 15)
    method = ConsentMethod.PAPER_FORM


# --- Register files in their published layouts (engage.partners.registers) ---


def ods_row(
    code: str,
    name: str,
    postcode: str = "DY1 1AA",
    *,
    status: str = "A",
    commissioner: str = "D2P2L",
    setting: str = "4",
    opened: str = "19740401",
    closed: str = "",
) -> list[str]:
    """One row of the NHS ODS's 27 standard columns (epraccur's use of them)."""
    row = [""] * 27
    row[0], row[1], row[2], row[3] = code, name, "Y60", "QHM"
    row[4], row[6], row[9] = "1 HIGH STREET", "DUDLEY", postcode
    row[10], row[11], row[12], row[13], row[14] = opened, closed, status, "B", commissioner
    row[15], row[17], row[21], row[23], row[25] = "20220701", "01384 000000", "0", "4", setting
    return row


def ods_file_write(path: Path, rows: list[list[str]]) -> Path:
    """An ODS file as published: quoted fields, no headings line."""
    with path.open("w", newline="", encoding="ascii") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL).writerows(rows)
    return path


# The extract's columns, as the Charity Commission publishes them (tab separated).
CHARITY_HEADINGS = [
    "date_of_extract", "organisation_number", "registered_charity_number", "linked_charity_number",
    "charity_name", "charity_type", "charity_registration_status", "date_of_registration", "date_of_removal",
    "charity_reporting_status", "latest_acc_fin_period_start_date", "latest_acc_fin_period_end_date",
    "latest_income", "latest_expenditure", "charity_contact_address1", "charity_contact_address2",
    "charity_contact_address3", "charity_contact_address4", "charity_contact_address5",
    "charity_contact_postcode", "charity_contact_phone", "charity_contact_email", "charity_contact_web",
    "charity_company_registration_number", "charity_insolvent", "charity_in_administration",
    "charity_previously_excepted", "charity_is_cdf_or_cif", "charity_is_cio", "cio_is_dissolved",
    "date_cio_dissolution_notice", "charity_activities", "charity_gift_aid", "charity_has_land",
]  # fmt: skip


def charity_row(
    number: str,
    name: str,
    postcode: str = "DY1 1AB",
    *,
    linked: str = "0",
    status: str = "Registered",
    web: str = "",
) -> dict[str, str]:
    return {
        "date_of_extract": "2026-11-30",
        "organisation_number": str(int(number) + 5_000_000),
        "registered_charity_number": number,
        "linked_charity_number": linked,
        "charity_name": name,
        "charity_type": "Other",
        "charity_registration_status": status,
        "date_of_registration": "1999-03-01",
        "charity_contact_postcode": postcode,
        "charity_contact_email": "hello@example.org",
        "charity_contact_web": web,
    }


def charity_extract_write(path: Path, rows: list[dict[str, str]], headings: list[str] | None = None) -> Path:
    columns = headings or CHARITY_HEADINGS
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
