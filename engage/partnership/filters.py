"""What a request asks of the partnership's picture: a period of whole months, the
kinds of organisation, and one group of people or places (a priority, an area, an age
band, carers …). Read from a query string by the pages and the API alike, so both
answer the same question; anything not offered by a page is a 400 naming the field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from engage.core.errors import UnknownId
from engage.partners.models import OrganisationKind
from engage.partnership.models import Facet

# The picture looks back two years by default, the span "before you ask" uses too.
DEFAULT_MONTHS = 24
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_back(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before `month`."""
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def last_whole_month(today: dt.date | None = None) -> dt.date:
    """Figures about partners' data are for whole months: the last one that has ended."""
    return months_back(month_start(today or timezone.localdate()), 1)


def _month(value: object, *, field_name: str) -> dt.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    found = _MONTH.fullmatch(text)
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise UnknownId(
            {field_name: f"Choose a month written as year and month, such as 2026-04, not {text[:20]!r}."}
        )
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


@dataclass(frozen=True)
class PictureFilters:
    month_from: dt.date
    month_to: dt.date  # inclusive: the first day of the last month counted
    kinds: tuple[str, ...] = ()  # organisation kinds; none means every kind
    facet: str = Facet.ALL
    value: str = ""
    query: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def months(self) -> list[dt.date]:
        found, month = [], self.month_from
        while month <= self.month_to:
            found.append(month)
            month = months_back(month, -1)
        return found

    @property
    def group(self) -> str:
        return "" if self.facet == Facet.ALL else f"{self.facet}:{self.value}"


def picture_filters(params: QueryDict, *, today: dt.date | None = None) -> PictureFilters:
    """The filters from a query string: `from` and `to` (YYYY-MM), `kind` (repeated),
    `group` ("facet:value", as the page's list offers them)."""
    last = last_whole_month(today)
    month_to = _month(params.get("to"), field_name="to") or last
    month_to = min(month_to, last)  # never a month that has not ended
    month_from = _month(params.get("from"), field_name="from") or months_back(month_to, DEFAULT_MONTHS - 1)
    if month_from > month_to:
        raise UnknownId({"from": "The first month must come before the last."})
    kinds = params.getlist("kind")
    unknown = [k for k in kinds if k not in OrganisationKind.values]
    if unknown:
        raise UnknownId({"kind": f"There is no kind of organisation called {unknown[0][:40]!r}."})
    facet, _, value = str(params.get("group") or "").partition(":")
    facet = facet or Facet.ALL
    if facet not in Facet.values or (facet == Facet.ALL and value):
        raise UnknownId({"group": "Choose a group from the list."})
    return PictureFilters(
        month_from=month_from,
        month_to=month_to,
        kinds=tuple(sorted(set(kinds))),
        facet=facet,
        value=value[:80],
        query={
            "from": f"{month_from:%Y-%m}",
            "to": f"{month_to:%Y-%m}",
            "kind": sorted(set(kinds)),
            "group": f"{facet}:{value}" if facet != Facet.ALL else "",
        },
    )
