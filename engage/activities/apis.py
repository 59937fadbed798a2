"""REST endpoints of the engagement register: one thin class per operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.activities import overlap, selectors, services
from engage.activities.models import (
    Activity,
    Area,
    InvolvementType,
    Level,
    Method,
    PartnershipPriority,
    Stage,
    Status,
    TargetGroup,
)
from engage.api.fields import IdField, QueryIdField, SearchField, TextField, TrueOrFalseField
from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView, Pages, acting_organisation, parse_query
from engage.core.errors import NotFound
from engage.core.roles import Permission


class PriorityNameSerializer(serializers.ModelSerializer[PartnershipPriority]):
    class Meta:
        model = PartnershipPriority
        fields = ["id", "title"]


class AreaNameSerializer(serializers.ModelSerializer[Area]):
    class Meta:
        model = Area
        fields = ["id", "name", "kind"]


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    lead_organisation = serializers.CharField(source="lead_organisation.name")
    priorities = PriorityNameSerializer(many=True, read_only=True)
    areas = AreaNameSerializer(many=True, read_only=True)
    partner_organisations = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "purpose",
            "topic",
            "priorities",
            "stage",
            "involvement_type",
            "level",
            "methods",
            "target_groups",
            "areas",
            "starts_on",
            "ends_on",
            "lead_organisation",
            "partner_organisations",
            "status",
            "feedback_promised_on",
            "feedback_given_on",
            "series_id",
        ]

    def get_partner_organisations(self, activity: Activity) -> list[str]:
        return [o.name for o in activity.partner_organisations.all()]


class ActivityInputSerializer(serializers.Serializer[Any]):
    """What a client sends to register or change an activity; the service checks it."""

    title = TextField(max_length=200)
    purpose = TextField()
    topic = TextField(max_length=200)
    stage = serializers.ChoiceField(choices=Stage.choices)
    involvement_type = serializers.ChoiceField(choices=InvolvementType.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    priority_ids = serializers.ListField(child=IdField(), required=False, default=list)
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=Method.choices), required=False, default=list
    )
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices))
    area_ids = serializers.ListField(child=IdField())
    partner_organisation_ids = serializers.ListField(child=IdField(), required=False, default=list)
    contact_id = IdField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=Status.choices, default=Status.PLANNED)
    feedback_promised_on = serializers.DateField(required=False, allow_null=True, default=None)
    feedback_given_on = serializers.DateField(required=False, allow_null=True, default=None)
    series_id = IdField(required=False, allow_null=True, default=None)
    new_series_title = TextField(max_length=200, required=False, default="", allow_blank=True)
    confirm_overlaps = TrueOrFalseField(
        required=False, default=False, help_text="Send true once the overlapping activities have been seen."
    )


class PrioritySerializer(serializers.ModelSerializer[PartnershipPriority]):
    class Meta:
        model = PartnershipPriority
        fields = ["id", "title", "description", "is_active"]


class ActivityFiltersSerializer(serializers.Serializer[Any]):
    """The register's filters, as a query string gives them; each may be left out."""

    q = SearchField(help_text="Words in the title, topic or purpose.")
    organisation = QueryIdField(
        required=False, help_text="Led by this organisation, or with it as a partner."
    )
    priority = QueryIdField(required=False, help_text="Serving this partnership priority.")
    group = serializers.ChoiceField(
        TargetGroup.choices, required=False, help_text="For this group of people."
    )
    area = QueryIdField(required=False, help_text="In this area.")
    stage = serializers.ChoiceField(Stage.choices, required=False)
    level = serializers.ChoiceField(Level.choices, required=False)
    status = serializers.ChoiceField(Status.choices, required=False)


def _filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    given = parse_query(
        ActivityFiltersSerializer,
        {
            "q": params.get("q"),
            "organisation": params.get("organisation"),
            "priority": params.get("priority"),
            "group": params.get("group"),
            "area": params.get("area"),
            "stage": params.get("stage"),
            "level": params.get("level"),
            "status": params.get("status"),
        },
    )
    return {
        "search": given.get("q", "")[:100],
        "organisation_id": given.get("organisation"),
        "priority_id": given.get("priority"),
        "target_group": given.get("group", ""),
        "area_id": given.get("area"),
        "stage": given.get("stage", ""),
        "level": given.get("level", ""),
        "status": given.get("status", ""),
    }


class OverlapFoundSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lead_organisation = serializers.CharField()
    explanation = serializers.ListField(child=serializers.CharField())


class OverlapWarningSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    overlaps = OverlapFoundSerializer(many=True)


OVERLAP_WARNING = OpenApiResponse(
    OverlapWarningSerializer,
    description="Nothing was saved: other activities may reach the same people. Send the activity "
    "again with `confirm_overlaps` set to true once they have been looked at.",
)


def _register(request: Request, activity_id: int | None) -> Response:
    """Register or change an activity. As on the page, overlapping activities are
    returned first (409) and nothing is saved until the client sends
    `confirm_overlaps: true` having seen them."""
    incoming = ActivityInputSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    values = dict(incoming.validated_data)
    confirmed = values.pop("confirm_overlaps")
    data = services.ActivityInput(**values)
    organisation = acting_organisation(request)
    try:
        if activity_id is None:
            activity = services.activity_create(
                actor=request.user, organisation=organisation, data=data, overlaps_seen=confirmed
            )
        else:
            activity = services.activity_update(
                actor=request.user,
                organisation=organisation,
                activity_id=activity_id,
                data=data,
                overlaps_seen=confirmed,
            )
    except services.OverlapsToConfirm as found:
        warning = {
            "detail": "Nothing was saved: other activities may reach the same people. "
            "Look at them, then send again with confirm_overlaps set to true.",
            "overlaps": [
                {
                    "id": o.other.pk,
                    "title": o.other.title,
                    "lead_organisation": o.other.lead_organisation.name,
                    "explanation": o.explanation(),
                }
                for o in found.overlaps
            ],
        }
        return Response(OverlapWarningSerializer(warning).data, status=409)
    saved = selectors.activity_get(activity_id=activity.pk)
    return Response(ActivitySerializer(saved).data, status=201 if activity_id is None else 200)


class ActivityListApi(ApiView):
    pagination_class = Pages

    def get_permissions(self) -> list[Any]:
        needed = Permission.REGISTER_ACTIVITIES if self.request.method == "POST" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(
        parameters=[ActivityFiltersSerializer],
        responses={200: ActivitySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.activity_list(**_filters(request)), request, view=self)
        return paginator.get_paginated_response(ActivitySerializer(page, many=True).data)

    @extend_schema(
        request=ActivityInputSerializer,
        responses={201: ActivitySerializer, 409: OVERLAP_WARNING, **errors(400, 415)},
    )
    def post(self, request: Request) -> Response:
        """Register an activity led by the organisation you act for."""
        return _register(request, None)


class ActivityDetailApi(ApiView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.REGISTER_ACTIVITIES if self.request.method == "PUT" else Permission.VIEW_REGISTER
        return [requires(needed)()]

    @extend_schema(responses={200: ActivitySerializer, **errors(404)})
    def get(self, request: Request, activity_id: int) -> Response:
        activity = selectors.activity_get(activity_id=activity_id)
        if activity is None:
            raise NotFound("There is no such activity in the register.")
        return Response(ActivitySerializer(activity).data)

    @extend_schema(
        request=ActivityInputSerializer,
        responses={200: ActivitySerializer, 409: OVERLAP_WARNING, **errors(400, 404, 415)},
    )
    def put(self, request: Request, activity_id: int) -> Response:
        """Change an activity your organisation leads."""
        return _register(request, activity_id)


class OverlapSerializer(serializers.Serializer[Any]):
    activity = ActivitySerializer(source="other")
    matched = serializers.ListField(child=serializers.CharField())
    explanation = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField()
    decision = serializers.CharField(allow_null=True)


class ActivityOverlapsApi(ApiView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(responses={200: OverlapSerializer(many=True), **errors(404)})
    def get(self, request: Request, activity_id: int) -> Response:
        """Other activities that may reach the same people, and why."""
        activity = selectors.activity_get(activity_id=activity_id)
        if activity is None:
            raise NotFound("There is no such activity in the register.")
        found = overlap.overlap_list(probe=overlap.ActivityProbe.from_activity(activity))
        rows = [
            {
                "other": o.other,
                "matched": sorted(o.matched),
                "explanation": o.explanation(),
                "score": o.score,
                "decision": o.review.decision if o.review else None,
            }
            for o in found
        ]
        return Response(OverlapSerializer(rows, many=True).data)


class PriorityListApi(ApiView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(responses={200: PrioritySerializer(many=True), **errors()})
    def get(self, request: Request) -> Response:
        return Response(PrioritySerializer(selectors.priority_list(active_only=False), many=True).data)
