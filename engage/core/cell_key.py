"""The cell key method (after the ONS's for Census 2021): every record carries a fixed
random key, and a published count is perturbed by an amount worked out from the keys
of the records in it (ADR 0027).

Here the perturbation is additive, record by record: each record's key gives it a
weight, 1 for most records, 0 for about one in twenty and 2 for about one in twenty,
and a published count is the sum of the weights of the records in it, then rounded (and
hidden when the true count is small, by `engage.core.disclosure`). So:

- the same set of records always gives the same answer: asking again, or on another
  page, gains nothing (there is nothing to average);
- two overlapping sets cannot be subtracted to an exact count: their difference is the
  weights of the records between them, never their number;
- it adds up: the groups of a table sum to its total, and totals agree between tables
  and pages about the same records;
- it is computed by the database as a SUM over the covering index, as fast as a count.

A record's key is drawn by the database when the record is inserted (`RandomRecordKey`,
a column default), so every way a record arrives (a form, an import's bulk insert, the
demo) gets one, and it is never shown anywhere: only the software knows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Expression, Func, IntegerField, PositiveSmallIntegerField, Value, When

RECORD_KEYS = 256  # a key is 0 to 255
# Keys below LIGHT weigh 0, keys from HEAVY up weigh 2: 13 of 256 each, about 5%.
LIGHT = 13
HEAVY = RECORD_KEYS - 13


@dataclass(frozen=True)
class Tally:
    """How many records, and the sum of their weights: what disclosure control needs to
    hide (the count) and to show (the weighted sum) a figure."""

    count: int = 0
    weighted: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.count + other.count, self.weighted + other.weighted)


def tally_of_keys(keys: list[int]) -> Tally:
    """The tally of records with these keys (for sets read into Python)."""
    return Tally(len(keys), sum(record_weight(key) for key in keys))


def record_weight(key: int) -> int:
    """A record's weight in published counts, from its key."""
    if key < LIGHT:
        return 0
    if key >= HEAVY:
        return 2
    return 1


def weight_of(field: str = "record_key") -> Expression:
    """The same weight, worked out by the database, to SUM in a query."""
    return Case(
        When(**{f"{field}__lt": LIGHT}, then=Value(0)),
        When(**{f"{field}__gte": HEAVY}, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


class RandomRecordKey(Func):
    """A random key from 0 to 255, drawn by the database for each row inserted: the
    column's default (`db_default`), so bulk inserts that name no key get one too."""

    output_field = PositiveSmallIntegerField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        if connection.vendor == "postgresql":
            return "(floor(random() * 256)::smallint)", []
        # SQLite's random() is a signed 64-bit integer.
        return "(abs(random()) %% 256)", []  # %% : the SQL is a format string to Django
