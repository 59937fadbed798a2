"""One demo partnership shared by the tests that only read it.

Building the demo takes about a second; the read-only tests share one build, made
inside a transaction that is rolled back when the module's tests are done, so nothing
leaks into other tests. Each test still runs in its own savepoint inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from engage.demo.services import DemoSummary, demo_partnership_load

REFERENCE_DATE = date(2026, 3, 1)
SEED = 2013


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_partnership_load(seed=SEED, today=REFERENCE_DATE)
        transaction.set_rollback(True)
