"""Reading insight: the themes of a set of conversations, their trend, sentiment and quotes,
and the queue of conversations the model is least sure about.

Every read starts from the conversations the user may see
(`Conversation.objects.for_organisation`), so a theme count or quote never includes
another partner's conversations. A conversation a person has reviewed counts by their
labels; the rest by the model's.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from engage.conversations.models import Conversation
from engage.conversations.quotes.selectors import published_quotes
from engage.conversations.search import conversation_ids_matching
from engage.conversations.services import conversations_listed_record
from engage.core.cell_key import record_weight
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.core.pagination import Shortlist, shortlist
from engage.core.progress import JobProgress, job_progress, time_left_text
from engage.core.types import Actor
from engage.insight.framework.services import framework_in_use
from engage.insight.models import (
    AnalysisRun,
    Category,
    CategoryOrigin,
    ConversationInsight,
    DiscoveredGroup,
    Framework,
    GroupState,
    ModelLabel,
    ModelTraining,
    ModelVersion,
    PersonLabel,
    Review,
    RunStatus,
    Sentiment,
    ThemeDiscovery,
)
from engage.insight.services import analysis_runs_fail_stale, model_trainings_fail_stale
from engage.partners.models import Organisation

QUOTES_PER_THEME = 3


@dataclass
class ThemeRow:
    category: Category
    count: int
    weighted: int  # the conversations' weights, for a published figure (engage/core/cell_key.py)
    share: float  # of the conversations in the set
    sentiment: dict[str, int]
    trend: list[tuple[str, int]]  # (YYYY-MM, count)
    subthemes: list[ThemeRow] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class ThemeSummary:
    conversations: int
    conversations_weighted: int  # for a published figure (engage/core/cell_key.py)
    analysed: int
    themes: list[ThemeRow]
    sentiment: dict[str, int]
    months: list[str]
    model_version: ModelVersion | None
    last_run: AnalysisRun | None


def conversation_set(
    *,
    organisation: Organisation | None,
    activity_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    channel: str = "",
    priority_id: int | None = None,
    query: str = "",
    redacted_only: bool = False,
) -> QuerySet[Conversation]:
    """The conversations a theme page is about, within what the user may see: those of
    an activity, of the activities serving a priority, of a period or channel, or
    matching search words (up to the search's 10,000 best).

    `redacted_only`, for roles that may not read conversations (board members, analysts):
    the words are looked for in the text with personal details taken out, never the
    words people wrote. Otherwise a count could tell them whether a name, or any word,
    occurs in what someone said: "how many conversations mention Jane Smith?"."""
    scoped = Conversation.objects.for_organisation(organisation)
    if activity_id is not None:
        scoped = scoped.filter(activity_id=activity_id)
    if priority_id is not None:
        scoped = scoped.filter(activity__priorities=priority_id)
    if date_from is not None:
        scoped = scoped.filter(occurred_on__gte=date_from)
    if date_to is not None:
        scoped = scoped.filter(occurred_on__lte=date_to)
    if channel:
        scoped = scoped.filter(channel=channel)
    if query.strip() and redacted_only:
        for word in query.split()[:10]:
            scoped = scoped.filter(insight__redacted_text__icontains=word)
    elif query.strip():
        scoped = scoped.filter(pk__in=conversation_ids_matching(organisation=organisation, query=query))
    return scoped


def conversation_labels(conversations: QuerySet[Conversation]) -> dict[int, set[int]]:
    """Sub-category ids per conversation: people's where reviewed, else the model's."""
    result: dict[int, set[int]] = defaultdict(set)
    reviewed = Review.objects.filter(conversation__in=conversations.values("pk"))
    for conversation_id, category_id in PersonLabel.objects.filter(
        conversation__in=conversations.values("pk")
    ).values_list("conversation_id", "category_id"):
        result[conversation_id].add(category_id)
    unreviewed = conversations.exclude(pk__in=reviewed.values("conversation_id"))
    for conversation_id, category_id in ModelLabel.objects.filter(
        conversation__in=unreviewed.values("pk")
    ).values_list("conversation_id", "category_id"):
        result[conversation_id].add(category_id)
    return result


def themes_summary(conversations: QuerySet[Conversation], *, framework: Framework) -> ThemeSummary:
    """Counts, share, sentiment split, monthly trend and consented, redacted quotes of
    each category and sub-category, for this set of conversations."""
    facts = list(
        conversations.order_by().values_list(
            "pk", "occurred_on", "consent_to_quote", "insight__sentiment", "review__sentiment", "record_key"
        )
    )
    labels = conversation_labels(conversations)
    # Only words a person of the organisation that heard them approved are ever quoted.
    approved = published_quotes(conversations)
    categories = list(Category.objects.filter(framework=framework).select_related("parent"))
    by_id = {c.pk: c for c in categories}
    months = sorted({occurred.strftime("%Y-%m") for _, occurred, _, _, _, _ in facts})
    counts: Counter[int] = Counter()
    weights: Counter[int] = Counter()
    feelings: dict[int, Counter[str]] = defaultdict(Counter)
    trend: dict[int, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    quotable: dict[int, list[int]] = defaultdict(list)
    analysed = 0
    for pk, occurred, consent, model_feeling, person_feeling, key in facts:
        feeling = person_feeling or model_feeling
        if feeling:
            overall[feeling] += 1
            analysed += 1
        subs = labels.get(pk, set())
        parents = {up for s in subs if s in by_id and (up := by_id[s].parent_id) is not None}
        for category_id in subs | parents:
            counts[category_id] += 1
            weights[category_id] += record_weight(key)
            if feeling:
                feelings[category_id][feeling] += 1
            trend[category_id][occurred.strftime("%Y-%m")] += 1
            if consent and pk in approved and category_id in subs and len(quotable[category_id]) < 50:
                quotable[category_id].append(pk)
    quotes = _quotes(quotable, approved)
    total = len(facts)

    def row(category: Category) -> ThemeRow:
        return ThemeRow(
            category=category,
            count=counts[category.pk],
            weighted=weights[category.pk],
            share=counts[category.pk] / total if total else 0.0,
            sentiment={s: feelings[category.pk][s] for s in Sentiment.values},
            trend=[(month, trend[category.pk][month]) for month in months],
            quotes=quotes.get(category.pk, []),
        )

    themes: list[ThemeRow] = []
    for parent in (c for c in categories if c.parent_id is None):
        rows = [row(c) for c in categories if c.parent_id == parent.pk and counts[c.pk]]
        if not rows:
            continue
        theme = row(parent)
        theme.subthemes = sorted(rows, key=lambda r: -r.count)
        themes.append(theme)
    themes.sort(key=lambda r: -r.count)
    return ThemeSummary(
        conversations=total,
        conversations_weighted=sum(record_weight(fact[-1]) for fact in facts),
        analysed=analysed,
        themes=themes,
        sentiment={s: overall[s] for s in Sentiment.values},
        months=months,
        model_version=ModelVersion.objects.defer("blob").order_by("-number").first(),
        last_run=AnalysisRun.objects.order_by("-created_at").first(),
    )


def _quotes(quotable: dict[int, list[int]], texts: dict[int, str]) -> dict[int, list[str]]:
    """Up to QUOTES_PER_THEME quotes per sub-category: only words a member of staff of the
    organisation that heard them approved, while consent to quote stands
    (engage/conversations/quotes); the shortest readable ones first."""
    result: dict[int, list[str]] = {}
    for category_id, pks in quotable.items():
        candidates = [texts[pk] for pk in pks if pk in texts and 20 <= len(texts[pk]) <= 400]
        result[category_id] = sorted(candidates, key=len)[:QUOTES_PER_THEME]
    return result


def review_queue(*, organisation: Organisation | None, limit: int = 20) -> list[Conversation]:
    """The conversations the model is least sure about, that no person has reviewed."""
    reviewed = Review.objects.filter(conversation=OuterRef("pk"))
    return list(
        Conversation.objects.for_organisation(organisation)
        .filter(insight__isnull=False)
        .annotate(reviewed=Exists(reviewed))
        .filter(reviewed=False)
        .select_related("insight")
        .order_by("-insight__uncertainty", "-pk")[:limit]
    )


def model_label_ids(*, conversation_id: int) -> set[int]:
    """The sub-categories the model gave one conversation (the review page ticks them)."""
    return set(
        ModelLabel.objects.filter(conversation_id=conversation_id).values_list("category_id", flat=True)
    )


def review_progress(*, organisation: Organisation | None) -> dict[str, Any]:
    scoped = Conversation.objects.for_organisation(organisation)
    return {
        "reviewed": Review.objects.filter(conversation__in=scoped.values("pk")).count(),
        "labels": PersonLabel.objects.filter(conversation__in=scoped.values("pk"))
        .values("category")
        .annotate(n=Count("pk"))
        .count(),
    }


def subcategories(framework: Framework) -> list[Category]:
    return list(Category.objects.filter(framework=framework, parent__isnull=False).select_related("parent"))


def model_version_list(limit: int = 20) -> list[ModelVersion]:
    """The models trained, newest first (they hold no personal data, only what was learnt)."""
    return list(ModelVersion.objects.select_related("trained_by").defer("blob")[:limit])


def analysis_run_current() -> AnalysisRun | None:
    """The analysis waiting or running now, if any (only one runs at a time). One whose
    worker has stopped is marked failed as it is read, so it no longer shows as running."""
    analysis_runs_fail_stale()
    run: AnalysisRun | None = (
        AnalysisRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).order_by("-pk").first()
    )
    return run


def analysis_run_get(*, run_id: int) -> AnalysisRun | None:
    """One analysis; if it is running but its worker has stopped, marked failed first."""
    run: AnalysisRun | None = AnalysisRun.objects.filter(pk=run_id).first()
    if run is not None and run.status == RunStatus.RUNNING and analysis_runs_fail_stale():
        run.refresh_from_db()
    return run


def analysis_run_size(run: AnalysisRun) -> Published:
    """How many conversations an analysis covers, as it may be shown: an analysis runs
    over every partner's conversations, so its size is a figure about other
    organisations' data and goes through disclosure control. Its "records" are not read
    here one by one, so its cell key is a keyed hash of the run, fixed for it: the same
    run always shows the same figure."""
    key = salted_hmac("engage.insight.analysis-size", str(run.pk)).digest()[0]
    rows = max(run.rows_total, run.rows_done)
    return publish_count(rows, DisclosureRule.from_settings(), weighted=max(0, rows + key % 5 - 2))


def analysis_run_progress(run: AnalysisRun, *, now: dt.datetime | None = None) -> JobProgress:
    """How far an analysis has got, in whole tenths, and about how long it has left.

    Counts of conversations are not given (the size is, through `analysis_run_size`):
    the bar moves in tenths, and not at all where the size is too small to show, since
    a bar moving in steps of a third would say there were three."""
    exact = job_progress(
        rows_done=run.rows_done,
        rows_total=run.rows_total,
        started_at=run.started_at,
        finished_at=run.finished_at,
        finished=run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED),
        succeeded=run.status == RunStatus.SUCCEEDED,
        now=now,
    )
    size = analysis_run_size(run)
    tenths = exact.percent // 10 * 10 if not size.hidden and (size.value or 0) >= 100 else 0
    if exact.percent == 100:
        tenths = 100
    return JobProgress(
        rows_done=tenths,
        rows_total=100 if tenths or exact.finished else 0,
        percent=tenths,
        rows_per_second=0.0,
        seconds_left=exact.seconds_left,
        finished=exact.finished,
    )


def analysis_run_summary(run: AnalysisRun, progress: JobProgress) -> str:
    """One line a person reads while the analysis runs."""
    size = analysis_run_size(run)
    how_many = "fewer than 8" if size.hidden else f"about {size.text}"
    if run.status == RunStatus.QUEUED:
        return "Waiting for the background worker to start the analysis."
    if progress.finished:
        return f"{how_many.capitalize()} conversations analysed."
    done = f"Analysing {how_many} conversations" + (
        f": {progress.percent}% done" if progress.rows_total else ""
    )
    return f"{done}, {time_left_text(progress.seconds_left)}."


def analysis_run_list(limit: int = 20) -> list[AnalysisRun]:
    analysis_runs_fail_stale()  # none is listed as running whose worker has stopped
    return list(AnalysisRun.objects.select_related("model_version")[:limit])


def model_training_latest() -> ModelTraining | None:
    """The latest training of a new model, waiting, running or finished. One whose
    worker has stopped is marked failed as it is read, so it no longer shows as running."""
    model_trainings_fail_stale()
    training: ModelTraining | None = ModelTraining.objects.select_related("model_version").first()
    return training


def model_training_get(*, training_id: int) -> ModelTraining | None:
    """One training; if it is running but its worker has stopped, marked failed first."""
    training: ModelTraining | None = ModelTraining.objects.filter(pk=training_id).first()
    if training is not None and training.status == RunStatus.RUNNING and model_trainings_fail_stale():
        training.refresh_from_db()
    return training


def model_training_progress(training: ModelTraining, *, now: dt.datetime | None = None) -> JobProgress:
    """How far a training has got: themes learnt of those to learn (unknown until the
    labels are read, when the bar shows only that it is working)."""
    return job_progress(
        rows_done=training.categories_done,
        rows_total=training.categories_total,
        started_at=training.started_at,
        finished_at=training.finished_at,
        finished=training.status in (RunStatus.SUCCEEDED, RunStatus.FAILED),
        succeeded=training.status == RunStatus.SUCCEEDED,
        now=now,
    )


def model_training_summary(training: ModelTraining, progress: JobProgress) -> str:
    """One line a person reads about a training, while it runs and after."""
    if training.status == RunStatus.QUEUED:
        return "Waiting for the background worker to start training the new model."
    if training.status == RunStatus.FAILED:
        return training.error
    version = training.model_version
    if training.status == RunStatus.SUCCEEDED:
        if version is None:  # deleted since
            return "The new model was trained."
        return (
            f"Model {version.number} is trained on {version.labelled_conversations:,} labelled conversations "
            f"in {version.train_seconds:.1f} seconds. Analyse the conversations to use it."
        )
    if not progress.rows_total:
        return "Reading the labelled conversations."
    if progress.rows_done >= progress.rows_total:
        return f"Learnt all {progress.rows_total} themes; now learning sentiment and checking the new model."
    return f"Learnt {progress.rows_done} of {progress.rows_total} themes, {time_left_text(progress.seconds_left)}."


@dataclass
class GroupShown:
    """A discovered group as its page shows it: the group, its share of the discovery,
    and its typical conversations (id, redacted text)."""

    group: DiscoveredGroup
    share: float
    typical: list[tuple[int, str]]


@dataclass
class DiscoveryShown:
    discovery: ThemeDiscovery
    open: list[GroupShown]
    promoted: list[GroupShown]
    changed: int  # groups merged or split away


def theme_discovery_list(*, organisation: Organisation | None, limit: int = 10) -> list[ThemeDiscovery]:
    """The organisation's latest discoveries, with how many groups each has open."""
    return list(
        ThemeDiscovery.objects.for_organisation(organisation)
        .select_related("created_by")
        .annotate(open_groups=Count("groups", filter=Q(groups__state=GroupState.OPEN)))[:limit]
    )


def theme_discovery_get(
    *, actor: Actor, organisation: Organisation | None, discovery_id: int, typical: int = 5
) -> DiscoveryShown | None:
    """One of the organisation's discoveries with its open and promoted groups, each
    with its most typical conversations' redacted text (None if it is not theirs). What
    people said is shown, so those conversations are recorded as listed to `actor`."""
    discovery = ThemeDiscovery.objects.for_organisation(organisation).filter(pk=discovery_id).first()
    if discovery is None:
        return None
    groups = list(
        DiscoveredGroup.objects.for_organisation(organisation)
        .filter(discovery=discovery)
        .select_related("category")
    )
    wanted = {pk for group in groups for pk in group.member_ids[:typical]}
    texts = dict(
        ConversationInsight.objects.filter(
            conversation__in=Conversation.objects.for_organisation(organisation).filter(pk__in=wanted)
        ).values_list("conversation_id", "redacted_text")
    )
    total = max(len(discovery.conversation_ids), 1)

    def shown(group: DiscoveredGroup) -> GroupShown:
        quotes = [(pk, texts[pk]) for pk in group.member_ids[:typical] if pk in texts]
        return GroupShown(group=group, share=group.size / total, typical=quotes)

    found = DiscoveryShown(
        discovery=discovery,
        open=[shown(g) for g in groups if g.state == GroupState.OPEN],
        promoted=[shown(g) for g in groups if g.state == GroupState.PROMOTED],
        changed=sum(g.state in (GroupState.MERGED, GroupState.SPLIT) for g in groups),
    )
    conversations_listed_record(
        actor=actor,
        organisation=organisation,
        conversation_ids=[pk for group in found.open + found.promoted for pk, _ in group.typical],
    )
    return found


def framework_list() -> list[Framework]:
    """Every framework, the built-in one first, with its number of sub-categories."""
    return list(
        Framework.objects.annotate(
            subcategory_count=Count("categories", filter=Q(categories__parent__isnull=False))
        ).order_by("-built_in", "name")
    )


def framework_get(*, framework_id: int) -> Framework | None:
    found: Framework | None = Framework.objects.filter(pk=framework_id).first()
    return found


@dataclass
class FrameworkCategory:
    category: Category
    subcategories: list[Category]


def framework_outline(framework: Framework, *, query: str = "") -> list[FrameworkCategory]:
    """The framework's categories in order, each with its sub-categories. With `query`,
    only those whose name or description has the words (a category is kept, with just
    the matching sub-categories, when any of them match)."""
    words = query.casefold().split()

    def matches(category: Category) -> bool:
        text = f"{category.name} {category.description}".casefold()
        return all(word in text for word in words)

    categories = list(Category.objects.filter(framework=framework).order_by("position", "name"))
    outline = []
    for parent in (c for c in categories if c.parent_id is None):
        children = [c for c in categories if c.parent_id == parent.pk]
        if words and not matches(parent):
            children = [c for c in children if matches(c)]
            if not children:
                continue
        outline.append(FrameworkCategory(category=parent, subcategories=children))
    return outline


def parent_categories(framework: Framework) -> list[Category]:
    return list(Category.objects.filter(framework=framework, parent__isnull=True))


def theme_conversation_ids(conversations: QuerySet[Conversation], *, category: Category) -> list[int]:
    """The conversations of a set that are about a theme (a sub-category, or any of a
    category's): people's labels where reviewed, else the model's, as on the themes page."""
    wanted = [category.pk, *Category.objects.filter(parent=category).values_list("pk", flat=True)]
    in_set = conversations.values("pk")
    reviewed = Review.objects.filter(conversation__in=in_set).values("conversation_id")
    by_people = PersonLabel.objects.filter(conversation__in=in_set, category_id__in=wanted)
    by_model = ModelLabel.objects.filter(
        conversation__in=conversations.exclude(pk__in=reviewed).values("pk"), category_id__in=wanted
    )
    return sorted(
        set(by_people.values_list("conversation_id", flat=True))
        | set(by_model.values_list("conversation_id", flat=True))
    )


NEW_THEME_DAYS = 30


def category_list_added(*, since: dt.datetime | None = None, limit: int = 6) -> Shortlist[Category]:
    """The themes the partnership added to the framework in use, or promoted from
    discovered ones, since `since` (by default in the last NEW_THEME_DAYS days), the
    newest first. Themes are the partnership's, not any partner's: every role sees them."""
    since = since or timezone.now() - dt.timedelta(days=NEW_THEME_DAYS)
    return shortlist(
        Category.objects.filter(
            framework=framework_in_use(),
            origin__in=(CategoryOrigin.PARTNERSHIP, CategoryOrigin.DISCOVERED),
            added_at__gte=since,
        )
        .select_related("parent")
        .order_by("-added_at", "-id"),
        limit,
    )


def category_get(*, category_id: int | None) -> Category | None:
    return Category.objects.select_related("parent").filter(pk=category_id or 0).first()


class AnalysisThemeScorer:
    """The latest model's category scores for any texts: the analysis's view of what a
    text is about, which the register's topic similarity adds to its words
    (engage/activities/topics.py). The model is read once per version and process."""

    def __init__(self) -> None:
        self._number: int | None = None
        self._categories: Any = None

    def key(self) -> object:
        return ModelVersion.objects.order_by("-number").values_list("number", flat=True).first()

    def scores(self, texts: list[str]) -> Any:
        number = ModelVersion.objects.order_by("-number").values_list("number", flat=True).first()
        if number is None:
            return None
        if number != self._number:
            version = ModelVersion.objects.get(number=number)
            try:
                analyser = pickle.loads(bytes(version.blob))  # noqa: S301 - written by model_train into our own database
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                analyser = None  # unreadable: the analysis says so; here the words alone are used
            self._categories = getattr(analyser, "categories", None)
            self._number = number
        if self._categories is None or not self._categories.labels:
            return None
        return self._categories.scores(texts, [None] * len(texts), [""] * len(texts))

    def labels(self) -> list[str]:
        """The categories the columns of `scores` are, as the model last read names them."""
        return list(getattr(self._categories, "labels", None) or [])
