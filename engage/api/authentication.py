"""Personal access tokens in the API: `Authorization: Bearer <token>`.

A token acts as its owner for the one organisation it was made for, with the roles the
owner holds there now, and only reads unless it was made to write. Every request made
with one is in the audit log (ADR 0026). A session still works as before, and keeps
Django's CSRF check; a token request carries no cookie, so needs none.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from engage.accounts.tokens import selectors, services
from engage.accounts.tokens.models import TokenAccess
from engage.core.roles import permissions_for


class AccessTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Bearer' and the token.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That token is not one this site made.") from None
        token = selectors.token_from_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "That token does not work: it is wrong, revoked or expired, or its owner no longer "
                "holds a role in its organisation."
            )
        if token.access != TokenAccess.READ_WRITE and request.method not in SAFE_METHODS:
            services.token_use_record(token=token, method=f"{request.method} (refused)", path=request.path)
            raise exceptions.PermissionDenied("This token may only read. Make one that may write.")
        # What the organisation-in-scope middleware does for a session, done here for
        # the token: its organisation, and what its owner's roles there allow.
        roles = selectors.token_roles(token)
        django_request = request._request
        django_request.organisation = token.organisation  # type: ignore[attr-defined]
        django_request.roles = roles  # type: ignore[attr-defined]
        django_request.permissions = permissions_for(roles)  # type: ignore[attr-defined]
        django_request.organisation_choices = (token.organisation,)  # type: ignore[attr-defined]
        services.token_use_record(token=token, method=request.method or "", path=request.path)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
