"""The request as the staff area sees it, once the middleware has set the scope."""

from __future__ import annotations

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
