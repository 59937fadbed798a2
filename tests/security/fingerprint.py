"""A fingerprint of everything the application keeps, to prove a request changed nothing.

Every table of every model of the `engage.*` apps (their many-to-many tables included,
so a link added to an activity counts), read in primary-key order and hashed. Left
out, because a refused request may rightly write to them:

- the audit log (`engage.core.models.AuditEvent`, with the records an event about many
  names, `AuditEventSubject`), which records refusals and reads;
- the rate limit's hits (`engage.core.models.RateLimitHit`);
- sessions, the task queue, django-otp and django-axes, which are not `engage.*` apps.

On SQLite each table is read with one plain query and hashed here; on PostgreSQL the
database hashes each table's rows (as text) and answers every table's digest in one
statement, one round trip rather than fifty.

`fingerprint()` answers a digest per table, so a changed fingerprint names the tables
that changed (`changed_tables`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import connection
from django.db.models import BinaryField

from engage.core.models import AuditEvent, AuditEventSubject, RateLimitHit

LEFT_OUT = (AuditEvent, AuditEventSubject, RateLimitHit)


@dataclass(frozen=True)
class _Table:
    name: str
    quoted: str
    key: str  # the primary key's column, quoted
    binary: bool  # it has binary columns

    def select(self) -> str:
        # The names are the models' own, quoted: nothing here comes from a client.
        return f"SELECT * FROM {self.quoted} ORDER BY {self.key}"  # noqa: S608

    def digest_sql(self) -> str:
        rows = f"string_agg(t::text, '|' ORDER BY t.{self.key})"
        return f"(SELECT md5(coalesce({rows}, '')) FROM {self.quoted} t)"  # noqa: S608 - as select()


@cache
def _tables() -> tuple[_Table, ...]:
    quote = connection.ops.quote_name
    found: dict[str, _Table] = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("engage.") or model in LEFT_OUT:
            continue
        name = model._meta.db_table
        found[name] = _Table(
            name=name,
            quoted=quote(name),
            key=quote(model._meta.pk.column),
            binary=any(isinstance(f, BinaryField) for f in model._meta.concrete_fields),
        )
    return tuple(found[name] for name in sorted(found))


def _plain(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    # A driver may give binary columns as memoryview, whose repr is its address.
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


def fingerprint() -> dict[str, str]:
    """A digest of each kept table's rows."""
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT " + ", ".join(table.digest_sql() for table in tables))
            return {table.name: str(digest) for table, digest in zip(tables, cursor.fetchone(), strict=True)}
        digests: dict[str, str] = {}
        for table in tables:
            cursor.execute(table.select())
            rows = cursor.fetchall()
            digests[table.name] = hashlib.sha256(
                repr(_plain(rows) if table.binary else rows).encode()
            ).hexdigest()
        return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
