"""Keeping the SQLite full-text index in step during a big import.

Migration 0002 keeps the FTS5 table in step with the conversations table by triggers,
which is right for a conversation recorded by hand but slow for a file: the insert
trigger runs once per row and costs about five times the insert itself (60 µs a row
against 12, measured on 100,000 rows). An import therefore drops the insert trigger
inside its own transaction, inserts its rows, indexes them in one
`INSERT INTO … SELECT` (about 6 µs a row), and creates the trigger again, all before it
commits. SQLite's write lock is held throughout, so no other connection can insert a
row the index would miss, and if anything fails the transaction's rollback brings the
trigger back with everything else.

PostgreSQL needs none of this: its GIN index is kept by PostgreSQL itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

CONVERSATION_TABLE = "conversations_conversation"
FTS_TABLE = "conversations_conversation_fts"
INSERT_TRIGGER = "conversations_conversation_fts_insert"
# The page cache an import may use (KiB, as SQLite's negative cache_size), against the
# connection's usual 32 MB (config/settings.py). A large file's keys land all over the
# unique and date indexes; once those outgrow the cache each insert waits on reading
# pages back, which made 1,000,000 rows half the speed of 200,000. SQLite allocates
# the pages only as they are used, and the usual size is put back at the end.
IMPORT_CACHE_KIB = 131_072
# The same statement as migration 0002's (a test checks the two stay the same).
CREATE_INSERT_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS conversations_conversation_fts_insert "
    "AFTER INSERT ON conversations_conversation BEGIN "
    "INSERT INTO conversations_conversation_fts(rowid, text, question, organisation_id) "
    "VALUES (new.id, new.text, new.question, new.organisation_id); END"
)


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Index the conversations inserted in the block once, at its end (SQLite only).

    Must be used inside a transaction (`transaction.atomic()`), which it relies on to
    undo everything if the block fails."""
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexing_deferred() must run inside transaction.atomic().")
    with connection.cursor() as cursor:
        # AUTOINCREMENT ids only grow, and the write lock keeps other writers out, so
        # every row the block inserts has an id above this one.
        cursor.execute(f'SELECT coalesce(max("id"), 0) FROM "{CONVERSATION_TABLE}"')  # noqa: S608 - constants
        (before,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")
        cursor.execute("PRAGMA cache_size")
        (usual_cache,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, text, question, organisation_id) "  # noqa: S608 - constants
                f'SELECT "id", "text", "question", "organisation_id" FROM "{CONVERSATION_TABLE}" WHERE "id" > %s',
                [before],
            )
            cursor.execute(CREATE_INSERT_TRIGGER)
    finally:
        # A pragma is not undone by a rollback, so the usual size is put back either way.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(usual_cache)}")
