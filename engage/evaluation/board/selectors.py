"""The board's page: six questions a board member asks of engagement, each answered with
its figures, its trend, its source, a link to the evidence and an assurance level from
the rules in `assurance.py`.

`board_figures` works the whole page out from every app below (reach, decisions, the
closing of the loop, the partnership's picture, evaluations, the self-assessment) over
the last twelve whole months. Over a million conversations that takes seconds (reach by
priority alone reads every conversation once a priority), so the worker does it each
night and when asked, and keeps the result (`BoardSnapshot`); the page reads the latest
row (`board_latest`). What is kept is what may be published: every count has been
through disclosure control before it is kept, so the snapshot holds nothing finer than
the page shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from engage.activities.models import Activity, PartnershipPriority
from engage.core.disclosure import DisclosureRule
from engage.decisions.models import Decision, DecisionEvidence, DecisionStatus
from engage.evaluation.board import assurance
from engage.evaluation.models import BoardSnapshot, Met, Principle, PrincipleAssessment
from engage.evaluation.selectors import State, answers_published, participant_results, with_evaluation_state
from engage.evaluation.self_assessment.selectors import statement_trends
from engage.partnership.filters import last_whole_month, months_back, picture_filters
from engage.partnership.selectors import relational_care
from engage.reach.compare import reach_by_priority
from engage.reach.report import ReachSet, populations_for, reach_area, reach_report

QUARTERS_SHOWN = 8
NONE_YET = "\N{EN DASH}"  # a figure with nothing to work it out from
LONG_OVERDUE_DAYS = 90
FEEDBACK_EXPECTED_DAYS = 90


def _quarter_label(day: dt.date) -> str:
    first, last = (
        ["Jan", "Apr", "Jul", "Oct"][(day.month - 1) // 3],
        ["Mar", "Jun", "Sep", "Dec"][(day.month - 1) // 3],
    )
    return f"{first}\N{EN DASH}{last} {day.year}"


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _quarters(last_day: dt.date) -> list[dt.date]:
    """The first days of the QUARTERS_SHOWN quarters that end by `last_day`'s quarter."""
    start = _quarter_start(last_day)
    return [months_back(start, 3 * back) for back in reversed(range(QUARTERS_SHOWN))]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(share: float | None) -> str:
    return NONE_YET if share is None else f"{round(100 * share)}%"


def _section(
    key: str,
    question: str,
    judgement: assurance.Judgement,
    *,
    headline: str,
    figures: list[dict[str, str]],
    trend: dict[str, Any],
    source: str,
    link: str,
    table: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "question": question,
        "level": judgement.level,
        "reason": judgement.reason,
        "rules": assurance.RULES[key],
        "headline": headline,
        "figures": figures,
        "trend": trend,
        "table": table,
        "source": source,
        "link": link,
    }


def _hearing(date_from: dt.date, date_to: dt.date, rule: DisclosureRule) -> dict[str, Any]:
    area = reach_area()
    populations = populations_for(area)
    now = reach_report(
        ReachSet(date_from=date_from, date_to=date_to), rule=rule, area=area, populations=populations
    )
    year_before = dt.date(date_from.year - 1, date_from.month, 1)
    before = reach_report(
        ReachSet(date_from=year_before, date_to=date_from - dt.timedelta(days=1)),
        rule=rule,
        area=area,
        populations=populations,
    )
    judged = now.conversations.value is not None and now.conversations.value > 0 and area is not None
    missed = now.under_represented
    rows = []
    for priority in reach_by_priority(
        rule=rule, area=area, reach_set=ReachSet(date_from=date_from, date_to=date_to)
    ):
        names = [row.people for row in priority.report.under_represented]
        heard = priority.report.conversations
        rows.append(
            [
                priority.priority.title,
                heard.text,
                "; ".join(names) or ("No conversations in the period" if heard.value == 0 else "None"),
            ]
        )

    def _missed_count(report: Any) -> int | None:
        value = report.conversations.value
        return len(report.under_represented) if value else None

    return _section(
        "hearing",
        "Are we hearing everyone?",
        assurance.hearing(len(missed) if judged else None),
        headline=(
            "Every group was heard in proportion to the population."
            if judged and not missed
            else f"Heard less than their share: {', '.join(row.people for row in missed)}."
            if judged
            else "Too few conversations, or no population set, to compare."
        ),
        figures=[
            {"label": "Conversations in the period", "value": now.conversations.text},
            {
                "label": "Groups heard less than their share",
                "value": str(len(missed)) if judged else NONE_YET,
            },
        ],
        trend={
            "caption": "Groups heard less than their share of the population, year on year",
            "unit": "groups",
            "points": [
                {
                    "label": f"{year_before:%b %Y} to {date_from - dt.timedelta(days=1):%b %Y}",
                    "value": _missed_count(before),
                },
                {"label": f"{date_from:%b %Y} to {date_to:%b %Y}", "value": _missed_count(now)},
            ],
        },
        table={
            "caption": "Reach by priority of the health and wellbeing strategy",
            "head": ["Priority", "Conversations", "Heard less than their share"],
            "rows": rows,
        },
        source="Reach: every partner's conversations against the census, under disclosure control.",
        link=reverse("reach:board"),
    )


def _ended(date_from: dt.date, date_to: dt.date) -> QuerySet[Activity]:
    return Activity.objects.filter(ends_on__gte=date_from, ends_on__lte=date_to)


def _changing(date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    ended = _ended(date_from, date_to)
    total = ended.count()
    informed = ended.filter(Exists(Decision.objects.filter(activity=OuterRef("pk")))).count()
    share = _share(informed, total)
    decisions = Decision.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to)
    with_evidence = Exists(DecisionEvidence.objects.filter(decision=OuterRef("pk")))
    rows = []
    for priority in PartnershipPriority.objects.filter(is_active=True).order_by("position", "title"):
        mine = decisions.filter(priorities=priority)
        statuses = Counter(mine.values_list("status", flat=True))
        rows.append(
            [
                priority.title,
                str(sum(statuses.values())),
                str(mine.filter(with_evidence).count()),
                str(statuses.get(DecisionStatus.DONE, 0) + statuses.get(DecisionStatus.IN_PROGRESS, 0)),
                str(statuses.get(DecisionStatus.NOT_TAKEN, 0)),
            ]
        )
    quarters = _quarters(date_to)
    by_quarter = dict(
        Decision.objects.filter(decided_on__gte=quarters[0], decided_on__lte=date_to)
        .annotate(quarter=TruncQuarter("decided_on"))
        .order_by()
        .values_list("quarter")
        .annotate(n=Count("pk"))
    )
    by_quarter = {(q.date() if isinstance(q, dt.datetime) else q): n for q, n in by_quarter.items()}
    return _section(
        "changing",
        "Did it change anything?",
        assurance.changing(share),
        headline=f"{informed} of {total} activities that ended informed a decision ({_percent(share)}).",
        figures=[
            {"label": "Decisions in the period", "value": str(decisions.count())},
            {
                "label": "Of them, with the conversations behind them",
                "value": str(decisions.filter(with_evidence).count()),
            },
            {"label": "Activities that ended and informed a decision", "value": _percent(share)},
        ],
        trend={
            "caption": "Decisions recorded, quarter by quarter",
            "unit": "decisions",
            "points": [{"label": _quarter_label(q), "value": by_quarter.get(q, 0)} for q in quarters],
        },
        table={
            "caption": "Decisions in the period, by priority",
            "head": ["Priority", "Decisions", "With evidence", "Done or in progress", "Not taken"],
            "rows": rows,
        },
        source="You said, we did: the decisions partners recorded, and the activities that informed them.",
        link=reverse("decisions:decision-list"),
    )


def _feedback_due(activities: QuerySet[Activity], today: dt.date) -> QuerySet[Activity]:
    """Activities whose feedback is due by now: the day promised has come, or, with no
    day promised, FEEDBACK_EXPECTED_DAYS have passed since they ended. One that ended last
    week is not counted as failing to tell people yet."""
    return activities.filter(
        Q(feedback_promised_on__lte=today)
        | Q(feedback_promised_on__isnull=True, ends_on__lte=today - dt.timedelta(days=FEEDBACK_EXPECTED_DAYS))
        | Q(feedback_given_on__isnull=False)
    )


def _telling(date_from: dt.date, date_to: dt.date, today: dt.date) -> dict[str, Any]:
    due = _feedback_due(_ended(date_from, date_to), today)
    total = due.count()
    given = due.filter(feedback_given_on__isnull=False).count()
    overdue = Activity.objects.filter(feedback_promised_on__lt=today, feedback_given_on__isnull=True)
    long_overdue = overdue.filter(
        feedback_promised_on__lt=today - dt.timedelta(days=LONG_OVERDUE_DAYS)
    ).count()
    points = []
    for start in _quarters(date_to):
        end = months_back(start, -3) - dt.timedelta(days=1)
        in_quarter = _feedback_due(_ended(start, end), today)
        n = in_quarter.count()
        share = _share(in_quarter.filter(feedback_given_on__isnull=False).count(), n)
        points.append(
            {"label": _quarter_label(start), "value": None if share is None else round(100 * share)}
        )
    return _section(
        "telling",
        "Are we telling people what happened?",
        assurance.telling(_share(given, total), long_overdue),
        headline=f"{given} of {total} activities whose feedback was due told people what was done "
        f"({_percent(_share(given, total))}).",
        figures=[
            {"label": "Feedback given, of that due", "value": _percent(_share(given, total))},
            {"label": "Promised feedback overdue now", "value": str(overdue.count())},
            {"label": f"Of them, more than {LONG_OVERDUE_DAYS} days overdue", "value": str(long_overdue)},
        ],
        trend={
            "caption": "Activities that told people what was done, of those whose feedback was due, by the quarter "
            "they ended",
            "unit": "%",
            "points": points,
        },
        source="Closing the loop: each activity's promised and given feedback, from the register. Feedback is due "
        f"on the day promised, or {FEEDBACK_EXPECTED_DAYS} days after the activity ends where none was promised.",
        link=reverse("decisions:loop"),
    )


def _relational(rule: DisclosureRule, today: dt.date) -> dict[str, Any]:
    month_to = last_whole_month(today)
    params = QueryDict(mutable=True)
    params["from"] = f"{months_back(month_to, 23):%Y-%m}"
    params["to"] = f"{month_to:%Y-%m}"
    care = relational_care(picture_filters(params, today=today), rule=rule)
    points = care.chart.points
    charted = [p for p in points if p.share is not None]
    latest = charted[-1] if charted else None
    recent = [p.signal for p in points[-6:] if p.share is not None]
    return _section(
        "relational",
        "How do people feel about the relational side of care?",
        assurance.relational(
            recent, None if latest is None or latest.label != points[-1].label else latest.signal
        ),
        headline=(
            f"{care.share} of shared conversations about compassion, dignity, respect and being listened to were positive."
            if care.conversations.value
            else "Too few shared conversations about relational care to say yet."
        ),
        figures=[
            {"label": "Shared conversations about relational care", "value": care.conversations.text},
            {"label": "Positive", "value": care.share},
            {"label": "Centre line", "value": _percent(care.chart.centre)},
        ],
        trend={
            "caption": "Positive share by month, with control limits",
            "unit": "%",
            "points": [
                {
                    "label": p.label,
                    "value": None if p.share is None else round(100 * p.share),
                    "lower": None if p.lower is None else round(100 * p.lower),
                    "upper": None if p.upper is None else round(100 * p.upper),
                    "signal": p.signal,
                }
                for p in points
            ],
        },
        table={
            "caption": "By kind of organisation",
            "head": ["Kind of organisation", "Conversations", "Positive"],
            "rows": [[k.kind, k.conversations.text, k.share] for k in care.kinds],
        },
        source="The partnership's picture: what partners chose to share, under disclosure control.",
        link=reverse("partnership:relational-care"),
    )


def _participants(
    date_from: dt.date, date_to: dt.date, rule: DisclosureRule, today: dt.date
) -> dict[str, Any]:
    answers = answers_published().filter(answered_on__gte=date_from, answered_on__lte=date_to)
    results = participant_results(answers, rule)
    listened = next(r for r in results if r.field == "listened")
    share_listened = (
        listened.agree.value / listened.answered.value
        if listened.agree.value is not None and listened.answered.value
        else None
    )
    ended = with_evaluation_state(_ended(date_from, min(date_to, today - dt.timedelta(days=1))), today=today)
    states = Counter(ended.values_list("evaluation_state", flat=True))
    total = sum(states.values())
    share_evaluated = _share(states.get(State.COMPLETE, 0) + states.get(State.OPEN, 0), total)
    quarters = _quarters(date_to)
    points = []
    for start in quarters:
        end = months_back(start, -3) - dt.timedelta(days=1)
        result = participant_results(
            answers_published().filter(answered_on__gte=start, answered_on__lte=end), rule
        )[0]
        value = (
            round(100 * result.agree.value / result.answered.value)
            if result.agree.value is not None and result.answered.value
            else None
        )
        points.append({"label": _quarter_label(start), "value": value})
    assessed = PrincipleAssessment.objects.filter(
        evaluation__activity__ends_on__gte=date_from, evaluation__activity__ends_on__lte=date_to
    )
    principle_rows = []
    for principle in Principle.objects.filter(is_active=True):
        counted = Counter(assessed.filter(principle=principle).values_list("met", flat=True))
        n = sum(counted.values())
        principle_rows.append(
            [
                principle.title,
                str(n),
                _percent(_share(counted.get(Met.MET, 0), n)),
                _percent(_share(counted.get(Met.PARTLY, 0), n)),
            ]
        )
    return _section(
        "participants",
        "How do participants rate our engagement?",
        assurance.participants(share_listened, share_evaluated),
        headline=f"{listened.agree_share} of participants who answered felt listened to.",
        figures=[
            *(
                {"label": r.question, "value": f"{r.agree_share} agree, of {r.answered.text}"}
                for r in results
            ),
            {
                "label": "Ended activities with a complete evaluation",
                "value": f"{states.get(State.COMPLETE, 0)} of {total}",
            },
            {"label": "Evaluations overdue", "value": str(states.get(State.OVERDUE, 0))},
        ],
        trend={
            "caption": "Participants who felt listened to, quarter by quarter",
            "unit": "%",
            "points": points,
        },
        table={
            "caption": "How often each principle of the pledge was met, in the teams' judgement",
            "head": ["Principle", "Activities assessed", "Met", "Partly met"],
            "rows": principle_rows,
        },
        source="Evaluations: participants' own answers (anonymous, under disclosure control, once each "
        "evaluation's form is closed) and the teams' assessments.",
        link=reverse("evaluation:list"),
    )


def _partners() -> dict[str, Any]:
    trends = statement_trends(closed_only=True)
    rounds = trends[0].rounds if trends else []
    averages: list[float | None] = []
    for index in range(len(rounds)):
        means = [t.overall.means[index] for t in trends if t.overall.means[index] is not None]
        averages.append(round(sum(m for m in means if m is not None) / len(means), 1) if means else None)
    known = [a for a in averages if a is not None]
    latest = known[-1] if known else None
    previous = known[-2] if len(known) >= 2 else None
    rows = []
    for trend in trends:
        means = [m for m in trend.overall.means if m is not None]
        rows.append(
            [
                trend.statement.text,
                f"{means[0]:.1f}" if means else NONE_YET,
                f"{means[-1]:.1f}" if means else NONE_YET,
                NONE_YET if trend.change is None else f"{trend.change:+.1f}",
            ]
        )
    return _section(
        "partners",
        "How do partners rate the partnership?",
        assurance.partners(latest, previous),
        headline=(
            f"The latest self-assessment averages {latest:.1f} out of 10"
            + (f", from {known[0]:.1f} at the first round." if len(known) >= 2 else ".")
            if latest is not None
            else "No closed round with enough scores yet."
        ),
        figures=[
            {"label": "Rounds closed", "value": str(len(rounds))},
            {"label": "Latest average, out of 10", "value": NONE_YET if latest is None else f"{latest:.1f}"},
        ],
        trend={
            "caption": "The average of the statements' scores, round by round",
            "unit": "out of 10",
            "points": [{"label": r, "value": a} for r, a in zip(rounds, averages, strict=True)],
        },
        table={
            "caption": "Each statement: the first round, the latest, and the change",
            "head": ["Statement", "First round", "Latest", "Change"],
            "rows": rows,
        },
        source="The partnership's self-assessment: anonymous scores from each group of partners.",
        link=reverse("self_assessment:trends"),
    )


def board_figures(
    *,
    today: dt.date | None = None,
    rule: DisclosureRule | None = None,
    months: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    """The whole page, worked out now, as published figures only (see the notes): over
    the last twelve whole months, or over `months` (the first days of the first and the
    last month) for a board paper of another period (engage/reports)."""
    today = today or timezone.localdate()
    rule = rule or DisclosureRule.from_settings()
    month_from, month_to = months or (months_back(last_whole_month(today), 11), last_whole_month(today))
    date_from = month_from
    date_to = months_back(month_to, -1) - dt.timedelta(days=1)
    sections = [
        _hearing(date_from, date_to, rule),
        _changing(date_from, date_to),
        _telling(date_from, date_to, today),
        _relational(rule, today),
        _participants(date_from, date_to, rule, today),
        _partners(),
    ]
    return {
        "period": {
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "label": f"{date_from:%B %Y} to {date_to:%B %Y}",
        },
        "sections": sections,
        "overall": assurance.overall([s["level"] for s in sections]),
    }


def board_latest() -> BoardSnapshot | None:
    return BoardSnapshot.objects.order_by("-built_at", "-pk").first()
