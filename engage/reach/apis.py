"""REST endpoint of reach: the reach page's figures, through the same disclosure control."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engage.api.permissions import requires
from engage.core.disclosure import Published
from engage.core.roles import Permission
from engage.reach.models import BoundaryKind
from engage.reach.place_report import place_report
from engage.reach.report import ReachReport, reach_area, reach_report
from engage.reach.scope import disclosure_rule, reach_set_from


def _count(published: Published) -> int | None:
    """A published count: null where it is hidden (shown as * on the pages)."""
    return published.value


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def reach_json(report: ReachReport) -> dict[str, Any]:
    return {
        "conversations": _count(report.conversations),
        "true_figures": report.exact,
        "population": None
        if report.area is None
        else {"local_authorities": list(report.area.codes), "illustrative": report.area.illustrative},
        "dimensions": [
            {
                "key": dimension.dimension.key,
                "title": dimension.dimension.title,
                "answered": _count(dimension.answered),
                "unknown": _count(dimension.unknown),
                "outside_census_categories": _count(dimension.outside),
                "withheld": dimension.withheld,
                "groups": [
                    {
                        "name": row.name,
                        "participants": _count(row.participants),
                        "participant_share": _round(row.participant_share),
                        "residents": row.population,
                        "resident_share": _round(row.population_share),
                        "ratio": _round(row.ratio),
                        "ratio_low": _round(row.ratio_low),
                        "ratio_high": _round(row.ratio_high),
                        "under_represented": row.under_represented,
                        "over_represented": row.over_represented,
                        "sentence": row.sentence if row.under_represented else "",
                    }
                    for row in dimension.rows
                ],
            }
            for dimension in report.dimensions
        ],
    }


_FILTERS = [
    OpenApiParameter("activity", int, description="Only this activity's conversations."),
    OpenApiParameter(
        "priority", int, description="Only the conversations of activities serving this priority."
    ),
    OpenApiParameter("organisation", int, description="Only this organisation's conversations."),
    OpenApiParameter("from", str, description="From this date (YYYY-MM-DD)."),
    OpenApiParameter("to", str, description="To this date (YYYY-MM-DD)."),
]


class ReachApi(APIView):
    """Reach of a set of conversations on every dimension, and by ward. Counts of 1 to 7
    are null and others rounded to 5, unless you ask for your own organisation's
    conversations and may see them."""

    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(parameters=_FILTERS, responses={200: dict})
    def get(self, request: Request) -> Response:
        scoped: Any = request._request
        reach_set = reach_set_from(request.query_params)
        rule = disclosure_rule(
            organisation=scoped.organisation, permissions=scoped.permissions, reach_set=reach_set
        )
        area = reach_area()
        report = reach_report(reach_set, rule=rule, area=area)
        wards = place_report(reach_set, area=area, kind=BoundaryKind.WARD, rule=rule)
        body = reach_json(report)
        body["wards"] = (
            None
            if wards is None
            else {
                "areas": [
                    {
                        "code": area.code,
                        "name": area.name,
                        "participants": _count(area.participants),
                        "residents": area.population,
                        "per_1000": _round(area.rate, 2),
                    }
                    for area in wards.areas
                ],
                "elsewhere": _count(wards.elsewhere),
                "residents_estimated": wards.estimated_population,
            }
        )
        return Response(body)
