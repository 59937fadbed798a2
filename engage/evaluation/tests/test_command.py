"""`engage evaluation`: the evaluations, the board's page, and a round of the
self-assessment from the command line."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from engage.activities.tests.factories import ActivityFactory
from engage.evaluation.models import ScoringLink
from engage.evaluation.self_assessment.services import link_digest

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("evaluation", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_list_says_how_many_are_open_overdue_and_complete() -> None:
    ActivityFactory(title="Carers forum")
    out, _ = _run("list", "--state", "overdue")
    assert "Overdue: 1." in out
    assert "Carers forum" in out


def test_the_board_is_worked_out_on_asking_and_read_after() -> None:
    with pytest.raises(CommandError, match="--refresh"):
        _run("board")
    out, _ = _run("board", "--refresh")
    assert "Overall:" in out
    assert "Are we hearing everyone?" in out
    assert '"sections"' in _run("board", "--json")[0]


def test_a_round_is_opened_given_links_closed_and_read() -> None:
    assert "Opened the round" in _run("open-round", "Spring 2027")[0]
    with pytest.raises(CommandError, match="A round is open already"):
        _run("open-round", "Another")
    out, err = _run("links", "--group", "vcse", "--count", "3")
    links = out.split()
    assert len(links) == 3
    assert "shown this once" in err
    token = re.search(r"/score/([^/]+)/", links[0]).group(1)  # type: ignore[union-attr]
    assert ScoringLink.objects.filter(digest=link_digest(token), used=False).exists()
    with pytest.raises(CommandError, match="from 1 to 200"):
        _run("links", "--group", "vcse", "--count", "0")
    assert "Closed the round" in _run("close-round")[0]
    assert "Spring 2027" in _run("results")[0]
    with pytest.raises(CommandError, match="No round is open"):
        _run("close-round")
