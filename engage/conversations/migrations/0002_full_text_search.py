"""Full-text search of conversations: FTS5 on SQLite, a GIN index on PostgreSQL.

SQLite: an external-content FTS5 table over the conversations' text and question (the
text is stored once, in the conversations table), with the porter tokenizer so word
forms match (wait, waiting, waited), and triggers that keep it in step with every
insert (bulk_create included), update and delete. Existing rows are indexed here. The
organisation's id is indexed too, as a token, so FTS5 itself narrows a search to the
organisation in scope before a single conversation row is read (the search still
filters by organisation in SQL as well: the token only makes it fast).

A caution for later migrations: when Django alters the conversations table on SQLite it
rebuilds the table, and the triggers go with the old one. Such a migration must run
SQLITE_INSTALL again (the search tests fail if the index stops following the table).

PostgreSQL: a GIN index on the same expression engage/conversations/search.py queries
with (POSTGRES_DOCUMENT), so the planner uses it. Plain CREATE INDEX: a migration runs
in a transaction, where CONCURRENTLY is not allowed; on a large live table build the
index by hand with CONCURRENTLY first, and this statement is then skipped (IF NOT EXISTS).
"""

from django.db import migrations

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS conversations_conversation_fts USING fts5("
    "text, question, organisation_id, content='conversations_conversation', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS conversations_conversation_fts_insert "
    "AFTER INSERT ON conversations_conversation BEGIN "
    "INSERT INTO conversations_conversation_fts(rowid, text, question, organisation_id) "
    "VALUES (new.id, new.text, new.question, new.organisation_id); END",
    "CREATE TRIGGER IF NOT EXISTS conversations_conversation_fts_delete "
    "AFTER DELETE ON conversations_conversation BEGIN "
    "INSERT INTO conversations_conversation_fts(conversations_conversation_fts, rowid, text, question, "
    "organisation_id) VALUES ('delete', old.id, old.text, old.question, old.organisation_id); END",
    "CREATE TRIGGER IF NOT EXISTS conversations_conversation_fts_update "
    "AFTER UPDATE OF id, text, question, organisation_id ON conversations_conversation BEGIN "
    "INSERT INTO conversations_conversation_fts(conversations_conversation_fts, rowid, text, question, "
    "organisation_id) VALUES ('delete', old.id, old.text, old.question, old.organisation_id); "
    "INSERT INTO conversations_conversation_fts(rowid, text, question, organisation_id) "
    "VALUES (new.id, new.text, new.question, new.organisation_id); END",
    "INSERT INTO conversations_conversation_fts(conversations_conversation_fts) VALUES ('rebuild')",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS conversations_conversation_fts_update",
    "DROP TRIGGER IF EXISTS conversations_conversation_fts_delete",
    "DROP TRIGGER IF EXISTS conversations_conversation_fts_insert",
    "DROP TABLE IF EXISTS conversations_conversation_fts",
]
POSTGRES_INSTALL = [
    "CREATE INDEX IF NOT EXISTS conversation_full_text ON conversations_conversation USING gin ("
    "to_tsvector('english', coalesce(\"text\", '') || ' ' || coalesce(\"question\", '')))",
]
POSTGRES_REMOVE = ["DROP INDEX IF EXISTS conversation_full_text"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REMOVE, "postgresql": POSTGRES_REMOVE})


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_bank_of_conversations_and_imports"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
