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
    demo_partnership_remove()
    assert not Decision.objects.exists()
    assert not Participation.objects.exists()
