"""Whole numbers from what a client typed or sent: the one parser every page, API and
command uses.

Python's `int()` is far more generous than a form should be: it reads "٣" (Arabic-Indic
three) and "³" passes `str.isdigit()` yet fails `int()`; it reads "+5", " 5 " and
"5_000"; and it reads numbers with thousands of digits, which no database column holds
(SQLite raises OverflowError on the query, PostgreSQL "integer out of range": both a 500
before this module). Here a whole number is one to nineteen ASCII digits, within the
bounds the caller gives; anything else is an `InvalidInput` naming the field, which
every interface turns into a 400 with the message beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engage.core.errors import InvalidInput, UnknownId

# The largest id either database stores: every table's key is a 64-bit BigAutoField.
BIGGEST_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_whole_number(
    value: object, *, field: str, least: int = 0, most: int = BIGGEST_ID, label: str = ""
) -> int | None:
    """`value` as a whole number from `least` to `most`; None where it is missing or
    empty. Raises InvalidInput({field: message}) for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput({field: f"{_named(field, label)} must be a whole number."})
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if text == "":
            return None
        if not _DIGITS.fullmatch(text):
            raise InvalidInput(
                {field: f"{_named(field, label)} must be a whole number written with the digits 0 to 9."}
            )
        number = int(text)
    if number < least or number > most:
        if most >= BIGGEST_ID and number >= least:
            raise InvalidInput({field: f"{_named(field, label)} is too large to be a record's number."})
        if most >= BIGGEST_ID:
            raise InvalidInput({field: f"{_named(field, label)} must be {least:,} or more."})
        raise InvalidInput({field: f"{_named(field, label)} must be from {least:,} to {most:,}."})
    return number


def parse_id(value: object, *, field: str, label: str = "") -> int | None:
    """A record's number (1 or more); None where it is missing or empty. A malformed one
    is an `UnknownId`: no page of ours sends one, so it is refused, never smoothed over."""
    try:
        return parse_whole_number(value, field=field, least=1, label=label)
    except InvalidInput as error:
        raise UnknownId(error.errors) from None


def parse_ids(values: Iterable[object], *, field: str, label: str = "") -> list[int]:
    """Record numbers, each checked; empty entries are skipped, repeats kept once."""
    found: dict[int, None] = {}
    for value in values:
        number = parse_id(value, field=field, label=label)
        if number is not None:
            found[number] = None
    return list(found)


def _named(field: str, label: str) -> str:
    """How a message names the field: its label, or its name in the query string."""
    return label or f"“{field}”"
