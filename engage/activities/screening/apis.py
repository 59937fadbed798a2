"""Screening through the REST API: the questions in force, past screenings, and
screening a new issue (the recommendation comes back with its reasons)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.activities.models import Screening
from engage.activities.screening import selectors, services
from engage.activities.screening.rules import MANY, ONE, Question, current_rules
from engage.api.fields import IdField, SearchField, TextField
from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView, Pages, acting_organisation, parse_query
from engage.core.roles import Permission


class ScreeningSerializer(serializers.ModelSerializer[Screening]):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Screening
        fields = [
            "id",
            "title",
            "organisation",
            "activity_id",
            "answers",
            "recommendation",
            "rules_version",
            "created_at",
        ]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "The value of the option chosen ('one' questions)."},
            {
                "type": "array",
                "items": {"type": "string"},
                "description": "The values of the options chosen ('many' questions).",
            },
        ]
    }
)
class AnswerField(serializers.Field[Any, Any, Any, Any]):
    """An answer: one option's value, or a list of them."""

    default_error_messages = {"invalid": "Answer with an option's value, or a list of them."}

    def to_internal_value(self, data: Any) -> str | list[str]:
        if isinstance(data, list) and all(isinstance(value, str) for value in data):
            return data
        if not isinstance(data, str):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class ScreenRequestSerializer(serializers.Serializer[Any]):
    title = TextField(max_length=200)
    answers = serializers.DictField(
        child=AnswerField(),
        help_text="Each question's id, with the value of the option chosen, or a list of them for "
        "'many' questions (`GET /api/v1/screening/questions/`).",
    )
    activity_id = IdField(required=False, allow_null=True, default=None)


class OptionSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label


class QuestionSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    text = serializers.CharField()
    hint = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(
        [(ONE, "One answer"), (MANY, "Any number of answers")],
        help_text="'one': answer with one option's value; 'many': with a list of them.",
    )
    options = serializers.SerializerMethodField()

    @extend_schema_field(OptionSerializer(many=True))
    def get_options(self, question: Question) -> list[dict[str, str]]:
        return [{"value": value, "label": label} for value, label in question.options]


class QuestionnaireSerializer(serializers.Serializer[Any]):
    version = serializers.CharField(help_text="The version of the rules in force.")
    questions = QuestionSerializer(many=True)


class ScreeningFiltersSerializer(serializers.Serializer[Any]):
    q = SearchField(help_text="Words in the issue's title.")


class QuestionsApi(ApiView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(responses={200: QuestionnaireSerializer, **errors()})
    def get(self, request: Request) -> Response:
        """The questionnaire in force and its rules version."""
        return Response(QuestionnaireSerializer(current_rules()).data)


class ScreeningListApi(ApiView):
    pagination_class = Pages

    def get_permissions(self) -> list[Any]:
        needed = Permission.SCREEN_ISSUES if self.request.method == "POST" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(
        parameters=[ScreeningFiltersSerializer],
        responses={200: ScreeningSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        given = parse_query(ScreeningFiltersSerializer, {"q": request.query_params.get("q")})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.screening_list(search=given.get("q", "")[:100]), request, view=self
        )
        return paginator.get_paginated_response(ScreeningSerializer(page, many=True).data)

    @extend_schema(
        request=ScreenRequestSerializer,
        responses={201: ScreeningSerializer, **errors(400, 415)},
    )
    def post(self, request: Request) -> Response:
        """Screen an issue for the organisation you act for."""
        incoming = ScreenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        screening = services.screening_record(
            actor=request.user,
            organisation=acting_organisation(request),
            **incoming.validated_data,
        )
        return Response(ScreeningSerializer(screening).data, status=201)
