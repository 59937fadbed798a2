"""The worker's side of the insight app's jobs (tasks.py).

An analysis: the pending conversations analysed in chunks, each in its own transaction,
so a run that stops part way keeps what it finished and the next picks up the rest.
Personal details are removed, then categories and sentiment come from the latest model;
people's labels are never touched.

A training: a new model version learnt from people's labels (services.model_train),
noting each theme learnt on the job's row so the page can show how far it has got.

A thread beside each keeps its heartbeat (engage/core/jobs.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import pickle
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from engage.core.bulk import rows_insert
from engage.core.errors import Conflict, DomainError, NotFound
from engage.core.jobs import heartbeat
from engage.insight import services
from engage.insight.models import (
    AnalysisRun,
    Category,
    ConversationInsight,
    ModelLabel,
    ModelTraining,
    ModelVersion,
    RunStatus,
)
from engage.insight.signals import analysis_landed
from textkit.classify import NOT_POSSIBLE
from textkit.parallel import map_chunks
from textkit.pipeline import Analyser, Analysis
from textkit.sentiment import train_sentiment

logger = logging.getLogger(__name__)

CHUNK = 2000  # conversations analysed and written per transaction
ProgressCallback = Callable[[int, int], None]


def _analyser(version: ModelVersion | None) -> Analyser:
    if version is None:
        return Analyser(sentiment=train_sentiment([], [], []))  # the lexicon, until a model is trained
    analyser = pickle.loads(bytes(version.blob))  # noqa: S301 - written by model_train into our own database
    if not isinstance(analyser, Analyser):
        raise Conflict(f"Model {version.number} could not be read; train a new one.")
    return analyser


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def analysis_run_execute(*, run_id: int, on_progress: ProgressCallback | None = None) -> AnalysisRun:
    """Analyse the pending conversations in chunks, each chunk in its own transaction,
    so a run that stops part way keeps what it finished and the next picks up the rest.
    Only a queued run starts; any other is returned as it is. While it runs, a thread
    beside it updates its heartbeat; a run marked failed meanwhile (its heartbeat missed)
    stops at the end of the chunk in hand."""
    run = AnalysisRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"There is no analysis run numbered {run_id}.")
    if run.status != RunStatus.QUEUED:
        return run
    version = ModelVersion.objects.order_by("-number").first()
    now = timezone.now()
    claimed = AnalysisRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, model_version=version, error=""
    )
    if not claimed:  # another worker took it
        return AnalysisRun.objects.get(pk=run.pk)
    running = AnalysisRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING)

    def beat() -> None:
        running.update(heartbeat_at=timezone.now())

    try:
        with heartbeat(beat, name=f"analysis {run.pk} heartbeat"):
            analyser = _analyser(version)
            by_name = (
                {c.name: c.pk for c in Category.objects.filter(framework=version.framework)}
                if version
                else {}
            )
            insight_forget_changed()
            total = services.conversations_pending().count()
            done = 0
            # The analysis of each chunk may run elsewhere (a process pool, a Dask cluster);
            # the writing happens here, a chunk at a time, in the order read.
            analysed = map_chunks(
                _analyse_rows,
                analyser,
                _pending_chunks(),
                workers=settings.ENGAGE_INSIGHT_WORKERS,
                scheduler=settings.ENGAGE_DASK_SCHEDULER,
            )
            for chunk, results in analysed:
                _write_chunk(chunk, results, version, by_name)
                done += len(chunk)
                still_running = running.update(
                    rows_done=done, rows_total=max(total, done), heartbeat_at=timezone.now()
                )
                if not still_running:  # marked failed meanwhile: what is written is kept
                    return AnalysisRun.objects.get(pk=run.pk)
                if on_progress is not None:
                    on_progress(done, max(total, done))
    except Exception:
        logger.exception("Analysis run %s failed", run.pk)
        running.update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error="The analysis stopped because of an unexpected problem. What it finished is kept; "
            "start it again to do the rest.",
        )
        return AnalysisRun.objects.get(pk=run.pk)
    except BaseException:
        # The worker is being stopped: say so now rather than when the heartbeat is missed.
        try:
            running.update(status=RunStatus.FAILED, finished_at=timezone.now(), error=services.WORKER_STOPPED)
        except Exception:  # the process is going; the heartbeat's absence will say it instead
            logger.warning("Could not mark analysis run %s failed as its worker stopped.", run.pk)
        raise
    running.update(status=RunStatus.SUCCEEDED, finished_at=timezone.now())
    analysis_follow_up(now)
    analysis_landed.send(sender=AnalysisRun)
    return AnalysisRun.objects.get(pk=run.pk)


def analysis_follow_up(started: dt.datetime) -> None:
    """Conversations that landed after a run started, behind the chunk it was reading
    as they committed, wait for none: queue the next run now. Only those added since
    it started count, so a conversation the analysis leaves pending for any other
    reason cannot keep queueing runs for ever."""
    if not services.conversations_pending().filter(created_at__gte=started).exists():
        return
    try:
        services.analysis_run_create(actor=None, start=True)
    except Conflict:
        logger.info("Conversations added during an analysis wait for the one queued already.")


Row = tuple[int, str, int | None, str]


def _pending_chunks() -> Iterator[list[Row]]:
    """The pending conversations, CHUNK at a time, in id order."""
    last_id = 0
    while True:
        chunk = list(
            services.conversations_pending()
            .filter(pk__gt=last_id)
            .values_list("pk", "text", "rating", "question")[:CHUNK]
        )
        if not chunk:
            return
        last_id = chunk[-1][0]
        yield chunk


def _analyse_rows(analyser: Analyser, chunk: list[Row]) -> tuple[list[Row], list[Analysis]]:
    """Pure: the same chunk and models give the same answer wherever this runs. The
    chunk comes back with its results, so they are written to the rows they belong to."""
    return chunk, analyser.analyse(
        [row[1] for row in chunk], [row[2] for row in chunk], [row[3] for row in chunk]
    )


def _write_chunk(
    chunk: list[Row], results: list[Analysis], version: ModelVersion | None, by_name: dict[str, int]
) -> None:
    """The chunk's insight rows and the model's labels, replacing any earlier ones, in one
    transaction; written as plain rows (engage/core/bulk.py): through Django's model
    instances the writing took longer than the analysis."""
    now = timezone.now()
    ids = [pk for pk, _, _, _ in chunk]
    version_id = version.pk if version is not None else None
    with transaction.atomic():
        ConversationInsight.objects.filter(conversation_id__in=ids).delete()
        ModelLabel.objects.filter(conversation_id__in=ids).delete()
        rows_insert(
            ConversationInsight,
            _INSIGHT_FIELDS,
            (
                (
                    pk,
                    result.redacted,
                    result.redactions,
                    result.sentiment,
                    result.uncertainty,
                    version_id,
                    _hash(text),
                    now,
                )
                for (pk, text, _, _), result in zip(chunk, results, strict=True)
            ),
        )
        if version is not None:
            rows_insert(
                ModelLabel,
                _LABEL_FIELDS,
                (
                    (pk, by_name[name], score, version_id)
                    for (pk, _, _, _), result in zip(chunk, results, strict=True)
                    for name, score in result.labels
                    if name in by_name and name != NOT_POSSIBLE
                ),
            )


_INSIGHT_FIELDS = (
    "conversation_id",
    "redacted_text",
    "redactions",
    "sentiment",
    "uncertainty",
    "model_version_id",
    "text_hash",
    "analysed_at",
)
_LABEL_FIELDS = ("conversation_id", "category_id", "score", "model_version_id")


def insight_forget_changed() -> int:
    """Mark for analysis the conversations whose text changed since they were analysed."""
    changed = 0
    rows = ConversationInsight.objects.exclude(text_hash="").values_list(
        "pk", "text_hash", "conversation__text"
    )
    stale = [pk for pk, digest, text in rows.iterator(chunk_size=CHUNK) if digest != _hash(text)]
    for start in range(0, len(stale), CHUNK):
        changed += ConversationInsight.objects.filter(pk__in=stale[start : start + CHUNK]).update(
            text_hash=""
        )
    return changed


TRAINING_FAILED = (
    "The training stopped because of an unexpected problem, so no model was kept. Train it again."
)


def model_training_execute(*, training_id: int) -> ModelTraining:
    """Train the new model the job asks for. Only a queued job starts; any other is
    returned as it is. Where the model is not kept (nothing to learn, or worse than the
    one in use without `force`), the job fails with the reason a person can act on."""
    training = ModelTraining.objects.filter(pk=training_id).first()
    if training is None:
        raise NotFound(f"There is no training numbered {training_id}.")
    now = timezone.now()
    claimed = ModelTraining.objects.filter(pk=training.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, error=""
    )
    if not claimed:  # not waiting, or another worker took it
        return ModelTraining.objects.get(pk=training.pk)
    running = ModelTraining.objects.filter(pk=training.pk, status=RunStatus.RUNNING)

    def beat() -> None:
        running.update(heartbeat_at=timezone.now())

    def learnt(done: int, total: int) -> None:
        running.update(categories_done=done, categories_total=total, heartbeat_at=timezone.now())

    try:
        with heartbeat(beat, name=f"training {training.pk} heartbeat"):
            version = services.model_train(
                actor=training.created_by, force=training.force, on_progress=learnt
            )
    except DomainError as refused:
        running.update(status=RunStatus.FAILED, finished_at=timezone.now(), error=refused.message)
    except Exception:
        logger.exception("Training %s failed", training.pk)
        running.update(status=RunStatus.FAILED, finished_at=timezone.now(), error=TRAINING_FAILED)
    except BaseException:
        # The worker is being stopped: say so now rather than when the heartbeat is missed.
        try:
            running.update(
                status=RunStatus.FAILED, finished_at=timezone.now(), error=services.TRAINING_WORKER_STOPPED
            )
        except Exception:  # the process is going; the heartbeat's absence will say it instead
            logger.warning("Could not mark training %s failed as its worker stopped.", training.pk)
        raise
    else:
        running.update(status=RunStatus.SUCCEEDED, finished_at=timezone.now(), model_version=version)
    return ModelTraining.objects.get(pk=training.pk)
