"""Making and revoking personal access tokens. Each is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.accounts.selectors import user_manageable
from engage.accounts.tokens.models import AccessToken, TokenAccess
from engage.core.errors import InvalidInput, NotFound
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.partners.models import Organisation

LONGEST_DAYS = 366


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    key: str  # shown once; only its hash is kept


def token_create(
    *, actor: User, organisation: Organisation | None, name: str, access: str, days: int
) -> NewToken:
    """A token for the actor's own scripts, acting for the organisation they act for now."""
    errors: dict[str, str] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = "Name the token after what will use it, such as 'Monthly report script'."
    elif len(name) > 50:
        errors["name"] = "The name must be 50 characters or fewer."
    if access not in TokenAccess.values:
        errors["access"] = "Choose read only, or read and write."
    if not 1 <= days <= LONGEST_DAYS:
        errors["days"] = f"A token lasts from 1 to {LONGEST_DAYS} days."
    if organisation is None or not Membership.objects.filter(user=actor, organisation=organisation).exists():
        errors["organisation"] = "A token acts for an organisation you hold a role in."
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        made, key = AccessToken.objects.create_key(
            name=name,
            user=actor,
            organisation=organisation,
            access=access,
            expiry_date=timezone.now() + dt.timedelta(days=days),
        )
        token = AccessToken.objects.get(pk=made.pk)  # typed as ours, not the library's base class
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.TOKEN_CREATED,
            subject_type="access_token",
            subject_id=token.prefix,
            summary=f"Made a {TokenAccess(access).label.lower()} access token {name!r}, lasting {days} days.",
        )
    return NewToken(token=token, key=key)


def token_revoke(*, actor: User, actor_organisation: Organisation | None, prefix: str) -> AccessToken:
    """Stop a token working: its owner may, and so may an administrator who may change
    its owner (the rule in `engage.accounts.selectors`)."""
    token = AccessToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
    if token is None:
        raise NotFound("There is no such token.")
    if token.user_id != actor.pk and not user_manageable(
        actor=actor, actor_organisation=actor_organisation, user=token.user
    ):
        raise NotFound("There is no such token.")  # another's token: not even its existence
    if token.revoked:
        return token
    with transaction.atomic():
        token.revoked = True
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked", "revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            organisation=token.organisation,
            action=AuditAction.TOKEN_REVOKED,
            subject_type="access_token",
            subject_id=token.prefix,
            summary=f"Revoked the access token {token.name!r} of user {token.user_id}.",
        )
    return token


def token_use_record(*, token: AccessToken, method: str, path: str) -> None:
    """Every request made with a token is in the audit log of its organisation."""
    now = timezone.now()
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    audit_record(
        actor=token.user,
        organisation=token.organisation,
        action=AuditAction.TOKEN_USED,
        subject_type="access_token",
        subject_id=token.prefix,
        summary=f"{method} {path[:400]}",
    )
