"""The request as the staff area sees it, once the middleware has set the scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from engage.core.numbers import BIGGEST_ID, parse_ids, parse_whole_number
from engage.core.roles import Permission


class ScopedRequest(HttpRequest):
    """Set by `engage.accounts.middleware.OrganisationInScopeMiddleware` on every request.

    `organisation` is the partner the user acts for (None for the public), and
    `permissions` what their roles there allow.
    """

    user: Any
    organisation: Any
    roles: frozenset[str]
    permissions: frozenset[Permission]
    organisation_choices: tuple[Any, ...]


def int_param(value: str | None, *, field: str, least: int = 1, most: int = BIGGEST_ID) -> int | None:
    """A whole number (by default a record id) from a query string or form, or None where
    it is missing or empty; anything else is an InvalidInput naming `field` (a 400).
    See `engage.core.numbers`."""
    return parse_whole_number(value, field=field, least=least, most=most)


def int_params(values: list[str], *, field: str) -> list[int]:
    """Record ids from a repeated field (ticked checkboxes), each checked."""
    return parse_ids(values, field=field)


def date_param(value: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD, as date inputs send) from a query string, or None."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
