"""Building, rebuilding and removing the demo's bank of conversations: the same seed
writes the same conversations, a reset or removal takes them away, and the command says
how many there are. Each test builds its own small bank (test_demo_conversations.py
looks at the full one)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from engage.activities.models import Activity
from engage.conversations.models import Channel, Conversation
from engage.demo.services import demo_partnership_load, demo_partnership_remove, demo_partnership_reset
from engage.demo.tests.conftest import REFERENCE_DATE
from engage.demo.tests.test_demo_conversations import FIELDS

pytestmark = pytest.mark.django_db


def _bank() -> list[tuple[object, ...]]:
    return list(Conversation.objects.order_by("pk").values_list(*FIELDS[:2], "activity__title", *FIELDS[3:]))


def test_the_same_seed_writes_the_same_conversations() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=1500)
    first = _bank()
    demo_partnership_remove()
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=1500)
    assert _bank() == first
    demo_partnership_reset(seed=8, today=REFERENCE_DATE, conversations=1500)
    assert _bank() != first


def test_the_size_of_the_bank_does_not_change_the_rest_of_the_demo() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=0)
    assert not Conversation.objects.exists()
    activities = list(Activity.objects.order_by("pk").values_list("title", "starts_on", "status"))
    demo_partnership_reset(seed=7, today=REFERENCE_DATE, conversations=500)
    assert list(Activity.objects.order_by("pk").values_list("title", "starts_on", "status")) == activities
    assert Conversation.objects.count() == 500


def test_every_channel_appears_even_in_a_small_bank() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=200)
    assert Conversation.objects.count() == 200
    assert set(Conversation.objects.values_list("channel", flat=True)) == {
        channel.value for channel in Channel
    } - {Channel.OTHER}


def test_reset_and_remove_take_the_conversations_with_them() -> None:
    out = StringIO()
    call_command("demo", "--quiet", "--conversations", "400", stdout=out)
    first = set(Conversation.objects.values_list("pk", flat=True))
    assert len(first) == 400
    call_command("demo", "--quiet", "--reset", "--conversations", "300", stdout=out)
    now = set(Conversation.objects.values_list("pk", flat=True))
    assert len(now) == 300
    assert not first & now
    demo_partnership_remove()
    assert not Conversation.objects.exists()


def test_command_prints_the_number_of_conversations() -> None:
    out = StringIO()
    call_command("demo", "--conversations", "700", stdout=out)
    assert re.search(r"Conversations\s+700\s+\([\d,]+ from activities\)", out.getvalue())
