"""`engage worker`: the background worker, by a name that says what it is.

The same command as django-tasks-db's `db_worker`, with all its options. On starting it
makes sure the weekly reminder of overdue feedback, the nightly retention run and the
nightly evaluation run (opening evaluations, working out the board's page) are queued
(each then keeps itself going), so no separate scheduler has to be installed.

It also looks, on starting and then every so often on a thread of its own, for jobs
whose worker died while running them (an import, an analysis, a training, a reference load: their
heartbeat stopped, engage/core/jobs.py) and marks them failed, so nothing says
"running" for ever and the next analysis can start; and for imports held a day for a
check of their ratings that nobody gave, which it fails, deleting their files."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from engage.conversations.imports.services import import_jobs_expire_held, import_jobs_fail_stale
from engage.core.jobs import Repeating, stale_seconds
from engage.decisions.feedback.tasks import overdue_reminders_schedule
from engage.evaluation.tasks import evaluation_daily_schedule
from engage.insight.services import analysis_runs_fail_stale, model_trainings_fail_stale
from engage.partners.people_imports.services import people_imports_fail_stale
from engage.partners.registers.services import register_jobs_fail_stale
from engage.places.services import reference_jobs_fail_stale
from engage.retention.services import retention_runs_fail_stale
from engage.retention.tasks import retention_schedule
from engage.subject_access.services import subject_access_requests_fail_stale

logger = logging.getLogger(__name__)


def stale_jobs_fail_everywhere() -> int:
    """Mark failed every running job whose worker has stopped, and every import held
    too long for its ratings to be checked; returns how many."""
    return (
        len(import_jobs_fail_stale())
        + len(import_jobs_expire_held())
        + len(analysis_runs_fail_stale())
        + len(model_trainings_fail_stale())
        + len(reference_jobs_fail_stale())
        + len(register_jobs_fail_stale())
        + len(people_imports_fail_stale())
        + len(retention_runs_fail_stale())
        + len(subject_access_requests_fail_stale())
    )


def look_every() -> float:
    """How often the worker looks: a few times within the time a job may stay silent."""
    return max(stale_seconds() / 4, 1.0)


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker that carries out imports, analyses and emails. "
        "Start one beside the web server (engage serve does this for you); on PostgreSQL "
        "you may run several. Ctrl+C lets the job in hand finish, then stops."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        overdue_reminders_schedule()
        retention_schedule()
        evaluation_daily_schedule()
        stale_jobs_fail_everywhere()
        with Repeating(stale_jobs_fail_everywhere, every=look_every(), name="stale jobs"):
            super().handle(*args, **options)
