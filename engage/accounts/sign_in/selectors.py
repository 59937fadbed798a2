"""Reads for signing in: whether a client may try again, and what second factor a
user has or needs.

Wrong tries are counted three ways (ADR 0025), each in `engage.core.ratelimit`'s table,
keyed by a daily keyed hash so it holds no address or email:

- an account from one address: 5 wrong tries in 15 minutes lock that pair;
- one address, whatever the accounts: 30 in 15 minutes lock the address (one machine
  spraying a password across many accounts);
- an account from anywhere it has not signed in before: 10 in an hour lock the account,
  but only for such clients. So an attacker with many addresses gets 10 guesses an
  hour, not unlimited ones.

A browser that has signed in to the account before carries a signed "known device"
cookie; its tries count only against that device (5 in 15 minutes). So an attacker
elsewhere, who can use up the account's other counts, never locks its owner out of the
browser they use (OWASP's "device cookies"). The address is read through the configured
number of proxies, as the public feedback form's limit reads it.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import qrcode
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from engage.accounts.models import Membership, User
from engage.core.ratelimit import RateLimit, client_address, rate_limit_check, value_key
from engage.core.roles import Role

DEVICE_COOKIE = "engage_known_device"
DEVICE_COOKIE_SALT = "engage.accounts.sign_in.known-device"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class Counter:
    """One way of counting wrong tries: its scope in the table, how many are allowed,
    and over how long."""

    scope: str
    limit: int
    window: dt.timedelta


def counters() -> dict[str, Counter]:
    """The counters, with their limits from settings."""
    quarter_hour = dt.timedelta(minutes=15)
    return {
        "pair": Counter("sign-in:account-and-address", settings.ENGAGE_SIGN_IN_TRIES, quarter_hour),
        "address": Counter("sign-in:address", settings.ENGAGE_SIGN_IN_ADDRESS_TRIES, quarter_hour),
        "account": Counter(
            "sign-in:account-unknown-device", settings.ENGAGE_SIGN_IN_ACCOUNT_TRIES, dt.timedelta(hours=1)
        ),
        "device": Counter("sign-in:known-device", settings.ENGAGE_SIGN_IN_TRIES, quarter_hour),
    }


@dataclass(frozen=True)
class SignInClient:
    """Who is trying to sign in to which account: the keys each counter counts under.
    `device` is set only when the browser has signed in to this account before."""

    email: str
    keys: dict[str, str]

    @property
    def known_device(self) -> bool:
        return "device" in self.keys


def known_device_id(request: HttpRequest, *, user_id: int) -> str | None:
    """The id of this browser's known-device cookie, if it was given for `user_id`."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != user_id or not isinstance(value.get("d"), str):
        return None
    return str(value["d"])


def sign_in_client(request: HttpRequest, *, email: str, user_id: int | None) -> SignInClient:
    """The counters that apply to this try, and their keys."""
    email = email.strip().lower()
    address = client_address(request)
    device = known_device_id(request, user_id=user_id) if user_id is not None else None
    all_counters = counters()
    if device is not None:
        return SignInClient(email, {"device": value_key(email, device, scope=all_counters["device"].scope)})
    return SignInClient(
        email,
        {
            "pair": value_key(email, address, scope=all_counters["pair"].scope),
            "address": value_key(address, scope=all_counters["address"].scope),
            "account": value_key(email, scope=all_counters["account"].scope),
        },
    )


def sign_in_refusal(client: SignInClient) -> RateLimit | None:
    """Why this client may not try now (with when it may), or None if it may."""
    all_counters = counters()
    refusals = []
    for name, key in client.keys.items():
        counter = all_counters[name]
        verdict = rate_limit_check(scope=counter.scope, key=key, limit=counter.limit, window=counter.window)
        if not verdict.allowed:
            refusals.append(verdict)
    if not refusals:
        return None
    # The client may try again once every counter that refused it has room.
    return max(refusals, key=lambda verdict: verdict.retry_after_seconds)


def second_factor_required(user: Any) -> bool:
    """Administrators must sign in with a second factor: they can change other people's
    accounts, and a partnership administrator's reach is the whole partnership."""
    return Membership.objects.filter(
        user=user, role__in=(Role.PARTNERSHIP_ADMIN, Role.ORGANISATION_ADMIN)
    ).exists()


def authenticator_of(user: Any) -> Any:
    """The user's confirmed authenticator app (a TOTP device), or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def seconds_to_wait(device: Any) -> int:
    """How long django-otp makes a device wait after wrong codes (1, 2, 4, 8 ...
    seconds, doubling with each): a code sent sooner is not checked at all, so the page
    must say to wait rather than call a right code wrong. 0 when a code may be tried."""
    allowed, detail = device.verify_is_allowed()
    if allowed or not detail or detail.get("locked_until") is None:
        return 0
    return max(1, math.ceil((detail["locked_until"] - timezone.now()).total_seconds()))


def has_second_factor(user: Any) -> bool:
    return authenticator_of(user) is not None


def qr_code_svg(url: str) -> str:
    """The authenticator's set-up link as a QR code, an SVG drawn on the server (no
    script, nothing fetched from elsewhere), to put straight into the page."""
    svg = qrcode.make(url, image_factory=SvgPathImage, box_size=10, border=4)
    return str(svg.to_string(encoding="unicode"))


def readable_key(device: TOTPDevice) -> str:
    """The authenticator's key as people type it into an app that cannot scan: base32,
    in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def account_id_for(email: str) -> int | None:
    """The id of the account that signs in with `email`, if there is one."""
    return User.objects.filter(email__iexact=email.strip()).values_list("pk", flat=True).first()


def active_account(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def authenticator_waiting(*, user: Any, device_id: object) -> TOTPDevice | None:
    """The authenticator `user` is part way through setting up (shown, not confirmed)."""
    if not isinstance(device_id, int):
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
