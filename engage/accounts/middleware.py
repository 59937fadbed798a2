"""Sets the organisation a signed-in user acts for, and what they may do there.

The choice is kept in the session; it must be one of the user's memberships, so a
tampered session can never widen what a user sees.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from engage.accounts.selectors import organisation_in_scope_resolve
from engage.core.roles import permissions_for

SESSION_KEY = "organisation_id"


class OrganisationInScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = organisation_in_scope_resolve(user=request.user, wanted_id=request.session.get(SESSION_KEY))
        request.organisation = scope.organisation  # type: ignore[attr-defined]
        request.roles = scope.roles  # type: ignore[attr-defined]
        request.permissions = permissions_for(scope.roles)  # type: ignore[attr-defined]
        request.organisation_choices = scope.choices  # type: ignore[attr-defined]
        return self.get_response(request)
