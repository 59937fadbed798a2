"""PostgreSQL: keep each conversation's search vector in a stored, generated column.

Migration 0002 indexed the expression `to_tsvector(...)`, which finds matches fast, but
ranking them (ts_rank_cd) needs the vector, which the expression index does not keep:
PostgreSQL recomputed it from the text for every match, up to 10,000 a search, which
made the slowest searches of bench/search.py take 270 ms at 1,000,000 conversations.
A generated column is computed once, when a row is written (and again when its text
or question changes), and the GIN index is built on it.

Adding a stored generated column rewrites the table: on a large live bank, run this
migration in a quiet hour. SQLite is unchanged (FTS5 keeps its own index).
"""

from django.db import migrations

VECTOR = "to_tsvector('english', coalesce(\"text\", '') || ' ' || coalesce(\"question\", ''))"

POSTGRES_FORWARD = [
    f"ALTER TABLE conversations_conversation ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS conversation_search_vector ON conversations_conversation "
    "USING gin (search_vector)",
    "DROP INDEX IF EXISTS conversation_full_text",
]
POSTGRES_BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS conversation_full_text ON conversations_conversation USING gin ({VECTOR})",
    "DROP INDEX IF EXISTS conversation_search_vector",
    "ALTER TABLE conversations_conversation DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0004_import_in_one_transaction")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
