"""Pagination for long lists, shaped for the NHS.UK pagination component."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(items: Any, number: str | int | None, per_page: int = 50) -> Page[Any]:
    """The page `number` of `items` (the first for a missing or wrong number, the last
    for one past the end), so a selector can return one page without the request."""
    return Paginator(items, per_page).get_page(number)


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page[Any]:
    return page_of(items, request.GET.get("page"), per_page)
