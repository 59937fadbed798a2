"""The import's task moved into the imports sub-package: imports queued before the
upgrade still run (engage/core/task_paths.py)."""

from django.db import migrations

from engage.core.task_paths import TASKS_MIGRATION, task_paths_renamed


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0010_conversation_record_key_for_published_counts"),
        TASKS_MIGRATION,
    ]

    operations = [
        task_paths_renamed(
            {"engage.conversations.tasks.import_job_task": "engage.conversations.imports.tasks.import_job_task"}
        ),
    ]
