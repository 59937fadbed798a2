"""Before you ask: the past activities about the same thing, the themes heard in them with
their shared counts, and quotes only from organisations that share them."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation
from engage.core.disclosure import DisclosureRule
from engage.partnership.before_you_ask.selectors import before_you_ask
from engage.partnership.services import picture_refresh_all
from engage.partnership.tests.conftest import TODAY, Partners

pytestmark = pytest.mark.django_db


@pytest.fixture
def discharge_activities(partners: Partners) -> dict[str, object]:
    going_home = ActivityFactory(
        lead_organisation=partners.quotes,
        title="Going home from hospital",
        topic="Hospital discharge",
        purpose="Tell us what happened when you left the ward.",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 10, 31),
    )
    parks = ActivityFactory(
        lead_organisation=partners.counts,
        title="Parks and play areas",
        topic="Green spaces",
        purpose="Which parks do your children play in?",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 10, 31),
    )
    Conversation.objects.filter(organisation__in=[partners.quotes, partners.nothing]).update(
        activity=going_home
    )
    picture_refresh_all()
    return {"going_home": going_home, "parks": parks}


def test_the_activity_about_the_same_thing_comes_first_with_what_was_heard(
    partners: Partners, discharge_activities: dict[str, object]
) -> None:
    heard = before_you_ask(
        title="Leaving hospital: how did it go?",
        topic="Discharge from the ward",
        purpose="Patients tell us how going home was planned.",
        today=TODAY,
        rule=DisclosureRule.exact(),
    )
    assert heard.activities[0].activity == discharge_activities["going_home"]
    assert discharge_activities["parks"] not in [p.activity for p in heard.activities[:1]]
    discharge = next(t for t in heard.themes if t.category == partners.discharge)
    assert discharge.partnership.value == 240  # the two organisations that share, not the third
    assert heard.quotes
    assert all("healthwatch" in q.text for q in heard.quotes)


def test_nothing_is_heard_before_the_topic_is_known(partners: Partners) -> None:
    assert before_you_ask(title=" ", topic="", purpose="", today=TODAY).empty
