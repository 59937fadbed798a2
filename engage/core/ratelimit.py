"""A small rate limiter for public forms: at most so many requests a client may make in
a window of time, counted in the database so every web server process sees the same
counts.

The client is never stored. It is known only by `client_key`: a keyed hash (HMAC-SHA256)
of its network address, whose key is the site's SECRET_KEY and today's date. So the
same address gives the same key all day and a different one tomorrow, and without the
secret key nobody can work back from a key to an address, or link one day's keys to
the next. Hits are deleted once they are older than their window, so nothing about a
client is kept for longer than an hour or so.

A limit is soft: two requests arriving at the same instant may both be let through
when one place is left. That is fine for its purpose, keeping a form from being
flooded, and spares every request a lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from engage.core.models import RateLimitHit


@dataclass(frozen=True)
class RateLimit:
    """What a limit said: whether the request may go on, and if not, when the client
    may try again."""

    allowed: bool
    retry_at: dt.datetime | None = None

    @property
    def retry_after_seconds(self) -> int:
        if self.retry_at is None:
            return 0
        return max(1, int((self.retry_at - timezone.now()).total_seconds()) + 1)


def client_address(request: HttpRequest) -> str:
    """The address the request came from.

    Behind reverse proxies, set ENGAGE_TRUSTED_PROXY_COUNT to how many of them add
    themselves to X-Forwarded-For: the address is then the one the nearest trusted
    proxy saw. Entries further left could be anything a client chose to send, so they
    are never used.
    """
    proxies = int(settings.ENGAGE_TRUSTED_PROXY_COUNT)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def client_key(request: HttpRequest, *, scope: str, today: dt.date | None = None) -> str:
    """A key for the request's client that is not its address and changes each day."""
    return value_key(client_address(request), scope=scope, today=today)


def value_key(*parts: str, scope: str, today: dt.date | None = None) -> str:
    """A key for anything else counted (an account's email address, an address and an
    account together): a keyed hash, so the table holds no address or email itself."""
    day = (today or timezone.now().date()).isoformat()
    return salted_hmac(
        f"engage.core.ratelimit:{scope}:{day}", "\x1f".join(parts), algorithm="sha256"
    ).hexdigest()


def rate_limit_check(*, scope: str, key: str, limit: int, window: dt.timedelta) -> RateLimit:
    """Whether `key` has made fewer than `limit` requests in the last `window`, without
    counting this one (see `rate_limit_hit`)."""
    now = timezone.now()
    since = now - window
    if limit <= 0:
        return RateLimit(allowed=False, retry_at=now + window)
    hits = RateLimitHit.objects.filter(scope=scope, key=key, at__gt=since).order_by("-at")
    times = list(hits.values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return RateLimit(allowed=True)
    # A place comes free when the oldest of the latest `limit` hits leaves the window.
    return RateLimit(allowed=False, retry_at=times[-1] + window)


def rate_limit_hit(*, scope: str, key: str, window: dt.timedelta, subject: str = "") -> int:
    """Count one request against `key`, and forget every hit of `scope` that has left
    its window; returns the hit's id (`rate_limit_unhit` takes it back). `subject` files
    the hit under something else too (an account, whatever address it was tried from),
    so `rate_limit_forget_subject` can find it."""
    now = timezone.now()
    with transaction.atomic():
        RateLimitHit.objects.filter(scope=scope, at__lte=now - window).delete()
        return int(RateLimitHit.objects.create(scope=scope, key=key, at=now, subject=subject).pk)


def rate_limit_unhit(hit_ids: list[int]) -> None:
    """Take back hits that turned out not to count (a sign-in try that was right)."""
    RateLimitHit.objects.filter(pk__in=hit_ids).delete()


def rate_limit_forget(*, scope: str, key: str) -> int:
    """Forget every hit `key` has made against `scope` (a sign-in that succeeded, an
    account an administrator has unlocked); returns how many were forgotten."""
    deleted, _ = RateLimitHit.objects.filter(scope=scope, key=key).delete()
    return int(deleted)


def rate_limit_forget_subject(*, scope: str, subject: str) -> int:
    """Forget every hit filed under `subject` in `scope`."""
    deleted, _ = RateLimitHit.objects.filter(scope=scope, subject=subject).delete()
    return int(deleted)
