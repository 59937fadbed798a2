"""Refusing a hostile Excel workbook before openpyxl opens it.

An .xlsx file is a zip of XML parts. openpyxl, even in read-only mode, reads some of
them whole: the shared strings (the text of every cell), the styles, the workbook
part, the manifest ([Content_Types].xml), the relationships and the document
properties. It streams the worksheets, but keeps a small element for every row it has
read, and every element outside the rows with all it holds. So a file of a few
megabytes can make it hold gigabytes: a zip that unpacks hundreds of times over, a
million shared strings, entity declarations that expand without end ("billion
laughs"), or elements nested millions deep.

`check_workbook` looks first. It reads the end of the zip's central directory itself
(counting the parts before zipfile makes an object of each), refuses too many parts,
too much unpacked in all, a part packed like a zip bomb, and parts that overlap. Then
it works out, as openpyxl does (openpyxl/reader/excel.py), which part openpyxl reads
how: the manifest names the shared strings and the workbook part, and the workbook's
relationships and its <sheets> name the worksheets; a part given two roles is refused.
Each part openpyxl will read is unpacked a megabyte at a time through a decompressor
that stops one byte past the size the directory declares, is refused if it holds more
or less than that or fails its checksum, and is counted by workbook_parts.py: what
openpyxl would hold of the parts read whole, added up, and of the largest worksheet,
must stay within the memory budget (MEMORY_BUDGET, or the caller's).

The count is an upper bound: measured use is half to nearly all of it (nearly all for
text wide enough to take four bytes a character). With the interpreter, Django and
openpyxl themselves (70 to 90 MB), a workbook that passes keeps bench/hostile_xlsx.py's
reading process under 300 MB; workbooks built to the budget peak at about 240 MB. A
refused workbook can still be imported saved as CSV, read a line at a time whatever its
size.
"""

from __future__ import annotations

import functools
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn
from xml.parsers import expat

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.workbook_parts import (
    MIB,
    TEXT_COST,
    Collector,
    SheetScan,
    XmlPartScan,
    local_name,
)

# --- Limits -------------------------------------------------------------------------

MAX_MEMBERS = 5_000  # parts in the zip; a busy workbook has a few hundred
MAX_DIRECTORY_BYTES = 2 * MIB  # the central directory zipfile reads whole
MAX_UNPACKED_BYTES = 2 * 1024 * MIB  # all parts together, as the directory declares them
# Unpacked / packed. Sheets pack 5 to 50 times (measured: a value repeated down 300,000
# rows as Excel, LibreOffice and openpyxl write it, 9 to 43); XML repeated without row
# numbers packs about 400 times, and a run of one byte about 1,030 (deflate's most).
MAX_RATIO = 100
RATIO_FLOOR = 4 * MIB  # smaller parts may pack as they like: the memory budget holds them
MAX_ELEMENTS = 10_000_000  # in a part read whole: openpyxl takes minutes over more
# What openpyxl may be estimated to hold; ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES changes it.
MEMORY_BUDGET = 192 * MIB

# --- What openpyxl reads (openpyxl.xml.constants) ------------------------------------

CONTENT_TYPES = "[Content_Types].xml"
FIXED_PARTS = (
    "xl/workbook.xml",
    "xl/styles.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
    "xl/theme/theme1.xml",
)
_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.%s+xml"
SHARED_STRINGS_TYPE = _SPREADSHEET % "sharedStrings"
WORKBOOK_TYPES = (  # in the order openpyxl looks for them
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    _SPREADSHEET % "sheet.main",
)

WHOLE, STRINGS, SHEET = "whole", "strings", "sheet"
_WHAT = {WHOLE: "one of its parts", STRINGS: "the text of its cells", SHEET: "a worksheet"}
_CHUNK = MIB
_XML_CHUNK = 64 * 1024


def check_workbook(path: Path, *, file_name: str, memory_budget: int | None = None) -> None:
    """Raise ImportFileError, naming `file_name` and what is wrong, if the workbook at
    `path` is damaged, or built to exhaust the memory or time of whoever opens it.
    `memory_budget` is what openpyxl may be estimated to hold (MEMORY_BUDGET if None).

    A workbook that passed is not checked again while it is unchanged: an import opens
    its file several times (preview, headings, row estimate, the run itself)."""
    stat = path.stat()
    budget = MEMORY_BUDGET if memory_budget is None else memory_budget
    _check_once((str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino), file_name, budget)


@functools.lru_cache(maxsize=16)
def _check_once(file: tuple[str, int, int, int], file_name: str, budget: int) -> None:
    """The check, remembered for a file (path, size, modified time, inode) that passed."""
    with open(file[0], "rb") as stream:
        _Guard(stream, size=file[1], file_name=file_name, budget=budget).run()


# --- The zip, read without trusting it ---------------------------------------------


@dataclass
class _Part:
    info: zipfile.ZipInfo
    data_start: int


@dataclass
class _Roles:
    by_name: dict[str, str] = field(default_factory=dict)

    def give(self, name: str, role: str, refuse: Callable[[str], NoReturn]) -> None:
        held = self.by_name.setdefault(name, role)
        if held != role:
            refuse(
                f"Its part {name} is used both as {_WHAT[held]} and as {_WHAT[role]}, which Excel never "
                "does, so the file was not opened. Open it in Excel and save it again."
            )


class _Guard:
    def __init__(self, stream: IO[bytes], *, size: int, file_name: str, budget: int) -> None:
        self.stream = stream
        self.budget = budget
        self.size = size
        self.file_name = file_name
        self.parts: dict[str, _Part] = {}
        self.whole_cost = 0
        self.chartsheets = False

    def refuse(self, message: str) -> NoReturn:
        raise ImportFileError(message, file_name=self.file_name)

    def damaged(self, what: str) -> NoReturn:
        self.refuse(
            f"The file could not be opened as an Excel workbook: it is damaged or incomplete ({what}). "
            "Open it in Excel and save it again as .xlsx."
        )

    def run(self) -> None:
        try:
            self._check_directory()
            with zipfile.ZipFile(self.stream) as archive:
                self._check_members(archive.infolist())
            self._check_parts(self._roles())
        except ImportFileError:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            struct.error,
        ) as error:
            raise ImportFileError(
                "The file could not be opened as an Excel workbook: it may be damaged, incomplete, "
                "or another kind of zipped file. Open it in Excel and save it again as .xlsx.",
                file_name=self.file_name,
            ) from error

    def _check_directory(self) -> None:
        """Read the end of the central directory ourselves: zipfile reads the whole
        directory into memory, and makes an object of every entry, before anyone can
        count them."""
        tail_size = min(self.size, 22 + 65_535)
        self.stream.seek(self.size - tail_size)
        tail = self.stream.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            self.damaged("its list of contents is missing")
        _, _, _, _, entries, directory_size, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
        if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # Zip64: the true figures are elsewhere
            locator = self.size - tail_size + at - 20
            if locator < 0:
                self.damaged("its list of contents is incomplete")
            self.stream.seek(locator)
            signature, _, record, _ = struct.unpack("<4sLQL", self.stream.read(20))
            if signature != b"PK\x06\x07" or record > self.size - 56:
                self.damaged("its list of contents is incomplete")
            self.stream.seek(record)
            signature, *numbers = struct.unpack("<4sQ2H2L4Q", self.stream.read(56))
            if signature != b"PK\x06\x06":
                self.damaged("its list of contents is incomplete")
            entries, directory_size = numbers[6], numbers[7]
        if entries > MAX_MEMBERS or directory_size > MAX_DIRECTORY_BYTES:
            self.refuse(
                f"The workbook is made of more than {MAX_MEMBERS:,} parts, far more than a spreadsheet "
                "has, so it was not opened. Open it in Excel and save it again, or save it as CSV UTF-8."
            )

    def _check_members(self, members: list[zipfile.ZipInfo]) -> None:
        if len(members) > MAX_MEMBERS:
            self.refuse(
                f"The workbook is made of more than {MAX_MEMBERS:,} parts, far more than a spreadsheet "
                "has, so it was not opened. Open it in Excel and save it again, or save it as CSV UTF-8."
            )
        unpacked = sum(info.file_size for info in members)
        if unpacked > MAX_UNPACKED_BYTES:
            self.refuse(
                f"The workbook would unpack to {unpacked / MIB:,.0f} MB, more than the "
                f"{MAX_UNPACKED_BYTES / MIB:,.0f} MB a workbook may hold, so it was not opened. "
                "Save it as CSV UTF-8 and import that instead."
            )
        names = [info.filename for info in members]
        if len(set(names)) != len(names):
            self.damaged("two of its parts have the same name")
        end = 0
        for info in sorted(members, key=lambda info: info.header_offset):
            if info.flag_bits & 0x1:
                self.refuse(
                    "The workbook is encrypted. Remove its password in Excel, save it, and try again."
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self.damaged(f"its part {info.filename} is compressed in a way Excel never uses")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                self.refuse(
                    f"Its part {info.filename} unpacks to {info.file_size / max(info.compress_size, 1):,.0f} "
                    "times its packed size, where real workbooks pack 5 to 50 times. The file is built to "
                    "exhaust the computer that opens it (a zip bomb), so it was not opened."
                )
            # Parts that share packed data (overlap) are the other way to make a small
            # zip unpack to a great deal: each part must lie after the one before.
            if info.header_offset < end:
                self.damaged(f"its part {info.filename} overlaps another")
            self.stream.seek(info.header_offset)
            header = self.stream.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                self.damaged(f"its part {info.filename} is missing")
            name_size, extra_size = struct.unpack("<HH", header[26:30])
            data_start = info.header_offset + 30 + name_size + extra_size
            end = data_start + info.compress_size
            if end > self.size:
                self.damaged(f"its part {info.filename} is cut short")
            self.parts[info.filename] = _Part(info, data_start)

    def unpacked(self, name: str) -> Iterator[bytes]:
        """The part's bytes, a megabyte at a time, never more than its declared size."""
        part = self.parts[name]
        info = part.info
        self.stream.seek(part.data_start)
        left = info.compress_size
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
        produced = 0
        checksum = 0
        while True:
            if inflater is not None and inflater.unconsumed_tail:
                data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            elif left > 0:
                packed = self.stream.read(min(_CHUNK, left))
                if not packed:
                    self.damaged(f"its part {name} is cut short")
                left -= len(packed)
                data = packed if inflater is None else inflater.decompress(packed, _CHUNK)
            else:
                break
            produced += len(data)
            if produced > info.file_size:
                self.refuse(
                    f"Its part {name} holds more than the {info.file_size:,} bytes the workbook's list of "
                    "contents says, so the file is damaged or built to mislead, and was not opened."
                )
            checksum = zlib.crc32(data, checksum)
            if data:
                yield data
        if (inflater is not None and not inflater.eof) or produced != info.file_size:
            self.damaged(f"its part {name} is shorter than its list of contents says")
        if checksum != info.CRC:
            self.damaged(f"its part {name} fails its checksum")

    # --- Roles: which parts openpyxl reads, and how ----------------------------------

    def _roles(self) -> _Roles:
        """The parts openpyxl reads, found as it finds them. Where openpyxl would take
        the first of several candidates, every candidate is given the role."""
        roles = _Roles()
        if CONTENT_TYPES not in self.parts:
            self.refuse(
                "The file could not be opened as an Excel workbook: it is another kind of zipped file. "
                "Check you chose the right file, or open it in Excel and save it again as .xlsx."
            )
        strings: list[str] = []
        workbooks = ["xl/workbook.xml"]  # openpyxl's fallback

        def manifest_entry(depth: int, parent: str, element: str, attributes: dict[str, str]) -> None:
            if depth == 2 and element == "Override":
                kind, name = attributes.get("ContentType", ""), attributes.get("PartName", "")[1:]
                if kind == SHARED_STRINGS_TYPE:
                    strings.append(name)
                elif kind in WORKBOOK_TYPES:
                    workbooks.append(name)

        self._scan_xml(CONTENT_TYPES, WHOLE, collect=manifest_entry)
        for name in (CONTENT_TYPES, *FIXED_PARTS, *workbooks):
            roles.give(name, WHOLE, self.refuse)
        for name in strings:
            roles.give(name, STRINGS, self.refuse)
        for workbook in dict.fromkeys(workbooks):
            self._sheet_roles(workbook, roles)
        if self.chartsheets:
            # A chartsheet brings its drawings, charts and images with it: rather than
            # follow openpyxl there, count every part nobody else claims as read whole.
            for name in self.parts:
                roles.by_name.setdefault(name, WHOLE)
        return roles

    def _sheet_roles(self, workbook: str, roles: _Roles) -> None:
        """The workbook's sheets: each child of <sheets> names a relationship (by any
        attribute called id), and the relationship names the part."""
        relationships = _relationships_of(workbook)
        roles.give(relationships, WHOLE, self.refuse)
        if workbook not in self.parts or relationships not in self.parts:
            return
        ids: set[str] = set()

        def sheet_entry(depth: int, parent: str, element: str, attributes: dict[str, str]) -> None:
            if depth == 3 and parent == "sheets":
                ids.update(value for key, value in attributes.items() if local_name(key) == "id")

        self._scan_xml(workbook, WHOLE, collect=sheet_entry)
        targets: list[tuple[str, str]] = []

        def relationship(depth: int, parent: str, element: str, attributes: dict[str, str]) -> None:
            if depth == 2 and attributes.get("Id") in ids and attributes.get("TargetMode") != "External":
                targets.append(
                    (_resolve(relationships, attributes.get("Target", "")), attributes.get("Type", ""))
                )

        self._scan_xml(relationships, WHOLE, collect=relationship)
        for target, kind in targets:
            if target in self.parts:
                chartsheet = "chartsheet" in kind
                self.chartsheets = self.chartsheets or chartsheet
                roles.give(target, WHOLE if chartsheet else SHEET, self.refuse)
                roles.give(_relationships_of(target), WHOLE, self.refuse)

    def _check_parts(self, roles: _Roles) -> None:
        present = [(name, role) for name, role in roles.by_name.items() if name in self.parts]
        for name, role in present:
            if role != SHEET:
                self.whole_cost += self._scan_xml(name, role)
                if self.whole_cost > self.budget:
                    self.too_much_memory(name, role)
        for name, role in present:
            if role == SHEET:
                self._scan_sheet(name)

    def too_much_memory(self, name: str, role: str) -> NoReturn:
        self.refuse(
            f"Opening the workbook would take more than the {self.budget / MIB:,.0f} MB of memory one "
            f"import may use, because of {_WHAT[role]} ({name}). Save the sheet as CSV UTF-8 and import "
            "that instead: a CSV file is read a line at a time, whatever its size."
        )

    # --- Parts read whole --------------------------------------------------------

    def _scan_xml(self, name: str, role: str, *, collect: Collector | None = None) -> int:
        """What openpyxl would hold of a part it reads whole, in bytes. A part that is
        not XML at all (an image) is taken to be held as it is."""
        allowance = self.budget - self.whole_cost
        declared = self.parts[name].info.file_size
        text_cost = TEXT_COST * declared if role == WHOLE else 0
        if text_cost > allowance:
            self.too_much_memory(name, role)
        scan = XmlPartScan(name, strings=role == STRINGS, refuse=self.refuse, collect=collect)
        try:
            for data in self.unpacked(name):
                if scan.first and not _looks_like_xml(data):
                    return declared
                for start in range(0, len(data), _XML_CHUNK):
                    scan.feed(data[start : start + _XML_CHUNK])
                if scan.cost + text_cost > allowance:
                    self.too_much_memory(name, role)
                if scan.elements > MAX_ELEMENTS:
                    self.refuse(
                        f"Its part {name} holds more than {MAX_ELEMENTS:,} XML elements, more than an "
                        "import can take in reasonable time, so the file was not opened. Save the sheet "
                        "as CSV UTF-8 and import that instead."
                    )
            scan.close()
        except expat.ExpatError as error:
            self.damaged(f"its part {name} is not well-formed XML: {expat.ErrorString(error.code)}")
        if scan.cost + text_cost > allowance:
            self.too_much_memory(name, role)
        return scan.cost + text_cost

    # --- Worksheets --------------------------------------------------------------

    def _scan_sheet(self, name: str) -> None:
        allowance = self.budget - self.whole_cost
        scan = SheetScan(name, refuse=self.refuse)
        for data in self.unpacked(name):
            scan.feed(data)
            if scan.cost > allowance:
                self.too_much_memory(name, SHEET)
        scan.close()
        if scan.cost > allowance:
            self.too_much_memory(name, SHEET)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:64].lstrip(b" \t\r\n")
    return head.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<"))


def _relationships_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(relationships_part: str, target: str) -> str:
    """A relationship's target as openpyxl finds it (packaging/relationship.py)."""
    if target.startswith("/"):
        return target[1:]
    parent = posixpath.split(posixpath.dirname(relationships_part))[0]
    return posixpath.normpath(posixpath.join(parent, target))
