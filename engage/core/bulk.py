"""Writing many rows at once, on each database's fast path.

Django's `bulk_create` builds a model instance for every row and prepares every value
through its field, which for an analysis run (a row of insight and two or three of the
model's labels per conversation) cost more than the analysis itself: 250,000
conversations took 75 s on SQLite where the analysis alone took 30 s (bench/insight_run.py).
Rows given here as tuples go straight to the database: COPY on PostgreSQL, many rows to a
statement on SQLite. Only for tables that nothing else writes at the same time and
whose rows need no defaults from Django (every column of the row is given).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

# Under SQLite's limit of 32,766 parameters a statement.
_SQLITE_PARAMETERS = 30_000


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of this field is written, where the driver cannot take it as it is."""
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return None


def _concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field named, a foreign key by its `_id` attribute too."""
    field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column.")
    return field


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert `rows`, each a tuple of values for `fields` (the model's field names, a
    foreign key by its `_id` attribute); returns how many went in. Call it inside the
    caller's transaction: it adds none of its own."""
    quote = connection.ops.quote_name
    meta = model._meta
    chosen = [_concrete_field(model, name) for name in fields]
    columns = ", ".join(quote(field.column) for field in chosen)
    adapters = [
        (index, adapt) for index, field in enumerate(chosen) if (adapt := _adapter(field)) is not None
    ]

    def adapted(row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not adapters:
            return row
        values = list(row)
        for index, adapt in adapters:
            if values[index] is not None:
                values[index] = adapt(values[index])
        return tuple(values)

    table = quote(meta.db_table)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(adapted(row))
                    written += 1
            return written
        # SQLite: many rows to a statement, straight to the sqlite3 connection (Django's
        # cursor rewrites the placeholders of every statement with a regular expression).
        raw = connection.connection
        per_statement = max(_SQLITE_PARAMETERS // len(chosen), 1)
        one_row = "({})".format(", ".join(["?"] * len(chosen)))
        batch: list[tuple[Any, ...]] = []

        def flush() -> int:
            statement = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(batch))}"  # noqa: S608 - names from the model
            raw.execute(statement, [value for row in batch for value in row])
            return len(batch)

        for row in rows:
            batch.append(adapted(row))
            if len(batch) == per_statement:
                written += flush()
                batch = []
        if batch:
            written += flush()
    return written
