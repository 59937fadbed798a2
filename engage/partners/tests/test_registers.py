"""Organisations loaded from the registers partnerships use, in their published
layouts: matched by their codes so a second load updates, names written as people
write them, filters by area and commissioner, and every bad file refused by file, line
and column with nothing changed."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engage.core.models import AuditEvent
from engage.core.tabular.errors import ImportFileError
from engage.partners.models import Organisation, OrganisationKind, Register
from engage.partners.registers.readers import written_as_people_write
from engage.partners.registers.services import organisations_load
from engage.partners.tests.factories import (
    CHARITY_HEADINGS,
    OrganisationFactory,
    charity_extract_write,
    charity_row,
    ods_file_write,
    ods_row,
)

pytestmark = pytest.mark.django_db

PRACTICES = [
    ods_row("M87001", "THE HILL SURGERY", "DY1 1AA"),
    ods_row("M87002", "ST JAMES'S MEDICAL PRACTICE", "DY2 7BB"),
    ods_row("M87003", "THE SURGERY", "DY3 1CC"),
    ods_row("M87004", "QUARRY BANK WALK-IN CENTRE", "DY5 2DD", setting="1"),
    ods_row("M87005", "LYE HEALTH CENTRE", "DY9 8EE", status="C", closed="20240331"),
    ods_row("M88001", "THE SURGERY", "B62 9FF", commissioner="D2P2L"),
    ods_row("M89001", "WALSALL ROAD SURGERY", "WS1 1GG", commissioner="M1J4Y"),
]


def _load(path: Path, register: str, **filters: list[str]) -> object:
    return organisations_load(actor=None, path=path, file_name=path.name, register=register, **filters)


def test_gp_practices_load_from_the_ods_file_as_people_write_their_names(tmp_path: Path) -> None:
    load = _load(ods_file_write(tmp_path / "epraccur.csv", PRACTICES), Register.ODS_GP_PRACTICES)

    practices = {o.ods_code: o for o in Organisation.objects.all()}
    assert practices["M87001"].name == "The Hill Surgery"
    assert practices["M87002"].name == "St James's Medical Practice"
    assert practices["M87001"].kind == OrganisationKind.GP_PRACTICE
    assert practices["M87001"].postcode == "DY1 1AA"
    assert "M87004" not in practices  # a walk-in centre, not a GP practice
    assert "M87005" not in practices  # closed, and not among ours
    # Two practices of the same name: the second is named with its code.
    assert practices["M88001"].name == "The Surgery (M88001)"
    assert load.created == 5  # type: ignore[attr-defined]
    sentence = load.sentence()  # type: ignore[attr-defined]
    assert "5 added, 0 updated, 0 as they were." in sentence
    assert "1 not GP practices" in sentence
    assert "1 closed ones not added" in sentence
    assert AuditEvent.objects.filter(subject_type="organisation", summary__contains="epraccur.csv").exists()


def test_loading_the_file_again_updates_by_code_never_copies(tmp_path: Path) -> None:
    _load(ods_file_write(tmp_path / "epraccur.csv", PRACTICES), Register.ODS_GP_PRACTICES)
    hill = Organisation.objects.get(ods_code="M87001")
    hill.short_name, hill.kind = "Hill", OrganisationKind.OTHER  # the partnership's own choices
    hill.save()
    later = [
        ods_row("M87001", "THE HILL AND VALLEY SURGERY", "DY1 1AZ"),
        ods_row("M87002", "ST JAMES'S MEDICAL PRACTICE", "DY2 7BB", status="C", closed="20260930"),
        ods_row("M87003", "THE SURGERY", "DY3 1CC"),
    ]
    load = _load(ods_file_write(tmp_path / "epraccur-later.csv", later), Register.ODS_GP_PRACTICES)

    assert (load.created, load.updated, load.unchanged) == (0, 2, 1)  # type: ignore[attr-defined]
    hill.refresh_from_db()
    assert (hill.name, hill.postcode, hill.short_name, hill.kind) == (
        "The Hill and Valley Surgery",
        "DY1 1AZ",
        "Hill",
        OrganisationKind.OTHER,
    )
    assert Organisation.objects.get(ods_code="M87002").is_active is False
    assert Organisation.objects.count() == 5


def test_an_organisation_typed_in_by_hand_is_matched_by_name_and_given_its_code(tmp_path: Path) -> None:
    typed = OrganisationFactory(name="The Hill Surgery", kind=OrganisationKind.GP_PRACTICE)
    _load(ods_file_write(tmp_path / "epraccur.csv", PRACTICES[:1]), Register.ODS_GP_PRACTICES)
    typed.refresh_from_db()
    assert typed.ods_code == "M87001"
    assert Organisation.objects.count() == 1


def test_practices_are_chosen_by_postcode_area_and_by_commissioner(tmp_path: Path) -> None:
    path = ods_file_write(tmp_path / "epraccur.csv", PRACTICES)
    load = _load(path, Register.ODS_GP_PRACTICES, postcode_prefixes=["B62", "WS"])
    assert sorted(Organisation.objects.values_list("ods_code", flat=True)) == ["M88001", "M89001"]
    assert load.outside == 4  # type: ignore[attr-defined]
    Organisation.objects.all().delete()
    _load(path, Register.ODS_GP_PRACTICES, commissioners=["m1j4y"])
    assert list(Organisation.objects.values_list("ods_code", flat=True)) == ["M89001"]


def test_trusts_and_icbs_load_from_their_ods_files(tmp_path: Path) -> None:
    _load(
        ods_file_write(
            tmp_path / "etr.csv", [ods_row("RNA", "THE DUDLEY GROUP NHS FOUNDATION TRUST", "DY1 2HQ")]
        ),
        Register.ODS_TRUSTS,
    )
    _load(
        ods_file_write(
            tmp_path / "eccg.csv", [ods_row("QUA", "NHS BLACK COUNTRY INTEGRATED CARE BOARD", "WV1 1SH")]
        ),
        Register.ODS_ICBS,
    )
    trust = Organisation.objects.get(ods_code="RNA")
    assert (trust.name, trust.kind) == ("The Dudley Group NHS Foundation Trust", OrganisationKind.NHS_TRUST)
    icb = Organisation.objects.get(ods_code="QUA")
    assert (icb.name, icb.kind) == ("NHS Black Country Integrated Care Board", OrganisationKind.ICB)


def test_charities_load_from_the_register_extract_main_charities_only(tmp_path: Path) -> None:
    rows = [
        charity_row("1012345", "DUDLEY COMMUNITY VOICES", web="https://voices.example.org"),
        charity_row("1012345", "DUDLEY COMMUNITY VOICES YOUTH FUND", linked="1"),
        charity_row("1099999", "AGE UK DUDLEY", "DY1 4XX"),
        charity_row("1088888", "OLD CHARITY", status="Removed"),
        charity_row("1077777", "BIRMINGHAM FRIENDS", "B1 1AA"),
    ]
    load = _load(
        charity_extract_write(tmp_path / "publicextract.charity.txt", rows),
        Register.CHARITIES,
        postcode_prefixes=["DY"],
    )

    voices = Organisation.objects.get(charity_number="1012345")
    assert (voices.name, voices.kind, voices.website) == (
        "Dudley Community Voices",
        OrganisationKind.VCSE,
        "https://voices.example.org",
    )
    assert voices.contact_email == "hello@example.org"
    assert Organisation.objects.get(charity_number="1099999").name == "Age UK Dudley"
    assert Organisation.objects.count() == 2
    assert load.outside == 1  # type: ignore[attr-defined]
    assert "1 linked charities" in load.sentence()  # type: ignore[attr-defined]


def test_our_template_loads_any_kind_by_value_or_label(tmp_path: Path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_text(
        "name,kind,short_name,website,contact_email,ods_code,charity_number,postcode\n"
        "Dudley Council,council,DMBC,https://www.dudley.gov.uk,engage@dudley.example.org,,,DY1 1HF\n"
        "West Midlands Police,Police,,,,,,B4 6NQ\n",
        encoding="utf-8",
    )
    _load(path, Register.TEMPLATE)
    council = Organisation.objects.get(name="Dudley Council")
    assert (council.kind, council.short_name, council.postcode) == (
        OrganisationKind.COUNCIL,
        "DMBC",
        "DY1 1HF",
    )
    assert Organisation.objects.get(name="West Midlands Police").kind == OrganisationKind.POLICE


def _refused(path: Path, register: str) -> ImportFileError:
    Organisation.objects.get_or_create(name="Already here", defaults={"kind": OrganisationKind.OTHER})
    before = list(Organisation.objects.values_list("name", "ods_code"))
    with pytest.raises(ImportFileError) as refused:
        _load(path, register)
    assert list(Organisation.objects.values_list("name", "ods_code")) == before
    return refused.value


@pytest.mark.parametrize(
    ("rows", "line", "column", "says"),
    [
        (
            [PRACTICES[0], ods_row("RNA", "A TRUST")],
            2,
            "Organisation code",
            "'RNA' is not a GP practice's code",
        ),
        ([PRACTICES[0], ods_row("", "NO CODE")], 2, "Organisation code", "The cell is empty"),
        ([PRACTICES[0], ods_row("M87009", "")], 2, "Name", "should hold the organisation's name"),
        (
            [PRACTICES[0], ods_row("M87009", "X", opened="01/04/1974")],
            2,
            "Open date",
            "'01/04/1974' is not a date",
        ),
        (
            [PRACTICES[0], PRACTICES[1], PRACTICES[0]],
            3,
            "Organisation code",
            "M87001 is in the file twice (first on line 1)",
        ),
    ],
)
def test_a_bad_ods_file_is_refused_with_its_line_and_column(
    tmp_path: Path, rows: list[list[str]], line: int, column: str, says: str
) -> None:
    error = _refused(ods_file_write(tmp_path / "epraccur.csv", rows), Register.ODS_GP_PRACTICES)
    assert (error.line, error.column) == (line, column)
    assert says in error.message


def test_a_file_of_another_register_or_layout_is_refused(tmp_path: Path) -> None:
    trusts = ods_file_write(tmp_path / "etr.csv", [ods_row("RNA", "THE DUDLEY GROUP")])
    error = _refused(trusts, Register.ODS_GP_PRACTICES)
    assert "Check that this is the ODS's file of GP practices" in error.message
    headed = tmp_path / "practices.csv"
    headed.write_text("code,name\nM87001,The Hill Surgery\n", encoding="utf-8")
    error = _refused(headed, Register.ODS_GP_PRACTICES)
    assert "does not have the NHS Organisation Data Service's columns" in error.message
    extract = charity_extract_write(tmp_path / "extract.txt", [], headings=["charity_name", "charity_type"])
    error = _refused(extract, Register.CHARITIES)
    assert "no column 'registered_charity_number'" in error.message


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (
            {"registered_charity_number": "12AB"},
            "registered_charity_number",
            "'12AB' is not a registered charity number",
        ),
        ({"charity_name": " "}, "charity_name", "should hold the charity's name"),
    ],
)
def test_a_bad_charity_row_is_refused_with_its_line_and_column(
    tmp_path: Path, row: dict[str, str], column: str, says: str
) -> None:
    rows = [charity_row("1012345", "GOOD"), {**charity_row("1012346", "BAD"), **row}]
    error = _refused(charity_extract_write(tmp_path / "extract.txt", rows), Register.CHARITIES)
    assert (error.line, error.column) == (3, column)
    assert says in error.message


@pytest.mark.parametrize(
    ("line_text", "column", "says"),
    [
        ("Dudley Council,bank,,,,,,", "kind", "'bank' is not a kind of organisation"),
        (",council,,,,,,", "name", "should hold the organisation's name"),
        ("Dudley Council,council,,www.dudley.gov.uk,,,,", "website", "is not a web address"),
        ("Dudley Council,council,,,engage at dudley,,,", "contact_email", "is not an email address"),
        ("Dudley Council,council,,,,,ABC,", "charity_number", "'ABC' is not a registered charity number"),
        (
            "Dudley Hub,council,,,,,,\nDudley hub,vcse,,,,,,",
            "name",
            "'Dudley hub' is in the file twice (first on line 2)",
        ),
    ],
)
def test_a_bad_template_row_is_refused_with_its_line_and_column(
    tmp_path: Path, line_text: str, column: str, says: str
) -> None:
    path = tmp_path / "organisations.csv"
    path.write_text(
        "name,kind,short_name,website,contact_email,ods_code,charity_number,postcode\n" + line_text + "\n"
    )
    error = _refused(path, Register.TEMPLATE)
    assert error.column == column
    assert says in error.message


def test_names_in_capitals_are_written_as_people_write_them() -> None:
    assert (
        written_as_people_write("THE DUDLEY GROUP NHS FOUNDATION TRUST")
        == "The Dudley Group NHS Foundation Trust"
    )
    assert written_as_people_write("AGE UK DUDLEY") == "Age UK Dudley"
    assert written_as_people_write("BRIERLEY HILL HEALTH & SOCIAL CARE CENTRE") == (
        "Brierley Hill Health & Social Care Centre"
    )
    assert written_as_people_write("STOURBRIDGE-ON-STOUR PCN") == "Stourbridge-On-Stour PCN"
    assert written_as_people_write("Already Mixed Case") == "Already Mixed Case"


def test_the_command_loads_a_register_and_says_what_it_did(tmp_path: Path) -> None:
    out = StringIO()
    path = ods_file_write(tmp_path / "epraccur.csv", PRACTICES)
    call_command(
        "organisations",
        "load",
        str(path),
        "--register=ods_gp",
        "--postcode-area=DY",
        stdout=out,
        stderr=StringIO(),
    )
    assert "Loaded NHS ODS: GP practices (epraccur.csv) from epraccur.csv: 3 added" in out.getvalue()
    with pytest.raises(CommandError, match=r"line 1, column 'Organisation code'"):
        call_command(
            "organisations", "load", str(path), "--register=ods_trusts", stdout=out, stderr=StringIO()
        )
    template = StringIO()
    call_command("organisations", "template", stdout=template)
    assert (
        template.getvalue().strip()
        == "name,kind,short_name,website,contact_email,ods_code,charity_number,postcode"
    )
    assert CHARITY_HEADINGS[2] == "registered_charity_number"


def test_a_register_file_in_two_encodings_is_refused_at_the_first_line_of_the_second(tmp_path: Path) -> None:
    path = tmp_path / "epraccur.csv"
    first = ",".join(f'"{cell}"' for cell in ods_row("M87001", "CAFÉ SURGERY"))
    second = ",".join(f'"{cell}"' for cell in ods_row("M87002", "JOSÉ'S SURGERY"))
    path.write_bytes(first.encode() + b"\r\n" + second.encode("cp1252") + b"\r\n")
    error = _refused(path, Register.ODS_GP_PRACTICES)
    assert error.line == 2
    assert "not in the encoding of the lines before it" in error.message


def test_a_template_row_without_a_code_is_the_organisation_of_that_name(tmp_path: Path) -> None:
    _load(ods_file_write(tmp_path / "epraccur.csv", PRACTICES[:1]), Register.ODS_GP_PRACTICES)
    path = tmp_path / "organisations.csv"
    path.write_text(
        "name,kind,website\nThe Hill Surgery,gp_practice,https://hill.example.org\n", encoding="utf-8"
    )
    load = _load(path, Register.TEMPLATE)
    assert (load.created, load.updated) == (0, 1)  # type: ignore[attr-defined]
    hill = Organisation.objects.get()
    assert (hill.ods_code, hill.website) == ("M87001", "https://hill.example.org")
