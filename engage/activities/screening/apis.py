"""Screening through the REST API: the questions in force, past screenings, and
screening a new issue (the recommendation comes back with its reasons)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engage.activities.models import Screening
from engage.activities.screening import selectors, services
from engage.activities.screening.rules import current_rules
from engage.api.fields import IdField
from engage.api.permissions import requires
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


class ScreenRequestSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    answers = serializers.DictField(
        help_text="Question id to an answer value, or a list of them for 'many' questions."
    )
    activity_id = IdField(required=False, allow_null=True, default=None)


class QuestionsApi(APIView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(responses=serializers.DictField())
    def get(self, request: Request) -> Response:
        """The questionnaire in force and its rules version."""
        rules = current_rules()
        return Response(
            {
                "version": rules.version,
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "hint": q.hint,
                        "kind": q.kind,
                        "options": [{"value": v, "label": t} for v, t in q.options],
                    }
                    for q in rules.questions
                ],
            }
        )


class ScreeningListApi(APIView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.SCREEN_ISSUES if self.request.method == "POST" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(responses=ScreeningSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            selectors.screening_list(search=request.query_params.get("q", "")[:100]), request, view=self
        )
        return paginator.get_paginated_response(ScreeningSerializer(page, many=True).data)

    @extend_schema(request=ScreenRequestSerializer, responses={201: ScreeningSerializer})
    def post(self, request: Request) -> Response:
        """Screen an issue for the organisation you act for."""
        incoming = ScreenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        screening = services.screening_record(
            actor=request.user,
            organisation=request._request.organisation,  # type: ignore[attr-defined]
            **incoming.validated_data,
        )
        return Response(ScreeningSerializer(screening).data, status=201)
