"""REST endpoints for analysts: each theme and sub-theme of the organisation's own
conversations counted by a grouping, with their sentiment, and the conversations
themselves with their themes (engage.insight.counts), as the pages' downloads give them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.permissions import requires
from engage.api.schema import ID_SCHEMA, errors
from engage.api.views import ApiView, Pages
from engage.conversations.services import conversations_exported_record
from engage.core.errors import InvalidInput
from engage.core.roles import Permission
from engage.insight.counts import GROUPINGS, conversation_rows, theme_counts
from engage.insight.filters import filtered_conversations, theme_filters
from engage.insight.framework.services import framework_in_use

# The set of conversations, as on the themes and conversations pages (engage.insight.filters).
_SET = [
    OpenApiParameter("activity", ID_SCHEMA, description="Only this activity's conversations."),
    OpenApiParameter("priority", ID_SCHEMA, description="Only those of activities serving this priority."),
    OpenApiParameter("channel", OpenApiTypes.STR, description="Only those heard this way, such as survey."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="From this date (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="To this date (YYYY-MM-DD)."),
]


class ThemeCountSerializer(serializers.Serializer[Any]):
    theme = serializers.CharField()
    sub_theme = serializers.CharField(allow_blank=True, help_text="Empty for the theme as a whole.")
    group = serializers.CharField(
        help_text="The group of the grouping asked for, such as 2026-03 for a month."
    )
    conversations = serializers.IntegerField(min_value=0)
    positive = serializers.IntegerField(min_value=0)
    neutral = serializers.IntegerField(min_value=0, help_text="Neutral or mixed.")
    negative = serializers.IntegerField(min_value=0)


class ThemeCountsSerializer(serializers.Serializer[Any]):
    by = serializers.ChoiceField(choices=list(GROUPINGS))
    framework = serializers.CharField(help_text="The framework of themes in use.")
    rows = ThemeCountSerializer(many=True)


_EXAMPLE = {
    "by": "month",
    "framework": "Friends and Family Test framework",
    "rows": [
        {
            "theme": "Access to medical care & support",
            "sub_theme": "",
            "group": "2026-03",
            "conversations": 41,
            "positive": 9,
            "neutral": 6,
            "negative": 26,
        },
        {
            "theme": "Access to medical care & support",
            "sub_theme": "Appointment arrangements",
            "group": "2026-03",
            "conversations": 17,
            "positive": 2,
            "neutral": 3,
            "negative": 12,
        },
    ],
}


class ThemesApi(ApiView):
    """Each theme and sub-theme of your organisation's conversations counted by month,
    channel, activity, priority, age band, sex, ethnic group, disability, carer or
    deprivation quintile, with how many were positive, neutral or mixed, and negative.
    Your own organisation's figures, exact, as its themes page shows them."""

    permission_classes = [requires(Permission.VIEW_THEMES)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "by",
                OpenApiTypes.STR,
                enum=list(GROUPINGS),
                description="What to count by (month unless given).",
            ),
            *_SET,
        ],
        responses={200: ThemeCountsSerializer, **errors(400)},
        examples=[OpenApiExample("Themes by month", value=_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        scoped: Any = request._request
        by = request.query_params.get("by") or "month"
        if by not in GROUPINGS:
            raise InvalidInput({"by": f"Count by one of: {', '.join(GROUPINGS)}."})
        framework = framework_in_use()
        conversations = filtered_conversations(
            scoped.organisation, scoped.permissions, theme_filters(request.query_params)
        )
        rows = theme_counts(conversations, framework=framework, by=by)
        body = {"by": by, "framework": framework.name, "rows": [row.__dict__ for row in rows]}
        return Response(ThemeCountsSerializer(body).data)


class ConversationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    channel = serializers.CharField()
    activity = serializers.CharField(allow_blank=True)
    question = serializers.CharField(allow_blank=True)
    text = serializers.CharField(help_text="What was said, as your organisation recorded it.")
    rating = serializers.IntegerField(allow_null=True, help_text="1 very good to 5 very poor.")
    sentiment = serializers.CharField(
        allow_blank=True, help_text="positive, neutral or negative; empty if not analysed."
    )
    themes = serializers.ListField(child=serializers.CharField(), help_text="Its sub-themes.")
    age_band = serializers.CharField(allow_blank=True)
    sex = serializers.CharField(allow_blank=True)
    ethnic_group = serializers.CharField(allow_blank=True)
    disability = serializers.CharField(allow_blank=True)
    carer = serializers.CharField(allow_blank=True)
    ward_code = serializers.CharField(allow_blank=True)
    deprivation_decile = serializers.IntegerField(allow_null=True, help_text="1 is the most deprived tenth.")
    consent_to_quote = serializers.BooleanField()


_CONVERSATION_EXAMPLE = {
    "count": 1,
    "next": None,
    "previous": None,
    "results": [
        {
            "id": 4182,
            "occurred_on": "2026-03-04",
            "channel": "Survey",
            "activity": "Carers' evenings",
            "question": "What could we do better?",
            "text": "Evening sessions suit carers who work",
            "rating": 2,
            "sentiment": "positive",
            "themes": ["Appointment arrangements"],
            "age_band": "45-54",
            "sex": "Female",
            "ethnic_group": "",
            "disability": "",
            "carer": "Yes",
            "ward_code": "E05014780",
            "deprivation_decile": 3,
            "consent_to_quote": False,
        }
    ],
}


class ConversationListApi(ApiView):
    """Your organisation's conversations, oldest first, each with its themes and
    sentiment, a page at a time; every page is recorded in the audit trail as taken
    away. No one's name, contact or reference is in them."""

    permission_classes = [requires(Permission.VIEW_CONVERSATIONS)]
    pagination_class = Pages

    @extend_schema(
        parameters=[
            *_SET,
            OpenApiParameter("q", OpenApiTypes.STR, description="Words in what was said."),
        ],
        responses={200: ConversationSerializer(many=True), **errors(400, 404)},
        examples=[OpenApiExample("A page of conversations", value=_CONVERSATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        scoped: Any = request._request
        conversations = filtered_conversations(
            scoped.organisation, scoped.permissions, theme_filters(request.query_params)
        ).order_by("occurred_on", "pk")
        paginator = self.pagination_class()
        # The page's ids only: each row is then read once, with its themes.
        page = paginator.paginate_queryset(conversations.values_list("pk", flat=True), request, view=self)
        rows = conversation_rows(conversations.filter(pk__in=list(page or [])))
        conversations_exported_record(
            actor=request.user, organisation=scoped.organisation, conversation_ids=[row.id for row in rows]
        )
        return paginator.get_paginated_response(
            ConversationSerializer([row.__dict__ for row in rows], many=True).data
        )
