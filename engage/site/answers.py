"""The public forms that answer for an evaluation: a participant's view of an activity
(the shared link and QR code) and a partner's self-assessment scores (a single-use
link). Neither asks who is answering. Against floods they use the feedback form's
checks (`engage.site.feedback`: a honeypot and a rate limit by a daily-changing keyed
hash of the network address); a participant's link takes one answer a browser, kept by
a signed cookie that holds only which evaluations it answered."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import HttpRequest, HttpResponse

from engage.core.ratelimit import RateLimit, client_key, rate_limit_check, rate_limit_hit
from engage.site.feedback import rate_limit

EVALUATE_SCOPE = "site.evaluate"
SCORE_SCOPE = "site.score"
WINDOW = dt.timedelta(hours=1)
ANSWERED_COOKIE = "engage_answered"
_COOKIE_SALT = "engage.site.answers"
COOKIE_DAYS = 365


def limit_check(request: HttpRequest, scope: str) -> tuple[str, RateLimit]:
    key = client_key(request, scope=scope)
    return key, rate_limit_check(scope=scope, key=key, limit=rate_limit(), window=WINDOW)


def limit_count(key: str, scope: str) -> None:
    rate_limit_hit(scope=scope, key=key, window=WINDOW)


def answered(request: HttpRequest) -> set[int]:
    """The evaluations this browser has answered."""
    try:
        value = signing.loads(request.COOKIES.get(ANSWERED_COOKIE, ""), salt=_COOKIE_SALT)
    except signing.BadSignature:
        return set()
    return {int(i) for i in value if isinstance(i, int)} if isinstance(value, list) else set()


def mark_answered(request: HttpRequest, response: HttpResponse, evaluation_id: int) -> None:
    ids = sorted(answered(request) | {evaluation_id})[-200:]
    response.set_cookie(
        ANSWERED_COOKIE,
        signing.dumps(ids, salt=_COOKIE_SALT),
        max_age=COOKIE_DAYS * 24 * 3600,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
