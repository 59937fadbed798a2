"""The decisions offered for "use as evidence for…": those with the same title are told
apart in the label itself, so a person without script (or with it) links evidence to the
one they mean."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation
from engage.core.roles import Role
from engage.decisions.models import DecisionStatus
from engage.decisions.selectors import decision_choices
from engage.decisions.tests.factories import DecisionFactory
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category, PersonLabel, Review
from engage.partners.tests.factories import OrganisationFactory
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db


def labels() -> dict[int, str]:
    return {choice.pk: choice.label for choice in decision_choices()}


def test_a_title_of_its_own_is_the_label_as_it_is() -> None:
    decision = DecisionFactory(title="Evening carers' drop-in")
    assert labels() == {decision.pk: "Evening carers' drop-in"}


def test_the_same_title_is_told_apart_by_status_and_date_decided() -> None:
    approved = DecisionFactory(
        title="Longer opening hours", status=DecisionStatus.AGREED, decided_on=dt.date(2026, 3, 3)
    )
    proposed = DecisionFactory(title="Longer opening hours", status=DecisionStatus.PROPOSED, decided_on=None)
    other = DecisionFactory(title="Evening carers' drop-in")
    found = labels()
    assert found[approved.pk] == "Longer opening hours — agreed, 3 March 2026"
    assert found[proposed.pk] == "Longer opening hours — proposed, no date given"
    assert found[other.pk] == "Evening carers' drop-in"


def test_titles_that_differ_only_in_case_and_spaces_are_told_apart_too() -> None:
    DecisionFactory(title="Longer opening hours", decided_on=dt.date(2026, 3, 3))
    DecisionFactory(title=" longer opening  Hours", decided_on=dt.date(2026, 4, 1))
    assert sorted(labels().values()) == [
        " longer opening  Hours — agreed, 1 April 2026",
        "Longer opening hours — agreed, 3 March 2026",
    ]


def test_the_activity_and_then_the_number_tell_apart_what_status_and_date_cannot() -> None:
    same = {"title": "Longer opening hours", "status": DecisionStatus.DONE, "decided_on": dt.date(2026, 3, 3)}
    by_survey = DecisionFactory(**same, activity=ActivityFactory(title="Opening hours survey"))
    by_forum = DecisionFactory(**same, activity=ActivityFactory(title="Patients' forum"))
    first = DecisionFactory(**same)
    second = DecisionFactory(**same)
    found = labels()
    assert found[by_survey.pk] == "Longer opening hours — done, 3 March 2026, from Opening hours survey"
    assert found[by_forum.pk] == "Longer opening hours — done, 3 March 2026, from Patients' forum"
    assert found[first.pk] == f"Longer opening hours — done, 3 March 2026, no activity, number {first.pk}"
    assert found[second.pk] == f"Longer opening hours — done, 3 March 2026, no activity, number {second.pk}"
    assert len(set(found.values())) == 4


def test_both_evidence_pages_offer_the_told_apart_labels(client_for) -> None:
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    conversations_add(healthwatch, 1, text="Open later please.")
    # A theme on the themes page, which offers its decisions only beside a theme.
    theme = Category.objects.filter(framework=framework_built_in(), parent__isnull=False).first()
    heard = Conversation.objects.get()
    PersonLabel.objects.create(conversation=heard, category=theme)
    Review.objects.create(conversation=heard)
    agreed = DecisionFactory(title="Longer opening hours", decided_on=dt.date(2026, 3, 3))
    DecisionFactory(title="Longer opening hours", status=DecisionStatus.PROPOSED, decided_on=None)
    for path in ("/staff/conversations/", "/staff/themes/"):
        page = officer.get(path).content.decode()
        select = re.search(r'<select[^>]*id="evidence-decision".*?</select>', page, re.S)
        assert select is not None, path
        assert (
            f'<option value="{agreed.pk}">Longer opening hours — agreed, 3 March 2026</option>' in select[0]
        )
        assert "Longer opening hours — proposed, no date given" in select[0]
        assert 'data-searchable="one"' in select[0]
