"""Fixtures shared across the apps' tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.tests.factories import sign_in_as


@pytest.fixture
def client_for(db: Any) -> Callable[..., Client]:
    """A test client signed in as `user`, acting for `organisation`."""

    def make(user: Any, organisation: Any = None) -> Client:
        client = sign_in_as(Client(), user)
        if organisation is not None:
            session = client.session
            session[SESSION_KEY] = organisation.pk
            session.save()
        return client

    return make
