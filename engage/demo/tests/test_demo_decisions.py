"""The demo's "You said, we did": decisions published for the activities that gave
feedback, with their evidence, and some promised feedback left overdue."""

from __future__ import annotations

import pytest

from engage.decisions.loop import loop_measures
from engage.decisions.models import (
    ActivityPublication,
    Decision,
    DecisionEvidence,
    FeedbackMessage,
    Participation,
)
from engage.demo import conversations as conversation_text
from engage.demo import decisions as decisions_module
from engage.demo import labels
from engage.demo.services import demo_partnership_load, demo_partnership_remove
from engage.demo.tests.conftest import REFERENCE_DATE

pytestmark = pytest.mark.django_db


def test_the_demo_has_published_decisions_and_overdue_feedback() -> None:

    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=3000)
    published = Decision.objects.filter(published_at__isnull=False)
    assert published.count() > 5
    assert ActivityPublication.objects.count() == published.count()
    assert DecisionEvidence.objects.exists()
    # People took part and were told; one decision waits to be published, on an
    # overdue activity people were heard at, with people who took part in it.
    assert Participation.objects.exists()
    assert FeedbackMessage.objects.filter(status="sent").exists()
    waiting = Decision.objects.get(published_at__isnull=True)
    assert waiting.activity.conversations.exists()
    assert Participation.objects.filter(activity=waiting.activity).exists()
    measures = loop_measures(today=REFERENCE_DATE)
    assert measures.overdue
    assert measures.feedback_given > 0
    _each_decision_answers_what_its_activity_heard(Decision.objects.select_related("activity"))
    demo_partnership_remove()
    assert not Decision.objects.exists()
    assert not Participation.objects.exists()


def _each_decision_answers_what_its_activity_heard(decisions) -> None:
    """A decision about carers beside quotes from the community transport survey read as
    if nobody had listened: each decision answers one of the themes its activity's
    conversations were written from, and is tagged with that theme's sub-categories."""
    for decision in decisions:
        plan = conversation_text.activity_plan(decision.activity.topic, decision.activity.title)
        themes = (plan[1] if plan else ()) + ("wider",)
        answered = next(
            key for key, (title, _) in decisions_module.WHAT_WAS_DONE.items() if title == decision.title
        )
        assert answered in themes, (decision.activity.title, decision.title)
        tagged = set(decision.themes.values_list("name", flat=True))
        assert tagged <= set(labels.THEME_SUBCATEGORIES[answered]), (decision.title, tagged)
