"""Reads about personal access tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from engage.accounts.models import Membership
from engage.accounts.tokens.models import AccessToken


def token_list(*, user: Any) -> QuerySet[AccessToken]:
    """A user's tokens, newest first, revoked and expired ones included (so the owner
    sees what existed)."""
    return AccessToken.objects.filter(user=user).select_related("organisation").order_by("-created")


def token_usable(token: AccessToken) -> bool:
    return not token.revoked and token.expiry_date is not None and token.expiry_date > timezone.now()


def token_from_key(key: str) -> AccessToken | None:
    """The token a key opens, if it may still be used: not revoked, not expired, its
    owner active and still holding a role in its organisation."""
    try:
        found = AccessToken.objects.get_from_key(key)
    except AccessToken.DoesNotExist:
        return None
    if not isinstance(found, AccessToken):  # the library's manager is typed for its base class
        return None
    token = found
    if not token_usable(token) or not token.user.is_active:
        return None
    if not Membership.objects.filter(user=token.user, organisation=token.organisation).exists():
        return None
    return token


def token_roles(token: AccessToken) -> frozenset[str]:
    """The roles the token's owner holds in its organisation now (they may have changed
    since it was made: a role taken away is taken from the token too)."""
    roles = Membership.objects.filter(
        user=token.user, organisation=token.organisation, organisation__is_active=True
    ).values_list("role", flat=True)
    return frozenset(roles)
