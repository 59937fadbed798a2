"""Insight: the built-in framework, people's labels, training, and analysis runs.

A run analyses only conversations that are new or whose text changed since their last
analysis (or every one, after a new model is trained): personal details are removed,
then categories and sentiment come from the latest model. People's labels are stored
apart (PersonLabel, Review) and a run never touches them.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from engage.conversations.models import Conversation
from engage.core.errors import Conflict, DomainError, InvalidInput
from engage.core.ids import checked_many, checked_one
from engage.core.jobs import enqueue_after_commit, stale_jobs_fail, violates
from engage.core.models import AuditAction, BackgroundJob
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.insight.framework.selectors import ThemeReadiness, training_readiness
from engage.insight.framework.services import _framework_file, framework_built_in, framework_in_use
from engage.insight.models import (
    AnalysisRun,
    Category,
    ConversationInsight,
    Framework,
    ModelTraining,
    ModelVersion,
    PersonLabel,
    Review,
    RunStatus,
    Sentiment,
)
from engage.insight.signals import labels_reviewed
from engage.partners.models import Organisation
from textkit.classify import MIN_EXAMPLES, CategoryModel, examples_by_label, train_categories
from textkit.pipeline import Analyser
from textkit.redact import redact_text
from textkit.sentiment import train_sentiment

logger = logging.getLogger(__name__)
CHUNK = 2000  # conversations read at a time while adopting labels and training
MIN_LABELLED = 20  # labelled conversations needed before categories are learnt


def _built_in_mapping() -> dict[str, str]:
    """Version 6 column names (as in pxtextmining files) -> this framework's sub-categories."""
    return dict(_framework_file().get("v6_mapping", {}))


def built_in_examples() -> dict[str, list[str]]:
    """The built-in framework's examples of each sub-category, under its name and its
    version 6 column names: what `engage insight evaluate` trains with, as training does."""
    return examples_by_label(_framework_file())


def _framework_examples(framework: Framework) -> dict[str, list[str]]:
    """The framework's own examples of its sub-categories, which training adds to
    people's labels (textkit.classify.train_categories). A partnership writes its own
    framework's, so they are redacted as conversations are before a model learns them."""
    rows = Category.objects.filter(framework=framework, parent__isnull=False).values_list("name", "examples")
    return {name: [redact_text(example) for example in examples] for name, examples in rows if examples}


def _label_names(imported: Sequence[str], mapping: dict[str, str], known: set[str]) -> list[str]:
    """A file's labels as this framework's sub-categories ("Not assigned" only alone)."""
    names = []
    for label in imported:
        name = label if label in known else mapping.get(label)
        if name and name not in names:
            names.append(name)
    if len(names) > 1 and "Not assigned" in names:
        names.remove("Not assigned")
    return names


# ---------------------------------------------------------------------------------------
# People's labels.


def review_record(
    *,
    actor: Actor,
    organisation: Organisation,
    conversation_id: int | None,
    category_ids: Iterable[int],
    sentiment: str = "",
) -> Review:
    """A person settles a conversation's sub-categories (and perhaps its sentiment).
    Their labels replace their earlier ones; the model's are untouched."""
    conversation = checked_one(
        Conversation.objects.for_organisation(organisation),
        conversation_id,
        field="conversation",
        what="conversation in your organisation's bank",
    )
    if sentiment and sentiment not in Sentiment.values:
        raise InvalidInput({"sentiment": "Choose positive, neutral or mixed, or negative."})
    framework = framework_in_use()
    categories = checked_many(
        Category.objects.filter(framework=framework, parent__isnull=False),
        category_ids,
        field="categories",
        what="sub-category of the framework in use",
    )
    with transaction.atomic():
        PersonLabel.objects.filter(conversation=conversation).delete()
        PersonLabel.objects.bulk_create(
            PersonLabel(conversation=conversation, category=category, labelled_by=user_or_none(actor))
            for category in categories
        )
        review, _ = Review.objects.update_or_create(
            conversation=conversation,
            defaults={
                "sentiment": sentiment,
                "reviewed_by": user_or_none(actor),
                "source": PersonLabel.Source.REVIEW,
            },
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary=f"Labelled: {', '.join(c.name for c in categories) or 'no category'}"
            + (f"; {Sentiment(sentiment).label.lower()}" if sentiment else "")
            + ".",
        )
        labels_reviewed.send(sender=Review, organisation_id=organisation.pk)
    return review


def imported_labels_adopt() -> int:
    """Turn the labels imported with files (the pxtextmining format) into people's
    labels of the built-in framework, for conversations no person has reviewed.
    Returns how many conversations gained labels."""
    framework = framework_built_in()
    by_name = {c.name: c for c in Category.objects.filter(framework=framework, parent__isnull=False)}
    mapping = _built_in_mapping()
    adopted = 0
    pending = (
        Conversation.objects.filter(imported_labels__isnull=False, review__isnull=True)
        .values_list("pk", "imported_labels")
        .iterator(chunk_size=CHUNK)
    )
    batch: list[tuple[int, list[str]]] = []

    def flush() -> int:
        with transaction.atomic():
            Review.objects.bulk_create(
                [Review(conversation_id=pk, source=PersonLabel.Source.IMPORT) for pk, _ in batch],
                ignore_conflicts=True,
            )
            PersonLabel.objects.bulk_create(
                [
                    PersonLabel(conversation_id=pk, category=by_name[name], source=PersonLabel.Source.IMPORT)
                    for pk, names in batch
                    for name in names
                ],
                ignore_conflicts=True,
            )
        return len(batch)

    for pk, labels in pending:
        names = _label_names(labels or [], mapping, set(by_name))
        if names:
            batch.append((pk, names))
        if len(batch) >= CHUNK:
            adopted += flush()
            batch = []
    if batch:
        adopted += flush()
    return adopted


# ---------------------------------------------------------------------------------------
# Training.


def _training_set(
    framework: Framework,
) -> tuple[list[str], list[list[str]], list[str | None], list[int | None], list[str], list[bool]]:
    """Labelled conversations: text (redacted), people's sub-categories of `framework`,
    sentiment, rating, question, and whether the labels are partial (given without a
    review of the rest, as when a discovered theme is promoted)."""
    labels: dict[int, list[str]] = {}
    given = PersonLabel.objects.filter(category__framework=framework)
    for conversation_id, name in given.values_list("conversation_id", "category__name"):
        labels.setdefault(conversation_id, []).append(name)
    reviewed = dict(Review.objects.values_list("conversation_id", "sentiment"))
    texts: list[str] = []
    label_sets: list[list[str]] = []
    feelings: list[str | None] = []
    ratings: list[int | None] = []
    questions: list[str] = []
    partial: list[bool] = []
    wanted = set(reviewed) | set(labels)
    rows = Conversation.objects.filter(pk__in=wanted).values_list("pk", "text", "rating", "question")
    for conversation_id, text, rating, question in rows.iterator(chunk_size=CHUNK):
        # Learnt from the text as analysed: personal details removed, so no name or
        # number can become part of a model's vocabulary.
        texts.append(redact_text(text))
        label_sets.append(labels.get(conversation_id, []))
        feelings.append(reviewed.get(conversation_id) or None)
        ratings.append(rating)
        questions.append(question)
        partial.append(conversation_id not in reviewed)
    return texts, label_sets, feelings, ratings, questions, partial


class NothingToLearn(DomainError):
    """No theme has enough labelled examples yet: a model would learn none."""


class WorseModel(DomainError):
    """The new model would be worse than the one in use; `force` trains it anyway."""


# A new model scoring this much lower on held-out labels than the one in use is refused:
# held-out F1 moves by a point or two between runs on the same labels.
WORSE_BY = 0.05


def _nothing_to_learn(readiness: list[ThemeReadiness], labelled: int) -> NothingToLearn:
    nearest = ", ".join(f"{theme.name} ({theme.labelled} of {theme.needed})" for theme in readiness[:3])
    return NothingToLearn(
        f"There is nothing yet to learn themes from: {labelled:,} conversations are labelled, and each "
        f"theme needs {MIN_EXAMPLES} labelled examples (and {MIN_LABELLED} labelled conversations in all). "
        "Label more on the review page"
        + (f"; the nearest are {nearest}." if nearest and readiness[0].labelled else ".")
    )


def _compared_with_in_use(candidate: CategoryModel, in_use: ModelVersion | None) -> str:
    """Why the candidate is worse than the model in use, or "" if it is not."""
    if in_use is None:
        return ""
    if len(candidate.labels) < in_use.categories_learnt:
        return (
            f"It would learn {len(candidate.labels)} themes, where model {in_use.number}, in use, learnt "
            f"{in_use.categories_learnt}."
        )
    new, old = candidate.held_out_macro_f1, in_use.held_out_macro_f1
    if new is not None and old is not None and new < old - WORSE_BY:
        return (
            f"On labelled conversations held back from training, its themes score {new:.2f} (F1), "
            f"where model {in_use.number}, in use, scored {old:.2f}."
        )
    return ""


def model_train(
    *, actor: Actor, force: bool = False, on_progress: Callable[[int, int], object] | None = None
) -> ModelVersion:
    """Train a new model version from people's labels (and, for sentiment, from the
    ratings where people have given no sentiment). Takes seconds for thousands, a
    minute or more for tens of thousands: the staff page queues it for the worker
    (`model_training_create`); `on_progress(done, total)` is told as each theme is learnt.

    Refused (NothingToLearn) where no theme has enough labelled examples, and
    (WorseModel) where the new model would learn fewer themes than the one in use, or
    score clearly lower on held-out labels, unless `force`."""
    imported_labels_adopt()
    framework = framework_in_use()
    texts, label_sets, feelings, ratings, questions, partial = _training_set(framework)
    labelled = sum(1 for labels in label_sets if labels)
    started = time.perf_counter()
    categories = None
    if labelled >= MIN_LABELLED:
        categories = train_categories(
            texts,
            label_sets,
            ratings,
            questions,
            partial=partial,
            on_progress=on_progress,
            examples=_framework_examples(framework),
        )
    if categories is None or not categories.labels:
        raise _nothing_to_learn(training_readiness(framework), labelled)
    # Compared only with a model of the same framework: another's themes are not these.
    in_use = ModelVersion.objects.defer("blob").filter(framework=framework).order_by("-number").first()
    worse = _compared_with_in_use(categories, in_use)
    if worse and not force:
        raise WorseModel(f"The new model was not kept: it would be worse than the one in use. {worse}")
    if not any(feelings):
        # No person has said what a comment felt like: learn from every rated comment.
        rated = list(
            Conversation.objects.filter(rating__isnull=False).values_list("text", "rating", "question")[
                :50_000
            ]
        )
        sentiment = train_sentiment(
            [redact_text(text) for text, _, _ in rated],
            [None] * len(rated),
            [rating for _, rating, _ in rated],
            [question for _, _, question in rated],
        )
    else:
        sentiment = train_sentiment(texts, feelings, ratings, questions)
    seconds = time.perf_counter() - started
    analyser = Analyser(sentiment=sentiment, categories=categories, framework=framework.name)
    with transaction.atomic():
        number = (ModelVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        version = ModelVersion.objects.create(
            number=number,
            framework=framework,
            trained_by=user_or_none(actor),
            labelled_conversations=labelled,
            categories_learnt=len(categories.labels),
            held_out_macro_f1=categories.held_out_macro_f1,
            sentiment_source=sentiment.source,
            train_seconds=round(seconds, 2),
            blob=pickle.dumps(analyser, protocol=pickle.HIGHEST_PROTOCOL),
        )
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="model_version",
            subject_id=version.pk,
            summary=f"Trained model {number} on {version.labelled_conversations:,} labelled conversations"
            + (f", though worse than the one in use: {worse}" if worse else "."),
        )
    return version


# ---------------------------------------------------------------------------------------
# Training in the background.

TRAINING_ALREADY = "A new model is already being trained. Wait for it to finish."
TRAINING_WORKER_STOPPED = "The worker stopped while this model was being trained. Train it again."


def _jobs_fail_stale(
    model: type[AnalysisRun] | type[ModelTraining], *, subject_type: str, what: str, message: str
) -> list[int]:
    """Mark failed, and audit, the job of `model` running whose worker has stopped (no
    heartbeat for ENGAGE_JOB_STALE_SECONDS, see engage/core/jobs.py), so the next can
    start. Returns the ids marked."""

    def audit(job: BackgroundJob) -> None:
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type=subject_type,
            subject_id=job.pk,
            summary=f"Marked {what} failed: its worker stopped while it ran.",
        )

    return stale_jobs_fail(
        model.objects.all(),
        running=RunStatus.RUNNING,
        failed=RunStatus.FAILED,
        message=message,
        on_failed=audit,
    )


def model_trainings_fail_stale() -> list[int]:
    """Mark failed the training whose worker has stopped, so another can start; nothing
    of it was kept. Returns the ids marked."""
    return _jobs_fail_stale(
        ModelTraining,
        subject_type="model_training",
        what="the training of a new model",
        message=TRAINING_WORKER_STOPPED,
    )


def model_training_create(*, actor: Actor, force: bool = False, start: bool = True) -> ModelTraining:
    """Queue the training of a new model version for the worker (runner.model_training_execute).
    One waits or runs at a time: the database refuses a second (two clicks at once
    included), and that is a Conflict. One whose worker died is marked failed first."""
    model_trainings_fail_stale()
    try:
        with transaction.atomic():
            training = ModelTraining.objects.create(created_by=user_or_none(actor), force=force)
            audit_record(
                actor=actor,
                organisation=None,
                action=AuditAction.CREATED,
                subject_type="model_training",
                subject_id=training.pk,
                summary="Queued the training of a new model"
                + (", to be kept even if worse than the one in use." if force else "."),
            )
            if start:
                enqueue_after_commit("engage.insight.tasks.model_training_task", training_id=training.pk)
    except IntegrityError as error:
        if not violates(error, ModelTraining, "training_one_at_a_time"):
            raise
        raise Conflict(TRAINING_ALREADY) from error
    return training


# ---------------------------------------------------------------------------------------
# Analysis runs.


ALREADY = "An analysis is already waiting or running. Wait for it to finish."
WORKER_STOPPED = (
    "The worker stopped while this was running. What it finished is kept; start it again to do the rest."
)


def analysis_runs_fail_stale() -> list[int]:
    """Mark failed the running analysis whose worker has stopped, so the next can start.
    Each chunk it finished was committed and is kept. Returns the ids marked."""
    return _jobs_fail_stale(
        AnalysisRun, subject_type="analysis_run", what="the analysis", message=WORKER_STOPPED
    )


def conversations_pending() -> Any:
    """Conversations never analysed, analysed before the latest model, or whose text changed."""
    latest = ModelVersion.objects.defer("blob").order_by("-number").first()
    stale = Q(insight__isnull=True) | Q(insight__text_hash="")
    if latest is not None:
        stale |= ~Q(insight__model_version=latest) | Q(insight__model_version__isnull=True)
    return Conversation.objects.filter(stale).order_by("pk")


def analysis_run_create(*, actor: Actor, start: bool = True, everything: bool = False) -> AnalysisRun:
    """Queue an analysis of the conversations that need one (all of them with `everything`).
    Only one waits or runs at a time: the database refuses a second (two clicks at once
    included), and that is a Conflict. One whose worker died is marked failed first."""
    analysis_runs_fail_stale()
    try:
        with transaction.atomic():
            # First, so the database refuses a second run before any other work is done.
            run = AnalysisRun.objects.create(created_by=user_or_none(actor))
            if everything:
                ConversationInsight.objects.update(text_hash="")
            run.rows_total = conversations_pending().count()
            run.save(update_fields=["rows_total"])
            audit_record(
                actor=actor,
                organisation=None,
                action=AuditAction.CREATED,
                subject_type="analysis_run",
                subject_id=run.pk,
                summary="Queued an analysis of "
                + ("every conversation." if everything else "the conversations new or changed."),
            )
            if start:
                enqueue_after_commit("engage.insight.tasks.analysis_run_task", run_id=run.pk)
    except IntegrityError as error:
        if not violates(error, AnalysisRun, "analysis_one_at_a_time"):
            raise
        raise Conflict(ALREADY) from error
    return run


def analysis_after_commit(why: str) -> None:
    """Once the transaction in hand commits, queue an analysis of what needs one. One
    already waiting picks the new ones up, and one running now reads them too, as it
    goes on in order of id; any it finished before they landed are queued by the run
    itself as it ends (runner.analysis_follow_up)."""

    def follow() -> None:
        try:
            analysis_run_create(actor=None, start=True)
        except Conflict:
            logger.info("%s while an analysis waits or runs.", why)

    transaction.on_commit(follow)


def on_conversations_changed(sender: object, *, conversation_ids: list[int], **_: Any) -> None:
    """What people said was corrected or had a passage taken out (the conversations app,
    which may not import this one, says so): analyse what changed."""
    analysis_after_commit(f"Conversations {conversation_ids} changed")


def on_conversations_added(sender: object, *, organisation_id: int, count: int, **_: Any) -> None:
    """Conversations were added (an import landed, staff or the public form recorded
    one): analyse them in the background, so no page shows them "not analysed yet"."""
    analysis_after_commit(f"{count} conversations were added for organisation {organisation_id}")
