"""Queued background tasks are stored by the dotted path of their function
(django_tasks_db's DBTaskResult.task_path). When a task moves to another module, the
tasks already waiting would point at nothing after an upgrade and fail without running,
so the app's migration that follows the move renames their paths, both ways."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# The task backend's table: a migration that renames paths runs after it exists.
TASKS_MIGRATION = ("django_tasks_database", "0021_conditional_partial_index_ordering")


def task_paths_renamed(renames: dict[str, str]) -> migrations.RunPython:
    """A reversible migration step that points stored tasks at their new modules."""

    def rename(apps: Any, mapping: dict[str, str]) -> None:
        results = apps.get_model("django_tasks_database", "DBTaskResult").objects
        for old, new in mapping.items():
            results.filter(task_path=old).update(task_path=new)

    return migrations.RunPython(
        lambda apps, schema_editor: rename(apps, renames),
        lambda apps, schema_editor: rename(apps, {new: old for old, new in renames.items()}),
    )
