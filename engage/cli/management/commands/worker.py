"""`engage worker`: the background worker, by a name that says what it is.

The same command as django-tasks-db's `db_worker`, with all its options."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker that carries out imports and analyses. "
        "Start one beside the web server (engage serve does this for you); on PostgreSQL "
        "you may run several. Ctrl+C lets the job in hand finish, then stops."
    )
