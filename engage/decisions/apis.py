"""REST endpoints of "You said, we did": decisions, read by every partner, recorded and
amended by those who run engagement, and their evidence linked from the organisation's
own conversations. One thin class per operation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engage.api.fields import IdField
from engage.api.permissions import requires
from engage.core.disclosure import DisclosureRule
from engage.core.http import int_param
from engage.core.roles import Permission
from engage.decisions import selectors, services
from engage.decisions.loop import loop_measures
from engage.decisions.models import Decision, DecisionMaker, DecisionStatus


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    organisation = serializers.CharField(source="organisation.name")
    priority_ids = serializers.SerializerMethodField()
    theme_ids = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "title",
            "summary",
            "decided_by",
            "decided_by_name",
            "decided_on",
            "status",
            "reason_not_taken",
            "activity_id",
            "priority_ids",
            "theme_ids",
            "organisation",
            "published_at",
        ]

    def get_priority_ids(self, decision: Decision) -> list[int]:
        return [p.pk for p in decision.priorities.all()]

    def get_theme_ids(self, decision: Decision) -> list[int]:
        return [t.pk for t in decision.themes.all()]


class DecisionInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    decided_by = serializers.ChoiceField(choices=DecisionMaker.choices)
    decided_by_name = serializers.CharField(max_length=200)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    reason_not_taken = serializers.CharField(required=False, allow_blank=True, default="")
    activity_id = IdField(required=False, allow_null=True, default=None)
    priority_ids = serializers.ListField(child=IdField(), required=False, default=list)
    theme_ids = serializers.ListField(child=IdField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _input(request: Request) -> services.DecisionInput:
    incoming = DecisionInputSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    values = dict(incoming.validated_data)
    values["priority_ids"] = tuple(values["priority_ids"])
    values["theme_ids"] = tuple(values["theme_ids"])
    return services.DecisionInput(**values)


def acting_organisation(request: Request) -> Any:
    """The organisation the API caller acts for (set by the scoping middleware)."""
    return request._request.organisation  # type: ignore[attr-defined]


class DecisionListApi(APIView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.RECORD_DECISIONS if self.request.method == "POST" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words in the title or summary."),
            OpenApiParameter("status", str, enum=DecisionStatus.values),
            OpenApiParameter("activity", int),
            OpenApiParameter("priority", int),
            OpenApiParameter("theme", int, description="A theme or a category of themes."),
        ],
        responses=DecisionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        decisions = selectors.decision_list(
            search=params.get("q", "")[:200],
            status=params.get("status", "") if params.get("status") in DecisionStatus.values else "",
            activity_id=int_param(params.get("activity"), field="activity"),
            priority_id=int_param(params.get("priority"), field="priority"),
            theme_id=int_param(params.get("theme"), field="theme"),
        ).prefetch_related("priorities", "themes")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(decisions, request, view=self)
        return paginator.get_paginated_response(DecisionSerializer(page, many=True).data)

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request) -> Response:
        """Record a decision for the organisation you act for."""
        decision = services.decision_record(
            actor=request.user, organisation=acting_organisation(request), data=_input(request)
        )
        return Response(DecisionSerializer(decision).data, status=201)


class DecisionDetailApi(APIView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.RECORD_DECISIONS if self.request.method == "PUT" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(responses=DecisionSerializer)
    def get(self, request: Request, decision_id: int) -> Response:
        """A decision, how many people informed it (small numbers hidden) and its history."""
        trail = selectors.decision_trail(
            decision_id=decision_id, organisation=None, rule=DisclosureRule.from_settings()
        )
        body = dict(DecisionSerializer(trail.decision).data)
        body["people"] = trail.people.value
        body["history"] = [
            {"changed_at": a.changed_at.isoformat(), "changes": a.changes, "note": a.note}
            for a in trail.amendments
        ]
        return Response(body)

    @extend_schema(request=DecisionInputSerializer, responses=DecisionSerializer)
    def put(self, request: Request, decision_id: int) -> Response:
        """Amend a decision your organisation recorded; `note` says why, in its history."""
        decision = services.decision_amend(
            actor=request.user,
            organisation=acting_organisation(request),
            decision_id=decision_id,
            data=_input(request),
        )
        return Response(DecisionSerializer(decision).data)


class EvidenceInputSerializer(serializers.Serializer[Any]):
    conversation_ids = serializers.ListField(child=IdField(), allow_empty=False)


class DecisionEvidenceApi(APIView):
    permission_classes = [requires(Permission.RECORD_DECISIONS, Permission.VIEW_CONVERSATIONS)]

    @extend_schema(request=EvidenceInputSerializer, responses={200: dict})
    def post(self, request: Request, decision_id: int) -> Response:
        """Link your organisation's conversations to a decision as its evidence."""
        incoming = EvidenceInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        added = services.decision_evidence_add(
            actor=request.user,
            organisation=acting_organisation(request),
            decision_id=decision_id,
            conversation_ids=incoming.validated_data["conversation_ids"],
        )
        return Response({"added": added})


class PublicationInputSerializer(serializers.Serializer[Any]):
    easy_read = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    decision_ids = serializers.ListField(child=IdField(), required=False, default=list)


class ActivityPublicationApi(APIView):
    permission_classes = [requires(Permission.RECORD_DECISIONS)]

    @extend_schema(request=PublicationInputSerializer, responses={200: dict})
    def post(self, request: Request, activity_id: int) -> Response:
        """Publish (or update) the public page of an activity your organisation leads,
        with the decisions chosen; the people who took part are emailed about each new
        one. Publishing again publishes and sends nothing twice."""
        incoming = PublicationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        result = services.activity_publish(
            actor=request.user,
            organisation=acting_organisation(request),
            activity_id=activity_id,
            easy_read=incoming.validated_data["easy_read"],
            decision_ids=incoming.validated_data["decision_ids"],
        )
        return Response(
            {
                "published_at": result.publication.published_at.isoformat(),
                "decisions_published": result.decisions,
                "emails_queued": result.messages,
                "page": reverse("site:you-said-we-did-activity", kwargs={"activity_id": activity_id}),
            }
        )


class LoopApi(APIView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(
        parameters=[OpenApiParameter("organisation", int, description="Only activities it leads.")],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        """Closing the loop: feedback given, the median days it took, what is overdue."""
        measures = loop_measures(
            organisation_id=int_param(request.query_params.get("organisation"), field="organisation")
        )
        return Response(
            {
                "ended": measures.ended,
                "feedback_given": measures.feedback_given,
                "share_given": measures.share_given,
                "median_days_to_feedback": measures.median_days_to_feedback,
                "decisions_per_activity": measures.decisions_per_activity,
                "without_decisions": measures.without_decisions,
                "overdue": [
                    {
                        "activity_id": a.pk,
                        "title": a.title,
                        "lead_organisation": a.lead_organisation.name,
                        "feedback_promised_on": a.feedback_promised_on.isoformat()
                        if a.feedback_promised_on
                        else None,
                    }
                    for a in measures.overdue
                ],
            }
        )
