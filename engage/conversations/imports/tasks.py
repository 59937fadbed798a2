"""Background entry points: each takes ids and calls the pipeline."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from engage.conversations.imports import pipeline
from engage.core.errors import Conflict

# How long an import waits before trying again while another import for its
# organisation runs.
WAIT_IN_LINE = dt.timedelta(seconds=15)


@task()
def import_job_task(*, job_id: int) -> str:
    """Run one import job to the end; returns the job's final status. While another
    import for the organisation runs, it stays queued and this task is queued again to
    try later (with a backend that can wait; with one that cannot, it fails saying why)."""
    can_wait = import_job_task.get_backend().supports_defer
    try:
        return str(pipeline.import_job_run(job_id=job_id, wait_in_line=can_wait).status)
    except Conflict:
        import_job_task.using(run_after=timezone.now() + WAIT_IN_LINE).enqueue(job_id=job_id)
        return "queued"
