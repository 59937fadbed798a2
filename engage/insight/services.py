"""Insight: the built-in framework, people's labels, training, and analysis runs.

A run analyses only conversations that are new or whose text changed since their last
analysis (or every one, after a new model is trained): personal details are removed,
then categories and sentiment come from the latest model. People's labels are stored
apart (PersonLabel, Review) and a run never touches them.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from engage.conversations.models import Conversation
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.insight.framework_file import FrameworkFileError, FrameworkSpec, parse_framework
from engage.insight.models import (
    AnalysisRun,
    Category,
    CategoryOrigin,
    ConversationInsight,
    Framework,
    ModelLabel,
    ModelVersion,
    PersonLabel,
    Review,
    RunStatus,
    Sentiment,
)
from engage.partners.models import Organisation
from textkit.classify import NOT_POSSIBLE, train_categories
from textkit.parallel import map_chunks
from textkit.pipeline import Analyser, Analysis
from textkit.redact import redact_text
from textkit.sentiment import train_sentiment

logger = logging.getLogger(__name__)

BUILT_IN_FILE = Path(__file__).resolve().parent / "frameworks" / "patient_experience_v7.toml"
CHUNK = 2000  # conversations analysed and written per transaction
MIN_LABELLED = 20  # labelled conversations needed before categories are learnt
ProgressCallback = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------
# The framework.


@functools.cache
def _built_in_spec() -> FrameworkSpec:
    """The built-in framework's file, read once per process (it ships with the code)."""
    return parse_framework(BUILT_IN_FILE.read_text(encoding="utf-8"), file_name=BUILT_IN_FILE.name)


def _framework_file() -> dict[str, Any]:
    return _built_in_spec().data


def _framework_store(spec: FrameworkSpec, *, built_in: bool) -> Framework:
    """A framework and its categories, in the file's order (inside the caller's transaction)."""
    framework = Framework.objects.create(
        name=spec.name, version=spec.version, description=spec.description, built_in=built_in
    )
    position = 0
    for group in spec.categories:
        position += 1
        parent = Category.objects.create(
            framework=framework, name=group.name, description=group.description, position=position
        )
        for sub in group.subcategories:
            position += 1
            Category.objects.create(
                framework=framework,
                parent=parent,
                name=sub.name,
                description=sub.description,
                examples=list(sub.examples),
                position=position,
            )
    return framework


def framework_built_in() -> Framework:
    """The built-in framework, loaded from its file the first time it is asked for."""
    spec = _built_in_spec()
    framework = Framework.objects.filter(name=spec.name).first()
    if framework is not None:
        return framework
    with transaction.atomic():
        return _framework_store(spec, built_in=True)


def framework_in_use() -> Framework:
    """The framework the partnership sorts its conversations into: its own, where it has
    chosen one, or else the built-in one. Training, analysis and every page use it."""
    chosen: Framework | None = Framework.objects.filter(in_use=True).first()
    return chosen if chosen is not None else framework_built_in()


def framework_load(*, actor: Any, text: str, file_name: str, use: bool = False) -> Framework:
    """Add a partnership's own framework from the text of a TOML file (the shape of
    frameworks/README.md), and make it the one in use when `use`. A file that is not
    right raises InvalidInput naming the line; nothing is added."""
    try:
        spec = parse_framework(text, file_name=file_name)
    except FrameworkFileError as error:
        raise InvalidInput({"file": str(error)}) from None
    if Framework.objects.filter(name__iexact=spec.name).exists():
        raise InvalidInput(
            {
                "file": f"{file_name}: there is already a framework called {spec.name!r}. Give this one another name."
            }
        )
    with transaction.atomic():
        framework = _framework_store(spec, built_in=False)
        count = sum(len(group.subcategories) for group in spec.categories)
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="framework",
            subject_id=framework.pk,
            summary=f"Added the framework {spec.name!r} from {file_name}: {len(spec.categories)} categories, {count} sub-categories.",
        )
        if use:
            framework_choose(actor=actor, framework_id=framework.pk)
    return framework


def framework_choose(*, actor: Any, framework_id: int) -> Framework:
    """Make this framework the one in use. People's labels stay with the framework they
    were given in; the next model learns from the labels of the one in use."""
    framework_built_in()  # so the built-in one can always be chosen back
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        raise NotFound(f"There is no framework numbered {framework_id}.")
    with transaction.atomic():
        Framework.objects.exclude(pk=framework.pk).filter(in_use=True).update(in_use=False)
        Framework.objects.filter(pk=framework.pk).update(in_use=True)
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="framework",
            subject_id=framework.pk,
            summary=f"Chose the framework {framework.name!r} for sorting conversations into themes.",
        )
    framework.in_use = True
    return framework


def _built_in_mapping() -> dict[str, str]:
    """Version 6 column names (as in pxtextmining files) -> this framework's sub-categories."""
    return dict(_framework_file().get("v6_mapping", {}))


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
    actor: Any,
    organisation: Organisation,
    conversation_id: int,
    category_ids: Iterable[int],
    sentiment: str = "",
) -> Review:
    """A person settles a conversation's sub-categories (and perhaps its sentiment).
    Their labels replace their earlier ones; the model's are untouched."""
    conversation = Conversation.objects.for_organisation(organisation).filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound("There is no such conversation.")
    if sentiment and sentiment not in Sentiment.values:
        raise InvalidInput({"sentiment": "Choose positive, neutral or mixed, or negative."})
    framework = framework_in_use()
    ids = set(category_ids)
    categories = list(Category.objects.filter(framework=framework, parent__isnull=False, pk__in=ids))
    if len(categories) != len(ids):
        raise InvalidInput({"categories": "Choose sub-categories of the framework."})
    with transaction.atomic():
        PersonLabel.objects.filter(conversation=conversation).delete()
        PersonLabel.objects.bulk_create(
            PersonLabel(conversation=conversation, category=category, labelled_by=_user(actor))
            for category in categories
        )
        review, _ = Review.objects.update_or_create(
            conversation=conversation,
            defaults={
                "sentiment": sentiment,
                "reviewed_by": _user(actor),
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
    return review


def _new_category_problems(
    framework: Framework, *, name: str, parent: Category | None, parent_wanted: bool, description: str
) -> dict[str, str]:
    """What is wrong with a category about to be added, field by field."""
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Give the theme a name."
    elif len(name) > 200:
        problems["name"] = "The name must be 200 characters or fewer."
    elif Category.objects.filter(framework=framework, name__iexact=name).exists():
        problems["name"] = f"The framework already has a theme called {name!r}. Choose another name."
    if parent_wanted and parent is None:
        problems["parent"] = "Choose the category it belongs to."
    if len(description) > 1000:
        problems["description"] = "The description must be 1,000 characters or fewer."
    return problems


def _category_create(
    framework: Framework, *, name: str, parent: Category | None, description: str, origin: str
) -> Category:
    last = Category.objects.filter(framework=framework).aggregate(top=Max("position"))["top"] or 0
    return Category.objects.create(
        framework=framework,
        parent=parent,
        name=name,
        description=description,
        position=last + 1,
        origin=origin,
    )


def category_add(
    *, actor: Any, organisation: Organisation | None, name: str, parent_id: int | None, description: str = ""
) -> Category:
    """Add the partnership's own category to the framework: a sub-category under
    `parent_id`, or a new category of its own where `parent_id` is None (its
    sub-categories are then added under it). The model learns a new sub-category once
    people have labelled enough conversations with it (textkit.classify.MIN_EXAMPLES)."""
    framework = framework_in_use()
    name = " ".join(name.split())
    description = description.strip()
    parent = (
        Category.objects.filter(framework=framework, parent__isnull=True, pk=parent_id).first()
        if parent_id is not None
        else None
    )
    problems = _new_category_problems(
        framework, name=name, parent=parent, parent_wanted=parent_id is not None, description=description
    )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        category = _category_create(
            framework, name=name, parent=parent, description=description, origin=CategoryOrigin.PARTNERSHIP
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="category",
            subject_id=category.pk,
            summary=f"Added the theme {name!r}"
            + (f" under {parent.name!r}." if parent else " as a category of its own."),
        )
    return category


def category_promote(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    parent_id: int,
    description: str = "",
    conversation_ids: Iterable[int] = (),
) -> Category:
    """Add a discovered theme to the framework as a sub-category, and label with it the
    typical conversations the person saw, so the next model learns it. These labels are
    partial (the person did not review the conversations' other themes), so they add
    examples of the new theme without counting against the others."""
    framework = framework_in_use()
    name = " ".join(name.split())
    description = description.strip()[:1000]
    parent = Category.objects.filter(framework=framework, parent__isnull=True, pk=parent_id).first()
    problems = _new_category_problems(
        framework, name=name, parent=parent, parent_wanted=True, description=description
    )
    if problems or parent is None:
        raise InvalidInput(problems)
    seen = list(
        Conversation.objects.for_organisation(organisation)
        .filter(pk__in=list(conversation_ids))
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        category = _category_create(
            framework, name=name, parent=parent, description=description, origin=CategoryOrigin.DISCOVERED
        )
        PersonLabel.objects.bulk_create(
            [PersonLabel(conversation_id=pk, category=category, labelled_by=_user(actor)) for pk in seen],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="category",
            subject_id=category.pk,
            summary=f"Added the discovered theme {name!r} under {parent.name!r}, labelling {len(seen)} conversations.",
        )
    return category


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


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


def model_train(*, actor: Any) -> ModelVersion:
    """Train a new model version from people's labels (and, for sentiment, from the
    ratings where people have given no sentiment). Takes seconds for thousands."""
    imported_labels_adopt()
    framework = framework_in_use()
    texts, label_sets, feelings, ratings, questions, partial = _training_set(framework)
    started = time.perf_counter()
    categories = None
    if sum(1 for labels in label_sets if labels) >= MIN_LABELLED:
        categories = train_categories(texts, label_sets, ratings, questions, partial=partial)
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
            trained_by=_user(actor),
            labelled_conversations=sum(1 for labels in label_sets if labels),
            categories_learnt=len(categories.labels) if categories else 0,
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
            summary=f"Trained model {number} on {version.labelled_conversations:,} labelled conversations.",
        )
    return version


def _analyser(version: ModelVersion | None) -> Analyser:
    if version is None:
        return Analyser(sentiment=train_sentiment([], [], []))  # the lexicon, until a model is trained
    analyser = pickle.loads(bytes(version.blob))  # noqa: S301 - written by model_train into our own database
    if not isinstance(analyser, Analyser):
        raise Conflict(f"Model {version.number} could not be read; train a new one.")
    return analyser


# ---------------------------------------------------------------------------------------
# Analysis runs.


def analysis_run_create(*, actor: Any, start: bool = True, everything: bool = False) -> AnalysisRun:
    """Queue an analysis of the conversations that need one (all of them with `everything`)."""
    if AnalysisRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise Conflict("An analysis is already waiting or running. Wait for it to finish.")
    with transaction.atomic():
        if everything:
            ConversationInsight.objects.update(text_hash="")
        run = AnalysisRun.objects.create(created_by=_user(actor), rows_total=_pending().count())
        if start:
            from engage.insight.tasks import analysis_run_task

            run_id = run.pk
            transaction.on_commit(lambda: analysis_run_task.enqueue(run_id=run_id))
    return run


def _pending() -> Any:
    """Conversations never analysed, analysed before the latest model, or whose text changed."""
    latest = ModelVersion.objects.defer("blob").order_by("-number").first()
    stale = Q(insight__isnull=True) | Q(insight__text_hash="")
    if latest is not None:
        stale |= ~Q(insight__model_version=latest) | Q(insight__model_version__isnull=True)
    return Conversation.objects.filter(stale).order_by("pk")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def analysis_run_execute(*, run_id: int, on_progress: ProgressCallback | None = None) -> AnalysisRun:
    """Analyse the pending conversations in chunks, each chunk in its own transaction,
    so a run that stops part way keeps what it finished and the next picks up the rest."""
    run = AnalysisRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"There is no analysis run numbered {run_id}.")
    if run.status == RunStatus.SUCCEEDED:
        return run
    version = ModelVersion.objects.order_by("-number").first()
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), model_version=version, error=""
    )
    try:
        analyser = _analyser(version)
        by_name = (
            {c.name: c.pk for c in Category.objects.filter(framework=version.framework)} if version else {}
        )
        insight_forget_changed()
        total = _pending().count()
        done = 0
        # The analysis of each chunk may run elsewhere (a process pool, a Dask cluster);
        # the writing happens here, a chunk at a time, in the order read.
        analysed = map_chunks(
            _analyse_rows,
            analyser,
            _pending_chunks(),
            workers=int(getattr(settings, "ENGAGE_INSIGHT_WORKERS", 1)),
            scheduler=str(getattr(settings, "ENGAGE_DASK_SCHEDULER", "") or ""),
        )
        for chunk, results in analysed:
            _write_chunk(chunk, results, version, by_name)
            done += len(chunk)
            AnalysisRun.objects.filter(pk=run.pk).update(rows_done=done, rows_total=max(total, done))
            if on_progress is not None:
                on_progress(done, max(total, done))
    except Exception:
        logger.exception("Analysis run %s failed", run.pk)
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error="The analysis stopped because of an unexpected problem. What it finished is kept; "
            "start it again to do the rest.",
        )
        return AnalysisRun.objects.get(pk=run.pk)
    AnalysisRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, finished_at=timezone.now())
    return AnalysisRun.objects.get(pk=run.pk)


Row = tuple[int, str, int | None, str]


def _pending_chunks() -> Iterator[list[Row]]:
    """The pending conversations, CHUNK at a time, in id order."""
    last_id = 0
    while True:
        chunk = list(
            _pending().filter(pk__gt=last_id).values_list("pk", "text", "rating", "question")[:CHUNK]
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
    now = timezone.now()
    ids = [pk for pk, _, _, _ in chunk]
    with transaction.atomic():
        ConversationInsight.objects.filter(conversation_id__in=ids).delete()
        ModelLabel.objects.filter(conversation_id__in=ids).delete()
        ConversationInsight.objects.bulk_create(
            ConversationInsight(
                conversation_id=pk,
                redacted_text=result.redacted,
                redactions=result.redactions,
                sentiment=result.sentiment,
                uncertainty=result.uncertainty,
                model_version=version,
                text_hash=_hash(text),
                analysed_at=now,
            )
            for (pk, text, _, _), result in zip(chunk, results, strict=True)
        )
        if version is not None:
            ModelLabel.objects.bulk_create(
                ModelLabel(conversation_id=pk, category_id=by_name[name], score=score, model_version=version)
                for (pk, _, _, _), result in zip(chunk, results, strict=True)
                for name, score in result.labels
                if name in by_name and name != NOT_POSSIBLE
            )


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
