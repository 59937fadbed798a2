"""The demo's evidence that engagement works (engage/evaluation): two years of
evaluated activities, four rounds of the partnership's self-assessment that move
believably from the source documents' baseline, the seeds' three objectives with their
actions, and the first board page.

- Evaluations: of the activities that ended in the last two years, most have the team's
  account and closed participants' answers; some recent ones are still open and about
  one in ten older ones is left overdue, so the register has something to chase.
  Participants' answers improve a little over the two years, as teams learn.
- Self-assessment: the first round is scored as the baseline was (4, 3, 5, 3 and 3 out
  of 10, on average), then each round a little higher, trust between the sectors
  rising slowest. Healthwatch has too few scorers to be shown on its own, so the pages
  show groups folded together.

Chosen with a random generator of its own, so the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from engage.activities.models import Activity
from engage.evaluation.models import (
    AnswerSource,
    AssessmentRound,
    Met,
    Objective,
    ObjectiveAction,
    ParticipantAnswer,
    Principle,
    PrincipleAssessment,
    ProgressStatus,
    Score,
    ScorerGroup,
    ScoreSheet,
    ScoringLink,
    Statement,
)
from engage.evaluation.self_assessment.services import link_digest
from engage.evaluation.services import evaluation_open

ROUND_TITLES = ("Baseline, first session", "Second round", "Third round", "Fourth round")
# Each round's average for the five baseline statements, in their order.
ROUND_MEANS = (
    (4.0, 3.0, 5.0, 3.0, 3.0),
    (4.5, 3.6, 5.3, 3.9, 4.1),
    (5.3, 4.2, 5.8, 4.8, 5.0),
    (6.0, 4.9, 6.3, 5.6, 5.8),
)
# How many score in each group, and how each leans from the average.
SCORERS = {
    ScorerGroup.STATUTORY: (6, 0.3),
    ScorerGroup.NHS: (9, 0.6),
    ScorerGroup.VCSE: (10, -0.7),
    ScorerGroup.HEALTHWATCH: (3, -0.2),
    ScorerGroup.PUBLIC: (5, -0.4),
}
COMMENTS = (
    "Still feels like decisions are made before the VCSE is asked.",
    "The new joint meetings have helped build trust between the sectors.",
    "Senior leaders now come to community events, which people notice.",
    "Commissioning cycles move too fast for small groups to take part.",
    "Sharing learning across organisations has improved since the network events began.",
    "We still hear about consultations too late to involve our members.",
    "Trust is growing, but funding uncertainty makes it fragile.",
    "The ICB listened to carers on discharge and changed the leaflet.",
    "Information about services is scattered across too many places.",
    "Co-production is talked about more than it is done.",
    "Board papers are easier to read than they were.",
    "Small charities still cannot afford the time to attend.",
)
WHAT_WORKED = {
    "outreach": "Going to where people already were: the market, the mosque, the school gate.",
    "survey": "A short survey with a paper version and a freepost envelope reached people who are not online.",
    "focus_group": "Small groups run by a trusted community partner; people spoke more freely.",
    "event": "Holding it in the evening with food and childcare brought families who never come in the day.",
    "workshop": "Working through real choices with people, not asking what they want in general.",
}
WHAT_DID_NOT = (
    "We advertised too late, so few younger people came.",
    "The venue was hard to reach by bus.",
    "Too much to get through in one session; people wanted more time to talk.",
    "We did not have an interpreter booked and lost some of the conversation.",
    "The online form was too long on a phone.",
)
PARTICIPANT_COMMENTS = (
    "Felt properly listened to for once.",
    "Would have liked to know what happens next.",
    "The room was hard to get to with a wheelchair.",
    "Good to talk to someone face to face.",
    "Please come back and tell us what you did.",
    "Too rushed, but the staff were kind.",
)
OBJECTIVES = (
    (
        "Information: join up the VCSE offer",
        (
            "To join up the \N{LEFT SINGLE QUOTATION MARK}VCSE offer\N{RIGHT SINGLE QUOTATION MARK}, resulting in a better information base to agree health priorities and "
            "access services from."
        ),
        "VCSE infrastructure body with the ICB",
        (4,),
        (
            ("Publish the directory of VCSE services", "Castlebridge CVS", ProgressStatus.ON_TRACK),
            (
                "Agree one way to describe a service across partners",
                "Directory working group",
                ProgressStatus.DONE,
            ),
        ),
    ),
    (
        "Impact: show the VCSE's contribution to patient experience",
        "To demonstrate the VCSE contribution to the patient experience.",
        "Healthwatch Castlebridge",
        (1, 2),
        (
            (
                "Evaluate every VCSE-led activity with its participants",
                "Engagement leads' network",
                ProgressStatus.ON_TRACK,
            ),
            (
                "Report the VCSE's reach to the Health and Wellbeing Board each year",
                "Healthwatch",
                ProgressStatus.NOT_STARTED,
            ),
        ),
    ),
    (
        "Collective and inclusive engagement structures",
        (
            "To influence commissioning and support co-production by engaging the VCSE at all stages of the "
            "commissioning cycle."
        ),
        "ICB Director of Engagement",
        (0, 3),
        (
            (
                "Screen every commissioning decision for engagement",
                "ICB commissioning team",
                ProgressStatus.ON_TRACK,
            ),
            ("Fund VCSE time to take part in commissioning", "ICB finance", ProgressStatus.AT_RISK),
        ),
    ),
)


@dataclass(frozen=True)
class DemoEvaluation:
    evaluations: int
    answers: int
    rounds: int
    sheets: int


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def build_evaluations(seed: int, today: date) -> DemoEvaluation:
    rng = random.Random(f"{seed}-evaluation")
    evaluations, answers = _activities_evaluated(rng, today)
    rounds, sheets = _rounds(rng, today)
    _objectives(today)
    return DemoEvaluation(evaluations, answers, rounds, sheets)


def _activities_evaluated(rng: random.Random, today: date) -> tuple[int, int]:
    ended = Activity.objects.filter(ends_on__lt=today, ends_on__gte=today - timedelta(days=730)).order_by(
        "ends_on", "pk"
    )
    principles = list(Principle.objects.filter(is_active=True))
    evaluations = answers = 0
    answer_rows: list[ParticipantAnswer] = []
    for activity in ended:
        evaluation = evaluation_open(activity=activity, today=today)
        evaluations += 1
        days_ago = (today - activity.ends_on).days
        # Recent ones are still being done; about one in ten older ones was left.
        if (days_ago < 40 and rng.random() < 0.6) or (days_ago >= 56 and rng.random() < 0.1):
            continue
        learning = 1 - days_ago / 730  # 0 two years ago, 1 now
        for _ in range(rng.randint(4, 30)):
            lean = 3.4 + 0.6 * learning
            ratings: dict[str, int | None] = {
                "listened": _clamp(rng.gauss(lean + 0.3, 0.9), 1, 5),
                "accessible": _clamp(rng.gauss(lean + 0.1, 1.0), 1, 5),
                "know_next": _clamp(rng.gauss(lean - 0.5, 1.0), 1, 5),
                "take_part_again": _clamp(rng.gauss(lean + 0.2, 0.9), 1, 5),
            }
            if rng.random() < 0.1:
                ratings["know_next"] = None  # left out
            answer_rows.append(
                ParticipantAnswer(
                    evaluation=evaluation,
                    comment=rng.choice(PARTICIPANT_COMMENTS) if rng.random() < 0.3 else "",
                    source=AnswerSource.PAPER if rng.random() < 0.2 else AnswerSource.ONLINE,
                    answered_on=min(activity.ends_on + timedelta(days=rng.randint(0, 14)), today),
                    **ratings,
                )
            )
            answers += 1
        method = next((m for m in activity.methods if m in WHAT_WORKED), "outreach")
        evaluation.staff_hours = Decimal(rng.randint(8, 120))
        evaluation.volunteer_hours = Decimal(rng.choice([0, 0, 4, 10, 24]))
        evaluation.cost_pounds = Decimal(rng.choice([0, 120, 350, 800, 1500]))
        evaluation.what_worked = WHAT_WORKED[method]
        evaluation.what_did_not = rng.choice(WHAT_DID_NOT)
        evaluation.cost_recorded_at = _noon(activity.ends_on + timedelta(days=28))
        evaluation.participants_closed_at = (
            None if days_ago < 56 and rng.random() < 0.5 else _noon(activity.ends_on + timedelta(days=21))
        )
        if not activity.decisions.exists():
            evaluation.influence_note = (
                "The findings go to the next commissioning review; no decision is due before then."
            )
        evaluation.save()
        PrincipleAssessment.objects.bulk_create(
            PrincipleAssessment(
                evaluation=evaluation,
                principle=principle,
                met=rng.choices([Met.MET, Met.PARTLY, Met.NOT_MET], weights=[5 + 3 * learning, 3, 1])[0],
            )
            for principle in principles
        )
    ParticipantAnswer.objects.bulk_create(answer_rows, batch_size=1000)
    return evaluations, answers


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _rounds(rng: random.Random, today: date) -> tuple[int, int]:
    statements = list(Statement.objects.filter(from_baseline=True).order_by("position"))
    sheets = 0
    for number, (title, means) in enumerate(zip(ROUND_TITLES, ROUND_MEANS, strict=True)):
        opened = today - timedelta(days=730 - 220 * number)
        scoring = AssessmentRound.objects.create(
            title=title, opened_on=opened, closed_on=opened + timedelta(days=21)
        )
        scoring.statements.set(statements)
        wanted = {statement.pk: mean for statement, mean in zip(statements, means, strict=True)}
        given: dict[int, list[list[Any]]] = {s.pk: [] for s in statements}  # [group, score]
        made_sheets = []
        for group, (count, lean) in SCORERS.items():
            for _ in range(count + rng.randint(0, 2)):
                sheet = ScoreSheet(round=scoring, group=group)
                made_sheets.append(sheet)
                for statement in statements:
                    score = _clamp(rng.gauss(wanted[statement.pk] + lean, 1.3), 0, 10)
                    given[statement.pk].append([sheet, score])
        ScoreSheet.objects.bulk_create(made_sheets)
        sheets += len(made_sheets)
        rows = []
        for statement in statements:
            pairs = given[statement.pk]
            _nudge_to_mean(rng, pairs, wanted[statement.pk])
            for sheet, score in pairs:
                comment = rng.choice(COMMENTS) if rng.random() < 0.15 else ""
                rows.append(Score(sheet=sheet, statement=statement, score=score, comment=comment))
        Score.objects.bulk_create(rows, batch_size=1000)
        ScoringLink.objects.bulk_create(
            ScoringLink(round=scoring, group=sheet.group, digest=link_digest(f"demo-{number}-{i}"), used=True)
            for i, sheet in enumerate(made_sheets)
        )
    return len(ROUND_TITLES), sheets


def _nudge_to_mean(rng: random.Random, pairs: list[list[Any]], target: float) -> None:
    """Move single scores a point at a time until the mean is the target, to 0.05: the
    first round must read as the baseline did."""
    for _ in range(1000):
        mean = sum(score for _, score in pairs) / len(pairs)
        if abs(mean - target) < 0.05:
            return
        step = 1 if mean < target else -1
        movable = [pair for pair in pairs if 0 <= pair[1] + step <= 10]
        rng.choice(movable)[1] += step


def _objectives(today: date) -> None:
    statements = list(Statement.objects.filter(from_baseline=True).order_by("position"))
    activities = list(Activity.objects.order_by("-ends_on", "pk")[:9])
    for position, (title, description, owner, statement_indexes, actions) in enumerate(OBJECTIVES, start=1):
        objective = Objective.objects.create(
            title=title,
            description=description,
            owner=owner,
            due_on=today + timedelta(days=365),
            status=ProgressStatus.ON_TRACK if position != 3 else ProgressStatus.AT_RISK,
            position=position,
        )
        objective.statements.set([statements[i] for i in statement_indexes if i < len(statements)])
        objective.activities.set(activities[(position - 1) * 3 : position * 3])
        for number, (action, who, status) in enumerate(actions, start=1):
            ObjectiveAction.objects.create(
                objective=objective,
                title=action,
                owner=who,
                due_on=today + timedelta(days=90 * number),
                status=status,
            )


def remove_evaluations() -> None:
    """What the demo made that no organisation holds: its rounds and objectives."""
    AssessmentRound.objects.filter(title__in=ROUND_TITLES).delete()
    Objective.objects.filter(title__in=[title for title, *_ in OBJECTIVES]).delete()
