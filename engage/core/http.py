"""The request as the staff area sees it, once the middleware has set the scope."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from engage.core.errors import DomainError, InvalidInput, NotFound, UnknownId
from engage.core.numbers import BIGGEST_ID, parse_ids, parse_whole_number
from engage.core.roles import Permission


class ScopedRequest(HttpRequest):
    """Set by `engage.accounts.middleware.OrganisationInScopeMiddleware` on every request.

    `organisation` is the partner the user acts for (None for the public), and
    `permissions` what their roles there allow.
    """

    user: Any
    organisation: Any
    roles: frozenset[str]
    permissions: frozenset[Permission]
    organisation_choices: tuple[Any, ...]


def int_param(value: str | None, *, field: str, least: int = 1, most: int = BIGGEST_ID) -> int | None:
    """A whole number (by default a record id) from a query string or form, or None where
    it is missing or empty; anything else is an `UnknownId` naming `field` (a 400): these
    come from links and choices of ours, never typed. See `engage.core.numbers`."""
    try:
        return parse_whole_number(value, field=field, least=least, most=most)
    except InvalidInput as error:
        raise UnknownId(error.errors) from None


def int_params(values: list[str], *, field: str) -> list[int]:
    """Record ids from a repeated field (ticked checkboxes), each checked."""
    return parse_ids(values, field=field)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_param(value: str | None, *, field: str) -> date | None:
    """A date written YYYY-MM-DD (as date inputs send it) from a query string or form, or
    None where it is missing or empty; anything else is an `UnknownId` naming `field`
    (a 400): a filter that silently fell back to "all dates" would answer a question
    nobody asked."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UnknownId(
            {field: f"“{field}” must be a real date written YYYY-MM-DD, such as 2026-03-31."}
        ) from None


def same_site(request: HttpRequest, target: str | None) -> str | None:
    """`target` if it is a page of this site (a path, or this host over the request's own
    scheme), else None: a form's "back" or a sign-in's "next" must never send anyone to
    another site (an open redirect, the first step of many phishing emails)."""
    if not target:
        return None
    # A path of this site ("/staff/"), or a whole address on this host; never a relative
    # word ("-1"), which Django's redirect() would even take for the name of a page.
    if not target.startswith(("/", "http://", "https://")):
        return None
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def back_with_message(request: HttpRequest, error: DomainError, back: str) -> HttpResponseRedirect:
    """Where a button on a page fails: a slip a person can make there ("choose two or
    more groups") goes back to the page with the message; but an id that no page of ours
    offers (one that does not exist, or is someone else's) is refused with its own
    status, a 400 or 404, by raising it again for `DomainErrorMiddleware`."""
    if isinstance(error, UnknownId | NotFound):
        raise error
    messages.error(request, error.message)
    return HttpResponseRedirect(resolve_url(back))
