"""Factories for evaluations, participants' answers and the self-assessment."""

from __future__ import annotations

import datetime as dt
import secrets

import factory

from engage.activities.tests.factories import ActivityFactory
from engage.evaluation.models import (
    AnswerSource,
    AssessmentRound,
    Evaluation,
    Objective,
    ParticipantAnswer,
    Score,
    ScorerGroup,
    ScoreSheet,
    Statement,
)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """The evaluation of an activity that ended on 20 March 2026."""

    class Meta:
        model = Evaluation

    activity = factory.SubFactory(ActivityFactory)
    public_token = factory.LazyFunction(lambda: secrets.token_urlsafe(16))


class ParticipantAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantAnswer

    evaluation = factory.SubFactory(EvaluationFactory)
    listened = 4
    accessible = 4
    know_next = 3
    take_part_again = 5
    source = AnswerSource.ONLINE
    answered_on = dt.date(2026, 3, 25)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    text = factory.Sequence(lambda n: f"Partners trust each other, statement {n}")
    position = factory.Sequence(lambda n: 100 + n)


class AssessmentRoundFactory(factory.django.DjangoModelFactory):
    """A closed round (give `closed_on=None` for an open one)."""

    class Meta:
        model = AssessmentRound

    title = factory.Sequence(lambda n: f"Round {n}")
    opened_on = dt.date(2026, 3, 1)
    closed_on = dt.date(2026, 3, 22)


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    round = factory.SubFactory(AssessmentRoundFactory)
    group = ScorerGroup.VCSE


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    sheet = factory.SubFactory(ScoreSheetFactory)
    statement = factory.SubFactory(StatementFactory)
    score = 5


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    title = factory.Sequence(lambda n: f"Join up the VCSE offer {n}")
    owner = "The VCSE infrastructure body"
    due_on = dt.date(2027, 3, 31)


def sheets(scoring: AssessmentRound, statement: Statement, group: str, scores: list[int]) -> None:
    """One sheet a score, each scoring `statement` in `scoring` for `group`."""
    for value in scores:
        ScoreFactory(sheet=ScoreSheetFactory(round=scoring, group=group), statement=statement, score=value)
