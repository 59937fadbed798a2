"""Reading one cell of a file: the rules every import shares, each raising
`FieldProblem` with a sentence a person can act on.

Dates are read day first (15/03/2025, 15-03-2025, 15 March 2025, 15 Mar 2025) or as ISO
(2025-03-15). Month first (3/15/2025) is refused: 3/4/2025 could be either.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.utils import timezone

EARLIEST_YEAR = 1900


class FieldProblem(ValueError):
    """What is wrong with one field's value, as a sentence a person can act on."""


def cell_text(value: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    return value.strip()


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}")
_DAY_FIRST = re.compile(rf"(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_TIME}")
_WORDS = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_EXPECTED = "Write dates as day/month/year, such as 15/03/2025, or as 2025-03-15."


@functools.lru_cache(maxsize=8192)
def parse_date(value: str) -> dt.date:
    """A date from the ways people and spreadsheets write them; see the module's notes."""
    text = cell_text(value)
    lowered = text.casefold()
    if match := _ISO.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        if month > 12 and day <= 12:
            raise FieldProblem(
                f"The date {text!r} looks like month/day/year, which cannot be told apart from "
                f"day/month/year. {_EXPECTED}"
            )
    elif (match := _WORDS.fullmatch(lowered)) and match[2] in _MONTHS:
        day, month, year = int(match[1]), _MONTHS[match[2]], int(match[3])
    else:
        raise FieldProblem(f"The date {text!r} is not in a form that can be read. {_EXPECTED}")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise FieldProblem(f"There is no such date as {text!r}. {_EXPECTED}") from None
    if year < EARLIEST_YEAR or date > timezone.localdate() + dt.timedelta(days=366):
        raise FieldProblem(f"The date {text!r} is too far in the past or the future.")
    return date
