"""Reading evaluations: each activity's state for the register (worked out in the
database from its parts, never stored), the overdue ones, and one evaluation's four
parts, filled from reach, the participants' answers, the decisions it informed and the
team's own account. Participants' figures go through disclosure control for everyone;
their comments, redacted, are read only by the lead organisation's staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from engage.activities.models import Activity, TargetGroup
from engage.core.cell_key import Tally, weight_of
from engage.core.disclosure import DisclosureRule, Published, publish_breakdown, publish_count, publish_share
from engage.core.pagination import Shortlist
from engage.decisions.models import Decision
from engage.evaluation.models import (
    EVALUATION_DUE_DAYS,
    QUESTIONS,
    Evaluation,
    Met,
    ParticipantAnswer,
    Principle,
    PrincipleAssessment,
    evaluation_due_on,
)
from engage.evaluation.targets import NOT_COUNTED, REACH_GROUPS
from engage.partners.models import Organisation
from engage.reach.report import GroupRow, ReachSet, reach_report
from textkit.redact import redact_text


class State:
    """An evaluation's state, as the register shows it."""

    NOT_ENDED = "not_ended"
    OPEN = "open"
    OVERDUE = "overdue"
    COMPLETE = "complete"


STATE_WORDS = {
    State.NOT_ENDED: "Not ended yet",
    State.OPEN: "Open",
    State.OVERDUE: "Overdue",
    State.COMPLETE: "Complete",
}
STATE_COLOURS = {State.NOT_ENDED: "grey", State.OPEN: "blue", State.OVERDUE: "red", State.COMPLETE: "green"}

# Each part's test, in the database, on an activity's row.
_COST_DONE = (
    Q(
        evaluation__staff_hours__isnull=False,
        evaluation__volunteer_hours__isnull=False,
        evaluation__cost_pounds__isnull=False,
    )
    & ~Q(evaluation__what_worked="")
    & ~Q(evaluation__what_did_not="")
)
_PARTICIPANTS_DONE = Q(evaluation__participants_closed_at__isnull=False)


def _influence_done() -> Q:
    return Q(Exists(Decision.objects.filter(activity=OuterRef("pk")))) | (
        Q(evaluation__isnull=False) & ~Q(evaluation__influence_note="")
    )


def with_evaluation_state(activities: QuerySet[Activity], *, today: dt.date) -> QuerySet[Any]:
    """Activities with `evaluation_state` (see State). Typed as any queryset: the type
    checker does not follow an annotation's name into later filters."""
    complete = _COST_DONE & _PARTICIPANTS_DONE & _influence_done()
    due_before = today - dt.timedelta(days=EVALUATION_DUE_DAYS)
    return activities.annotate(
        evaluation_state=Case(
            When(ends_on__gte=today, then=Value(State.NOT_ENDED)),
            When(complete, then=Value(State.COMPLETE)),
            When(ends_on__lt=due_before, then=Value(State.OVERDUE)),
            default=Value(State.OPEN),
        )
    )


def evaluation_states(*, activity_ids: list[int], today: dt.date | None = None) -> dict[int, str]:
    """The state of each activity's evaluation, for a page of the register."""
    today = today or timezone.localdate()
    rows = with_evaluation_state(Activity.objects.filter(pk__in=activity_ids), today=today)
    return dict(rows.values_list("pk", "evaluation_state"))


@dataclass(frozen=True)
class EvaluationCounts:
    open: int
    overdue: int
    complete: int

    @property
    def ended(self) -> int:
        return self.open + self.overdue + self.complete


def evaluation_counts(
    *, organisation_id: int | None = None, today: dt.date | None = None, ended_from: dt.date | None = None
) -> EvaluationCounts:
    """How many evaluations of ended activities are open, overdue and complete: the
    partnership's, or one lead organisation's; of activities ended since `ended_from`."""
    today = today or timezone.localdate()
    activities = Activity.objects.filter(ends_on__lt=today)
    if organisation_id is not None:
        activities = activities.filter(lead_organisation_id=organisation_id)
    if ended_from is not None:
        activities = activities.filter(ends_on__gte=ended_from)
    counted = dict(
        with_evaluation_state(activities, today=today)
        .order_by()
        .values_list("evaluation_state")
        .annotate(n=Count("pk"))
    )
    return EvaluationCounts(
        open=counted.get(State.OPEN, 0),
        overdue=counted.get(State.OVERDUE, 0),
        complete=counted.get(State.COMPLETE, 0),
    )


def evaluation_overdue_list(
    *, organisation: Organisation | None = None, today: dt.date | None = None, limit: int = 6
) -> Shortlist[Activity]:
    """Overdue evaluations, the longest overdue first: the partnership's, or those of
    the activities one organisation leads."""
    today = today or timezone.localdate()
    activities = Activity.objects.filter(ends_on__lt=today - dt.timedelta(days=EVALUATION_DUE_DAYS))
    if organisation is not None:
        activities = activities.filter(lead_organisation=organisation)
    overdue = (
        with_evaluation_state(activities, today=today)
        .filter(evaluation_state=State.OVERDUE)
        .select_related("lead_organisation")
        .order_by("ends_on", "title", "pk")
    )
    return Shortlist(items=list(overdue[:limit]), total=overdue.count())


# --- One evaluation ------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetReach:
    label: str  # the register's name of the target group
    rows: list[GroupRow]  # reach's groups that make it up; none where reach cannot count it
    note: str = ""

    @property
    def heard_well(self) -> bool | None:
        """Whether each of its groups was heard at least in proportion; None where reach
        cannot say."""
        known = [row for row in self.rows if row.ratio is not None]
        if not known:
            return None
        return not any(row.under_represented for row in known)


@dataclass(frozen=True)
class ReachPart:
    conversations: Published
    targets: list[TargetReach]
    missed: list[GroupRow]  # under-represented, though not a target group


@dataclass(frozen=True)
class QuestionResult:
    field: str
    question: str
    counts: list[Published]  # 1 to 5
    answered: Published
    agree: Published  # 4 or 5
    agree_share: str
    mean: float | None  # to one decimal; None where fewer answered than a count may show


@dataclass(frozen=True)
class ParticipantsPart:
    answers: Published
    questions: list[QuestionResult]
    comments: list[str] | None  # None: not this organisation's to read
    closed: bool
    not_asked: str


@dataclass(frozen=True)
class PrincipleRow:
    principle: Principle
    met: str  # "" where not assessed
    met_label: str


@dataclass(frozen=True)
class EvaluationView:
    activity: Activity
    evaluation: Evaluation | None
    state: str
    due_on: dt.date
    reach: ReachPart | None  # None until the activity ends
    participants: ParticipantsPart
    decisions: list[Decision]
    principles: list[PrincipleRow]

    @property
    def state_words(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def influence_done(self) -> bool:
        return bool(self.decisions) or bool(self.evaluation and self.evaluation.influence_note)

    @property
    def cost_done(self) -> bool:
        return bool(self.evaluation and self.evaluation.cost_complete)

    @property
    def participants_done(self) -> bool:
        return self.participants.closed


def _reach_part(activity: Activity, rule: DisclosureRule) -> ReachPart:
    report = reach_report(ReachSet(activity_id=activity.pk), rule=rule)
    labels = dict(TargetGroup.choices)
    targets = []
    targeted: set[tuple[str, str]] = set()
    for target in activity.target_groups:
        groups = REACH_GROUPS.get(target, ())
        rows = []
        for key, name in groups:
            dimension = report.dimension(key)
            row = next((r for r in dimension.rows if r.name == name), None) if dimension else None
            if row is not None:
                rows.append(row)
                targeted.add((key, name))
        targets.append(TargetReach(labels.get(target, target), rows, "" if groups else NOT_COUNTED))
    missed = [
        row
        for dimension in report.dimensions
        for row in dimension.under_represented
        if (dimension.dimension.key, row.name) not in targeted and dimension.dimension.key != "deprivation"
    ]
    return ReachPart(conversations=report.conversations, targets=targets, missed=missed)


def answers_published() -> QuerySet[ParticipantAnswer]:
    """Answers whose figures may be shown: those of evaluations whose participants' part
    is closed (see `evaluation_view`)."""
    return ParticipantAnswer.objects.filter(evaluation__participants_closed_at__isnull=False)


def participant_results(answers: QuerySet[ParticipantAnswer], rule: DisclosureRule) -> list[QuestionResult]:
    """Each question's answers, 1 to 5, through disclosure control (perturbed by cell
    key, like every shared count): a question too few answered shows nothing but that."""
    results = []
    for field, question in QUESTIONS:
        tallies = {
            score: Tally(n, w or 0)
            for score, n, w in answers.filter(**{f"{field}__isnull": False})
            .order_by()
            .values_list(field)
            .annotate(n=Count("pk"), w=Sum(weight_of()))
        }
        scores = [tallies.get(score, Tally()) for score in range(1, 6)]
        weighted = rule.perturbed
        cells, total = publish_breakdown(
            [t.count for t in scores], rule, weighted=[t.weighted for t in scores] if weighted else None
        )
        # Agreeing (4 or 5) against the rest, as a table of its own: two larger cells are
        # shown where five small ones would all be hidden.
        agreed, rest = scores[3] + scores[4], sum(scores[:3], Tally())
        (agree, _), _ = publish_breakdown(
            [agreed.count, rest.count], rule, weighted=[agreed.weighted, rest.weighted] if weighted else None
        )
        answered = sum(t.count for t in scores)
        mean = (
            round(sum(score * t.count for score, t in enumerate(scores, start=1)) / answered, 1)
            if answered >= rule.smallest_shown
            else None
        )
        results.append(
            QuestionResult(field, question, cells, total, agree, publish_share(agree, total), mean)
        )
    return results


def published_total(answers: QuerySet[ParticipantAnswer], rule: DisclosureRule) -> Published:
    """How many answers, as it may be published."""
    tally = answers.order_by().aggregate(n=Count("pk"), w=Sum(weight_of()))
    return publish_count(tally["n"], rule, weighted=(tally["w"] or 0) if rule.perturbed else None)


def participant_figures(
    *, activity: Activity, rule: DisclosureRule
) -> tuple[Published, list[QuestionResult]]:
    """How many answered the activity's evaluation, and each question's figures, as the
    page publishes them: the figures only once the participants' form is closed."""
    answers = ParticipantAnswer.objects.filter(evaluation__activity=activity)
    closed = Evaluation.objects.filter(activity=activity, participants_closed_at__isnull=False).exists()
    return published_total(answers, rule), participant_results(answers, rule) if closed else []


def _comments(evaluation: Evaluation, limit: int = 50) -> list[str]:
    texts = (
        evaluation.answers.exclude(comment="")
        .order_by("-answered_on", "-pk")
        .values_list("comment", flat=True)
    )
    return [redact_text(text) for text in texts[:limit]]


def evaluation_view(
    *,
    activity: Activity,
    viewer_organisation: Organisation | None,
    may_read_comments: bool,
    rule: DisclosureRule | None = None,
    today: dt.date | None = None,
) -> EvaluationView:
    """Everything on one evaluation's page. Comments only for the lead organisation's
    staff who may read what people said (`may_read_comments`)."""
    rule = rule or DisclosureRule.from_settings()
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.filter(activity=activity).first()
    state = with_evaluation_state(Activity.objects.filter(pk=activity.pk), today=today).values_list(
        "evaluation_state", flat=True
    )[0]
    answers = (
        ParticipantAnswer.objects.filter(evaluation=evaluation)
        if evaluation
        else ParticipantAnswer.objects.none()
    )
    own = viewer_organisation is not None and viewer_organisation.pk == activity.lead_organisation_id
    closed = bool(evaluation and evaluation.participants_closed_at)
    participants = ParticipantsPart(
        answers=published_total(answers, rule),
        # Only once the form is closed: figures that changed with each answer would tell
        # someone watching what the latest person said.
        questions=participant_results(answers, rule) if closed else [],
        comments=_comments(evaluation) if evaluation and own and may_read_comments else None,
        closed=closed,
        not_asked=evaluation.participants_not_asked if evaluation else "",
    )
    assessed: dict[int, str] = (
        dict(PrincipleAssessment.objects.filter(evaluation=evaluation).values_list("principle_id", "met"))
        if evaluation
        else {}
    )
    met_labels = dict(Met.choices)
    return EvaluationView(
        activity=activity,
        evaluation=evaluation,
        state=state,
        due_on=evaluation_due_on(activity.ends_on),
        reach=_reach_part(activity, rule) if activity.ends_on < today else None,
        participants=participants,
        decisions=list(Decision.objects.filter(activity=activity).order_by("-decided_on", "-pk")),
        principles=[
            PrincipleRow(p, assessed.get(p.pk, ""), met_labels.get(assessed.get(p.pk, ""), "Not assessed"))
            for p in Principle.objects.filter(is_active=True)
        ],
    )


def evaluation_of(*, activity: Activity) -> Evaluation | None:
    return Evaluation.objects.filter(activity=activity).first()


def evaluation_by_token(token: str) -> Evaluation | None:
    """The evaluation a participants' link leads to, with its activity; None if none."""
    if not token or len(token) > 64:
        return None
    return (
        Evaluation.objects.select_related("activity", "activity__lead_organisation")
        .filter(public_token=token)
        .first()
    )


def principle_list(*, active_only: bool = True) -> QuerySet[Principle]:
    principles = Principle.objects.all()
    return principles.filter(is_active=True) if active_only else principles


def evaluation_list(
    *,
    state: str = "",
    organisation: Organisation | None = None,
    search: str = "",
    today: dt.date | None = None,
) -> QuerySet[Any]:
    """Ended activities with the state of their evaluation, the longest-ended first
    among the overdue and the most recently ended first otherwise; of one lead
    organisation, in one state, or with words of the title, as asked."""
    today = today or timezone.localdate()
    activities = Activity.objects.filter(ends_on__lt=today).select_related("lead_organisation")
    if organisation is not None:
        activities = activities.filter(lead_organisation=organisation)
    for word in search.split()[:8]:
        activities = activities.filter(title__icontains=word)
    stated = with_evaluation_state(activities, today=today)
    if state in STATE_WORDS:
        stated = stated.filter(evaluation_state=state)
    if state == State.OVERDUE:
        return stated.order_by("ends_on", "title", "pk")
    return stated.order_by("-ends_on", "title", "pk")
