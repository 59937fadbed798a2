"""A small partnership for the picture's tests: three organisations of different kinds
sharing at each level, with labelled conversations across two years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from engage.conversations.models import Quote, QuoteStatus
from engage.conversations.tests.factories import ConversationFactory
from engage.insight.framework.services import framework_in_use
from engage.insight.models import Category, ConversationInsight, ModelLabel, ModelVersion
from engage.partners.models import OrganisationKind
from engage.partners.tests.factories import OrganisationFactory
from engage.partnership.models import SharingLevel
from engage.partnership.tests.factories import OrganisationSharingFactory

TODAY = dt.date(2026, 12, 7)


@dataclass
class Partners:
    counts: Any  # shares counts only
    quotes: Any  # shares counts and approved quotes
    nothing: Any  # shares nothing
    discharge: Any  # a sub-theme
    compassion: Any  # a relational care sub-theme
    version: Any


def label(conversation: Any, category: Any, version: Any, sentiment: str = "negative") -> None:
    ModelLabel.objects.create(conversation=conversation, category=category, score=0.9, model_version=version)
    ConversationInsight.objects.update_or_create(
        conversation=conversation,
        defaults={
            "redacted_text": conversation.text,
            "sentiment": sentiment,
            "text_hash": "x",
            "analysed_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        },
    )


def approve(conversation: Any) -> None:
    Quote.objects.create(
        conversation=conversation,
        status=QuoteStatus.APPROVED,
        text=conversation.text,
        decided_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )


@pytest.fixture
def partners() -> Partners:
    framework = framework_in_use()
    discharge = Category.objects.get(framework=framework, name__icontains="discharge", parent__isnull=False)
    compassion = Category.objects.get(framework=framework, name="Compassion")
    version = ModelVersion.objects.create(number=1, framework=framework, blob=b"")
    counts = OrganisationFactory(name="Castlebridge Council", kind=OrganisationKind.COUNCIL)
    quotes = OrganisationFactory(name="Castlebridge Healthwatch", kind=OrganisationKind.HEALTHWATCH)
    nothing = OrganisationFactory(name="Riverside Trust", kind=OrganisationKind.NHS_TRUST)
    OrganisationSharingFactory(organisation=counts, level=SharingLevel.COUNTS)
    OrganisationSharingFactory(organisation=quotes, level=SharingLevel.QUOTES)
    OrganisationSharingFactory(organisation=nothing, level=SharingLevel.NOTHING)
    for organisation, word in ((counts, "council"), (quotes, "healthwatch"), (nothing, "trust")):
        for month in range(1, 11):
            for n in range(12):
                conversation = ConversationFactory(
                    organisation=organisation,
                    occurred_on=dt.date(2026, month, 3),
                    text=f"Going home from the ward took all day, said a {word} carer, visit {month}-{n}.",
                    carer="Yes" if n % 3 == 0 else "No",
                    age_band="65-74" if n % 2 else "25-34",
                )
                label(conversation, discharge, version, "negative" if n % 4 else "positive")
                if n % 2 == 0:
                    label(conversation, compassion, version, "positive")
                if n == 0:
                    approve(conversation)
    return Partners(counts, quotes, nothing, discharge, compassion, version)
