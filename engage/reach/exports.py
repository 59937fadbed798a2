"""The reach page's figures as a spreadsheet: one row per group of each dimension, then
one per ward. Every count in it is the published one the page shows (disclosure
control), and every cell goes through the formula guard of engage.core.exports."""

from __future__ import annotations

import io
from collections.abc import Sequence

from engage.core.exports import csv_text, neutralise_cell
from engage.reach.place_report import PlaceReport
from engage.reach.report import ReachReport

HEADER = (
    "Section",
    "Group or area",
    "Code",
    "Took part",
    "Share of those who answered (%)",
    "Residents",
    "Share of residents (%)",
    "Ratio",
    "Ratio, 95% interval from",
    "Ratio, 95% interval to",
    "Under-represented",
    "Per 1,000 residents",
)


def _number(value: float | None, places: int = 3) -> object:
    return "" if value is None else round(value, places)


def reach_rows(report: ReachReport, wards: PlaceReport | None) -> list[Sequence[object]]:
    rows: list[Sequence[object]] = [
        (
            "All conversations",
            "Conversations in the set",
            "",
            report.conversations.text,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        )
    ]
    for dimension in report.dimensions:
        title = dimension.dimension.title
        for row in dimension.rows:
            rows.append(
                (
                    title,
                    row.name,
                    "",
                    row.participants.text,
                    _number(None if row.participant_share is None else 100 * row.participant_share, 1),
                    row.population or "",
                    _number(None if row.population_share is None else 100 * row.population_share, 1),
                    _number(row.ratio),
                    _number(row.ratio_low),
                    _number(row.ratio_high),
                    "yes" if row.under_represented else "no" if row.ratio is not None else "",
                    "",
                )
            )
        rows.append((title, "Not known or preferred not to say", "", dimension.unknown.text, *[""] * 8))
        if dimension.dimension.census_dimension:
            rows.append((title, "Outside the census's categories", "", dimension.outside.text, *[""] * 8))
    if wards is not None:
        for area in wards.areas:
            rows.append(
                (
                    "Ward",
                    area.name,
                    area.code,
                    area.participants.text,
                    "",
                    area.population or "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    _number(area.rate, 1),
                )
            )
        rows.append(("Ward", "Elsewhere, or place not known", "", wards.elsewhere.text, *[""] * 8))
    return rows


def reach_csv(rows: list[Sequence[object]]) -> str:
    return csv_text(HEADER, rows)


def reach_workbook(rows: list[Sequence[object]]) -> bytes:
    """An Excel workbook of the same rows; text cells guarded against formulas."""
    import openpyxl  # noqa: PLC0415 - openpyxl takes a while to load; only Excel downloads need it

    book = openpyxl.Workbook()
    sheet = book.create_sheet("Reach", 0)
    book.remove(book.worksheets[1])
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append([neutralise_cell(cell) if isinstance(cell, str) else cell for cell in row])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKL", (20, 34, 12, 10, 14, 12, 14, 8, 10, 10, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
