"""What a partnership's real server refuses to start with (ENGAGE_PRODUCTION): Django
system checks, so `engage check` reports them and `engage serve`, `engage worker` and
`engage migrate` stop with them before doing anything.

Each is an Error with an id (engage.E001…) and a hint that says what to change. Those
about production say nothing unless ENGAGE_PRODUCTION is on: a developer's machine may use the console
for email and http://127.0.0.1 for links. (The built-in SECRET_KEY is refused by the
settings themselves, before any check can run.) Whether the demo partnership is loaded
is a question for the database, so that check lives with the demo (engage/demo/checks.py:
core imports no app) and is tagged `database`. One more, everywhere: the background jobs'
heartbeat must fit within the time after which a silent job is taken for dead.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

# Backends that never deliver a message to anyone: written to a file, the console, memory
# (Django's test backend) or nowhere.
UNDELIVERED_EMAIL = {"filebased", "console", "locmem", "dummy"}
LOCAL_HOSTS = {"localhost", "localhost.localdomain", "0.0.0.0", "::", "testserver"}  # noqa: S104


def production() -> bool:
    return bool(settings.ENGAGE_PRODUCTION)


@register(Tags.security)
def debug_off(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    if not production() or not settings.DEBUG:
        return []
    return [
        Error(
            "DEBUG is on, and ENGAGE_PRODUCTION is on. With DEBUG on, an error page shows "
            "anyone the server's settings and the data it was working on.",
            hint="Set DEBUG=false (or remove it: it is off unless set).",
            id="engage.E001",
        )
    ]


@register(Tags.security)
def email_delivered(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Email must go to people: invitations, password resets and "You said, we did"
    messages written to a file or the console would be lost, or read by whoever can see
    the server's files or log."""
    if not production():
        return []
    backend = str(settings.EMAIL_BACKEND)
    kind = backend.rsplit(".", 2)[-2] if backend.count(".") >= 2 else backend
    if kind in UNDELIVERED_EMAIL:
        return [
            Error(
                f"Email is not sent to anyone: EMAIL_BACKEND is {backend}, which keeps messages "
                "on the server, and ENGAGE_PRODUCTION is on.",
                hint="Set ENGAGE_EMAIL=smtp (with EMAIL_HOST and the other EMAIL_ settings) or "
                "ENGAGE_EMAIL=notify (with ENGAGE_NOTIFY_API_KEY and ENGAGE_NOTIFY_TEMPLATE_ID).",
                id="engage.E002",
            )
        ]
    from django.core.mail import get_connection  # noqa: PLC0415 - loads the backend, which needs the settings

    try:
        get_connection(fail_silently=False)  # checks its settings; connects to nothing
    except ImproperlyConfigured as error:
        return [
            Error(
                f"The email settings are not complete: {error}",
                hint="Set what the message asks for; the operations guide lists each email setting.",
                id="engage.E005",
            )
        ]
    return []


def local_host(host: str) -> bool:
    """Whether `host` names this machine, which no one else can reach."""
    host = host.strip("[]").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security)
def public_url_served(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Links in emails are built from ENGAGE_PUBLIC_URL: it must be set, to the site's own
    HTTPS address, or every link sent (stop links, password resets) leads nowhere, or in
    clear. Production has no default for it (config/settings.py)."""
    if not production():
        return []
    url = str(settings.ENGAGE_PUBLIC_URL)
    parts = urlsplit(url)
    problem = ""
    if not url:
        problem = "is not set"
    elif parts.scheme != "https":
        problem = f"is {url!r}, which does not start with https://"
    elif not parts.hostname:
        problem = f"is {url!r}, which has no host name"
    elif local_host(parts.hostname):
        problem = f"is {url!r}, which is this machine's own address, which no one else can reach"
    if not problem:
        return []
    return [
        Error(
            f"ENGAGE_PUBLIC_URL {problem}, and ENGAGE_PRODUCTION is on. Links in emails are built from it.",
            hint="Set ENGAGE_PUBLIC_URL to the address people use for the site, such as "
            "https://engage.example.nhs.uk.",
            id="engage.E003",
        )
    ]


@register()
def heartbeat_fits_the_limit(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """A running job shows it is alive every ENGAGE_JOB_HEARTBEAT_SECONDS and is taken for
    dead after ENGAGE_JOB_STALE_SECONDS of silence (engage/core/jobs.py): the limit must
    leave room for a few missed beats, or live jobs would be marked failed."""
    beat = float(settings.ENGAGE_JOB_HEARTBEAT_SECONDS)
    limit = float(settings.ENGAGE_JOB_STALE_SECONDS)
    if beat > 0 and limit >= 3 * beat:
        return []
    return [
        Error(
            f"ENGAGE_JOB_STALE_SECONDS is {limit:g} and ENGAGE_JOB_HEARTBEAT_SECONDS is {beat:g}: a job "
            "still running would be taken for one whose worker stopped, and marked failed.",
            hint="Make ENGAGE_JOB_HEARTBEAT_SECONDS more than 0, and ENGAGE_JOB_STALE_SECONDS at least "
            "three times it (the defaults are 10 and 120).",
            id="engage.E006",
        )
    ]
