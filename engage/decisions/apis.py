"""REST endpoints of "You said, we did": decisions, read by every partner, recorded and
amended by those who run engagement, and their evidence linked from the organisation's
own conversations. One thin class per operation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.fields import IdField, QueryIdField, SearchField, TextField, TrueOrFalseField
from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView, Pages, acting_organisation, parse_query
from engage.core.disclosure import DisclosureRule
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


class AmendmentSerializer(serializers.Serializer[Any]):
    changed_at = serializers.DateTimeField()
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True), min_length=2, max_length=2),
        help_text="Each field that changed, with what it was and what it became.",
    )
    note = serializers.CharField(allow_blank=True, help_text="Why it was amended.")


class DecisionTrailSerializer(DecisionSerializer):
    """A decision, how many people informed it and its history."""

    people = serializers.SerializerMethodField(
        help_text="How many people's conversations heard by partners informed it: rounded and slightly "
        "changed (disclosure control); null where fewer than 8."
    )
    own_people = serializers.SerializerMethodField(
        help_text="How many heard by your organisation informed it: exact. Counted apart, so adding "
        "your own evidence never moves the partners' figure."
    )
    history = serializers.SerializerMethodField()

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "people", "own_people", "history"]

    # All read the decision's `selectors.DecisionTrail`, given as `context["trail"]`.
    def get_people(self, decision: Decision) -> int | None:
        people: int | None = self.context["trail"].people.value
        return people

    def get_own_people(self, decision: Decision) -> int | None:
        own: int | None = self.context["trail"].own_people
        return own

    @extend_schema_field(AmendmentSerializer(many=True))
    def get_history(self, decision: Decision) -> Any:
        return AmendmentSerializer(self.context["trail"].amendments, many=True).data


class DecisionInputSerializer(serializers.Serializer[Any]):
    title = TextField(max_length=200)
    summary = TextField()
    decided_by = serializers.ChoiceField(choices=DecisionMaker.choices)
    decided_by_name = TextField(max_length=200)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    reason_not_taken = TextField(required=False, allow_blank=True, default="")
    activity_id = IdField(required=False, allow_null=True, default=None)
    priority_ids = serializers.ListField(child=IdField(), required=False, default=list)
    theme_ids = serializers.ListField(child=IdField(), required=False, default=list)
    note = TextField(required=False, allow_blank=True, default="")
    details_checked = TrueOrFalseField(
        required=False,
        default=False,
        help_text="The author checked that what looks like personal details in the words the public "
        "reads is not: without it, such words are refused (400, naming the field).",
    )


def _input(request: Request) -> services.DecisionInput:
    incoming = DecisionInputSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    values = dict(incoming.validated_data)
    values["priority_ids"] = tuple(values["priority_ids"])
    values["theme_ids"] = tuple(values["theme_ids"])
    return services.DecisionInput(**values)


class DecisionFiltersSerializer(serializers.Serializer[Any]):
    q = SearchField(help_text="Words in the title or summary.")
    status = serializers.ChoiceField(DecisionStatus.choices, required=False)
    activity = QueryIdField(required=False, help_text="Informed by this activity.")
    priority = QueryIdField(required=False, help_text="Serving this partnership priority.")
    theme = QueryIdField(required=False, help_text="A theme or a category of themes.")


class DecisionListApi(ApiView):
    pagination_class = Pages

    def get_permissions(self) -> list[Any]:
        needed = Permission.RECORD_DECISIONS if self.request.method == "POST" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(
        parameters=[DecisionFiltersSerializer],
        responses={200: DecisionSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        given = parse_query(
            DecisionFiltersSerializer,
            {
                "q": params.get("q"),
                "status": params.get("status"),
                "activity": params.get("activity"),
                "priority": params.get("priority"),
                "theme": params.get("theme"),
            },
        )
        decisions = selectors.decision_list(
            search=given.get("q", "")[:200],
            status=given.get("status", ""),
            activity_id=given.get("activity"),
            priority_id=given.get("priority"),
            theme_id=given.get("theme"),
        ).prefetch_related("priorities", "themes")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(decisions, request, view=self)
        return paginator.get_paginated_response(DecisionSerializer(page, many=True).data)

    @extend_schema(
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer, **errors(400, 415)},
    )
    def post(self, request: Request) -> Response:
        """Record a decision for the organisation you act for."""
        decision = services.decision_record(
            actor=request.user, organisation=acting_organisation(request), data=_input(request)
        )
        return Response(DecisionSerializer(decision).data, status=201)


class DecisionDetailApi(ApiView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.RECORD_DECISIONS if self.request.method == "PUT" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(responses={200: DecisionTrailSerializer, **errors(404)})
    def get(self, request: Request, decision_id: int) -> Response:
        """A decision, how many people informed it (small numbers hidden) and its history."""
        trail = selectors.decision_trail(
            decision_id=decision_id,
            organisation=None,
            rule=DisclosureRule.from_settings(),
            viewer_organisation=acting_organisation(request),
        )
        return Response(DecisionTrailSerializer(trail.decision, context={"trail": trail}).data)

    @extend_schema(
        request=DecisionInputSerializer,
        responses={200: DecisionSerializer, **errors(400, 404, 415)},
    )
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


class AddedSerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField(min_value=0, help_text="How many were new (none is added twice).")


class DecisionEvidenceApi(ApiView):
    permission_classes = [requires(Permission.RECORD_DECISIONS, Permission.VIEW_CONVERSATIONS)]

    @extend_schema(
        request=EvidenceInputSerializer,
        responses={200: AddedSerializer, **errors(400, 404, 415)},
    )
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
        return Response(AddedSerializer({"added": added}).data)


class PublicationInputSerializer(serializers.Serializer[Any]):
    easy_read = TextField(required=False, allow_blank=True, default="", max_length=5000)
    decision_ids = serializers.ListField(child=IdField(), required=False, default=list)
    details_checked = TrueOrFalseField(
        required=False,
        default=False,
        help_text="The author checked that what looks like personal details in the Easy Read summary is not.",
    )


class PublishedSerializer(serializers.Serializer[Any]):
    published_at = serializers.DateTimeField(help_text="When the page was first published.")
    decisions_published = serializers.IntegerField(min_value=0, help_text="Decisions newly published.")
    emails_queued = serializers.IntegerField(
        min_value=0, help_text="Emails newly queued to the people who took part."
    )
    page = serializers.CharField(help_text="The public page's path.")


class ActivityPublicationApi(ApiView):
    permission_classes = [requires(Permission.RECORD_DECISIONS)]

    @extend_schema(
        request=PublicationInputSerializer,
        responses={200: PublishedSerializer, **errors(400, 404, 415)},
    )
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
            details_checked=incoming.validated_data["details_checked"],
        )
        published = {
            "published_at": result.publication.published_at,
            "decisions_published": result.decisions,
            "emails_queued": result.messages,
            "page": reverse("site:you-said-we-did-activity", kwargs={"activity_id": activity_id}),
        }
        return Response(PublishedSerializer(published).data)


class OverdueSerializer(serializers.Serializer[Any]):
    activity_id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    lead_organisation = serializers.CharField(source="lead_organisation.name")
    feedback_promised_on = serializers.DateField(allow_null=True)


class LoopSerializer(serializers.Serializer[Any]):
    ended = serializers.IntegerField(min_value=0, help_text="Activities that have ended.")
    feedback_given = serializers.IntegerField(min_value=0, help_text="Of those, how many gave feedback.")
    share_given = serializers.FloatField(
        allow_null=True, help_text="Their share, 0 to 1; null if none ended."
    )
    median_days_to_feedback = serializers.FloatField(allow_null=True)
    decisions_per_activity = serializers.FloatField(
        allow_null=True, help_text="Over the activities that ended."
    )
    without_decisions = serializers.IntegerField(
        min_value=0, help_text="Ended activities that informed no decision."
    )
    overdue = OverdueSerializer(many=True, help_text="Promised feedback not given, the most overdue first.")


class LoopFiltersSerializer(serializers.Serializer[Any]):
    organisation = QueryIdField(required=False, help_text="Only activities it leads.")


class LoopApi(ApiView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(parameters=[LoopFiltersSerializer], responses={200: LoopSerializer, **errors(400)})
    def get(self, request: Request) -> Response:
        """Closing the loop: feedback given, the median days it took, what is overdue."""
        given = parse_query(LoopFiltersSerializer, {"organisation": request.query_params.get("organisation")})
        measures = loop_measures(organisation_id=given.get("organisation"))
        return Response(LoopSerializer(measures).data)
