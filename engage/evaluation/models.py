"""Proving it (capability 8): each activity evaluated with the people who took part,
the partnership's self-assessment scored round by round, and the board's page.

Nothing here is personal data by design:

- a participant's own view of an activity (`ParticipantAnswer`) keeps no account, name,
  network address or time of day, only the day it was given;
- a self-assessment score (`ScoreSheet`, `Score`) keeps only its round and the group
  its scorer speaks for. The single-use link that let it in (`ScoringLink`) records
  only that it was used, not when, and nothing ties a link to the sheet it let in, so
  no score can be tied to a person, even by the partnership's administrators.

Evaluations, statements, objectives and principles are seen by every partner, as the
register is; the figures from answers are published through disclosure control.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from engage.activities.models import Activity
from engage.core.cell_key import RandomRecordKey

# An evaluation is due this long after its activity ends; after that it is overdue.
EVALUATION_DUE_DAYS = 56
RATING_MIN, RATING_MAX = 1, 5
SCORE_MIN, SCORE_MAX = 0, 10


def evaluation_due_on(ends_on: dt.date) -> dt.date:
    return ends_on + dt.timedelta(days=EVALUATION_DUE_DAYS)


class Principle(models.Model):
    """One promise of the partnership's engagement pledge, which an activity is assessed
    against when it is evaluated."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """An ended activity's evaluation. Its four parts: reach and influence fill
    themselves from what the product knows; the participants' own view is their answers
    until the team closes it; cost and effort is the team's own account. Whether it is
    complete is worked out from its parts each time (selectors.py), never stored, so a
    decision recorded later completes it without anyone touching it."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="evaluation")
    # The secret part of the shared link (and its QR code) to the participants' form.
    public_token = models.CharField(max_length=32, unique=True)
    staff_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    volunteer_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    cost_pounds = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    what_worked = models.TextField(blank=True)
    what_did_not = models.TextField(blank=True)
    cost_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cost_recorded_at = models.DateTimeField(null=True, blank=True)
    # The participants' part is done when the team closes it: no more answers come in.
    participants_closed_at = models.DateTimeField(null=True, blank=True)
    # Where the people who took part were not asked (a one-to-one interview, say): why.
    participants_not_asked = models.TextField(blank=True)
    # Where the activity informed no decision yet: why, or what is still to be decided.
    influence_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_hours__isnull=True) | Q(staff_hours__gte=0),
                name="evaluation_staff_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(volunteer_hours__isnull=True) | Q(volunteer_hours__gte=0),
                name="evaluation_volunteer_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_pounds__isnull=True) | Q(cost_pounds__gte=0),
                name="evaluation_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.activity_id}"

    @property
    def cost_complete(self) -> bool:
        return (
            self.staff_hours is not None
            and self.volunteer_hours is not None
            and self.cost_pounds is not None
            and bool(self.what_worked.strip())
            and bool(self.what_did_not.strip())
        )


class Met(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class PrincipleAssessment(models.Model):
    """How far an activity kept one principle of the pledge, in its team's judgement."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="principles")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="assessments")
    met = models.CharField(max_length=8, choices=Met.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "principle"], name="principle_assessed_once")
        ]

    def __str__(self) -> str:
        return f"{self.principle_id}: {self.met}"


class AnswerSource(models.TextChoices):
    ONLINE = "online", "Online, by the link or QR code"
    PAPER = "paper", "On paper, typed in by staff"


def _rating_in_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": RATING_MIN, f"{field}__lte": RATING_MAX})


# The questions of the participants' form, in the order they are asked.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("listened", "I felt listened to"),
    ("accessible", "It was easy for me to take part"),
    ("know_next", "I know what happens next"),
    ("take_part_again", "I would take part again"),
)


class ParticipantAnswer(models.Model):
    """One participant's own view of an activity: 1 (strongly disagree) to 5 (strongly
    agree) on each question, any of which may be left out, and a comment. Anonymous."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    listened = models.PositiveSmallIntegerField(null=True, blank=True)
    accessible = models.PositiveSmallIntegerField(null=True, blank=True)
    know_next = models.PositiveSmallIntegerField(null=True, blank=True)
    take_part_again = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=AnswerSource.choices)
    answered_on = models.DateField()
    # Published counts of answers are perturbed by cell key, as conversations' are.
    record_key = models.PositiveSmallIntegerField(db_default=RandomRecordKey(), editable=False)

    class Meta:
        constraints = [
            *(
                models.CheckConstraint(condition=_rating_in_range(field), name=f"participant_{field}_1_to_5")
                for field, _ in QUESTIONS
            ),
            models.CheckConstraint(
                condition=Q(listened__isnull=False)
                | Q(accessible__isnull=False)
                | Q(know_next__isnull=False)
                | Q(take_part_again__isnull=False)
                | ~Q(comment=""),
                name="participant_answer_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to evaluation {self.evaluation_id}"


class ScorerGroup(models.TextChoices):
    """Whom a self-assessment score speaks for."""

    STATUTORY = "statutory", "Statutory partners (council, police, fire)"
    NHS = "nhs", "The NHS"
    VCSE = "vcse", "The voluntary and community sector (VCSE)"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    PUBLIC = "public", "The public's representatives"


class Statement(models.Model):
    """A statement the partnership scores itself against, 0 to 10."""

    text = models.CharField(max_length=300, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # One of the statements of the partnership's baseline, from the source documents.
    from_baseline = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text


class AssessmentRound(models.Model):
    """A round of scoring: opened by the partnership's administrator, scored by link,
    then closed; the statements it asked are kept with it."""

    title = models.CharField(max_length=120, unique=True)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    statements = models.ManyToManyField(Statement, related_name="rounds")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="round_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ScoringLink(models.Model):
    """A single-use link to score a round for one group. Only its digest is kept (the
    link itself is shown once, to the administrator who made it), and only whether it
    was used: not when, and not which sheet it let in."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="links")
    group = models.CharField(max_length=12, choices=ScorerGroup.choices)
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Link for {self.group} in round {self.round_id}"


class ScoreSheet(models.Model):
    """One scorer's answers in a round. No time, no person, no link: see the notes."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="sheets")
    group = models.CharField(max_length=12, choices=ScorerGroup.choices)

    class Meta:
        indexes = [models.Index(fields=["round", "group"], name="score_sheet_round_group")]

    def __str__(self) -> str:
        return f"Sheet in round {self.round_id}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "statement"], name="score_once_per_statement"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="score_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} for {self.statement_id}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DONE = "done", "Done"


class Objective(models.Model):
    """What the partnership set out to achieve, with the statements that would show it
    and the activities that work towards it."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, help_text="Who answers for it: a person, board or group.")
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    statements = models.ManyToManyField(Statement, blank=True, related_name="objectives")
    activities = models.ManyToManyField(Activity, blank=True, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class ObjectiveAction(models.Model):
    """A step towards an objective."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class BoardSnapshot(models.Model):
    """The board's page as the worker last worked it out: published figures only (after
    disclosure control), so the page reads one row however much the partnership heard."""

    figures = models.JSONField()
    built_at = models.DateTimeField()
    build_seconds = models.FloatField()

    class Meta:
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"Board figures of {self.built_at:%Y-%m-%d %H:%M}"
