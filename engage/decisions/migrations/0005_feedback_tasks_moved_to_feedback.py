"""The feedback emails' tasks moved into the feedback sub-package: emails and the weekly
reminder queued before the upgrade still go (engage/core/task_paths.py)."""

from django.db import migrations

from engage.core.task_paths import TASKS_MIGRATION, task_paths_renamed


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0004_theme_proposals_for_partners_decisions"),
        TASKS_MIGRATION,
    ]

    operations = [
        task_paths_renamed(
            {
                "engage.decisions.tasks.feedback_send_task": "engage.decisions.feedback.tasks.feedback_send_task",
                "engage.decisions.tasks.overdue_reminders_task": (
                    "engage.decisions.feedback.tasks.overdue_reminders_task"
                ),
            }
        ),
    ]
