"""Reading the self-assessment: a round's results for each statement, by group and
overall, with the spread; each statement over the rounds; the comments themed; and the
objectives with their statements' progress.

No group's figures are shown alone from fewer than MIN_SHOWN answers. Groups that small
are shown together as "Other groups together"; where even those together are fewer, the
smallest group shown alone joins them, so every row stands for MIN_SHOWN answers or
more, and the rows add up to the whole: no row can be worked out from the others and the
overall figure (`shown_groups`)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from engage.evaluation.models import (
    AssessmentRound,
    Objective,
    ProgressStatus,
    Score,
    ScorerGroup,
    ScoringLink,
    Statement,
)
from textkit.discover import discover
from textkit.redact import redact_text

MIN_SHOWN = 5
OTHERS = "Other groups together"
OVERALL = "Everyone"


@dataclass(frozen=True)
class Spread:
    answers: int
    mean: float
    median: float
    lower_quartile: float
    upper_quartile: float


def spread_of(scores: list[int]) -> Spread | None:
    """The scores' centre and spread; None for fewer than MIN_SHOWN."""
    if len(scores) < MIN_SHOWN:
        return None
    lower, median, upper = statistics.quantiles(scores, n=4, method="inclusive")
    return Spread(len(scores), round(statistics.fmean(scores), 1), median, lower, upper)


def shown_groups(counts: dict[str, int]) -> list[tuple[str, list[str]]]:
    """Rows to show, each (label, groups in it): every group of MIN_SHOWN answers or
    more alone, the rest together (see the notes). Groups with no answers are left out."""
    order = list(ScorerGroup.values)
    answered = {group: n for group, n in counts.items() if n > 0}
    alone = sorted(
        (g for g, n in answered.items() if n >= MIN_SHOWN), key=lambda g: (answered[g], order.index(g))
    )
    together = [g for g, n in answered.items() if n < MIN_SHOWN]
    while together and sum(answered[g] for g in together) < MIN_SHOWN and alone:
        together.append(alone.pop(0))
    labels = dict(ScorerGroup.choices)
    rows = [(labels[g], [g]) for g in order if g in alone]
    if together and sum(answered[g] for g in together) >= MIN_SHOWN:
        rows.append((OTHERS, sorted(together, key=order.index)))
    return rows


@dataclass(frozen=True)
class GroupResult:
    label: str
    spread: Spread


@dataclass(frozen=True)
class StatementResult:
    statement: Statement
    overall: Spread | None
    groups: list[GroupResult]
    answered: int  # how many scored it, in all
    cannot_say: int


@dataclass(frozen=True)
class RoundResults:
    round: AssessmentRound
    sheets: int
    statements: list[StatementResult]


def _scores_by_group(scoring: AssessmentRound) -> dict[int, dict[str, list[int]]]:
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for statement_id, group, score in Score.objects.filter(sheet__round=scoring).values_list(
        "statement_id", "sheet__group", "score"
    ):
        found[statement_id][group].append(score)
    return found


def round_results(scoring: AssessmentRound) -> RoundResults:
    by_statement = _scores_by_group(scoring)
    sheets = scoring.sheets.count()
    results = []
    for statement in scoring.statements.order_by("position", "text"):
        groups = by_statement.get(statement.pk, {})
        rows = []
        for label, members in shown_groups({g: len(s) for g, s in groups.items()}):
            spread = spread_of([score for g in members for score in groups[g]])
            if spread is not None:
                rows.append(GroupResult(label, spread))
        everyone = [score for scores in groups.values() for score in scores]
        if len(rows) == 1 and rows[0].spread.answers == len(everyone):
            rows = []  # one row of every group together is everyone: shown once, as everyone
        results.append(
            StatementResult(
                statement, spread_of(everyone), rows, len(everyone), max(sheets - len(everyone), 0)
            )
        )
    return RoundResults(scoring, sheets, results)


def round_list() -> QuerySet[AssessmentRound]:
    return AssessmentRound.objects.annotate(sheet_count=Count("sheets", distinct=True)).order_by(
        "opened_on", "pk"
    )


def round_get(*, round_id: int) -> AssessmentRound | None:
    return AssessmentRound.objects.filter(pk=round_id).first()


def open_round() -> AssessmentRound | None:
    return AssessmentRound.objects.filter(closed_on__isnull=True).order_by("-opened_on").first()


@dataclass(frozen=True)
class LinkCount:
    group: str
    made: int
    used: int


def link_counts(scoring: AssessmentRound) -> list[LinkCount]:
    """Links made and used for each group: how many, never which."""
    counted: dict[str, dict[bool, int]] = defaultdict(dict)
    for group, used, n in (
        ScoringLink.objects.filter(round=scoring)
        .values_list("group", "used")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counted[group][used] = n
    return [
        LinkCount(label, sum(counted[group].values()), counted[group].get(True, 0))
        for group, label in ScorerGroup.choices
        if group in counted
    ]


# --- Over the rounds -----------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    means: list[float | None]  # one a round; None where too few answered, or not asked


@dataclass(frozen=True)
class StatementTrend:
    statement: Statement
    rounds: list[str]
    overall: Series
    groups: list[Series]
    change: float | None  # the latest overall mean less the first's (the baseline)


def statement_trends(*, closed_only: bool = True) -> list[StatementTrend]:
    """Each statement in use, round by round: everyone's mean, and each group's where
    it had MIN_SHOWN answers or more (a group shown together with others in a round is
    a gap in its own line)."""
    rounds = list(AssessmentRound.objects.order_by("opened_on", "pk"))
    if closed_only:
        rounds = [r for r in rounds if not r.is_open]
    scores: dict[tuple[int, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for round_id, statement_id, group, score in Score.objects.filter(sheet__round__in=rounds).values_list(
        "sheet__round_id", "statement_id", "sheet__group", "score"
    ):
        scores[(round_id, statement_id)][group].append(score)
    labels = dict(ScorerGroup.choices)
    trends = []
    for statement in Statement.objects.filter(is_active=True).order_by("position", "text"):
        overall: list[float | None] = []
        by_group: dict[str, list[float | None]] = {g: [] for g in ScorerGroup.values}
        for scoring in rounds:
            groups = scores.get((scoring.pk, statement.pk), {})
            everyone = spread_of([s for values in groups.values() for s in values])
            overall.append(everyone.mean if everyone else None)
            alone = {
                members[0]
                for label, members in shown_groups({g: len(v) for g, v in groups.items()})
                if label != OTHERS
            }
            for group in ScorerGroup.values:
                spread = spread_of(groups[group]) if group in alone else None
                by_group[group].append(spread.mean if spread else None)
        known = [mean for mean in overall if mean is not None]
        trends.append(
            StatementTrend(
                statement=statement,
                rounds=[r.title for r in rounds],
                overall=Series(OVERALL, overall),
                groups=[
                    Series(labels[g], means)
                    for g, means in by_group.items()
                    if any(m is not None for m in means)
                ],
                change=round(known[-1] - known[0], 1) if len(known) >= 2 else None,
            )
        )
    return trends


@dataclass(frozen=True)
class CommentTheme:
    keywords: list[str]
    size: int
    typical: list[str]


@dataclass(frozen=True)
class ThemedComments:
    themes: list[CommentTheme]
    unthemed: list[tuple[str, int]]  # too few to theme: each comment, and how many wrote it


def round_comments(scoring: AssessmentRound, *, statement_id: int | None = None) -> ThemedComments:
    """A round's comments, redacted and grouped into themes by the analysis
    (textkit.discover); too few to theme are listed. Shown without their group, so a
    comment says nothing about who wrote it."""
    comments = Score.objects.filter(sheet__round=scoring).exclude(comment="")
    if statement_id is not None:
        comments = comments.filter(statement_id=statement_id)
    texts = [redact_text(text) for text in comments.order_by("pk").values_list("comment", flat=True)]
    clusters = discover(texts) if len(texts) >= 10 else []
    if not clusters:
        return ThemedComments([], sorted(Counter(texts).items()))
    return ThemedComments(
        # The same words from several scorers are shown once.
        [
            CommentTheme(c.keywords[:5], c.size, list(dict.fromkeys(texts[i] for i in c.typical)))
            for c in clusters
        ],
        [],
    )


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: Objective
    actions_by_status: dict[str, int]
    trends: list[StatementTrend]  # of its statements

    @property
    def status_label(self) -> str:
        return ProgressStatus(self.objective.status).label


def objective_list(*, objective_id: int | None = None) -> list[ObjectiveProgress]:
    """Every objective with its progress, or the one asked for."""
    trends = {trend.statement.pk: trend for trend in statement_trends()}
    objectives = Objective.objects.prefetch_related("statements", "activities", "actions")
    if objective_id is not None:
        objectives = objectives.filter(pk=objective_id)
    found = []
    for objective in objectives:
        counted: dict[str, int] = defaultdict(int)
        for action in objective.actions.all():
            counted[action.status] += 1
        found.append(
            ObjectiveProgress(
                objective,
                dict(counted),
                [trends[s.pk] for s in objective.statements.all() if s.pk in trends],
            )
        )
    return found


def objective_get(*, objective_id: int) -> Objective | None:
    return (
        Objective.objects.filter(pk=objective_id)
        .prefetch_related("statements", "activities", "actions")
        .first()
    )


def statement_list(*, active_only: bool = False) -> QuerySet[Statement]:
    statements = Statement.objects.annotate(score_count=Count("scores"))
    return statements.filter(is_active=True) if active_only else statements
