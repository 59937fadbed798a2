"""Loading the ONS ward to local authority district lookup, and taking a district's
wards from it as the partnership's areas: good files in the published layout, every
bad file refused with its line and column and nothing changed, and a second load or a
new edition updating rather than copying."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engage.activities.models import Area, AreaKind
from engage.core.errors import Conflict, InvalidInput
from engage.core.models import AuditEvent
from engage.core.tabular.errors import ImportFileError
from engage.places import selectors, services
from engage.places.areas.services import areas_from_ward_lookup
from engage.places.models import ReferenceKind, ReferenceLoad, Ward
from engage.places.tests.factories import WARD_LOOKUP_HEADINGS, WARD_LOOKUP_ROWS, ward_lookup_write

pytestmark = pytest.mark.django_db


def _load(path: Path) -> ReferenceLoad:
    return services.wards_load(actor=None, path=path, file_name=path.name)


def test_the_published_lookup_loads_every_ward_with_its_district(tmp_path: Path) -> None:
    load = _load(ward_lookup_write(tmp_path / "WD24_LAD24_UK_LU.csv"))

    assert Ward.objects.count() == len(WARD_LOOKUP_ROWS)
    amblecote = Ward.objects.get(code="E05014780")
    assert (amblecote.name, amblecote.local_authority_code, amblecote.local_authority_name) == (
        "Amblecote",
        "E08000027",
        "Dudley",
    )
    assert amblecote.edition == "WD24CD"
    assert (load.kind, load.rows, load.edition) == (ReferenceKind.WARDS, 7, "WD24CD")
    assert load.note == "7 wards in 3 local authority districts (WD24CD)."
    assert AuditEvent.objects.filter(subject_type="reference_load", subject_id=str(load.pk)).exists()
    assert selectors.reference_status().wards == 7


def test_headings_of_any_year_and_case_are_read_and_the_latest_edition_wins(tmp_path: Path) -> None:
    headings = ["wd23cd", "wd23nm", "WD25CD", "WD25NM", "lad25cd", "lad25nm", "FID"]
    rows = [["E05000001", "Old Name", "E05099999", "New Name", "E08000027", "Dudley", "1"]]
    _load(ward_lookup_write(tmp_path / "lookup.csv", rows, headings))

    ward = Ward.objects.get()
    assert (ward.code, ward.name, ward.edition) == ("E05099999", "New Name", "WD25CD")


def test_a_second_load_replaces_the_first(tmp_path: Path) -> None:
    _load(ward_lookup_write(tmp_path / "first.csv"))
    _load(ward_lookup_write(tmp_path / "second.csv", WARD_LOOKUP_ROWS[:2]))

    assert sorted(Ward.objects.values_list("code", flat=True)) == ["E05014780", "E05014781"]


def _refused(tmp_path: Path, rows: list[list[str]], headings: list[str] | None = None) -> ImportFileError:
    ward_lookup_write(tmp_path / "good.csv")
    _load(tmp_path / "good.csv")
    before = list(Ward.objects.order_by("code").values_list("code", "name"))
    with pytest.raises(ImportFileError) as refused:
        _load(ward_lookup_write(tmp_path / "bad.csv", rows, headings))
    assert list(Ward.objects.order_by("code").values_list("code", "name")) == before
    assert ReferenceLoad.objects.count() == 1
    return refused.value


def test_a_file_of_another_layout_is_refused_naming_the_missing_columns(tmp_path: Path) -> None:
    error = _refused(tmp_path, [["E05014780", "Amblecote", "Dudley"]], ["WD24CD", "WD24NM", "LAD24NM"])
    assert "It has no column 'LAD24CD'" in error.message.replace("it has", "It has")
    assert "bad.csv" in error.message


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (
            ["E01009391", "Amblecote", "", "E08000027", "Dudley", "", "9"],
            "WD24CD",
            "'E01009391' is not a ward's code",
        ),
        (
            ["E05014790", "Amblecote", "", "E05000001", "Dudley", "", "9"],
            "LAD24CD",
            "not a local authority district's code",
        ),
        (["", "Amblecote", "", "E08000027", "Dudley", "", "9"], "WD24CD", "The cell is empty"),
        (["E05014790", " ", "", "E08000027", "Dudley", "", "9"], "WD24NM", "should hold the area's name"),
        (
            ["E05014780", "Amblecote again", "", "E08000027", "Dudley", "", "9"],
            "WD24CD",
            "twice (first on line 2)",
        ),
        (
            ["E05014790", "Wordsley", "", "E08000027", "Dudly", "", "9"],
            "LAD24NM",
            "'Dudly' here but 'Dudley' on line 2",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_column(
    tmp_path: Path, row: list[str], column: str, says: str
) -> None:
    error = _refused(tmp_path, [*WARD_LOOKUP_ROWS[:4], row])
    assert error.line == 6
    assert error.column == column
    assert says in error.message


def test_a_file_in_two_encodings_is_refused_at_the_first_line_of_the_second(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        ",".join(WARD_LOOKUP_HEADINGS).encode()
        + b"\r\n"
        + "W05001025,Llanbedrog,Llanbedrog,W06000001,Ynys Môn,Ynys Môn,1\r\n".encode()
        + "W05001026,Llanfairpwll,Llanfairpwll,W06000001,Ynys Môn,Ynys Môn,2\r\n".encode("cp1252")
    )
    Ward.objects.create(
        code="E05000001", name="Kept", local_authority_code="E08000027", local_authority_name="D"
    )
    with pytest.raises(ImportFileError) as refused:
        _load(path)
    assert refused.value.line == 3
    assert "not in the encoding of the lines before it" in refused.value.message
    assert list(Ward.objects.values_list("name", flat=True)) == ["Kept"]


def test_a_file_wholly_in_windows_text_is_read(tmp_path: Path) -> None:
    rows = [["W05001025", "Llanbedrog", "", "W06000001", "Ynys Môn", "", "1"]]
    _load(ward_lookup_write(tmp_path / "excel.csv", rows, encoding="cp1252"))
    assert Ward.objects.get().local_authority_name == "Ynys Môn"


def test_a_file_with_headings_only_or_not_csv_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="headings but no rows"):
        _load(ward_lookup_write(tmp_path / "empty.csv", []))
    excel = tmp_path / "lookup.xlsx"
    excel.write_bytes(b"PK\x03\x04")
    with pytest.raises(ImportFileError, match="must be the CSV"):
        _load(excel)


def test_districts_are_found_by_code_or_name_and_near_misses_suggested(tmp_path: Path) -> None:
    _load(ward_lookup_write(tmp_path / "lookup.csv"))

    assert [d.name for d in selectors.district_list()] == ["Dudley", "Gwynedd", "Sandwell"]
    assert selectors.district_find("e08000027")[0].name == "Dudley"  # type: ignore[union-attr]
    assert selectors.district_find("  sandwell ")[0].code == "E08000028"  # type: ignore[union-attr]
    found, alike = selectors.district_find("Dudly")
    assert found is None
    assert [d.name for d in alike] == ["Dudley"]
    assert [w.name for w in selectors.ward_list(local_authority_code="E08000028")] == ["Abbey", "Blackheath"]


def test_a_districts_wards_become_the_partnerships_areas_under_its_place(tmp_path: Path) -> None:
    _load(ward_lookup_write(tmp_path / "lookup.csv"))

    taken = areas_from_ward_lookup(actor=None, local_authority_code="E08000027")

    place = Area.objects.get(kind=AreaKind.PLACE)
    assert (place.name, place.code) == ("Dudley", "E08000027")
    wards = Area.objects.filter(kind=AreaKind.WARD).order_by("name")
    assert [(w.name, w.code, w.parent_id) for w in wards] == [
        ("Amblecote", "E05014780", place.pk),
        ("Belle Vale", "E05014781", place.pk),
        ("Brierley Hill", "E05014782", place.pk),
        ("Brockmoor and Pensnett", "E05014783", place.pk),
    ]
    assert (taken.created, taken.renamed, taken.unchanged, taken.not_in_lookup) == (4, 0, 0, [])


def test_taking_the_wards_again_from_a_new_edition_renames_and_adds_never_copies(tmp_path: Path) -> None:
    _load(ward_lookup_write(tmp_path / "2024.csv"))
    areas_from_ward_lookup(actor=None, local_authority_code="E08000027")
    locality = Area.objects.create(kind=AreaKind.LOCALITY, name="Brierley Hill and Amblecote")
    Area.objects.filter(code="E05014780").update(parent=locality)
    locality.parent = Area.objects.get(kind=AreaKind.PLACE)
    locality.save()
    headings = [h.replace("24", "25") for h in WARD_LOOKUP_HEADINGS]
    rows = [
        ["E05014780", "Amblecote and Wollaston", "", "E08000027", "Dudley", "", "1"],
        ["E05014781", "Belle Vale", "", "E08000027", "Dudley", "", "2"],
        ["E05099001", "Wordsley", "", "E08000027", "Dudley", "", "3"],
    ]
    _load(ward_lookup_write(tmp_path / "2025.csv", rows, headings))

    taken = areas_from_ward_lookup(actor=None, local_authority_code="E08000027")

    assert (taken.created, taken.renamed, taken.unchanged) == (1, 1, 1)
    assert taken.not_in_lookup == ["Brierley Hill", "Brockmoor and Pensnett"]
    renamed = Area.objects.get(code="E05014780")
    assert (renamed.name, renamed.parent_id) == ("Amblecote and Wollaston", locality.pk)
    assert Area.objects.filter(kind=AreaKind.WARD).count() == 5  # the two gone are kept
    assert Area.objects.filter(kind=AreaKind.PLACE).count() == 1


def test_a_ward_made_by_hand_under_the_same_name_is_given_its_code(tmp_path: Path) -> None:
    _load(ward_lookup_write(tmp_path / "lookup.csv"))
    by_hand = Area.objects.create(kind=AreaKind.WARD, name="Belle Vale")

    areas_from_ward_lookup(actor=None, local_authority_code="E08000027")

    by_hand.refresh_from_db()
    assert by_hand.code == "E05014781"
    assert Area.objects.filter(name="Belle Vale").count() == 1


def test_a_partnership_with_another_place_cannot_take_a_second_districts_wards(tmp_path: Path) -> None:
    _load(ward_lookup_write(tmp_path / "lookup.csv"))
    areas_from_ward_lookup(actor=None, local_authority_code="E08000027")

    with pytest.raises(Conflict, match="already Dudley"):
        areas_from_ward_lookup(actor=None, local_authority_code="E08000028")
    assert not Area.objects.filter(code__in=["E05011294", "E05011295"]).exists()
    with pytest.raises(InvalidInput, match="no district 'E09000001'"):
        areas_from_ward_lookup(actor=None, local_authority_code="E09000001")


def test_the_reach_command_loads_a_lookup_and_says_what_is_wrong_with_a_bad_one(tmp_path: Path) -> None:
    call_command("reach", "load-wards", str(ward_lookup_write(tmp_path / "lookup.csv")))
    assert Ward.objects.count() == 7
    bad = ward_lookup_write(tmp_path / "bad.csv", [["X", "Y", "", "E08000027", "Dudley", "", "1"]])
    with pytest.raises(CommandError, match=r"bad\.csv.*line 2"):
        call_command("reach", "load-wards", str(bad))
