"""Insight end to end on the real database: labels, training, analysis runs, themes."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest

from engage.activities.models import PartnershipPriority
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation
from engage.conversations.tests.factories import ConversationFactory
from engage.core.errors import InvalidInput, UnknownId
from engage.insight import runner, selectors, services
from engage.insight.framework import services as framework_services
from engage.insight.models import (
    AnalysisRun,
    Category,
    ConversationInsight,
    ModelLabel,
    ModelVersion,
    PersonLabel,
    Review,
    RunStatus,
)
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STAFF = "Staff manner & personal attributes"
WAITING = "Timeliness of care"
PARKING = "Parking"

KIND = [
    "The nurse was so kind and caring to my mum",
    "Lovely friendly staff who listened",
    "Staff were polite and reassuring throughout",
    "The receptionist was helpful and kind",
    "Really caring doctor, thank you",
]
SLOW = [
    "I waited four hours to be seen",
    "The wait for an appointment was far too long",
    "Waited weeks for a referral, no one called",
    "Long delays in A&E, nobody told us why",
    "Had to wait three months for a scan",
]


def add(
    organisation: Any,
    text: str,
    *,
    rating: int | None = None,
    labels: list[str] | None = None,
    consent: bool = True,
    month: int = 3,
) -> Conversation:
    return ConversationFactory(
        organisation=organisation,
        text=text,
        occurred_on=dt.date(2026, month, 1),
        rating=rating,
        consent_to_quote=consent,
        imported_labels=labels,
    )


def test_the_built_in_framework_loads_once_with_its_categories():
    framework = framework_services.framework_built_in()
    again = framework_services.framework_built_in()
    assert framework.pk == again.pk
    parents = Category.objects.filter(framework=framework, parent__isnull=True)
    subs = Category.objects.filter(framework=framework, parent__isnull=False)
    assert parents.count() == 11
    assert subs.count() >= 32
    assert {"Compassion", "Empathy", "Respect", "Dignity"} <= set(subs.values_list("name", flat=True))


def test_imported_labels_become_peoples_labels_mapped_to_the_framework(labelled_bank):
    assert services.imported_labels_adopt() == 60
    assert Review.objects.count() == 60
    names = set(PersonLabel.objects.values_list("category__name", flat=True))
    assert STAFF in names
    assert all(label.source == PersonLabel.Source.IMPORT for label in PersonLabel.objects.all())
    assert services.imported_labels_adopt() == 0  # once only


def test_training_then_a_run_labels_new_conversations_and_removes_personal_details(labelled_bank):
    version = services.model_train(actor=None)
    assert version.number == 1
    assert version.categories_learnt >= 2
    assert version.sentiment_source == "ratings"
    new_kind = add(labelled_bank, "The nurse was kind and caring, call me on 07700 900123", rating=1)
    new_slow = add(labelled_bank, "We waited five hours to be seen in A&E", rating=5)
    run = services.analysis_run_create(actor=None, start=False)
    run = runner.analysis_run_execute(run_id=run.pk)
    assert run.status == RunStatus.SUCCEEDED
    assert run.rows_done == Conversation.objects.count()
    kind_labels = set(
        ModelLabel.objects.filter(conversation=new_kind).values_list("category__name", flat=True)
    )
    slow_labels = set(
        ModelLabel.objects.filter(conversation=new_slow).values_list("category__name", flat=True)
    )
    assert STAFF in kind_labels
    assert WAITING in slow_labels
    insight = ConversationInsight.objects.get(conversation=new_kind)
    assert "07700" not in insight.redacted_text
    assert "[phone number]" in insight.redacted_text
    assert insight.redactions == {"phone": 1}
    assert insight.sentiment == "positive"
    assert ConversationInsight.objects.get(conversation=new_slow).sentiment == "negative"
    # Written as plain rows (engage/core/bulk.py), read back through the models exactly
    # as the analyser gave them: text, JSON, float, time, model and each label's score.
    analyser = pickle.loads(bytes(ModelVersion.objects.get(pk=version.pk).blob))  # noqa: S301 - just written
    (expected,) = analyser.analyse([new_kind.text], [new_kind.rating], [new_kind.question])
    assert insight.redacted_text == expected.redacted
    assert insight.uncertainty == pytest.approx(expected.uncertainty)
    assert insight.model_version_id == version.pk
    assert insight.analysed_at >= run.started_at
    written = dict(ModelLabel.objects.filter(conversation=new_kind).values_list("category__name", "score"))
    assert written == pytest.approx({name: score for name, score in expected.labels if name in written})
    assert set(written) == {name for name, _ in expected.labels if name != "Labelling not possible"}
    # Analysing everything again replaces the rows, never adds to them.
    counts = ConversationInsight.objects.count(), ModelLabel.objects.count()
    runner.analysis_run_execute(
        run_id=services.analysis_run_create(actor=None, start=False, everything=True).pk
    )
    assert (ConversationInsight.objects.count(), ModelLabel.objects.count()) == counts


def test_a_second_run_only_analyses_what_is_new_or_changed(labelled_bank):
    services.model_train(actor=None)
    first = runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    assert first.rows_done == 60
    changed = Conversation.objects.first()
    Conversation.objects.filter(pk=changed.pk).update(text="Parking was impossible, 07700 900123")
    add(labelled_bank, "A brand new comment about the kind staff")
    second = runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    assert second.rows_done == 2
    assert "[phone number]" in ConversationInsight.objects.get(conversation=changed).redacted_text


def test_a_run_never_touches_peoples_labels(labelled_bank):
    services.model_train(actor=None)
    before = set(PersonLabel.objects.values_list("conversation_id", "category_id"))
    runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    assert set(PersonLabel.objects.values_list("conversation_id", "category_id")) == before


def test_only_one_run_waits_at_a_time():
    services.analysis_run_create(actor=None, start=False)
    with pytest.raises(Exception, match="already"):
        services.analysis_run_create(actor=None, start=False)
    assert AnalysisRun.objects.count() == 1


def test_a_review_replaces_the_persons_earlier_labels_and_is_scoped(labelled_bank):
    framework = framework_services.framework_built_in()
    conversation = add(labelled_bank, "Parking cost a fortune")
    parking = (
        Category.objects.get(framework=framework, name=PARKING)
        if Category.objects.filter(framework=framework, name=PARKING).exists()
        else Category.objects.filter(framework=framework, parent__isnull=False).first()
    )
    staff = Category.objects.get(framework=framework, name=STAFF)
    services.review_record(
        actor=None,
        organisation=labelled_bank,
        conversation_id=conversation.pk,
        category_ids=[staff.pk],
        sentiment="negative",
    )
    services.review_record(
        actor=None,
        organisation=labelled_bank,
        conversation_id=conversation.pk,
        category_ids=[parking.pk],
        sentiment="negative",
    )
    assert list(PersonLabel.objects.filter(conversation=conversation).values_list("category", flat=True)) == [
        parking.pk
    ]
    assert Review.objects.get(conversation=conversation).sentiment == "negative"
    other = OrganisationFactory(name="Walsall Council")
    with pytest.raises(UnknownId):  # another organisation's conversation: refused by field
        services.review_record(
            actor=None, organisation=other, conversation_id=conversation.pk, category_ids=[staff.pk]
        )
    with pytest.raises(InvalidInput):
        services.review_record(
            actor=None,
            organisation=labelled_bank,
            conversation_id=conversation.pk,
            category_ids=[framework.categories.filter(parent__isnull=True).first().pk],
        )


def test_themes_count_share_sentiment_trend_and_only_consented_redacted_quotes(labelled_bank):
    services.model_train(actor=None)
    add(
        labelled_bank,
        "The staff were kind and caring, ring me on 07700 900123 anytime",
        rating=1,
        consent=True,
        month=4,
    )
    add(
        labelled_bank,
        "The staff were kind and caring but please do not quote me at all",
        rating=1,
        consent=False,
        month=4,
    )
    runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    framework = framework_services.framework_built_in()
    summary = selectors.themes_summary(
        selectors.conversation_set(organisation=labelled_bank), framework=framework
    )
    assert summary.conversations == 62
    staff_theme = next(t for t in summary.themes if any(s.category.name == STAFF for s in t.subthemes))
    staff = next(s for s in staff_theme.subthemes if s.category.name == STAFF)
    assert staff.count >= 30
    assert 0 < staff.share < 1
    assert staff.sentiment["positive"] >= 30
    assert dict(staff.trend)["2026-04"] >= 1
    assert not any("do not quote" in quote for quote in staff.quotes)
    assert not any("07700" in quote for quote in staff.quotes)
    # Another organisation sees none of it.
    other = OrganisationFactory(name="Walsall Council")
    assert (
        selectors.themes_summary(selectors.conversation_set(organisation=other), framework=framework).themes
        == []
    )


def test_a_run_on_a_process_pool_writes_the_same_as_in_the_worker(labelled_bank, settings):
    services.model_train(actor=None)
    runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    here = {(i.conversation_id, i.redacted_text, i.sentiment) for i in ConversationInsight.objects.all()}
    labels_here = set(ModelLabel.objects.values_list("conversation_id", "category_id"))
    settings.ENGAGE_INSIGHT_WORKERS = 2
    runner.analysis_run_execute(
        run_id=services.analysis_run_create(actor=None, start=False, everything=True).pk
    )
    assert {
        (i.conversation_id, i.redacted_text, i.sentiment) for i in ConversationInsight.objects.all()
    } == here
    assert set(ModelLabel.objects.values_list("conversation_id", "category_id")) == labels_here


def test_a_set_can_be_a_priority_or_the_conversations_matching_search_words(labelled_bank):

    priority = PartnershipPriority.objects.create(title="Urgent care")
    activity = ActivityFactory(lead_organisation=labelled_bank)
    activity.priorities.add(priority)
    linked = add(labelled_bank, "The urgent care centre was quick and kind")
    Conversation.objects.filter(pk=linked.pk).update(activity=activity)
    by_priority = selectors.conversation_set(organisation=labelled_bank, priority_id=priority.pk)
    assert list(by_priority.values_list("pk", flat=True)) == [linked.pk]
    by_words = selectors.conversation_set(organisation=labelled_bank, query="waited")
    texts = list(by_words.values_list("text", flat=True))
    assert texts
    assert all("wait" in text.lower() for text in texts)
    other = OrganisationFactory(name="Walsall Council")
    assert not selectors.conversation_set(organisation=other, query="waited").exists()


def test_training_adds_the_frameworks_own_examples_of_each_theme(labelled_bank):
    framework = framework_services.framework_in_use()
    phrase = Category.objects.get(framework=framework, name=WAITING).examples[0]
    trained = services.model_train(actor=None)
    Category.objects.filter(framework=framework).update(examples=[])
    untaught = services.model_train(actor=None, force=True)

    def waiting_score(version: ModelVersion) -> float:
        categories = pickle.loads(bytes(version.blob)).categories  # noqa: S301 - just written
        return float(categories.scores([phrase], [None])[0][categories.labels.index(WAITING)])

    assert waiting_score(trained) > waiting_score(untaught)
    # Examples never make a theme learnt: the same themes, from people's labels.
    assert trained.categories_learnt == untaught.categories_learnt


def test_a_frameworks_examples_are_redacted_before_a_model_learns_them(labelled_bank):
    framework = framework_services.framework_in_use()
    Category.objects.filter(framework=framework, name=WAITING).update(
        examples=["Queued for Dr Okonkwo for hours, ring me on 07700 900123"]
    )
    version = services.model_train(actor=None)
    features = pickle.loads(bytes(version.blob)).categories.features  # noqa: S301 - just written
    words = set(features.words.vocabulary_)
    assert "queued" in words  # the example was learnt from
    assert not {word for word in words if "okonkwo" in word or "07700" in word}
