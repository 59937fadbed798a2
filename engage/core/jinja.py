"""The Jinja2 environment: NHS.UK frontend macros, Django's static and URL helpers.

`nhsuk-frontend-jinja` expects `ChainableUndefined`, so that a component given a
partial dictionary renders instead of failing on a missing key.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from engage.core.selectors import partnership_name


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def uk_date(value: Any, fmt: str = "j F Y") -> str:
    """Dates as the NHS style guide writes them: 3 March 2025."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # stored in UTC, read in British time
    return date_format(value, fmt)


def query_with(request: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


_POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)


def with_csrf(html: str, csrf_input: str) -> Markup:
    """The markup with the CSRF field added to each POST form in it.

    The NHS.UK header macro draws "Sign out" as a POST form but has no place for the
    form's hidden fields, so without this the button is refused (403) and the user
    stays signed in. `html` is the macro's own output, already escaped."""
    return Markup(_POST_FORM.sub(lambda found: found.group(0) + str(csrf_input), str(html)))  # noqa: S704


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", True)
    env = Environment(**options)  # noqa: S701 - autoescape is on, set above
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "query_with": query_with,
            # Read when a page shows it (not once as the templates load), so that setting
            # the partnership up renames every page at once.
            "partnership_name": lazy(partnership_name, str)(),
        }
    )
    env.filters["uk_date"] = uk_date
    env.filters["with_csrf"] = with_csrf
    return env
