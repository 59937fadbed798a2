"""Loading the Indices of Deprivation File 7: both editions, CSV and Excel, every bad
file refused with its line and column, and nothing changed by a refused file."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from engage.core.models import AuditEvent
from engage.core.tabular.errors import ImportFileError
from engage.places import selectors, services
from engage.places.models import DeprivationArea, ReferenceLoad

pytestmark = pytest.mark.django_db

# The columns of the published File 7, as the Ministry names them, around the ones read.
HEADINGS_2025 = [
    "LSOA code (2021)",
    "LSOA name (2021)",
    "Local Authority District code (2024)",
    "Local Authority District name (2024)",
    "Index of Multiple Deprivation (IMD) Score",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
    "Income Score (rate)",
    "Income Rank (where 1 is most deprived)",
    "Total population: mid 2022 (excluding prisoners)",
    "Dependent Children aged 0-15: mid 2022 (excluding prisoners)",
]
HEADINGS_2019 = [
    heading.replace("(2021)", "(2011)").replace("(2024)", "(2019)").replace("mid 2022", "mid 2015")
    for heading in HEADINGS_2025
]
ROWS = [
    ["E01009391", "Dudley 001A", "E08000027", "Dudley", "45.2", "2113", "1", "0.31", "1500", "1620", "380"],
    ["E01009392", "Dudley 001B", "E08000027", "Dudley", "31.0", "6020", "2", "0.22", "5400", "1544", "301"],
    ["E01009393", "Dudley 002A", "E08000027", "Dudley", "9.8", "24410", "8", "0.05", "25001", "1702", "290"],
    [
        "E01010001",
        "Sandwell 001A",
        "E08000028",
        "Sandwell",
        "52.7",
        "1200",
        "1",
        "0.35",
        "900",
        "1811",
        "460",
    ],
]


def write_csv(path: Path, headings: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def load(path: Path) -> ReferenceLoad:
    return services.imd_load(actor=None, path=path, file_name=path.name)


def test_the_2025_file_loads_every_area_with_its_national_decile(tmp_path):
    result = load(write_csv(tmp_path / "File_7_IoD2025.csv", HEADINGS_2025, ROWS))
    assert (result.edition, result.rows) == ("2025", 4)
    assert result.note == "4 LSOAs in 2 local authorities."
    area = selectors.deprivation_area_get(lsoa_code="e01009392")
    assert (area.lsoa_name, area.local_authority_name, area.imd_rank, area.imd_decile, area.population) == (
        "Dudley 001B",
        "Dudley",
        6020,
        2,
        1544,
    )
    assert area.core20
    assert not selectors.deprivation_area_get(lsoa_code="E01009393").core20
    assert AuditEvent.objects.filter(subject_type="reference_load", subject_id=str(result.pk)).exists()


def test_the_2019_edition_is_told_by_its_columns_and_kept_beside_the_2025_one(tmp_path):
    load(write_csv(tmp_path / "a.csv", HEADINGS_2025, ROWS))
    result = load(write_csv(tmp_path / "File_7_IoD2019.csv", HEADINGS_2019, ROWS[:2]))
    assert result.edition == "2019"
    assert selectors.deprivation_area_counts() == {"2019": 2, "2025": 4}


def test_loading_an_edition_again_replaces_it(tmp_path):
    load(write_csv(tmp_path / "a.csv", HEADINGS_2025, ROWS))
    load(write_csv(tmp_path / "b.csv", HEADINGS_2025, ROWS[:1]))
    assert list(DeprivationArea.objects.values_list("lsoa_code", flat=True)) == ["E01009391"]


def test_an_excel_copy_of_the_file_loads_too(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS_2025)
    for row in ROWS:
        sheet.append(
            [
                row[0],
                row[1],
                row[2],
                row[3],
                float(row[4]),
                int(row[5]),
                int(row[6]),
                *row[7:9],
                int(row[9]),
                row[10],
            ]
        )
    path = tmp_path / "File_7.xlsx"
    book.save(path)
    assert load(path).rows == 4


def _broken(column: str, value: str) -> list[list[str]]:
    rows = [list(row) for row in ROWS]
    rows[2][HEADINGS_2025.index(column)] = value
    return rows


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            _broken("LSOA code (2021)", "W01000001"),
            "line 4, column 'LSOA code (2021)'): 'W01000001' is not an LSOA code in England",
        ),
        (
            _broken("LSOA code (2021)", "E01009391"),
            "line 4, column 'LSOA code (2021)'): E01009391 is in the file twice (first on line 2)",
        ),
        (
            _broken(
                "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)", "11"
            ),
            "line 4, column 'Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)'): The decile 11 is not a whole number from 1 to 10.",
        ),
        (
            _broken("Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)", "40000"),
            "The rank 40000 is not a whole number from 1 to 33,755.",
        ),
        (
            _broken("Index of Multiple Deprivation (IMD) Score", "high"),
            "line 4, column 'Index of Multiple Deprivation (IMD) Score'): 'high' is not a number. It should hold a number.",
        ),
        (
            _broken("Total population: mid 2022 (excluding prisoners)", ""),
            "The cell is empty. It should hold a number.",
        ),
        (_broken("LSOA code (2021)", " "), "The cell is empty: it should hold an LSOA code"),
        (
            _broken("Total population: mid 2022 (excluding prisoners)", "1500.5"),
            "The population 1500.5 is not a whole number.",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_its_line_and_column_and_changes_nothing(
    tmp_path, rows, message
):
    load(write_csv(tmp_path / "good.csv", HEADINGS_2025, ROWS[:1]))
    before = list(DeprivationArea.objects.values())
    with pytest.raises(ImportFileError) as caught:
        load(write_csv(tmp_path / "File_7.csv", HEADINGS_2025, rows))
    assert str(caught.value).startswith("File_7.csv (")
    assert message in str(caught.value)
    assert list(DeprivationArea.objects.values()) == before
    assert ReferenceLoad.objects.count() == 1


def test_a_file_that_is_not_file_7_names_the_columns_it_lacks(tmp_path):
    headings = [h for h in HEADINGS_2025 if "Decile" not in h]
    with pytest.raises(ImportFileError, match=r"no column 'Index of Multiple Deprivation \(IMD\) Decile"):
        load(write_csv(tmp_path / "File_1.csv", headings, [row[:6] + row[7:] for row in ROWS]))
    pdf = tmp_path / "File_7.csv"
    pdf.write_bytes(b"%PDF-1.7 not a table")
    with pytest.raises(ImportFileError):
        load(pdf)
    empty = write_csv(tmp_path / "empty.csv", HEADINGS_2025, [])
    with pytest.raises(ImportFileError, match="no rows"):
        load(empty)
    assert not DeprivationArea.objects.exists()


def test_headings_are_matched_ignoring_case_and_spacing(tmp_path):
    headings = [f"  {h.upper().replace(' ', '  ')} " for h in HEADINGS_2025]
    assert load(write_csv(tmp_path / "odd.csv", headings, ROWS)).rows == 4


def test_the_command_loads_the_file_and_says_what_is_loaded(tmp_path):
    path = write_csv(tmp_path / "File_7.csv", HEADINGS_2025, ROWS)
    out = StringIO()
    call_command("reach", "load-imd", str(path), stdout=out, stderr=StringIO())
    assert (
        "Loaded Index of Multiple Deprivation (File 7) 2025: 4 LSOAs in 2 local authorities."
        in out.getvalue()
    )
    status = StringIO()
    call_command("reach", "status", stdout=status)
    assert "Indices of Deprivation 2025: 4 LSOAs (in use)" in status.getvalue()
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("reach", "load-imd", str(tmp_path / "missing.csv"))
    bad = write_csv(tmp_path / "bad.csv", HEADINGS_2025, _broken("LSOA code (2021)", "nonsense"))
    with pytest.raises(CommandError, match=r"bad.csv \(line 4, column 'LSOA code \(2021\)'\)"):
        call_command("reach", "load-imd", str(bad), stderr=StringIO())
