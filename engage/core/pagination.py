"""Pagination for long lists, shaped for the NHS.UK pagination component; and the first
few of a list with its length, for a page that summarises several lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def page_of(items: Any, number: str | int | None, per_page: int = 50) -> Page[Any]:
    """The page `number` of `items` (the first for a missing or wrong number, the last
    for one past the end), so a selector can return one page without the request."""
    return Paginator(items, per_page).get_page(number)


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page[Any]:
    return page_of(items, request.GET.get("page"), per_page)


@dataclass(frozen=True)
class Shortlist(Generic[T]):
    """The first few of a list, for a page that summarises it and links to the whole
    (the staff dashboard), and how many there are in all."""

    items: list[T]
    total: int

    @property
    def more(self) -> int:
        """How many are not shown."""
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def shortlist(items: QuerySet[M], limit: int) -> Shortlist[M]:
    """The first `limit` of `items` and their number in all: one query when they all
    fit, a second to count them when they do not."""
    first = list(items[:limit])
    return Shortlist(first, len(first) if len(first) < limit else items.count())


def no_shortlist() -> Shortlist[Any]:
    return Shortlist([], 0)
