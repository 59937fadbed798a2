"""What an analysis run writes, written as plain rows (engage/core/bulk.py), reads back
through the models exactly as the analyser gave it, on both databases: the redacted
text, the kinds of detail removed (JSON), the sentiment and its uncertainty, the time,
the model, and each label with its score; and analysing again replaces, never adds."""

from __future__ import annotations

import pickle

import pytest
from django.utils import timezone

from engage.insight import runner, services
from engage.insight.models import ConversationInsight, ModelLabel, ModelVersion
from engage.insight.tests.test_services import KIND, SLOW, STAFF, WAITING, add
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_rows_written_are_what_the_analyser_said_and_a_second_run_replaces_them():
    organisation = OrganisationFactory()
    for text in KIND:
        add(organisation, text, rating=5, labels=[STAFF])
    for text in SLOW:
        add(organisation, text, rating=1, labels=[WAITING])
    planted = add(organisation, "Ring Mrs Jane Example on 07700 900461, the nurse was kind", rating=4)
    version = services.model_train(actor=None)
    started = timezone.now()
    run = runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    assert run.error == ""

    analyser = pickle.loads(bytes(ModelVersion.objects.get(pk=version.pk).blob))  # noqa: S301 - just written
    (expected,) = analyser.analyse([planted.text], [planted.rating], [planted.question])
    insight = ConversationInsight.objects.get(conversation=planted)
    assert insight.redacted_text == expected.redacted
    assert "07700 900461" not in insight.redacted_text
    assert insight.redactions == expected.redactions
    assert insight.redactions.get("phone") == 1
    assert insight.sentiment == expected.sentiment
    assert insight.uncertainty == pytest.approx(expected.uncertainty)
    assert insight.model_version_id == version.pk
    assert insight.analysed_at >= started
    written = dict(ModelLabel.objects.filter(conversation=planted).values_list("category__name", "score"))
    assert written == pytest.approx({name: score for name, score in expected.labels if name in written})
    assert set(written) == {name for name, _ in expected.labels if name != "Labelling not possible"}

    insights, labels = ConversationInsight.objects.count(), ModelLabel.objects.count()
    assert insights == len(KIND) + len(SLOW) + 1
    runner.analysis_run_execute(
        run_id=services.analysis_run_create(actor=None, start=False, everything=True).pk
    )
    assert (ConversationInsight.objects.count(), ModelLabel.objects.count()) == (insights, labels)
