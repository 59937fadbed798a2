"""The evaluation API: what the pages publish, as JSON, to any signed-in role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of, sign_in_as
from engage.core.roles import Role
from engage.evaluation.board.services import board_refresh
from engage.evaluation.tests.factories import (
    AssessmentRoundFactory,
    EvaluationFactory,
    ParticipantAnswerFactory,
    StatementFactory,
    sheets,
)
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _client(role: str = Role.BOARD_MEMBER) -> Client:
    return sign_in_as(Client(), member_of(OrganisationFactory(), role))


def test_evaluations_come_with_their_state_and_published_figures_only() -> None:
    evaluation = EvaluationFactory()
    ParticipantAnswerFactory.create_batch(3, evaluation=evaluation, comment="Private words.")
    response = _client().get("/api/v1/evaluations/?state=overdue")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["activity_id"] == evaluation.activity_id
    assert row["state"] == "overdue"
    assert row["answers"] is None  # three: too few to publish
    assert "Private words." not in response.content.decode()
    refused = _client().get("/api/v1/evaluations/?state=finished")
    assert refused.status_code == 400
    assert "state" in refused.json()


def test_the_self_assessment_never_shows_a_small_group_alone() -> None:
    statement = StatementFactory()
    scoring = AssessmentRoundFactory(title="Baseline")
    scoring.statements.set([statement])
    sheets(scoring, statement, "vcse", [3, 4, 4, 5, 6])
    sheets(scoring, statement, "healthwatch", [9, 9])
    AssessmentRoundFactory(title="Open now", closed_on=None)
    rounds = _client().get("/api/v1/self-assessment/").json()
    assert [r["round"] for r in rounds] == ["Baseline"]  # an open round's scores are not shown
    results = next(s for s in rounds[0]["statements"] if s["statement"] == statement.text)["results"]
    groups = {r["group"]: r["answers"] for r in results}
    # Healthwatch's two join the VCSE's five: one row of every group, shown as everyone.
    assert groups == {"Everyone": 7}


def test_the_board_is_what_was_last_worked_out() -> None:
    before = _client().get("/api/v1/board/").json()
    assert before == {"built_at": None, "period": None, "overall": "not_judged", "sections": []}
    board_refresh()
    board = _client().get("/api/v1/board/").json()
    assert board["overall"] in {"substantial", "reasonable", "limited", "not_judged"}
    assert next(s["key"] for s in board["sections"]) == "hearing"
    assert board["sections"][0]["data_source"].startswith("Reach")


def test_an_open_forms_questions_are_not_published_until_it_closes() -> None:
    evaluation = EvaluationFactory()
    ParticipantAnswerFactory.create_batch(20, evaluation=evaluation, listened=5)
    row = _client().get("/api/v1/evaluations/").json()["results"][0]
    assert row["answers"] % 5 == 0  # perturbed by cell key, then rounded
    assert row["answers"] >= 15
    assert row["questions"] == []
    evaluation.participants_closed_at = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    evaluation.save()
    row = _client().get("/api/v1/evaluations/").json()["results"][0]
    listened = row["questions"][0]
    assert listened["question"] == "I felt listened to"
    assert listened["answered"] == listened["agreed"] == row["answers"]  # every one agreed
