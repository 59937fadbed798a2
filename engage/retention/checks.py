"""The defaults of the retention rules (ENGAGE_RETENTION_*) are checked when the site,
the worker or any command starts, so a mistyped period stops the server with a sentence
instead of deleting on the wrong rule at night."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from engage.retention.models import POLICIES, period_parse, period_problem


@register()
def retention_defaults(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for kind, policy in POLICIES.items():
        written = str(getattr(settings, policy.setting))
        try:
            problem = period_problem(kind, period_parse(written))
        except ValueError as error:
            problem = str(error)
        if problem:
            problems.append(
                Error(
                    f"{policy.setting} is {written!r}: {problem}",
                    hint="Write a number of days or months, such as '72 months' or '30 days'"
                    + (", or 'for ever'." if policy.forever_allowed else "."),
                    id="retention.E001",
                )
            )
    hour = settings.ENGAGE_RETENTION_HOUR
    if not 0 <= hour <= 23:
        problems.append(
            Error(
                f"ENGAGE_RETENTION_HOUR is {hour}: the daily run starts at a whole hour from 0 to 23.",
                hint="Set it to the hour, London time, at which the worker deletes what is past its time.",
                id="retention.E002",
            )
        )
    return problems
