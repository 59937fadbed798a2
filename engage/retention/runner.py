"""The worker's side of retention (tasks.py, and `engage retention run`): each kind's
records past their time deleted in chunks, each chunk in a transaction of its own, so a
run over a large bank never holds a lock for more than a moment, and one that stops part
way keeps what it did (the next run deletes the rest).

A conversation goes with everything that hangs on it (its themes and sentiment, people's
labels, its quote and grants of consent to quote, its links as evidence to closed
decisions) by the database's own cascade, in the same transaction. Files are removed from
the disk; a subject access request's ZIP is removed and the request kept, marked with
when. Each kind writes one audit event a run, with its count: never one a record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from engage.conversations.models import Conversation
from engage.core.errors import NotFound
from engage.core.jobs import heartbeat
from engage.core.models import AuditAction, JobStatus
from engage.core.services import audit_record
from engage.retention import selectors
from engage.retention.models import ResultStatus, RetentionKind, RetentionResult, RetentionRun
from engage.retention.services import WORKER_STOPPED
from engage.subject_access.models import DownloadDeleted, SubjectAccessRequest, download_file_remove

logger = logging.getLogger(__name__)

# Records deleted in one transaction: small enough that a chunk of conversations, with
# what cascades from them, commits in well under a second on SQLite, where it holds the
# write lock meanwhile (bench/retention.py).
CHUNK = 500
ProgressCallback = Callable[[int, int], None]
PROBLEM = "This kind stopped because of an unexpected problem; what was deleted before it stays deleted."


class _Stopped(Exception):
    """The run was marked failed meanwhile (its heartbeat was missed): stop at once."""


def retention_run_execute(*, run_id: int, on_progress: ProgressCallback | None = None) -> RetentionRun:
    """Apply every rule for the run's day. Only a queued run starts; any other is
    returned as it is. Returns the run, SUCCEEDED, or FAILED with `error` saying which
    kinds stopped (the others were done)."""
    run = RetentionRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"There is no retention run numbered {run_id}.")
    now = timezone.now()
    claimed = RetentionRun.objects.filter(pk=run.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:  # finished, or another worker took it
        return RetentionRun.objects.get(pk=run.pk)
    running = RetentionRun.objects.filter(pk=run.pk, status=JobStatus.RUNNING)

    def beat() -> None:
        running.update(heartbeat_at=timezone.now())

    try:
        with heartbeat(beat, name=f"retention run {run.pk} heartbeat"):
            failed = _apply_rules(run, running, on_progress)
    except _Stopped:
        return RetentionRun.objects.get(pk=run.pk)
    except BaseException:
        # The worker is being stopped (or something failed outside any kind): say so now
        # rather than when the heartbeat is missed.
        try:
            running.update(status=JobStatus.FAILED, finished_at=timezone.now(), error=WORKER_STOPPED)
        except Exception:  # the process is going; the heartbeat's absence will say it instead
            logger.warning("Could not mark retention run %s stopped.", run.pk, exc_info=True)
        raise
    error = ""
    if failed:
        error = (
            "These could not all be deleted: "
            + ", ".join(str(RetentionKind(kind).label).lower() for kind in failed)
            + ". The rest were done; the next run tries again."
        )
    running.update(
        status=JobStatus.FAILED if failed else JobStatus.SUCCEEDED, finished_at=timezone.now(), error=error
    )
    return RetentionRun.objects.get(pk=run.pk)


def statistics_refresh() -> None:
    """SQLite chooses how to read a table by the statistics ANALYZE keeps, and nothing
    else keeps them: without them the count of conversations past their time reads the
    whole table (1.4 s at a million, bench/retention.py) where with them it reads an
    index (0.3 s), and a chunk of unanswered feedback-form comments is checked, as it
    is deleted with the write lock held, through most of an index instead of by its ids.
    So each run begins by making them again: about a second at a million conversations,
    once a night, and the day's dry runs use them too.
    PostgreSQL's autovacuum keeps its own."""
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Conversation._meta.db_table)}")
    except DatabaseError:  # the database busy: the statistics are only a little older
        logger.warning("Retention could not refresh the database's statistics.", exc_info=True)


def _apply_rules(
    run: RetentionRun, running: QuerySet[RetentionRun], on_progress: ProgressCallback | None
) -> list[str]:
    """Count, then delete, each kind in turn; returns the kinds that failed."""
    statistics_refresh()
    periods = selectors.periods_in_effect()
    cutoffs = selectors.cutoffs_on(run.run_on, periods)
    results = []
    for kind in RetentionKind.values:
        cutoff = cutoffs[kind]
        expected = _count(run, kind, cutoffs) if cutoff is not None else 0
        results.append(
            RetentionResult.objects.create(
                run=run,
                kind=kind,
                period=str(periods[kind]),
                cutoff=cutoff,
                expected=expected or 0,
                kept_as_evidence=(
                    selectors.kept_as_evidence_count(cutoffs)
                    if kind == RetentionKind.CONVERSATIONS and expected is not None
                    else 0
                ),
                status=(
                    ResultStatus.KEPT
                    if cutoff is None
                    else ResultStatus.WAITING
                    if expected is not None
                    else ResultStatus.FAILED
                ),
                error="" if expected is not None else PROBLEM,
            )
        )
    total = sum(result.expected for result in results)
    if not running.update(rows_total=total, heartbeat_at=timezone.now()):
        raise _Stopped
    progress = _Progress(running, total, on_progress)
    failed = []
    for result in results:
        if result.status == ResultStatus.KEPT:
            continue
        if result.status == ResultStatus.FAILED:  # it could not even be counted
            failed.append(result.kind)
            _audit(run, result)
            continue
        RetentionResult.objects.filter(pk=result.pk).update(
            status=ResultStatus.RUNNING, started_at=timezone.now()
        )
        try:
            _delete_kind(result, cutoffs, progress)
        except _Stopped:
            raise
        except Exception:
            logger.exception("Retention run %s could not delete all its %s.", run.pk, result.kind)
            RetentionResult.objects.filter(pk=result.pk).update(
                status=ResultStatus.FAILED, finished_at=timezone.now(), error=PROBLEM
            )
            failed.append(result.kind)
        else:
            RetentionResult.objects.filter(pk=result.pk).update(
                status=ResultStatus.DONE, finished_at=timezone.now()
            )
        result.refresh_from_db()
        _audit(run, result)
    return failed


def _count(run: RetentionRun, kind: str, cutoffs: selectors.Cutoffs) -> int | None:
    """How many of `kind` are past their time; None where they could not be counted."""
    try:
        return selectors.expired_count(kind, cutoffs)
    except Exception:
        logger.exception("Retention run %s could not count its %s.", run.pk, kind)
        return None


def _audit(run: RetentionRun, result: RetentionResult) -> None:
    """One event for the kind, with its count: never one a record."""
    stopped = (
        " It stopped part way: the next run deletes the rest." if result.status == ResultStatus.FAILED else ""
    )
    audit_record(
        actor=run.started_by,
        organisation=None,
        action=AuditAction.DELETED,
        subject_type="retention_run",
        subject_id=run.pk,
        summary=selectors.result_sentence(result) + stopped,
    )


class _Progress:
    """Records done so far, noted on the run after each chunk (in the chunk's own
    transaction) and passed to the command's progress bar."""

    def __init__(
        self, running: QuerySet[RetentionRun], total: int, on_progress: ProgressCallback | None
    ) -> None:
        self.running = running
        self.total = total
        self.done = 0
        self.on_progress = on_progress

    def add(self, result: RetentionResult, deleted: int) -> None:
        """Inside the chunk's transaction: the counts commit with the deletion."""
        self.done += deleted
        RetentionResult.objects.filter(pk=result.pk).update(deleted=F("deleted") + deleted)
        if not self.running.update(
            rows_done=self.done, rows_total=max(self.total, self.done), heartbeat_at=timezone.now()
        ):
            raise _Stopped  # rolls the chunk back: the run was marked failed meanwhile

    def tell(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.done, max(self.total, self.done))


def _delete_kind(result: RetentionResult, cutoffs: selectors.Cutoffs, progress: _Progress) -> None:
    for queryset in selectors.expired_records(result.kind, cutoffs):
        _delete_rows(queryset, result, progress)
    # Before the files left behind: a ZIP that could not be removed is one of them next.
    _delete_downloads(selectors.expired_downloads(result.kind, cutoffs), result, progress)
    _delete_files(selectors.expired_files(result.kind, cutoffs), result, cutoffs, progress)


def _id_chunks(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    """The queryset's ids, CHUNK at a time, in order.

    Each chunk is the next ids after the last chunk's, found before the caller's
    transaction begins: on SQLite a transaction takes the write lock at once, and the
    search for the next few hundred among a million rows would hold it. Going on from
    the last id reads the table once over the whole run, where starting again from the
    beginning would read past every row kept, again for each chunk."""
    after: Any = None
    while True:
        following = queryset if after is None else queryset.filter(pk__gt=after)
        ids = list(following.order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return
        after = ids[-1]
        yield ids


def _delete_rows(queryset: QuerySet[Any], result: RetentionResult, progress: _Progress) -> None:
    """Delete the queryset's rows a chunk at a time, each chunk in its own transaction.
    The chunk is deleted through the same filter, so a record that stopped matching
    meanwhile (made evidence for an open decision) is left alone."""
    label = queryset.model._meta.label
    for ids in _id_chunks(queryset):
        with transaction.atomic():
            # Only the ids are read back: the cascade needs no more, and a conversation's
            # text is most of its row.
            _, by_model = queryset.filter(pk__in=ids).only("pk").delete()
            progress.add(result, int(by_model.get(label, 0)))
        progress.tell()


def _delete_downloads(
    queryset: QuerySet[SubjectAccessRequest], result: RetentionResult, progress: _Progress
) -> None:
    """Delete the ZIPs of subject access requests past their time, keeping the requests.

    A chunk of requests is first marked in a transaction of its own (no file, and when
    it went), so the page never offers a download that is gone; then the files are
    removed and counted. One that cannot be removed is then pointed at by no request,
    so the files left behind, swept next, take it in: this run tries it again, and so
    does each after it until it is gone."""
    for ids in _id_chunks(queryset):
        with transaction.atomic():
            rows = list(queryset.filter(pk__in=ids).values_list("pk", "file_path"))
            SubjectAccessRequest.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                file_path="", file_deleted_at=timezone.now(), file_deleted_because=DownloadDeleted.RETENTION
            )
        removed = sum(download_file_remove(Path(stored)) for _, stored in rows)
        with transaction.atomic():
            progress.add(result, removed)
        progress.tell()


def _chunks(paths: Sequence[Path]) -> Iterator[Sequence[Path]]:
    for start in range(0, len(paths), CHUNK):
        yield paths[start : start + CHUNK]


def _delete_files(
    paths: Sequence[Path], result: RetentionResult, cutoffs: selectors.Cutoffs, progress: _Progress
) -> None:
    """Remove the files, noting progress a chunk at a time. A file that cannot be removed
    (its permissions) does not stop the others; the kind is then reported as stopped."""
    cutoff = cutoffs[result.kind]
    if cutoff is None:
        return
    limit = selectors.cutoff_moment(cutoff).timestamp()
    refused = 0
    for chunk in _chunks(paths):
        removed = 0
        for path in chunk:
            try:
                # Looked at again: a file touched since it was found (a job's progress
                # note) is in use, so it stays.
                if path.lstat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
            except OSError:
                logger.warning("Retention could not remove %s.", path, exc_info=True)
                refused += 1
        with transaction.atomic():
            progress.add(result, removed)
        progress.tell()
    if refused:
        raise OSError(f"{refused} files could not be removed.")
