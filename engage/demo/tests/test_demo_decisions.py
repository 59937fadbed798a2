"""The demo's "You said, we did": decisions published for the activities that gave
feedback, with their evidence, and some promised feedback left overdue."""

from __future__ import annotations

import pytest

from engage.demo.services import demo_partnership_load, demo_partnership_remove
from engage.demo.tests.conftest import REFERENCE_DATE

pytestmark = pytest.mark.django_db


def test_the_demo_has_published_decisions_and_overdue_feedback() -> None:
    from engage.decisions.loop import loop_measures
    from engage.decisions.models import ActivityPublication, Decision, DecisionEvidence

    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=3000)
    assert Decision.objects.filter(published_at__isnull=False).count() > 5
    assert ActivityPublication.objects.count() == Decision.objects.count()
    assert DecisionEvidence.objects.exists()
    measures = loop_measures(today=REFERENCE_DATE)
    assert measures.overdue
    assert measures.feedback_given > 0
    demo_partnership_remove()
    assert not Decision.objects.exists()
