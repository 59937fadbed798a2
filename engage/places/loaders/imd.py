"""Reading the English Indices of Deprivation "File 7" (scores, ranks, deciles and
population denominators, by LSOA), as the Ministry publishes it, in CSV or Excel.

The edition is told by the LSOA column: "LSOA code (2021)" is the 2025 edition (33,755
LSOAs), "LSOA code (2011)" the 2019 edition (32,844). The file has dozens of columns;
only the Index of Multiple Deprivation's and the population's are read. Headings are
matched ignoring case and spacing, and the year in the local authority and population
headings may be any (they change between editions).

The whole file is checked before anything is stored: the first problem raises
ImportFileError naming the file, the line and the column, so a person can find it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import open_reader
from engage.places.models import ImdEdition

_LSOA_CODE = re.compile(r"E01\d{6}")
LSOA_COUNTS = {ImdEdition.IOD_2025: 33_755, ImdEdition.IOD_2019: 32_844}
ProgressCallback = Callable[[int, int], None]


def _key(heading: str) -> str:
    return " ".join(heading.casefold().split())


# What each value is called in the file, as a pattern over the normalised heading.
_COLUMNS = {
    "lsoa_code": re.compile(r"lsoa code \((2011|2021)\)"),
    "lsoa_name": re.compile(r"lsoa name \((2011|2021)\)"),
    "local_authority_code": re.compile(r"local authority district code \(\d{4}\)"),
    "local_authority_name": re.compile(r"local authority district name \(\d{4}\)"),
    "imd_score": re.compile(r"index of multiple deprivation \(imd\) score"),
    "imd_rank": re.compile(r"index of multiple deprivation \(imd\) rank \(where 1 is most deprived\)"),
    "imd_decile": re.compile(
        r"index of multiple deprivation \(imd\) decile \(where 1 is most deprived 10% of lsoas\)"
    ),
    "population": re.compile(r"total population: mid \d{4} \(excluding prisoners\)"),
}
_NAMES = {
    "lsoa_code": "LSOA code (2021)",
    "lsoa_name": "LSOA name (2021)",
    "local_authority_code": "Local Authority District code (2024)",
    "local_authority_name": "Local Authority District name (2024)",
    "imd_score": "Index of Multiple Deprivation (IMD) Score",
    "imd_rank": "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "imd_decile": "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
    "population": "Total population: mid 2022 (excluding prisoners)",
}


@dataclass(frozen=True)
class ImdRow:
    lsoa_code: str
    lsoa_name: str
    local_authority_code: str
    local_authority_name: str
    imd_score: float
    imd_rank: int
    imd_decile: int
    population: int


@dataclass(frozen=True)
class ImdFile:
    edition: str
    rows: list[ImdRow]


def _columns(headings: list[str], *, file_name: str) -> tuple[dict[str, str], str]:
    """Each value's heading in this file, and the edition the LSOA column says."""
    found: dict[str, str] = {}
    for heading in headings:
        for field, pattern in _COLUMNS.items():
            if field not in found and pattern.fullmatch(_key(heading)):
                found[field] = heading
    missing = [_NAMES[field] for field in _COLUMNS if field not in found]
    if missing:
        raise ImportFileError(
            "This is not the Indices of Deprivation File 7 of scores, ranks, deciles and population "
            f"denominators: it has no column {', '.join(repr(name) for name in missing)}. "
            "Load the file called 'File 7: all ranks, deciles and scores for the indices of deprivation, "
            "and population denominators'.",
            file_name=file_name,
        )
    lsoa_year = _COLUMNS["lsoa_code"].fullmatch(_key(found["lsoa_code"]))
    edition = ImdEdition.IOD_2025 if lsoa_year and lsoa_year[1] == "2021" else ImdEdition.IOD_2019
    return found, edition


def _number(text: str) -> float:
    return float(text.replace(",", "").strip())


def read_imd_file(path: Path, *, file_name: str, on_progress: ProgressCallback | None = None) -> ImdFile:
    """Every row of the file, checked; see the module's notes."""
    with open_reader(path, file_name=file_name) as reader:
        columns, edition = _columns(reader.headings, file_name=file_name)
        largest_rank = LSOA_COUNTS[ImdEdition(edition)]
        rows: list[ImdRow] = []
        seen: dict[str, int] = {}

        def fail(line: int, field: str, message: str) -> ImportFileError:
            return ImportFileError(message, file_name=file_name, line=line, column=columns[field])

        for line, cells in reader.rows():
            code = cells[columns["lsoa_code"]].strip().upper()
            if not code:
                raise fail(
                    line, "lsoa_code", "The cell is empty: it should hold an LSOA code, such as E01000001."
                )
            if not _LSOA_CODE.fullmatch(code):
                raise fail(line, "lsoa_code", f"{code!r} is not an LSOA code in England, such as E01000001.")
            if code in seen:
                raise fail(line, "lsoa_code", f"{code} is in the file twice (first on line {seen[code]}).")
            seen[code] = line
            values: dict[str, float] = {}
            for field in ("imd_score", "imd_rank", "imd_decile", "population"):
                text = cells[columns[field]]
                try:
                    values[field] = _number(text)
                except ValueError:
                    problem = f"{text.strip()!r} is not a number." if text.strip() else "The cell is empty."
                    raise fail(line, field, f"{problem} It should hold a number.") from None
            if not (values["imd_decile"].is_integer() and 1 <= values["imd_decile"] <= 10):
                raise fail(
                    line,
                    "imd_decile",
                    f"The decile {values['imd_decile']:g} is not a whole number from 1 to 10.",
                )
            if not (values["imd_rank"].is_integer() and 1 <= values["imd_rank"] <= largest_rank):
                raise fail(
                    line,
                    "imd_rank",
                    f"The rank {values['imd_rank']:g} is not a whole number from 1 to {largest_rank:,}.",
                )
            if not (values["population"].is_integer() and values["population"] >= 0):
                raise fail(
                    line, "population", f"The population {values['population']:g} is not a whole number."
                )
            rows.append(
                ImdRow(
                    lsoa_code=code,
                    lsoa_name=cells[columns["lsoa_name"]].strip()[:100],
                    local_authority_code=cells[columns["local_authority_code"]].strip().upper()[:9],
                    local_authority_name=cells[columns["local_authority_name"]].strip()[:100],
                    imd_score=values["imd_score"],
                    imd_rank=int(values["imd_rank"]),
                    imd_decile=int(values["imd_decile"]),
                    population=int(values["population"]),
                )
            )
            if on_progress is not None and len(rows) % 5000 == 0:
                on_progress(len(rows), largest_rank)
    return ImdFile(edition=edition, rows=rows)
