"""The demo partnership on a real server (ENGAGE_PRODUCTION) is refused at start: its
accounts share a published password and authenticator key. A database check (tagged
`database`), so it runs where the database is ready: `engage migrate`, `engage serve`
and `engage check --database default`. The other production checks are in
engage/core/checks.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def demo_not_loaded(
    app_configs: Sequence[AppConfig] | None = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if not settings.ENGAGE_PRODUCTION or not databases or "default" not in databases:
        return []
    # Imported here, not when the check is registered: the demo's services bring the
    # analysis libraries with them, seconds that every command would otherwise pay.
    from engage.demo.services import demo_partnership_is_loaded  # noqa: PLC0415 - the demo's services bring the analysis libraries, seconds every command would pay

    try:
        loaded = demo_partnership_is_loaded()
    except DatabaseError:  # no tables yet (before the first migrate): nothing is loaded
        return []
    if not loaded:
        return []
    return [
        Error(
            "The demo partnership is loaded in this database, and ENGAGE_PRODUCTION is on. "
            "The demo's accounts share a password and an authenticator key that are published, "
            "so anyone could sign in as its administrators.",
            hint="Run the partnership's site on a new, empty database: set DATABASE_URL to it, "
            "then run 'engage migrate' and 'engage createadmin'.",
            id="engage.E004",
        )
    ]
