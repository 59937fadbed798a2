"""Whether the database can be used as it is: every command that reads or writes the
product's tables asks first, so a database left behind by an upgrade gets one sentence
saying what to do, not a traceback about a missing column."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


def database_problem() -> str | None:
    """What stops the database being used, as a sentence; None where it is up to date."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"The database cannot be reached: {error}"
    if plan:
        return f"The database is not up to date ({len(plan)} changes to apply). Run 'engage migrate' first."
    return None
