"""The rejected rows of an import as spreadsheet-safe CSV, for the report pages'
downloads and `engage import --rejections-csv`: where and why each row was refused, then
the row itself as the file had it (the rejection's `cells`: `[[heading, value], ...]`),
so a person can correct it in the spreadsheet and import it again. Every mapped import
(conversations, people) keeps its rejected rows in this shape. Every cell, the headings too, goes through
`neutralise_cell` (engage/core/exports.py): a value such as `=HYPERLINK(...)`, `+44`,
`-3` or `@SUM(...)` is written with a quote before it, so a spreadsheet shows it
rather than runs it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from engage.core.exports import neutralise_cell

HEADER = ("Line", "Column", "Reason")
BATCH = 2_000


def _headings(rejections: QuerySet[Any]) -> list[str]:
    """The file's headings, in its order: every row of a file has the same ones."""
    first = rejections.values_list("cells", flat=True).first()
    return [heading for heading, _ in first or []]


def rejected_rows_csv(rejections: QuerySet[Any]) -> Iterator[str]:
    """The CSV in pieces of BATCH rows, so that a file with many rejected rows is never
    held in memory whole."""
    headings = _headings(rejections)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise_cell(cell) for cell in (*HEADER, *headings)])
    rows = rejections.order_by("line", "id").values_list("line", "column", "reason", "cells")
    for count, (line, column, reason, cells) in enumerate(rows.iterator(chunk_size=BATCH), start=1):
        held = dict(cells or [])
        writer.writerow(
            [neutralise_cell(cell) for cell in (line, column, reason, *(held.get(h, "") for h in headings))]
        )
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


SHOWN_ON_THE_COMMAND_LINE = 20


def rejections_described(rejections: QuerySet[Any], count: int) -> Iterator[str]:
    """The lines a command prints about an import's rejected rows: the first
    SHOWN_ON_THE_COMMAND_LINE, each with its line, column and reason."""
    if not count:
        return
    shown = min(count, SHOWN_ON_THE_COMMAND_LINE)
    yield f"The first {shown} rejected rows:" if shown > 1 else "The rejected row:"
    for rejection in rejections[:SHOWN_ON_THE_COMMAND_LINE]:
        where = f"line {rejection.line}" + (f", column {rejection.column!r}" if rejection.column else "")
        yield f"  {where}: {rejection.reason}"


def rejected_rows_write(rejections: QuerySet[Any], path: Path) -> None:
    """Every rejected row to a CSV file (`--rejections-csv`), as rejected_rows_csv."""
    with path.open("w", newline="", encoding="utf-8") as out:
        for piece in rejected_rows_csv(rejections):
            out.write(piece)
