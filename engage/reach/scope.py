"""Which conversations a page or the API asks reach about, and who may see their true
figures: shared by the pages and the API so that both decide the same way."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from engage.core.disclosure import DisclosureRule
from engage.core.http import date_param, int_param
from engage.core.roles import Permission
from engage.partners.models import Organisation
from engage.reach.report import ReachSet


def reach_set_from(params: Mapping[str, Any]) -> ReachSet:
    """The set from a query string: activity, priority, organisation, from, to."""
    return ReachSet(
        activity_id=int_param(params.get("activity"), field="activity"),
        priority_id=int_param(params.get("priority"), field="priority"),
        organisation_id=int_param(params.get("organisation"), field="organisation"),
        date_from=date_param(params.get("from"), field="from"),
        date_to=date_param(params.get("to"), field="to"),
    )


def shows_true_figures(
    *, organisation: Organisation | None, permissions: frozenset[Permission], reach_set: ReachSet
) -> bool:
    """Staff of the collecting organisation, looking at their own conversations only."""
    return (
        organisation is not None
        and reach_set.organisation_id == organisation.pk
        and Permission.VIEW_CONVERSATIONS in permissions
    )


def disclosure_rule(
    *, organisation: Organisation | None, permissions: frozenset[Permission], reach_set: ReachSet
) -> DisclosureRule:
    if shows_true_figures(organisation=organisation, permissions=permissions, reach_set=reach_set):
        return DisclosureRule.exact()
    return DisclosureRule.from_settings()


@dataclass(frozen=True)
class ReachScope:
    """What a request for reach gets: the set (its dates widened to whole months where
    the figures are not the viewer's own), the disclosure rule, and a sentence saying
    how the dates were widened ("" where they were not)."""

    reach_set: ReachSet
    rule: DisclosureRule
    widened: str = ""

    @property
    def exact(self) -> bool:
        return self.rule == DisclosureRule.exact()


def whole_months(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The dates widened to the first and last days of their months."""
    start = date_from.replace(day=1) if date_from else None
    end = date_to.replace(day=calendar.monthrange(date_to.year, date_to.month)[1]) if date_to else None
    return start, end


def reach_scope(
    params: Mapping[str, Any], *, organisation: Organisation | None, permissions: frozenset[Permission]
) -> ReachScope:
    """The set a query string asks for, as this viewer may see it.

    Figures about anyone's conversations but the viewer's own organisation's are worked
    out for whole calendar months only (ADR 0027): a finer window is answered as the
    whole months it covers, and the answer says so. Windows a day apart could otherwise
    be subtracted one from another; with whole months there are far fewer windows, each
    of a month's worth of people."""
    asked = reach_set_from(params)
    rule = disclosure_rule(organisation=organisation, permissions=permissions, reach_set=asked)
    if rule == DisclosureRule.exact():
        return ReachScope(asked, rule)
    start, end = whole_months(asked.date_from, asked.date_to)
    if (start, end) == (asked.date_from, asked.date_to):
        return ReachScope(asked, rule)
    widened = replace(asked, date_from=start, date_to=end)
    return ReachScope(widened, rule, widened=_widened_sentence(asked, widened))


def _widened_sentence(asked: ReachSet, widened: ReachSet) -> str:
    def span(start: dt.date | None, end: dt.date | None) -> str:
        if start and end:
            return f"{start:%-d %B %Y} to {end:%-d %B %Y}"
        if start:
            return f"from {start:%-d %B %Y}"
        return f"up to {end:%-d %B %Y}" if end else "all dates"

    return (
        "Figures about other organisations' conversations are for whole months, so that they "
        f"cannot be told apart day by day: {span(asked.date_from, asked.date_to)} is shown as "
        f"{span(widened.date_from, widened.date_to)}."
    )
