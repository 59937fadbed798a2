"""One demo partnership shared by the tests that only read it.

Building the demo takes about a second; the read-only tests share one build, made
inside a transaction that is rolled back when the module's tests are done, so nothing
leaks into other tests. Each test still runs in its own savepoint inside it.

The bank of conversations is most of a full build's time, so these builds hold a small
bank, and so does every build a test makes (`few_conversations`);
test_demo_conversations.py builds the full bank once and looks at that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from engage.demo import services
from engage.demo.services import DemoSummary, demo_partnership_load

REFERENCE_DATE = date(2026, 3, 1)
SEED = 2013
FEW_CONVERSATIONS = 600


@pytest.fixture(autouse=True)
def few_conversations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "DEFAULT_CONVERSATIONS", FEW_CONVERSATIONS)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_partnership_load(seed=SEED, today=REFERENCE_DATE, conversations=FEW_CONVERSATIONS)
        transaction.set_rollback(True)
