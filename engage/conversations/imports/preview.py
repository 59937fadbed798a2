"""How the first rows of a file will be read with a mapping, before anything is imported.

The step before an import starts shows the first rows as the import will read them:
the comment, the date, and the rating as the file gives it beside what the bank will
keep ("5 of 5, the best" read as "Very good (1)"), so a scale read the wrong way round
shows at a glance. It also counts, over the first READ_ROWS rows, how the comments'
words agree with their ratings (ratings.RatingCheck), to warn there and then; the
import itself counts over the whole file and stops before adding anything where they
look upside down (pipeline.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils import timezone

from engage.conversations.imports import cleaning
from engage.conversations.imports.mapping import resolve_mapping
from engage.conversations.imports.ratings import RatingCheck, RatingScale, read_as
from engage.core.tabular import cells
from engage.core.tabular.errors import ImportRowError
from engage.core.tabular.readers import open_reader

SHOWN_ROWS = 5
READ_ROWS = 2_000
SHOWN_CHARS = 200


@dataclass(frozen=True)
class ReadRow:
    line: int
    text: str
    occurred_on: dt.date | None
    rating_given: str  # such as "5 of 5, the best", or the cell as written
    rating_read_as: str  # such as "Very good (1)"
    problem: str = ""  # why the row would not be imported


@dataclass
class Reading:
    rows: list[ReadRow]
    scale: RatingScale | None  # None where no column holds ratings
    check: RatingCheck = field(default_factory=RatingCheck)
    rows_read: int = 0


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _given(cell: str, scale: RatingScale, cleaner: cleaning.RowCleaner) -> str:
    try:
        value = cleaning.parse_rating(
            cell, scale=cleaner.scale, no_rating=cleaner.no_rating, words=cleaner.words
        )
    except cells.FieldProblem:
        return cell.strip()
    if value is None:
        return f"{cell.strip()} (no rating)" if cell.strip() else "None given"
    given = scale.given(value)
    return given if cell.strip() == str(value) else f"{cell.strip()}: {given}"


def rows_as_read(
    path: Path, *, file_name: str, mapping: Mapping[str, Any], defaults: Mapping[str, Any]
) -> Reading:
    """The first rows of the file as the import will read them, and how the comments of
    its first READ_ROWS rows agree with their ratings. Raises ImportFileError where the
    file or the mapping cannot be used."""
    with open_reader(path, file_name=file_name) as reader:
        resolved = resolve_mapping(dict(mapping), reader.headings, file_name=file_name)
        cleaner = cleaning.RowCleaner(
            resolved=resolved, defaults=defaults, fallback_date=timezone.localdate()
        )
        rating_heading = resolved.columns.get("rating")
        scale = cleaner.rating_scale if rating_heading else None
        reading = Reading(rows=[], scale=scale)
        for line, row in islice(reader.rows(), READ_ROWS):
            reading.rows_read += 1
            cell = row.get(rating_heading, "") if rating_heading else ""
            try:
                values = cleaner.clean(line, row).values
            except ImportRowError as error:
                if len(reading.rows) < SHOWN_ROWS:
                    text = row.get(resolved.columns["text"], "")
                    reading.rows.append(
                        ReadRow(line, _short(text.strip()), None, cell.strip(), "", problem=error.reason)
                    )
                continue
            stored = values.get("rating")
            if scale is not None and stored is not None:
                reading.check.add(line=line, text=values["text"], given=cell, stored=stored)
            if len(reading.rows) < SHOWN_ROWS:
                reading.rows.append(
                    ReadRow(
                        line=line,
                        text=_short(values["text"]),
                        occurred_on=dt.date.fromisoformat(values["occurred_on"]),
                        rating_given=_given(cell, scale, cleaner) if scale is not None else "",
                        rating_read_as=read_as(stored) if scale is not None else "",
                    )
                )
    return reading
