"""What the benchmarks that time staff pages share: a test client signed in as a member
of staff, and a request timed as a real one is served.

Django's test client leaves the database connection open from one request to the next
(it disconnects `close_old_connections` from the request signals), so a page timed
through it alone would reuse one warm connection, whatever the product's settings say.
A real request under gunicorn opens and closes connections as the settings decide: on
SQLite a fresh connection every request (CONN_MAX_AGE 0), with the product's page cache
(config/settings.py); on PostgreSQL a connection kept for CONN_MAX_AGE seconds and
health-checked. `timed_call` does what the request handler does around the work, so each
timed page pays what a real one does. Call these only after `django.setup()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def signed_in_client(organisation: Any, role: str) -> Any:
    """A test client signed in as a new user holding `role` in `organisation`, acting
    for it, as the real sign-in leaves a session (a second factor where the role needs one)."""
    from django.test import Client  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.accounts.middleware import SESSION_KEY  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.accounts.tests.factories import member_of, sign_in_as  # noqa: PLC0415 - after django.setup() for the database the run chose

    user = member_of(organisation, role)
    client = sign_in_as(Client(), user)
    session = client.session
    session[SESSION_KEY] = organisation.pk
    session.save()
    return client


def timed_call(work: Callable[[], Any]) -> tuple[Any, float]:
    """`work()` and its milliseconds, between the connection handling a request gets
    when it starts and when it ends: a connection past its age is closed first, so the
    work opens its own (a new one each time on SQLite), and closed after as the handler
    does. Closing is not timed: the answer has been sent by then."""
    from django.db import close_old_connections  # noqa: PLC0415 - after django.setup() for the database the run chose

    close_old_connections()
    began = time.perf_counter()
    result = work()
    took = (time.perf_counter() - began) * 1000
    close_old_connections()
    return result, took


def timed_page(client: Any, path: str, params: dict[str, str] | None = None) -> tuple[Any, float]:
    """GET `path` as `client`, with the whole body read, timed by `timed_call`; a page
    that does not answer 200 stops the benchmark, since its time would mean nothing."""

    def get() -> Any:
        response = client.get(path, params or {})
        response.content  # noqa: B018 - the whole body is part of the wait
        return response

    response, took = timed_call(get)
    if response.status_code != 200:
        raise SystemExit(f"{path} {params or ''} answered {response.status_code}, not 200.")
    return response, took
