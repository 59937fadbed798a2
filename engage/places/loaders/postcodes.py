"""Reading a postcode lookup as ONS publishes it: the ONS Postcode Directory (ONSPD), the
National Statistics Postcode Lookup (NSPL), or the postcode to OA, LSOA, MSOA and LAD
lookup, whole or filtered to some local authorities (`filter_postcode_file`).

Each names its columns a little differently (`pcds` or `pcd7`; `oslaua`, `laua` or
`ladcd`; `lsoa21` or `lsoa21cd`), so each value is found by any of its known names,
ignoring case. A file needs a postcode column and at least one LSOA column (2011 or
2021); the ward, local authority and termination date are read where there are columns
for them. Terminated postcodes are kept, with the date they ended.

A file without the columns is refused with its name and what is missing. Within a good
file a row whose postcode is not one is skipped and counted (the first few lines are
named in the load's note), so one odd line does not refuse 2.7 million good ones.
ONS's pseudo-codes for "no such area" (E99999999 and the like) are read as blank.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import open_reader
from engage.places.postcode_format import full_postcode

# The full ONSPD is about 1.5 GB and 2.7 million rows.
SIZE_LIMIT = 4 * 1024**3
ROW_LIMIT = 5_000_000
ProgressCallback = Callable[[int, int], None]

_NAMES = {
    "postcode": ("pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode"),
    "lsoa_2011": ("lsoa11", "lsoa11cd"),
    "lsoa_2021": ("lsoa21", "lsoa21cd"),
    "ward_code": ("osward", "ward", "wd24cd", "wd23cd", "wd22cd", "wd21cd"),
    "local_authority_code": ("oslaua", "laua", "ladcd", "lad24cd", "lad23cd", "lad22cd", "lad21cd"),
    "terminated": ("doterm",),
}
_AREA_CODE = re.compile(r"[A-Z][0-9]{8}")
_PSEUDO = re.compile(r"[A-Z]99999999")


@dataclass(frozen=True)
class PostcodeRow:
    postcode: str
    lsoa_2011: str
    lsoa_2021: str
    ward_code: str
    local_authority_code: str
    terminated: str


@dataclass
class Skipped:
    count: int = 0
    first_lines: list[int] = field(default_factory=list)

    def add(self, line: int) -> None:
        self.count += 1
        if len(self.first_lines) < 5:
            self.first_lines.append(line)


def _find_columns(headings: list[str], *, file_name: str) -> dict[str, str]:
    by_name = {heading.strip().casefold(): heading for heading in headings}
    found = {}
    for value, names in _NAMES.items():
        heading = next((by_name[name] for name in names if name in by_name), None)
        if heading is not None:
            found[value] = heading
    if "postcode" not in found or not ({"lsoa_2011", "lsoa_2021"} & found.keys()):
        lacking = "a postcode column (pcds, pcd or pcd7)" if "postcode" not in found else ""
        if not ({"lsoa_2011", "lsoa_2021"} & found.keys()):
            lacking += (" and " if lacking else "") + "an LSOA column (lsoa21 or lsoa11, or lsoa21cd)"
        raise ImportFileError(
            f"This is not a postcode lookup: it lacks {lacking}. Load the ONS Postcode Directory, the "
            "National Statistics Postcode Lookup, or the ONS postcode to OA, LSOA, MSOA and LAD lookup, "
            "as CSV.",
            file_name=file_name,
        )
    return found


def _area(text: str) -> str:
    code = text.strip().upper()
    return code if _AREA_CODE.fullmatch(code) and not _PSEUDO.fullmatch(code) else ""


def read_postcode_file(
    path: Path, *, file_name: str, skipped: Skipped, on_progress: ProgressCallback | None = None
) -> Iterator[PostcodeRow]:
    """The file's postcodes, one by one (a postcode directory does not fit in memory
    twice over); rows that are not postcodes go to `skipped`."""
    total = max(path.stat().st_size // 250, 1)  # about 250 bytes a row in the ONSPD
    with open_reader(path, file_name=file_name, size_limit=SIZE_LIMIT, row_limit=ROW_LIMIT) as reader:
        columns = _find_columns(reader.headings, file_name=file_name)
        get = {value: columns.get(value) for value in _NAMES}
        read = 0
        for line, cells in reader.rows():
            read += 1
            postcode = full_postcode(cells[columns["postcode"]])
            if not postcode:
                skipped.add(line)
                continue
            yield PostcodeRow(
                postcode=postcode,
                lsoa_2011=_area(cells[get["lsoa_2011"]]) if get["lsoa_2011"] else "",
                lsoa_2021=_area(cells[get["lsoa_2021"]]) if get["lsoa_2021"] else "",
                ward_code=_area(cells[get["ward_code"]]) if get["ward_code"] else "",
                local_authority_code=_area(cells[get["local_authority_code"]])
                if get["local_authority_code"]
                else "",
                terminated="".join(ch for ch in cells[get["terminated"]] if ch.isdigit())[:6]
                if get["terminated"]
                else "",
            )
            if on_progress is not None and read % 50_000 == 0:
                on_progress(read, max(total, read))


def filter_postcode_file(
    source: Path, target: Path, *, local_authorities: set[str], file_name: str
) -> tuple[int, int]:
    """Copy the rows of the postcode lookup at `source` whose local authority is one of
    `local_authorities` to `target` (CSV, the same columns); returns (rows read, rows
    kept). For a partnership that wants only its own area's postcodes."""
    wanted = {code.strip().upper() for code in local_authorities}
    with open_reader(source, file_name=file_name, size_limit=SIZE_LIMIT, row_limit=ROW_LIMIT) as reader:
        columns = _find_columns(reader.headings, file_name=file_name)
        if "local_authority_code" not in columns:
            raise ImportFileError(
                "This postcode lookup has no local authority column (oslaua, laua or ladcd), so it cannot be "
                "filtered by local authority.",
                file_name=file_name,
            )
        authority = columns["local_authority_code"]
        read = kept = 0
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(reader.headings)
            for _line, cells in reader.rows():
                read += 1
                if cells[authority].strip().upper() in wanted:
                    writer.writerow([cells[heading] for heading in reader.headings])
                    kept += 1
    return read, kept
