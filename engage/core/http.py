"""The request as the staff area sees it, once the middleware has set the scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

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


def int_param(value: str | None) -> int | None:
    """A whole number from a query string, or None where it is missing or not a number."""
    return int(value) if value and value.isdigit() else None


def date_param(value: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD, as date inputs send) from a query string, or None."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
