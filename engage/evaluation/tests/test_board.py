"""The board's page: each question's assurance level from its stated rules, the whole page
worked out from the apps below and kept, published figures only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from engage.accounts.tests.factories import member_of, sign_in_as
from engage.activities.tests.factories import ActivityFactory
from engage.core.roles import Role
from engage.decisions.tests.factories import DecisionFactory
from engage.evaluation.board import assurance
from engage.evaluation.board.selectors import board_figures
from engage.evaluation.board.services import KEEP, board_refresh
from engage.evaluation.models import BoardSnapshot
from engage.evaluation.tests.factories import (
    AssessmentRoundFactory,
    EvaluationFactory,
    ParticipantAnswerFactory,
    StatementFactory,
    sheets,
)
from engage.partners.tests.factories import OrganisationFactory

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("missed", "level"), [(None, "not_judged"), (0, "substantial"), (2, "reasonable"), (3, "limited")]
)
def test_hearing_everyone(missed: int | None, level: str) -> None:
    assert assurance.hearing(missed).level == level


@pytest.mark.parametrize(
    ("share", "level"),
    [
        (None, "not_judged"),
        (0.6, "substantial"),
        (0.59, "reasonable"),
        (0.3, "reasonable"),
        (0.29, "limited"),
    ],
)
def test_changing_things(share: float | None, level: str) -> None:
    assert assurance.changing(share).level == level


@pytest.mark.parametrize(
    ("share", "long_overdue", "level"),
    [
        (0.9, 0, "substantial"),
        (0.9, 1, "reasonable"),
        (0.6, 0, "reasonable"),
        (0.59, 0, "limited"),
        (None, 0, "not_judged"),
    ],
)
def test_telling_people(share: float | None, long_overdue: int, level: str) -> None:
    assert assurance.telling(share, long_overdue).level == level


@pytest.mark.parametrize(
    ("recent", "latest", "level"),
    [
        (["", "", ""], "", "substantial"),
        (["below", "", ""], "", "reasonable"),
        (["below", "below", ""], "", "limited"),
        (["", "", "below"], "below", "limited"),
        (["run below"] * 3, "run below", "limited"),
        ([], None, "not_judged"),
    ],
)
def test_relational_care(recent: list[str], latest: str | None, level: str) -> None:
    assert assurance.relational(recent, latest).level == level


@pytest.mark.parametrize(
    ("latest", "previous", "level"),
    [
        (7.2, 6.0, "substantial"),
        (7.2, 7.5, "reasonable"),
        (5.0, None, "reasonable"),
        (4.9, 3.0, "limited"),
        (None, None, "not_judged"),
    ],
)
def test_partners_scores(latest: float | None, previous: float | None, level: str) -> None:
    assert assurance.partners(latest, previous).level == level


def test_the_overall_level_is_the_lowest_judged() -> None:
    assert assurance.overall(["substantial", "reasonable", "not_judged"]) == "reasonable"
    assert assurance.overall(["substantial", "limited"]) == "limited"
    assert assurance.overall(["not_judged"]) == "not_judged"


@pytest.mark.django_db
def test_the_page_is_worked_out_from_what_the_apps_hold() -> None:
    informed = ActivityFactory(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 20))
    other = ActivityFactory(
        starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 20), feedback_promised_on=dt.date(2026, 6, 1)
    )
    DecisionFactory(activity=informed, decided_on=dt.date(2026, 5, 1))
    evaluation = EvaluationFactory(
        activity=informed, participants_closed_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    )
    ParticipantAnswerFactory.create_batch(3, evaluation=evaluation, answered_on=dt.date(2026, 3, 25))
    # Answers to a form still open are not counted at all.
    ParticipantAnswerFactory.create_batch(
        20, evaluation=EvaluationFactory(activity=other), answered_on=dt.date(2026, 4, 25)
    )
    statement = StatementFactory(position=0)
    scoring = AssessmentRoundFactory()
    scoring.statements.set([statement])
    sheets(scoring, statement, "vcse", [6, 7, 7, 8, 8])
    figures = board_figures(today=TODAY)
    sections = {s["key"]: s for s in figures["sections"]}
    assert list(sections) == ["hearing", "changing", "telling", "relational", "participants", "partners"]
    assert figures["period"]["label"] == "December 2025 to November 2026"
    assert sections["changing"]["headline"].startswith("1 of 2 activities")
    assert sections["changing"]["level"] == "reasonable"  # one of two: 50%
    assert sections["telling"]["level"] == "limited"  # neither told people
    # Three participants' answers: too few to publish, so nothing to judge by.
    assert sections["participants"]["level"] == "not_judged"
    assert "*" in json.dumps(sections["participants"]["figures"])
    assert sections["partners"]["level"] == "substantial"  # 7.2, the only round
    assert figures["overall"] == "limited"
    for section in sections.values():
        assert section["rules"] == assurance.RULES[section["key"]]
        assert section["source"]
        assert section["link"].startswith("/staff/")


@pytest.mark.django_db
def test_refreshing_keeps_the_newest_snapshots_and_the_page_reads_the_newest() -> None:
    for _ in range(KEEP + 2):
        board_refresh()
    assert BoardSnapshot.objects.count() == KEEP
    newest = BoardSnapshot.objects.order_by("-built_at", "-pk").first()
    client = Client()
    sign_in_as(client, member_of(OrganisationFactory(), Role.BOARD_MEMBER))
    page = client.get("/staff/board/")
    assert page.status_code == 200
    assert "Overall assurance" in page.content.decode()
    assert newest is not None
    assert newest.figures["sections"][0]["question"] in page.content.decode()


@pytest.mark.django_db
def test_before_the_first_run_the_page_says_when_the_figures_come_and_only_an_administrator_asks(
    django_capture_on_commit_callbacks: Any,
) -> None:
    board_member = Client()
    sign_in_as(board_member, member_of(OrganisationFactory(), Role.BOARD_MEMBER))
    page = board_member.get("/staff/board/").content.decode()
    assert "worked out each night" in page
    assert "Work the figures out again now" not in page
    assert board_member.post("/staff/board/refresh/").status_code == 403
    admin = Client()
    sign_in_as(admin, member_of(OrganisationFactory(), Role.PARTNERSHIP_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/staff/board/refresh/").status_code == 302
    # The worker works it out: it reads every conversation, too much for a request.
    assert DBTaskResult.objects.filter(task_path="engage.evaluation.tasks.board_refresh_task").count() == 1
