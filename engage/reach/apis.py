"""REST endpoint of reach: the reach page's figures, through the same disclosure control."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.permissions import requires
from engage.api.schema import ID_SCHEMA, errors
from engage.api.views import ApiView
from engage.core.disclosure import Published
from engage.core.roles import Permission
from engage.places.models import BoundaryKind
from engage.reach.place_report import place_report
from engage.reach.report import ReachReport, reach_area, reach_report
from engage.reach.scope import reach_scope


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
                        "hidden_to_protect": row.hidden_to_protect,
                    }
                    for row in dimension.rows
                ],
            }
            for dimension in report.dimensions
        ],
    }


def _published(**kwargs: Any) -> serializers.IntegerField:
    """A count as published: null where disclosure control hides it."""
    return serializers.IntegerField(allow_null=True, min_value=0, **kwargs)


class GroupReachSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    participants = _published()
    participant_share = serializers.FloatField(allow_null=True)
    residents = serializers.IntegerField(min_value=0)
    resident_share = serializers.FloatField(allow_null=True)
    ratio = serializers.FloatField(
        allow_null=True, help_text="Share of participants over share of residents."
    )
    ratio_low = serializers.FloatField(allow_null=True)
    ratio_high = serializers.FloatField(allow_null=True)
    under_represented = serializers.BooleanField()
    over_represented = serializers.BooleanField()
    sentence = serializers.CharField(allow_blank=True, help_text="Said of a group under-represented.")
    hidden_to_protect = serializers.BooleanField(
        help_text="The count is hidden (null) so that a smaller figure cannot be worked out, "
        "not because it is small itself."
    )


class DimensionReachSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    answered = _published()
    unknown = _published()
    outside_census_categories = _published()
    withheld = serializers.BooleanField(help_text="Too few people to show any of it.")
    groups = GroupReachSerializer(many=True)


class PopulationSerializer(serializers.Serializer[Any]):
    local_authorities = serializers.ListField(child=serializers.CharField())
    illustrative = serializers.BooleanField(help_text="Made up for the demo, not census figures.")


class WardReachSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    participants = _published()
    residents = serializers.IntegerField(allow_null=True, min_value=0)
    per_1000 = serializers.FloatField(allow_null=True, help_text="Participants per 1,000 residents.")


class WardsSerializer(serializers.Serializer[Any]):
    areas = WardReachSerializer(many=True)
    elsewhere = _published(help_text="Outside these wards, or with no place known.")
    residents_estimated = serializers.BooleanField()


class WindowSerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField(allow_null=True, help_text="The first day counted.")
    date_to = serializers.DateField(allow_null=True, help_text="The last day counted.")
    widened = serializers.CharField(
        help_text="How the dates asked for were widened to whole months (figures about other "
        "organisations' conversations are for whole months only); empty where they were not."
    )


class ReachSerializer(serializers.Serializer[Any]):
    conversations = _published()
    true_figures = serializers.BooleanField(help_text="Exact counts: your own organisation's conversations.")
    window = WindowSerializer(help_text="The dates the figures are for.")
    population = PopulationSerializer(allow_null=True, help_text="Null where no population is known.")
    dimensions = DimensionReachSerializer(many=True)
    wards = WardsSerializer(allow_null=True, help_text="Null where no ward boundaries are loaded.")


_FILTERS = [
    OpenApiParameter("activity", ID_SCHEMA, description="Only this activity's conversations."),
    OpenApiParameter(
        "priority", ID_SCHEMA, description="Only the conversations of activities serving this priority."
    ),
    OpenApiParameter("organisation", ID_SCHEMA, description="Only this organisation's conversations."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="From this date (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="To this date (YYYY-MM-DD)."),
]


class ReachApi(ApiView):
    """Reach of a set of conversations on every dimension, and by ward. Counts of 1 to 7
    are null and others rounded to 5, unless you ask for your own organisation's
    conversations and may see them."""

    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(parameters=_FILTERS, responses={200: ReachSerializer, **errors(400)})
    def get(self, request: Request) -> Response:
        scoped: Any = request._request
        scope = reach_scope(
            request.query_params, organisation=scoped.organisation, permissions=scoped.permissions
        )
        reach_set, rule = scope.reach_set, scope.rule
        area = reach_area()
        report = reach_report(reach_set, rule=rule, area=area)
        wards = place_report(reach_set, area=area, kind=BoundaryKind.WARD, rule=rule)
        body = reach_json(report)
        body["window"] = {
            "date_from": reach_set.date_from,
            "date_to": reach_set.date_to,
            "widened": scope.widened,
        }
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
        return Response(ReachSerializer(body).data)
