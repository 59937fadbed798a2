"""Reading the ward to local authority district lookup as the ONS Open Geography Portal
publishes it, in CSV: one row a ward, such as

    WD24CD,WD24NM,WD24NMW,LAD24CD,LAD24NM,LAD24NMW,ObjectId
    E05001229,Amblecote,,E08000027,Dudley,,1

The year in the headings changes with each edition (WD23CD, WD25CD), and some downloads
spell them in lower case, so headings are matched by their pattern, ignoring case;
where a file holds more than one edition's columns, the latest is read. The Welsh
names and the row number are not needed and are ignored.

The lookup is the partnership's list of wards, and its list of local authority
districts to choose its place from, so the whole file is checked before anything is
returned: the first problem raises ImportFileError naming the file, the line and the
column. A ward twice, a code that is not a ward's or a district's, a district under two
names, or a file whose lines are in two encodings is refused, since any of them would
put wrong areas in front of every partner.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import CsvReader, open_reader, refuse_mixed_encodings

# The national lookup has about 9,000 wards (7,000 of them in England).
SIZE_LIMIT = 50 * 1024**2
ROW_LIMIT = 100_000
ProgressCallback = Callable[[int, int], None]

# GSS codes: England E05 (ward) and E06 to E09 (unitary, district, metropolitan
# district, London borough); Wales W05 and W06; Scotland S13 and S12; Northern Ireland
# N08 and N09.
WARD_CODE = re.compile(r"(E05|W05|S13|N08)\d{6}")
DISTRICT_CODE = re.compile(r"(E0[6-9]|W06|S12|N09)\d{6}")
_HEADINGS = {
    "ward_code": re.compile(r"wd(\d\d)cd"),
    "ward_name": re.compile(r"wd(\d\d)nm"),
    "district_code": re.compile(r"lad(\d\d)cd"),
    "district_name": re.compile(r"lad(\d\d)nm"),
}
_EXAMPLE = {
    "ward_code": "WD24CD",
    "ward_name": "WD24NM",
    "district_code": "LAD24CD",
    "district_name": "LAD24NM",
}


@dataclass(frozen=True)
class WardRow:
    code: str
    name: str
    local_authority_code: str
    local_authority_name: str


@dataclass(frozen=True)
class WardFile:
    edition: str  # the wards' heading, such as WD24CD
    rows: list[WardRow]


def _columns(headings: list[str], *, file_name: str) -> dict[str, str]:
    """Each value's heading: the latest edition's where there are several."""
    found: dict[str, tuple[int, str]] = {}
    for heading in headings:
        for value, pattern in _HEADINGS.items():
            matched = pattern.fullmatch(heading.strip().casefold())
            if matched and (value not in found or int(matched[1]) > found[value][0]):
                found[value] = (int(matched[1]), heading)
    missing = [_EXAMPLE[value] for value in _HEADINGS if value not in found]
    if missing:
        raise ImportFileError(
            "This is not the ONS ward to local authority district lookup: it has no column "
            f"{', '.join(repr(name) for name in missing)} (the year may be any, such as WD23CD). "
            "Download 'Ward to Local Authority District Lookup' from the ONS Open Geography Portal "
            "as CSV.",
            file_name=file_name,
        )
    return {value: heading for value, (_, heading) in found.items()}


@dataclass
class _Checked:
    """What the rows read so far hold, to refuse a ward twice or a district renamed."""

    columns: dict[str, str]
    file_name: str
    rows: list[WardRow] = field(default_factory=list)
    ward_lines: dict[str, int] = field(default_factory=dict)
    district_names: dict[str, tuple[str, int]] = field(default_factory=dict)

    def fail(self, line: int, column: str, message: str) -> ImportFileError:
        return ImportFileError(message, file_name=self.file_name, line=line, column=self.columns[column])

    def add(self, line: int, cells: dict[str, str]) -> None:
        values = {name: cells[heading].strip() for name, heading in self.columns.items()}
        code = values["ward_code"].upper()
        district = values["district_code"].upper()
        for column, text, pattern, example in (
            ("ward_code", code, WARD_CODE, "a ward's, such as E05001229"),
            ("district_code", district, DISTRICT_CODE, "a local authority district's, such as E08000027"),
        ):
            if not text:
                raise self.fail(line, column, f"The cell is empty: it should hold a code, {example}.")
            if not pattern.fullmatch(text):
                raise self.fail(
                    line, column, f"{text!r} is not {example.replace(', such as', ' code, such as')}."
                )
        for column in ("ward_name", "district_name"):
            if not values[column]:
                raise self.fail(line, column, "The cell is empty: it should hold the area's name.")
        if code in self.ward_lines:
            raise self.fail(
                line,
                "ward_code",
                f"The ward {code} is in the file twice (first on line {self.ward_lines[code]}).",
            )
        self.ward_lines[code] = line
        name = values["district_name"][:100]
        known = self.district_names.setdefault(district, (name, line))
        if known[0] != name:
            raise self.fail(
                line,
                "district_name",
                f"{district} is called {name!r} here but {known[0]!r} on line {known[1]}; "
                "a district has one name in a lookup.",
            )
        self.rows.append(
            WardRow(
                code=code,
                name=values["ward_name"][:120],
                local_authority_code=district,
                local_authority_name=name,
            )
        )


def read_ward_file(path: Path, *, file_name: str, on_progress: ProgressCallback | None = None) -> WardFile:
    """Every ward of the file, checked; see the module's notes."""
    if path.suffix.lower() != ".csv":
        raise ImportFileError(
            "The ward lookup must be the CSV the ONS publishes (a file ending .csv).", file_name=file_name
        )
    total = max(path.stat().st_size // 60, 1)  # about 60 bytes a row
    with open_reader(path, file_name=file_name, size_limit=SIZE_LIMIT, row_limit=ROW_LIMIT) as reader:
        assert isinstance(reader, CsvReader)  # noqa: S101 - the suffix is checked above
        checked = _Checked(columns=_columns(reader.headings, file_name=file_name), file_name=file_name)
        for line, cells in reader.rows():
            refuse_mixed_encodings(reader)
            checked.add(line, cells)
            if on_progress is not None and len(checked.rows) % 2000 == 0:
                on_progress(len(checked.rows), max(total, len(checked.rows)))
        refuse_mixed_encodings(reader)  # the last line may be the first in another encoding
    return WardFile(edition=checked.columns["ward_code"].strip().upper(), rows=checked.rows)
