"""The reference load's task moved from reach to places: loads queued before the
upgrade still run (engage/core/task_paths.py)."""

from django.db import migrations

from engage.core.task_paths import TASKS_MIGRATION, task_paths_renamed


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_reference_data_from_reach"),
        TASKS_MIGRATION,
    ]

    operations = [
        task_paths_renamed({"engage.reach.tasks.reference_job_task": "engage.places.tasks.reference_job_task"}),
    ]
