"""Writes for signing in: counting tries, the known-device cookie, the second factor,
and passwords set through an emailed link (invitations and resets).

Each owns its transaction and audit record, as every service does. Who may act on
another user (reset their second factor, send them a link) is the one rule in
`engage.accounts.selectors`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from engage.accounts.models import User
from engage.accounts.selectors import CANNOT_CHANGE_USER, user_manageable
from engage.accounts.sign_in.invitation import invitation_tokens
from engage.accounts.sign_in.selectors import (
    DEVICE_COOKIE_SALT,
    SignInClient,
    authenticator_of,
    counters,
    seconds_to_wait,
)
from engage.core.errors import DomainError, InvalidInput, NotPermitted
from engage.core.jobs import enqueue_after_commit
from engage.core.models import AuditAction
from engage.core.ratelimit import (
    rate_limit_forget,
    rate_limit_forget_subject,
    rate_limit_hit,
    rate_limit_unhit,
    value_key,
)
from engage.core.services import audit_record
from engage.core.types import Actor
from engage.partners.models import Organisation

RECOVERY_CODES = 10
# An account's subject key must not change at midnight (hits from before it would be
# missed when unlocking), so it is made with a fixed day rather than today's.
ACCOUNT_SUBJECT_DAY = dt.date(2026, 1, 1)
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_NAME = "Recovery codes"
_AUTHENTICATOR_NAME = "Authenticator app"


# --- Counting tries ----------------------------------------------------------------------


def sign_in_try_record(client: SignInClient) -> list[int]:
    """Count a try before the password (or code) is checked, so that tries sent all at
    once are each counted before any is answered; returns the hits, which
    `sign_in_try_right` takes back if the try turns out to be right."""
    all_counters = counters()
    account = account_subject(client.email)
    return [
        rate_limit_hit(
            scope=all_counters[name].scope,
            key=key,
            window=all_counters[name].window,
            subject="" if name == "address" else account,
        )
        for name, key in client.keys.items()
    ]


def sign_in_try_right(hits: list[int]) -> None:
    """A try that was right is not a wrong try: its own hits are taken back, so a busy
    office signing in from one address never reaches the address's limit. The others'
    (an attacker's) stay counted."""
    rate_limit_unhit(hits)


def sign_in_success_record(client: SignInClient) -> None:
    """The right password (and second factor) from this client: its own tries are
    forgotten. The account's count of unknown clients is not: the owner signing in
    must not hand an attacker elsewhere a fresh set of guesses."""
    all_counters = counters()
    for name in ("pair", "device"):
        if name in client.keys:
            rate_limit_forget(scope=all_counters[name].scope, key=client.keys[name])


def sign_in_limits_forget(*, email: str) -> None:
    """Unlock an account everywhere: after its password was set through an emailed link,
    or by an administrator. Tries counted by address alone stay counted."""
    all_counters = counters()
    account = account_subject(email)
    for name in ("pair", "account", "device"):
        rate_limit_forget_subject(scope=all_counters[name].scope, subject=account)


def account_subject(email: str) -> str:
    """What every try at one account is also filed under, whatever the address or
    device, so that unlocking the account can find them all."""
    return value_key(email.strip().lower(), scope="sign-in:account", today=ACCOUNT_SUBJECT_DAY)


def known_device_cookie(user: Any) -> str:
    """A signed value naming this browser as one `user` has signed in from."""
    return signing.dumps({"u": user.pk, "d": secrets.token_hex(8)}, salt=DEVICE_COOKIE_SALT)


def sign_in_record(*, actor: User, second_factor: str = "") -> None:
    summary = "Signed in." if not second_factor else f"Signed in with {second_factor}."
    audit_record(
        actor=actor,
        organisation=None,
        action=AuditAction.SIGNED_IN,
        subject_type="user",
        subject_id=actor.pk,
        summary=summary,
    )


# --- The second factor --------------------------------------------------------------------


def authenticator_begin(*, user: Any) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` to scan; any earlier unconfirmed one
    is replaced (it was shown but never confirmed with a code)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_AUTHENTICATOR_NAME, confirmed=False)


@dataclass(frozen=True)
class SecondFactorSetUp:
    device: TOTPDevice
    recovery_codes: list[str]  # shown once, never kept as they are


def authenticator_confirm(*, user: Any, device_id: int, code: str) -> SecondFactorSetUp:
    """Confirm the authenticator with a code from it: it replaces any earlier one, and
    new recovery codes replace any earlier ones."""
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise InvalidInput({"code": "Start setting up again: that set-up is no longer waiting."})
    _refuse_while_slowed(device)
    if not device.verify_token(_digits(code)):
        raise InvalidInput({"code": "The code is not right. Enter the 6 digits the app shows now."})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_record(
            actor=user,
            organisation=None,
            action=AuditAction.SECOND_FACTOR_SET_UP,
            subject_type="user",
            subject_id=user.pk,
            summary="Set up two-step sign-in with an authenticator app, and new recovery codes.",
        )
    return SecondFactorSetUp(device=device, recovery_codes=codes)


def recovery_codes_replace(*, user: Any) -> list[str]:
    """New recovery codes for a user with an authenticator; the old ones stop working."""
    if authenticator_of(user) is None:
        raise DomainError("Set up two-step sign-in first.")
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(
            actor=user,
            organisation=None,
            action=AuditAction.SECOND_FACTOR_SET_UP,
            subject_type="user",
            subject_id=user.pk,
            summary="Made new recovery codes; the old ones no longer work.",
        )
    return codes


def _recovery_codes_replace(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_RECOVERY_NAME, confirmed=True)
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_hash(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def recovery_code_hash(code: str) -> str:
    """What is kept of a recovery code: a hash, so the table alone gives no way in.
    (django-otp keeps static tokens as they are; ours are hashed before it sees them.)"""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"engage-recovery-code:{normal}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Verified:
    device: Any
    used_recovery_code: bool


def _refuse_while_slowed(device: Any) -> None:
    wait = seconds_to_wait(device)
    if wait:
        raise InvalidInput(
            {
                "code": f"Wait {wait} second{'' if wait == 1 else 's'} before trying again: "
                "each wrong code makes the wait longer."
            }
        )


def second_factor_verify(*, user: Any, code: str) -> Verified | None:
    """The device that accepts `code`: the authenticator's 6 digits, or one of the
    recovery codes (used up once used). django-otp slows each device down after wrong
    codes (twice as long after each); a code sent during the wait raises InvalidInput
    saying how long to wait."""
    code = code.strip()
    authenticator = authenticator_of(user)
    # An authenticator's code is six digits and nothing else ("123 456" or "123-456" as
    # some apps show it); a recovery code holds letters, and one in fifty holds six digits.
    if authenticator is not None and _AUTHENTICATOR_CODE.fullmatch(code):
        _refuse_while_slowed(authenticator)
        found = verify_token(user, authenticator.persistent_id, _digits(code))
        return Verified(found, False) if found is not None else None
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is None:
        return None
    _refuse_while_slowed(recovery)
    found = verify_token(user, recovery.persistent_id, recovery_code_hash(code))
    if found is None:
        return None
    audit_record(
        actor=user,
        organisation=None,
        action=AuditAction.RECOVERY_CODE_USED,
        subject_type="user",
        subject_id=user.pk,
        summary=f"Signed in with a recovery code; {found.token_set.count()} left.",
    )
    return Verified(found, True)


def second_factor_reset(*, actor: User, actor_organisation: Organisation, user: User) -> None:
    """An administrator takes away a user's second factor (a lost phone): they set it up
    again at their next sign-in. Needs power over every one of the user's roles."""
    if not user_manageable(actor=actor, actor_organisation=actor_organisation, user=user):
        raise NotPermitted(CANNOT_CHANGE_USER)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor,
            organisation=actor_organisation,
            action=AuditAction.SECOND_FACTOR_RESET,
            subject_type="user",
            subject_id=user.pk,
            summary="Reset the user's two-step sign-in; they set it up again when they next sign in.",
        )


_AUTHENTICATOR_CODE = re.compile(r"[0-9]{3}[ -]?[0-9]{3}")


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch in "0123456789")


# --- Passwords through an emailed link -------------------------------------------------------


def password_link_send(*, actor: User, actor_organisation: Organisation, user: User) -> None:
    """An administrator sends a user a link to set a new password (a forgotten one),
    which also unlocks the account. The administrator never knows the password."""
    if not user_manageable(actor=actor, actor_organisation=actor_organisation, user=user):
        raise NotPermitted(CANNOT_CHANGE_USER)
    with transaction.atomic():
        sign_in_limits_forget(email=user.email)
        _link_email_after_commit(user_id=user.pk, kind="reset")
        audit_record(
            actor=actor,
            organisation=actor_organisation,
            action=AuditAction.UPDATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Sent a link to set a new password, and lifted any lockout.",
        )


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Someone asks for a reset link for `email`. The answer is the same whether or not
    an account uses it (no one can learn who has one), and so is the work done here:
    the worker looks the address up and sends only if there is an active account."""
    _link_email_after_commit(email=email.strip().lower(), kind="reset")


def invitation_send(*, actor: Actor, organisation: Organisation, user: User) -> None:
    """Email a new user a link to choose their password (it lasts
    ENGAGE_INVITATION_DAYS); sent again, the earlier link keeps working until used."""
    _link_email_after_commit(user_id=user.pk, kind="invitation")
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.UPDATED,
        subject_type="user",
        subject_id=user.pk,
        summary="Sent an invitation to choose a password.",
    )


def _link_email_after_commit(*, kind: str, user_id: int | None = None, email: str = "") -> None:
    enqueue_after_commit(
        "engage.accounts.sign_in.tasks.password_link_task", kind=kind, user_id=user_id, email=email
    )


def password_link_deliver(*, kind: str, user_id: int | None = None, email: str = "") -> bool:
    """Send the link (run by the worker); False where there is no one to send it to."""
    from engage.accounts.sign_in.emails import password_link_email  # noqa: PLC0415 - the emails module imports this one's tokens

    users = get_user_model().objects.filter(is_active=True)
    user = (
        users.filter(pk=user_id).first() if user_id is not None else users.filter(email__iexact=email).first()
    )
    if user is None:
        return False
    generator = invitation_tokens if kind == "invitation" else default_token_generator
    password_link_email(user=user, kind=kind, token=generator.make_token(user)).send(fail_silently=False)
    return True


def password_set_by_link_record(*, user: Any, kind: str) -> None:
    """The password was chosen through an emailed link: the account is unlocked."""
    sign_in_limits_forget(email=user.email)
    audit_record(
        actor=user,
        organisation=None,
        action=AuditAction.UPDATED,
        subject_type="user",
        subject_id=user.pk,
        summary="Chose a password through an invitation."
        if kind == "invitation"
        else "Set a new password through an emailed link.",
    )
