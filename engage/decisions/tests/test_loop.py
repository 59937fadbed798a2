"""Closing the loop, measured against activities whose dates are worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.core.roles import Role
from engage.decisions.loop import loop_measures, overdue_feedback
from engage.decisions.models import Decision
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)


def _activity(organisation, ends_on, *, promised=None, given=None):
    return ActivityFactory(
        lead_organisation=organisation,
        starts_on=ends_on - dt.timedelta(days=14),
        ends_on=ends_on,
        feedback_promised_on=promised,
        feedback_given_on=given,
    )


def test_share_given_median_days_overdue_and_decisions_per_activity():
    council = OrganisationFactory(name="Castlebridge Council")
    other = OrganisationFactory(name="Healthwatch")
    told = _activity(council, dt.date(2026, 6, 1), promised=dt.date(2026, 7, 1), given=dt.date(2026, 6, 21))
    _activity(
        council, dt.date(2026, 5, 1), promised=dt.date(2026, 6, 1), given=dt.date(2026, 6, 10)
    )  # 40 days
    late = _activity(council, dt.date(2026, 7, 1), promised=dt.date(2026, 8, 1))
    _activity(council, dt.date(2026, 12, 1), promised=dt.date(2027, 1, 1))  # not ended
    _activity(other, dt.date(2026, 4, 1), given=dt.date(2026, 4, 3))
    Decision.objects.create(
        organisation=council, title="a", summary="b", decided_by="board", decided_by_name="c", activity=told
    )
    Decision.objects.create(
        organisation=council, title="d", summary="e", decided_by="board", decided_by_name="f", activity=told
    )

    measures = loop_measures(today=TODAY, organisation_id=council.pk)
    assert measures.ended == 3
    assert measures.feedback_given == 2
    assert measures.share_given == pytest.approx(2 / 3)
    assert measures.median_days_to_feedback == 30  # 20 and 40 days
    assert measures.overdue == [late]
    assert measures.decisions_per_activity == pytest.approx(2 / 3)
    assert measures.without_decisions == 2
    everyone = loop_measures(today=TODAY)
    assert everyone.ended == 4
    assert everyone.median_days_to_feedback == 20  # 2, 20 and 40
    assert list(overdue_feedback(TODAY)) == [late]


def test_nothing_ended_gives_no_shares():
    measures = loop_measures(today=TODAY)
    assert measures.share_given is None
    assert measures.median_days_to_feedback is None
    assert measures.decisions_per_activity is None


def test_the_page_shows_the_measures_to_every_role(client_for):
    council = OrganisationFactory(name="Castlebridge Council")
    _activity(council, dt.date(2025, 6, 1), promised=dt.date(2025, 7, 1))
    board = client_for(member_of(council, Role.BOARD_MEMBER), council)
    page = board.get("/staff/decisions/closing-the-loop/").content.decode()
    assert "Feedback overdue" in page
    assert "1 activity promised feedback" in page
