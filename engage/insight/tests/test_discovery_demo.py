"""Discovery on the demo's conversations finds themes, not one group of nearly all of
them: before step 10, k-means put 4,321 of the ICB's 4,425 demo comments in one group,
and on this smaller bank 302 of Healthwatch's 390. The test takes about 10 s, most of it
building the demo's 3,000 conversations, which is as few as still show that."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from engage.conversations.models import Conversation
from engage.demo.services import demo_partnership_load
from engage.insight.discovery import services as discovery_services
from engage.insight.models import ConversationInsight
from engage.partners.models import Organisation
from textkit.discover import MIN_COMMENTS
from textkit.redact import redact_text

pytestmark = pytest.mark.django_db

FRAGMENTS = {"doesn", "don", "didn", "isn", "wasn", "couldn", "won", "ve", "ll", "re", "t", "s", "m", "d"}


def test_no_group_holds_over_half_of_an_organisations_demo_comments():
    demo_partnership_load(seed=2013, today=date(2026, 3, 1), conversations=3000)
    now = timezone.now()
    ConversationInsight.objects.bulk_create(
        ConversationInsight(
            conversation_id=pk,
            redacted_text=redact_text(text),
            sentiment="neutral",
            text_hash="x",
            analysed_at=now,
        )
        for pk, text in Conversation.objects.values_list("pk", "text")
    )
    looked_at = 0
    for organisation in Organisation.objects.order_by("name"):
        own = Conversation.objects.for_organisation(organisation)
        if own.count() < 200:  # the partners that hear most: the trusts, Healthwatch, the ICB...
            continue
        discovery = discovery_services.theme_discovery_create(
            actor=None, organisation=organisation, conversations=own, described_as="All"
        )
        groups = list(discovery.groups.all())
        total = len(discovery.conversation_ids)
        assert total >= MIN_COMMENTS
        assert sum(group.size for group in groups) == total
        assert max(group.size for group in groups) <= total / 2, organisation.name
        words = {word for group in groups for keyword in group.keywords for word in keyword.split()}
        assert not words & FRAGMENTS, organisation.name
        looked_at += 1
    assert looked_at >= 4
