"""Which conversations a page or the API asks reach about, and who may see their true
figures: shared by the pages and the API so that both decide the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engage.core.disclosure import DisclosureRule
from engage.core.http import date_param, int_param
from engage.core.roles import Permission
from engage.reach.report import ReachSet


def reach_set_from(params: Mapping[str, Any]) -> ReachSet:
    """The set from a query string: activity, priority, organisation, from, to."""
    return ReachSet(
        activity_id=int_param(params.get("activity"), field="activity"),
        priority_id=int_param(params.get("priority"), field="priority"),
        organisation_id=int_param(params.get("organisation"), field="organisation"),
        date_from=date_param(params.get("from")),
        date_to=date_param(params.get("to")),
    )


def shows_true_figures(*, organisation: Any, permissions: frozenset[Permission], reach_set: ReachSet) -> bool:
    """Staff of the collecting organisation, looking at their own conversations only."""
    return (
        organisation is not None
        and reach_set.organisation_id == organisation.pk
        and Permission.VIEW_CONVERSATIONS in permissions
    )


def disclosure_rule(
    *, organisation: Any, permissions: frozenset[Permission], reach_set: ReachSet
) -> DisclosureRule:
    if shows_true_figures(organisation=organisation, permissions=permissions, reach_set=reach_set):
        return DisclosureRule.exact()
    return DisclosureRule.from_settings()
