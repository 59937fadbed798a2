"""Reading Census 2021 bulk tables: the CSV files inside the bulk zips ONS publishes, one
per geography (local authority, LSOA), such as `census2021-ts009-lsoa.csv`.

Each has the columns `date`, `geography` and `geography code`, then one column per
category, headed with the table's dimensions and the category in each, such as
`Sex: Female; Age: Aged 20 to 24 years; measures: Value` (TS009),
`Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi` (TS021, TS022),
`Disability: Disabled under the Equality Act` (TS038) or
`Provision of unpaid care: Provides 19 hours or less unpaid care a week` (TS039).

What is read: sex (the "Age: Total" columns of TS009), age (the "Sex: All persons"
columns), ethnic group, disability and unpaid care, each category in the census's own
wording (a total is kept as "Total"). Columns that cross two dimensions (female and aged
20 to 24) are not needed for reach and are passed over. The table is told by the file's
name where it says (ts009), else by its dimensions.

The whole file is checked before anything is stored; the first problem raises
ImportFileError naming the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import open_reader
from engage.places.loaders import AREA_CODE
from engage.places.models import CensusDimension

_TABLE_IN_NAME = re.compile(r"ts0\d\d[a-z]?", re.IGNORECASE)
# The census's name of a dimension -> ours.
_DIMENSIONS = {
    "sex": CensusDimension.SEX,
    "age": CensusDimension.AGE,
    "ethnic group": CensusDimension.ETHNIC_GROUP,
    "disability": CensusDimension.DISABILITY,
    "provision of unpaid care": CensusDimension.UNPAID_CARE,
}
_TABLE_OF = {
    CensusDimension.SEX: "TS009",
    CensusDimension.AGE: "TS009",
    CensusDimension.ETHNIC_GROUP: "TS021",
    CensusDimension.DISABILITY: "TS038",
    CensusDimension.UNPAID_CARE: "TS039",
}
TOTAL = "Total"
_ALL = {"all persons", "total"}  # the "whole of this dimension" category of a crossed table


@dataclass(frozen=True)
class CensusColumn:
    heading: str
    dimension: str
    category: str


@dataclass(frozen=True)
class CensusCountRow:
    area_code: str
    dimension: str
    category: str
    count: int


@dataclass(frozen=True)
class CensusFile:
    table: str
    areas: int
    dimensions: dict[str, int]  # dimension -> categories read
    rows: list[CensusCountRow]


def _parts(heading: str) -> dict[str, str]:
    """{"sex": "Female", "age": "Aged 20 to 24 years"} for a heading, the measure left out."""
    found: dict[str, str] = {}
    for part in heading.split(";"):
        name, _, category = part.partition(":")
        name, category = " ".join(name.split()).casefold(), " ".join(category.split())
        if name == "measures" or not category:
            continue
        found[name] = category
    return found


def _columns(heading: str) -> list[CensusColumn]:
    """What a column counts: nothing for a column reach does not need, and the total of
    each dimension for the table's grand total (TS009's "All persons; Total")."""
    parts = _parts(heading)
    known = {name: category for name, category in parts.items() if name in _DIMENSIONS}
    if not known or len(known) != len(parts):
        return []
    specific = {name: category for name, category in known.items() if category.casefold() not in _ALL}
    if len(specific) > 1:
        return []  # crossed: female and aged 20 to 24
    if not specific:
        return [CensusColumn(heading, _DIMENSIONS[name], TOTAL) for name in known]
    name, category = next(iter(specific.items()))
    if category.casefold().startswith("total"):
        category = TOTAL
    return [CensusColumn(heading, _DIMENSIONS[name], category)]


def read_census_file(path: Path, *, file_name: str) -> CensusFile:
    """Every count of the file, checked; see the module's notes."""
    with open_reader(path, file_name=file_name) as reader:
        by_name = {" ".join(h.split()).casefold(): h for h in reader.headings}
        code_heading = by_name.get("geography code")
        if code_heading is None:
            raise ImportFileError(
                "This is not a Census 2021 bulk table: it has no 'geography code' column. Load one of the CSV "
                "files inside the bulk zip of TS009, TS021, TS022, TS038 or TS039.",
                file_name=file_name,
            )
        columns = [column for heading in reader.headings for column in _columns(heading)]
        if not columns:
            raise ImportFileError(
                "This census table has no columns for sex, age, ethnic group, disability or unpaid care. "
                "Load TS009, TS021, TS022, TS038 or TS039.",
                file_name=file_name,
            )
        rows: list[CensusCountRow] = []
        areas: dict[str, int] = {}
        for line, cells in reader.rows():
            code = cells[code_heading].strip().upper()
            if not AREA_CODE.fullmatch(code):
                raise ImportFileError(
                    f"{code or 'The cell'!r} is not an area code such as E01000001 or E08000027."
                    if code
                    else "The cell is empty: it should hold the area's code, such as E01000001.",
                    file_name=file_name,
                    line=line,
                    column=code_heading,
                )
            if code in areas:
                raise ImportFileError(
                    f"{code} is in the file twice (first on line {areas[code]}).",
                    file_name=file_name,
                    line=line,
                    column=code_heading,
                )
            areas[code] = line
            for column in columns:
                text = cells[column.heading].replace(",", "").strip()
                if not text.isdigit():
                    problem = f"{text!r} is not a whole number" if text else "The cell is empty"
                    raise ImportFileError(
                        f"{problem}: it should hold how many people, such as 1520.",
                        file_name=file_name,
                        line=line,
                        column=column.heading,
                    )
                rows.append(CensusCountRow(code, column.dimension, column.category, int(text)))
    dimensions: dict[str, int] = {}
    for column in columns:
        dimensions[column.dimension] = dimensions.get(column.dimension, 0) + (column.category != TOTAL)
    named = _TABLE_IN_NAME.search(Path(file_name).stem)
    table = named[0].upper() if named else _TABLE_OF[CensusDimension(columns[0].dimension)]
    return CensusFile(table=table, areas=len(areas), dimensions=dimensions, rows=rows)
