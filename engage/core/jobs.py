"""The life of a background job (an import, an analysis, a reference load) once it runs:
a heartbeat while it works, and finding the jobs whose worker died.

A worker killed part way (a restart, a machine out of memory) never marks its job
finished, and the job would say "running" for ever. So while a job runs, a thread beside
it shows that it is alive every ENGAGE_JOB_HEARTBEAT_SECONDS; a job marked running that
has shown nothing for ENGAGE_JOB_STALE_SECONDS is taken to have lost its worker, and is
marked failed by whoever notices first: the next job of its kind being created or
started, its progress page, or a worker, which looks every so often.

Where the sign of life goes depends on who can see it:

- A job that commits as it goes (an analysis) updates its row's `heartbeat_at` from the
  thread's own connection, in autocommit, so every other process sees it at once.
- A job that runs in one transaction (an import, ADR 0015; a reference load) cannot:
  whatever it writes is invisible until it commits, its row is locked (PostgreSQL) and
  the whole database is (SQLite, where no other connection may write meanwhile). It
  touches the progress file beside its upload instead, whose modification time every
  process that shares the upload folder reads, as the progress page already does. On
  PostgreSQL the row lock an import holds is a second sign of life: marking skips a
  locked row (SKIP LOCKED), and the lock goes when the worker's connection does.

A job's last sign of life is its `heartbeat_at`, or when it started (or was created)
where it has none yet. Marking is compare-and-set: the row changes only if it is still
running and still silent when locked, so a job that finishes meanwhile is never marked
failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)

Job = TypeVar("Job", bound=models.Model)


def heartbeat_seconds() -> float:
    return float(settings.ENGAGE_JOB_HEARTBEAT_SECONDS)


def stale_seconds() -> float:
    return float(settings.ENGAGE_JOB_STALE_SECONDS)


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """A running job silent since before this has lost its worker."""
    return (now or timezone.now()) - dt.timedelta(seconds=stale_seconds())


class Repeating:
    """Calls `action` every `every` seconds on a thread of its own until stopped (or the
    process ends: the thread is a daemon). It keeps going while the job's own thread is
    busy with a long batch, and stops when the process dies: a heartbeat. An error in
    `action` is logged and the next turn tries again; the thread's database connection,
    if it opened one, is closed when it stops."""

    def __init__(self, action: Callable[[], object], *, every: float, name: str) -> None:
        self.action = action
        self.every = max(every, 0.01)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            # A turn in hand finishes on its own; the thread is a daemon, so a turn stuck
            # waiting for the database does not hold up the job that is ending.
            self._thread.join(timeout=2.0)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    self.action()
                except Exception:
                    logger.warning(
                        "%s: this turn failed; trying again next time.", self._thread.name, exc_info=True
                    )
        finally:
            connections.close_all()  # only this thread's own connections


def heartbeat(action: Callable[[], object], *, name: str) -> Repeating:
    """A job's heartbeat: `action` (touch a file, update a row) every heartbeat_seconds()."""
    return Repeating(action, every=heartbeat_seconds(), name=name)


def file_touch(path: Path) -> None:
    """Mark the file as modified now. A missing file is left missing: the job is ending."""
    with contextlib.suppress(OSError):
        os.utime(path)


def file_touched_since(path: Path, moment: dt.datetime) -> bool:
    try:
        return os.stat(path).st_mtime >= moment.timestamp()
    except OSError:
        return False


def violates(error: IntegrityError, model: type[models.Model], name: str) -> bool:
    """Whether `error` is the database refusing `model`'s unique constraint `name`.
    PostgreSQL names the constraint; SQLite names an index on an expression, and for an
    index on columns names the columns instead."""
    diagnosis = getattr(error.__cause__, "diag", None)
    constraint_name = getattr(diagnosis, "constraint_name", None)
    if constraint_name:
        return bool(constraint_name == name)
    text = str(error)
    if f"index '{name}'" in text:
        return True
    constraint = next((c for c in model._meta.constraints if c.name == name), None)
    if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
        return False
    table = model._meta.db_table
    columns = ", ".join(f"{table}.{model._meta.get_field(field).column}" for field in constraint.fields)  # type: ignore[union-attr]
    return text == f"UNIQUE constraint failed: {columns}"


def silent_since(queryset: models.QuerySet[Job], moment: dt.datetime) -> models.QuerySet[Job]:
    """The jobs of `queryset` whose last sign of life came before `moment`."""
    return queryset.alias(last_sign_of_life=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
        last_sign_of_life__lt=moment
    )


def stale_jobs_fail(
    queryset: models.QuerySet[Job],
    *,
    running: str,
    failed: str,
    message: str,
    alive: Callable[[Job, dt.datetime], bool] | None = None,
    on_failed: Callable[[Job], None] | None = None,
    after_commit: Callable[[Job], None] | None = None,
) -> list[int]:
    """Mark failed, with `message`, the running jobs of `queryset` that have lost their
    worker; returns their ids.

    `alive(job, cutoff)` may name another sign of life (a file touched since `cutoff`).
    `on_failed(job)` runs in the marking's transaction (the audit record);
    `after_commit(job)` once it has committed (removing the job's files). Nothing here
    raises for the database being busy: a job not marked now is marked next time."""
    model = queryset.model
    cutoff = stale_cutoff()
    try:
        candidates = list(silent_since(queryset.filter(status=running), cutoff))
    except DatabaseError:
        logger.warning("Could not look for %s jobs whose worker stopped.", model.__name__, exc_info=True)
        return []
    marked: list[int] = []
    for candidate in candidates:
        if alive is not None and alive(candidate, cutoff):
            continue
        try:
            with transaction.atomic():
                locked = (
                    silent_since(model._default_manager.filter(pk=candidate.pk, status=running), cutoff)
                    .select_for_update(skip_locked=True)
                    .first()
                )
                # Gone, finished, alive again, or (PostgreSQL) locked by the job itself.
                if locked is None or (alive is not None and alive(locked, cutoff)):
                    continue
                model._default_manager.filter(pk=locked.pk).update(
                    status=failed, error=message, finished_at=timezone.now()
                )
                if on_failed is not None:
                    on_failed(locked)
                if after_commit is not None:
                    transaction.on_commit(functools.partial(after_commit, locked))
        except DatabaseError:
            logger.warning(
                "Could not mark %s %s failed; it will be tried again.",
                model.__name__,
                candidate.pk,
                exc_info=True,
            )
            continue
        marked.append(int(locked.pk))
        logger.warning("%s %s lost its worker and is marked failed.", model.__name__, locked.pk)
    return marked


def enqueue_after_commit(task: str, *, run_after: dt.datetime | None = None, **arguments: object) -> None:
    """Queue the background task at the dotted path `task` (for example
    "engage.insight.tasks.analysis_run_task") with `arguments` once the transaction in
    hand commits, so the worker never looks for a row that is not there yet, and a
    transaction that rolls back queues nothing. The task is named, not imported: tasks
    call services and runners, and a service that imported its task back would make a
    circle. `run_after` delays it (a retry, a weekly reminder)."""

    def enqueue() -> None:
        found = import_string(task)
        (found if run_after is None else found.using(run_after=run_after)).enqueue(**arguments)

    transaction.on_commit(enqueue)


def tasks_can_wait() -> bool:
    """Whether the task backend keeps a task until a later time (the database one does).
    One that runs tasks at once would run a retry "later" straight away, again and
    again, so nothing asks it to wait."""
    return bool(default_task_backend.supports_defer)
