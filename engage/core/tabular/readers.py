"""Reading CSV and Excel (.xlsx) files as rows of text, in constant memory.

A reader yields `(line, {heading: text})` for every row that has anything in it. `line`
is the row number a spreadsheet shows for that row (the headings are line 1), so a
person can find a rejected row when they open the file. Nothing is read into memory
whole: CSV is decoded line by line and Excel is read with openpyxl's streaming mode.

CSV encodings: each line is decoded as UTF-8 and, where it is not valid UTF-8, as
Windows-1252 (what Excel on Windows writes). Files that mix the two, as files pasted
together from several sources do, read correctly; `fallback_lines` counts the lines
that needed Windows-1252, for the import report.
"""

from __future__ import annotations

import csv
import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NoReturn, Self

from django.conf import settings

from engage.core.tabular import workbook_guard
from engage.core.tabular.errors import ImportFileError

# A cell may be far longer than a comment may be (it is then rejected with its line);
# past this the file is taken to be broken, usually by a quote that is never closed.
CSV_CELL_LIMIT = 16 * 1024 * 1024

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}

_BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 16


def max_bytes() -> int:
    return int(settings.ENGAGE_IMPORT_MAX_BYTES)


def max_rows() -> int:
    return int(settings.ENGAGE_IMPORT_MAX_ROWS)


def workbook_memory_budget() -> int:
    """What openpyxl may be estimated to hold of one workbook (workbook_guard)."""
    return int(settings.ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES)


def _looks_like(head: bytes) -> str:
    """What the first bytes of a file say it is: 'zip', 'pdf', 'xls', 'utf16', 'binary' or 'text'."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    return "text"


_WHAT_IT_IS = {
    "zip": "an Excel workbook or other zipped file, not CSV text. Give it the name ending .xlsx, or save it as CSV",
    "pdf": "a PDF document, not a spreadsheet. Export the data from where it came as CSV or Excel (.xlsx)",
    "xls": "an old-style Excel (.xls) or Word file. Open it in Excel and save it as .xlsx or CSV UTF-8",
    "utf16": "text saved as UTF-16 ('Unicode text'). Save it as 'CSV UTF-8' instead",
    "binary": "not text: it holds binary data. Check you chose the right file",
    "text": "plain text (such as CSV), not an Excel workbook. Give it the name ending .csv",
}


class RowReader:
    """Base of the two readers: open with `open_reader`, use as a context manager."""

    file_name: str
    headings: list[str]
    fallback_lines: int = 0
    row_limit: int | None = None  # None: the import limit (ENGAGE_IMPORT_MAX_ROWS)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - overridden
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _error(self, message: str, *, line: int | None = None, column: str = "") -> ImportFileError:
        return ImportFileError(message, file_name=self.file_name, line=line, column=column)

    def _set_headings(self, cells: list[str]) -> None:
        """Headings, stripped; a repeated heading gets ' (2)', ' (3)' so no column is lost."""
        cleaned = [cell.replace("\ufeff", "").strip() for cell in cells]
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        if not cleaned:
            raise self._error("The first line is blank. It should hold the column headings.", line=1)
        seen: dict[str, int] = {}
        headings = []
        for heading in cleaned:
            count = seen.get(heading, 0) + 1
            seen[heading] = count
            headings.append(heading if count == 1 else f"{heading} ({count})")
        self.headings = headings

    def _limited(self, source: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows as dicts, blank rows skipped, the row limit applied; a file with headings
        and no rows is refused once it has been read to the end."""
        headings = self.headings
        width = len(headings)
        limit = self.row_limit or max_rows()
        count = 0
        for line, cells in source:
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > limit:
                raise self._error(
                    f"The file has more than {limit:,} rows, the most one import can take. "
                    "Split it into smaller files.",
                    line=line,
                )
            padded = cells + [""] * (width - len(cells)) if len(cells) < width else cells
            yield line, dict(zip(headings, padded, strict=False))
        if count == 0:
            raise self._error("The file has column headings but no rows below them.")


_DELIMITERS = (",", ";", "\t")


def _fields(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter), []))


def _delimiter(first: str, second: str | None) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab: the one that cuts the headings
    and the first row into the same number of cells, the most cells if several do.
    Counting characters in the headings alone is not enough: census headings such as
    "Sex: Female; Age: Total; measures: Value" hold more semicolons than the commas
    between them."""
    if second is not None:
        consistent = [d for d in _DELIMITERS if _fields(first, d) == _fields(second, d) > 1]
        if consistent:
            return max(consistent, key=lambda d: _fields(first, d))
    return max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","


class CsvReader(RowReader):
    def __init__(self, path: Path, *, file_name: str, headings: list[str] | None = None) -> None:
        """`headings` names the columns of a file that has no headings line (the NHS
        Organisation Data Service's files): its first line is then a row."""
        self.file_name = file_name
        # Lines not in UTF-8 are read as Windows text (Excel's "CSV" is); a loader that
        # must refuse a file in two encodings asks where the second began (mixed_at).
        self.fallback_lines = 0
        self.utf8_lines = 0  # lines beyond ASCII read as UTF-8
        self.mixed_at: int | None = None
        self._stream: IO[bytes] = path.open("rb")
        try:
            head = self._stream.read(8192)
            kind = _looks_like(head)
            if kind != "text":
                raise self._error(f"This file is called a CSV file but it is {_WHAT_IT_IS[kind]}.")
            self._stream.seek(0)
            if csv.field_size_limit() < CSV_CELL_LIMIT:
                csv.field_size_limit(CSV_CELL_LIMIT)
            self._lines = self._decoded_lines()
            first = next(self._lines, None)
            skipped = 0  # blank lines above the headings still count as lines
            while first is not None and not first.strip():
                skipped += 1
                first = next(self._lines, None)
            if first is None:
                raise self._error("The file is empty.")
            # The headings' line is read: a problem in the next one, peeked at below to
            # tell the delimiter, names that next line. Counting restarts below.
            self._record = skipped + 1
            second = next(self._lines, None)
            delimiter = _delimiter(first, second)
            self._reader = csv.reader(self._chain(first, second), delimiter=delimiter)
            self._record = skipped
            if headings is not None:
                self._set_headings(headings)
                return
            header = self._next_record()
            if header is None:  # pragma: no cover - first line exists, so there is a record
                raise self._error("The file is empty.")
            self._set_headings(header)
        except BaseException:
            self._stream.close()
            raise

    def _chain(self, first: str, second: str | None) -> Iterator[str]:
        yield first
        if second is not None:
            yield second
        yield from self._lines

    def _raw_lines(self) -> Iterator[bytes]:
        """Lines ending in \n, \r\n or \r (as old Mac exports have), read in chunks."""
        pending = b""
        while chunk := self._stream.read(_CHUNK):
            lines = (pending + chunk).splitlines(keepends=True)
            pending = lines.pop()
            if pending.endswith(b"\n"):  # complete; a lone \r may yet be followed by \n
                lines.append(pending)
                pending = b""
            elif len(pending) > CSV_CELL_LIMIT:
                raise self._error(
                    f"A line is longer than {CSV_CELL_LIMIT:,} characters, so the file cannot be read.",
                    line=self._record + 1,
                )
            yield from lines
        if pending:
            yield pending

    def _decoded_lines(self) -> Iterator[str]:
        for physical, raw in enumerate(self._raw_lines(), start=1):
            if physical == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]  # noqa: PLW2901 - the BOM is not part of the headings
            if b"\x00" in raw:
                raise self._error(
                    f"This file is called a CSV file but it is {_WHAT_IT_IS['binary']}.",
                    line=self._record + 1,
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.fallback_lines += 1
                if self.utf8_lines and self.mixed_at is None:
                    self.mixed_at = self._record + 1
                yield raw.decode("cp1252", errors="replace")
                continue
            if not text.isascii():
                self.utf8_lines += 1
                if self.fallback_lines and self.mixed_at is None:
                    self.mixed_at = self._record + 1
            yield text

    def _next_record(self) -> list[str] | None:
        try:
            record = next(self._reader, None)
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                reason = (
                    f"A cell is longer than {CSV_CELL_LIMIT:,} characters, so the file cannot be read. "
                    "A quoted cell may be missing its closing quote."
                )
            else:
                reason = f"The file could not be read as CSV ({error})."
            raise self._error(reason, line=self._record + 1) from error
        if record is not None:
            self._record += 1
        return record

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        def records() -> Iterator[tuple[int, list[str]]]:
            while (record := self._next_record()) is not None:
                yield self._record, record

        return self._limited(records())

    def close(self) -> None:
        self._stream.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


class ExcelReader(RowReader):
    """The first worksheet of a workbook, streamed (openpyxl read-only, cached values)."""

    def __init__(self, path: Path, *, file_name: str) -> None:
        self.file_name = file_name
        # Lines not in UTF-8 are read as Windows text (Excel's "CSV" is); a loader that
        # must refuse a file in two encodings asks where the second began (mixed_at).
        self.fallback_lines = 0
        self.utf8_lines = 0  # lines beyond ASCII read as UTF-8
        self.mixed_at: int | None = None
        with path.open("rb") as stream:
            kind = _looks_like(stream.read(8192))
        if kind == "text" and path.stat().st_size == 0:
            raise self._error("The file is empty.")
        if kind != "zip":
            raise self._error(f"This file is called an Excel file (.xlsx) but it is {_WHAT_IT_IS[kind]}.")
        # openpyxl reads parts of a workbook whole, even in read-only mode: a crafted one
        # is refused here, before openpyxl touches it.
        workbook_guard.check_workbook(path, file_name=self.file_name, memory_budget=workbook_memory_budget())
        import openpyxl  # noqa: PLC0415 - openpyxl takes a while to load; only Excel files need it

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # keep_links=False: external links hold copies of other workbooks' sheets,
                # read whole, and an import never needs them.
                self._book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception as error:
            raise self._error(
                "The file could not be opened as an Excel workbook: it may be damaged, incomplete, "
                "or another kind of zipped file. Open it in Excel and save it again as .xlsx."
            ) from error
        try:
            if not self._book.worksheets:
                raise self._error("The workbook has no worksheets.")
            # Forget the sheet's declared size: openpyxl pads every row out to it, so a
            # tiny sheet claiming A1:XFD1048576 would cost hours. Rows are read as they are.
            self._book.worksheets[0].reset_dimensions()
            self._rows = self._sheet_rows()
            first = next(self._rows, None)
            if first is None:
                raise self._error("The file is empty.")
            self._set_headings(first[1])
        except BaseException:
            self.close()
            raise

    def _sheet_rows(self) -> Iterator[tuple[int, list[str]]]:
        sheet = self._book.worksheets[0]
        line = 0
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield line, [_cell_text(value) for value in values]
        except ImportFileError:
            raise
        except Exception as error:
            raise self._error(
                "The workbook is damaged and could not be read past this row. Open it in Excel and save it again.",
                line=line + 1,
            ) from error

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.headings)
        return self._limited((line, cells[:width]) for line, cells in self._rows)

    def close(self) -> None:
        book = getattr(self, "_book", None)
        if book is not None:
            book.close()


def refuse_mixed_encodings(reader: RowReader) -> None:
    """For a loader that must not read a file in two encodings (a register's names would
    come out wrong on some lines): ImportFileError at the first line of the second."""
    line = getattr(reader, "mixed_at", None)
    if line is not None:
        raise ImportFileError(
            "This line is not in the encoding of the lines before it (one is UTF-8, the other Windows "
            "text), so its names would be read wrongly. Save the whole file as CSV UTF-8 and load it again.",
            file_name=reader.file_name,
            line=line,
        )


def open_reader(
    path: Path,
    *,
    file_name: str = "",
    size_limit: int | None = None,
    row_limit: int | None = None,
    headings: list[str] | None = None,
) -> RowReader:
    """A reader for the file at `path`; `file_name` (what the person called it) chooses
    the format and names the file in errors. Raises ImportFileError for a file that is
    too big, empty, of another kind than its name says, or unreadable. The limits are
    the import's (settings) unless given: reference files, such as the postcode
    directory, are far larger than any survey export. `headings`: see CsvReader."""
    name = file_name or path.name
    suffix = Path(name).suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportFileError("The file could not be found or opened.", file_name=name) from error
    limit = size_limit or max_bytes()
    if size > limit:
        raise ImportFileError(
            f"The file is {size / 1_048_576:,.1f} MB, more than the {limit / 1_048_576:,.0f} MB one import "
            "can take. Split it into smaller files.",
            file_name=name,
        )
    reader: RowReader
    if suffix in CSV_SUFFIXES:
        reader = CsvReader(path, file_name=name, headings=headings)
    elif suffix in EXCEL_SUFFIXES and headings is None:
        reader = ExcelReader(path, file_name=name)
    else:
        reader = _refuse(suffix, name)
    reader.row_limit = row_limit
    return reader


def _refuse(suffix: str, name: str) -> NoReturn:
    if suffix == ".xls":
        raise ImportFileError(
            "Old-style Excel files (.xls) cannot be read. Open it in Excel and save it as .xlsx or CSV UTF-8.",
            file_name=name,
        )
    raise ImportFileError(
        "Only CSV files (.csv) and Excel workbooks (.xlsx) can be imported.",
        file_name=name,
    )


def estimate_rows(path: Path, *, file_name: str = "") -> int:
    """A quick count of the rows below the headings, for the progress bar: the line
    breaks in a CSV file (a cell holding a line break counts twice), or the size an
    Excel sheet says it has. The exact count is known once the file has been read."""
    suffix = Path(file_name or path.name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        # refuses a crafted workbook before openpyxl touches it
        workbook_guard.check_workbook(
            path, file_name=file_name or path.name, memory_budget=workbook_memory_budget()
        )
        import openpyxl  # noqa: PLC0415 - openpyxl takes a while to load; only Excel files need it

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
            try:
                return max((book.worksheets[0].max_row or 1) - 1, 0)
            finally:
                book.close()
        except Exception:
            return 0
    breaks = 0
    last = b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            breaks += chunk.count(b"\n")
            last = chunk[-1:]
    if last and last != b"\n":
        breaks += 1
    return max(breaks - 1, 0)
