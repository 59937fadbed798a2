"""Fixtures for the insight tests: an organisation and a bank labelled as files give it."""

from __future__ import annotations

from typing import Any

import pytest

from engage.insight.tests.test_services import KIND, SLOW, STAFF, WAITING, add
from engage.partners.tests.factories import OrganisationFactory


@pytest.fixture
def organisation() -> Any:
    return OrganisationFactory(name="Dudley Healthwatch")


@pytest.fixture
def labelled_bank(organisation: Any) -> Any:
    """Conversations imported with v6 labels (as the pxtextmining format gives them)."""
    for round_ in range(6):
        for text in KIND:
            add(organisation, f"{text} ({round_})", rating=1, labels=[STAFF])
        for text in SLOW:
            add(organisation, f"{text} ({round_})", rating=5, labels=[WAITING])
    return organisation
