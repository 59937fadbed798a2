"""Loading Census 2021 bulk tables (the CSVs inside ONS's zips): sex and age from TS009,
ethnic group, disability and unpaid care, for LSOAs and local authorities side by side,
every bad cell refused with its line and column."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engage.core.tabular.errors import ImportFileError
from engage.places import selectors, services
from engage.places.models import CensusCount

pytestmark = pytest.mark.django_db

FIRST = ["date", "geography", "geography code"]
AGES = [
    "Aged 4 years and under",
    "Aged 5 to 9 years",
    "Aged 10 to 15 years",
    "Aged 16 to 19 years",
    "Aged 20 to 24 years",
    "Aged 25 to 34 years",
    "Aged 35 to 49 years",
    "Aged 50 to 64 years",
    "Aged 65 to 74 years",
    "Aged 75 to 84 years",
    "Aged 85 years and over",
]
# TS009, sex by age: every age for all persons, then each sex by every age.
TS009 = FIRST + [
    f"Sex: {sex}; Age: {age}; measures: Value"
    for sex in ("All persons", "Female", "Male")
    for age in ["Total", *AGES]
]
TS021 = [
    *FIRST,
    "Ethnic group: Total: All usual residents",
    "Ethnic group: Asian, Asian British or Asian Welsh",
    "Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi",
    "Ethnic group: Black, Black British, Black Welsh, Caribbean or African",
    "Ethnic group: Mixed or Multiple ethnic groups",
    "Ethnic group: White",
    "Ethnic group: Other ethnic group",
]
TS038 = [
    *FIRST,
    "Disability: Total: All usual residents",
    "Disability: Disabled under the Equality Act",
    "Disability: Disabled under the Equality Act: Day-to-day activities limited a lot",
    "Disability: Not disabled under the Equality Act",
]
TS039 = [
    *FIRST,
    "Provision of unpaid care: Total: All usual residents aged 5 and over",
    "Provision of unpaid care: Provides no unpaid care",
    "Provision of unpaid care: Provides 19 hours or less unpaid care a week",
    "Provision of unpaid care: Provides 20 to 49 hours unpaid care a week",
    "Provision of unpaid care: Provides 50 or more hours unpaid care a week",
]


def ts009_row(code: str, name: str, female: list[int], male: list[int]) -> list[object]:
    everyone = [f + m for f, m in zip(female, male, strict=True)]
    return ["2021", name, code, sum(everyone), *everyone, sum(female), *female, sum(male), *male]


FEMALE = [40, 45, 50, 30, 60, 120, 150, 140, 90, 60, 20]
MALE = [42, 44, 52, 33, 58, 110, 145, 135, 85, 50, 12]


def write(path: Path, headings: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def test_ts009_gives_sex_and_age_for_each_lsoa(tmp_path):
    path = write(
        tmp_path / "census2021-ts009-lsoa.csv",
        TS009,
        [
            ts009_row("E01009391", "Dudley 001A", FEMALE, MALE),
            ts009_row("E01009392", "Dudley 001B", MALE, FEMALE),
        ],
    )
    load = services.census_load(actor=None, path=path, file_name=path.name)
    assert load.edition == "TS009"
    assert load.note == "2 areas: sex (2 categories), age (11 categories)."
    sex = selectors.census_counts(dimension="sex", area_codes=["E01009391"])
    assert sex == {"Total": sum(FEMALE) + sum(MALE), "Female": sum(FEMALE), "Male": sum(MALE)}
    age = selectors.census_counts(dimension="age", area_codes=["E01009391", "E01009392"])
    assert age["Aged 20 to 24 years"] == 2 * (60 + 58)
    assert age["Total"] == 2 * (sum(FEMALE) + sum(MALE))
    # The crossed columns (female and aged 20 to 24) are not stored.
    assert not CensusCount.objects.filter(category__icontains="female; age").exists()
    assert CensusCount.objects.filter(dimension="age").values("category").distinct().count() == 12


def test_ethnic_group_disability_and_unpaid_care_load_in_the_censuss_words(tmp_path):
    services.census_load(
        actor=None,
        path=write(
            tmp_path / "census2021-ts021-ltla.csv",
            TS021,
            [["2021", "Dudley", "E08000027", 323500, 20000, 6000, 7000, 9000, 285000, 2500]],
        ),
        file_name="census2021-ts021-ltla.csv",
    )
    services.census_load(
        actor=None,
        path=write(
            tmp_path / "census2021-ts038-ltla.csv",
            TS038,
            [["2021", "Dudley", "E08000027", 323500, 62000, 28000, 261500]],
        ),
        file_name="census2021-ts038-ltla.csv",
    )
    services.census_load(
        actor=None,
        path=write(
            tmp_path / "census2021-ts039-ltla.csv",
            TS039,
            [["2021", "Dudley", "E08000027", 306000, 275000, 17000, 6000, 8000]],
        ),
        file_name="census2021-ts039-ltla.csv",
    )
    ethnic = selectors.census_counts(dimension="ethnic_group", area_codes=["E08000027"])
    assert ethnic["White"] == 285000
    assert ethnic["Asian, Asian British or Asian Welsh: Bangladeshi"] == 6000
    assert ethnic["Total"] == 323500
    assert (
        selectors.census_counts(dimension="disability", area_codes=["E08000027"])[
            "Disabled under the Equality Act"
        ]
        == 62000
    )
    care = selectors.census_counts(dimension="unpaid_care", area_codes=["E08000027"])
    assert care["Provides 50 or more hours unpaid care a week"] == 8000
    assert care["Total"] == 306000


def test_an_lsoa_file_and_a_local_authority_file_sit_side_by_side_and_a_reload_replaces(tmp_path):
    lsoa = write(
        tmp_path / "census2021-ts009-lsoa.csv", TS009, [ts009_row("E01009391", "Dudley 001A", FEMALE, MALE)]
    )
    authority = write(
        tmp_path / "census2021-ts009-ltla.csv", TS009, [ts009_row("E08000027", "Dudley", FEMALE, MALE)]
    )
    services.census_load(actor=None, path=lsoa, file_name=lsoa.name)
    services.census_load(actor=None, path=authority, file_name=authority.name)
    services.census_load(actor=None, path=lsoa, file_name=lsoa.name)
    assert (
        CensusCount.objects.filter(area_code="E01009391").count()
        == CensusCount.objects.filter(area_code="E08000027").count()
    )
    assert selectors.census_area_counts() == {"Sex (TS009)": 2, "Age (TS009)": 2}


def _bad(column: int, value: object) -> list[list[object]]:
    row = ts009_row("E01009391", "Dudley 001A", FEMALE, MALE)
    row[column] = value
    return [ts009_row("E01009392", "Dudley 001B", FEMALE, MALE), row]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_bad(2, "S01000001"), "(line 3, column 'geography code'): 'S01000001' is not an area code"),
        (_bad(2, ""), "(line 3, column 'geography code'): The cell is empty: it should hold the area's code"),
        (
            _bad(2, "E01009392"),
            "(line 3, column 'geography code'): E01009392 is in the file twice (first on line 2).",
        ),
        (
            _bad(8, "twelve"),
            "(line 3, column 'Sex: All persons; Age: Aged 20 to 24 years; measures: Value'): 'twelve' is not a whole number",
        ),
        (_bad(4, "-3"), "'-3' is not a whole number"),
        (_bad(5, ""), "The cell is empty: it should hold how many people"),
    ],
)
def test_a_bad_cell_refuses_the_whole_file_with_its_line_and_column(tmp_path, rows, message):
    good = write(tmp_path / "good.csv", TS009, [ts009_row("E01009391", "Dudley 001A", FEMALE, MALE)])
    services.census_load(actor=None, path=good, file_name="good.csv")
    before = list(CensusCount.objects.order_by("pk").values())
    with pytest.raises(ImportFileError) as caught:
        services.census_load(
            actor=None, path=write(tmp_path / "ts009.csv", TS009, rows), file_name="ts009.csv"
        )
    assert message in str(caught.value)
    assert list(CensusCount.objects.order_by("pk").values()) == before


def test_a_file_that_is_not_a_census_table_for_reach_says_what_to_load(tmp_path):
    with pytest.raises(ImportFileError, match="has no 'geography code' column"):
        services.census_load(
            actor=None,
            path=write(tmp_path / "x.csv", ["LSOA", "People"], [["E01009391", 5]]),
            file_name="x.csv",
        )
    household = [
        *FIRST,
        "Household composition: Total; measures: Value",
        "Household composition: One person household; measures: Value",
    ]
    with pytest.raises(
        ImportFileError, match="no columns for sex, age, ethnic group, disability or unpaid care"
    ):
        services.census_load(
            actor=None,
            path=write(tmp_path / "ts003.csv", household, [["2021", "D", "E01009391", 5, 2]]),
            file_name="ts003.csv",
        )


def test_the_command_loads_several_tables_and_says_what_is_loaded(tmp_path):
    first = write(
        tmp_path / "census2021-ts009-lsoa.csv", TS009, [ts009_row("E01009391", "Dudley 001A", FEMALE, MALE)]
    )
    second = write(
        tmp_path / "census2021-ts038-lsoa.csv",
        TS038,
        [["2021", "Dudley 001A", "E01009391", 1400, 300, 120, 1100]],
    )
    out = StringIO()
    call_command("reach", "load-census", str(first), str(second), stdout=out)
    assert (
        "Loaded Census 2021 TS009 from census2021-ts009-lsoa.csv: 1 areas: sex (2 categories), age (11 categories)."
        in out.getvalue()
    )
    assert "Loaded Census 2021 TS038" in out.getvalue()
    status = StringIO()
    call_command("reach", "status", stdout=status)
    assert "Census 2021, Disability (TS038): 1 areas" in status.getvalue()
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("reach", "load-census", str(first), str(tmp_path / "missing.csv"))
