"""`engage worker`: the background worker, by a name that says what it is.

The same command as django-tasks-db's `db_worker`, with all its options. On starting it
makes sure the weekly reminder of overdue feedback is queued (it then keeps itself
going), so no separate scheduler has to be installed."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from engage.decisions.tasks import overdue_reminders_schedule


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker that carries out imports, analyses and emails. "
        "Start one beside the web server (engage serve does this for you); on PostgreSQL "
        "you may run several. Ctrl+C lets the job in hand finish, then stops."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        overdue_reminders_schedule()
        super().handle(*args, **options)
