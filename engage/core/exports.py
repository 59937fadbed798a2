"""Spreadsheet-safe CSV and Excel. A cell that starts with = + - @ (or a tab or carriage
return) would be run as a formula by Excel or LibreOffice, so it is prefixed with a
quote; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An Excel workbook of one sheet: the header frozen at the top, text cells guarded
    against formulas, each column as wide as its heading (at least 12 characters)."""
    import openpyxl  # noqa: PLC0415 - openpyxl takes a while to load; only Excel downloads need it
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - as above

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([neutralise_cell(cell) for cell in header])
    for row in rows:
        sheet.append(
            [neutralise_cell(cell) if isinstance(cell, str) or cell is None else cell for cell in row]
        )
    sheet.freeze_panes = "A2"
    for number, heading in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, len(heading) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
