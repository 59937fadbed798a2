"""The shared picture for analysts and other systems: the same published figures the
picture's page shows (engage/partnership/selectors.py), under the same disclosure rule
and filters. Figures only: people's words stay on the pages, which show them beside
who heard them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView
from engage.core.disclosure import Published
from engage.core.roles import Permission
from engage.partners.models import OrganisationKind
from engage.partnership.filters import picture_filters
from engage.partnership.selectors import ThemeFigure, picture_summary

_MONTH = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}
_FILTERS = [
    OpenApiParameter(
        "from", _MONTH, description="The first month, as 2025-01 (two years before the last unless given)."
    ),
    OpenApiParameter(
        "to",
        _MONTH,
        description="The last month, as 2026-11 (the last that has ended unless given, and never later).",
    ),
    OpenApiParameter(
        "kind",
        {"type": "array", "items": {"type": "string", "enum": list(OrganisationKind.values)}},
        description="Only organisations of these kinds, such as vcse (repeat it).",
    ),
    OpenApiParameter(
        "group",
        OpenApiTypes.STR,
        description="Only one group, as facet:value, one of those the picture's page offers: priority:3, "
        "area:12, carer:Carers, age:65 to 74, core20:Core20. Another is refused (400) naming the field.",
    ),
]


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, min_value=0, help_text="Null where too few to show.")


class PictureThemeSerializer(serializers.Serializer[Any]):
    theme = serializers.CharField()
    sub_theme = serializers.CharField(allow_blank=True, help_text="Empty for the theme as a whole.")
    conversations = _count()
    positive = _count()
    neutral = _count()
    negative = _count()


class PictureMonthSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="Such as Mar 2026.")
    conversations = _count()


class PictureSerializer(serializers.Serializer[Any]):
    first_month = serializers.DateField()
    last_month = serializers.DateField()
    group = serializers.CharField()
    organisations = serializers.IntegerField(
        help_text="How many organisations' shared conversations are counted."
    )
    conversations = _count()
    months = PictureMonthSerializer(many=True)
    themes = PictureThemeSerializer(many=True)


def _value(shown: Published) -> int | None:
    return shown.value


def _theme_rows(theme: ThemeFigure) -> list[dict[str, Any]]:
    return [
        {
            "theme": theme.category.name,
            "sub_theme": "" if figure is theme else figure.category.name,
            "conversations": _value(figure.conversations),
            "positive": _value(figure.sentiment.positive),
            "neutral": _value(figure.sentiment.neutral),
            "negative": _value(figure.sentiment.negative),
        }
        for figure in [theme, *theme.subthemes]
    ]


class PartnershipThemesApi(ApiView):
    """The partnership's shared picture: how many shared conversations, by month, and each
    theme and sub-theme with how people felt, over whole months, for every kind of
    organisation or some, for everyone or one group. Every figure is published as the
    page publishes it: small counts hidden (null), the rest adjusted and rounded."""

    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(parameters=_FILTERS, responses={200: PictureSerializer, **errors(400)})
    def get(self, request: Request) -> Response:
        filters = picture_filters(request.query_params)
        summary = picture_summary(filters)
        body = {
            "first_month": filters.month_from,
            "last_month": filters.month_to,
            "group": summary.group,
            "organisations": summary.organisations,
            "conversations": _value(summary.conversations),
            "months": [
                {"month": label, "conversations": _value(shown)} for label, shown, _ in summary.months
            ],
            "themes": [row for theme in summary.themes for row in _theme_rows(theme)],
        }
        return Response(PictureSerializer(body).data)
