"""REST endpoints for telling people what was done: the organisation's own people who
took part in an activity, and what became of the emails about a decision. Participants
and their emails are personal data: each partner reads and changes only its own."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.fields import IdField
from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView, acting_organisation
from engage.core.disclosure import DisclosureRule
from engage.core.roles import Permission
from engage.decisions import selectors
from engage.decisions.apis import AddedSerializer
from engage.decisions.feedback import services as feedback_services
from engage.decisions.models import FeedbackMessage, MessageStatus
from engage.decisions.selectors import Participant


class ParticipantInputSerializer(serializers.Serializer[Any]):
    person_ids = serializers.ListField(child=IdField(), required=False, default=list)
    group_id = IdField(required=False, allow_null=True, default=None)


class ParticipantSerializer(serializers.Serializer[Participant]):
    person_id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.full_name")
    can_be_told = serializers.SerializerMethodField()
    why_not = serializers.CharField(
        allow_blank=True, help_text="Why they cannot be told what was done; empty when they can."
    )

    def get_can_be_told(self, participant: Participant) -> bool:
        return not participant.why_not


class ParticipantsSerializer(serializers.Serializer[Any]):
    participants = ParticipantSerializer(many=True)


class ActivityParticipantsApi(ApiView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.EDIT_PEOPLE if self.request.method == "POST" else Permission.VIEW_PEOPLE
        return [requires(needed)()]

    @extend_schema(responses={200: ParticipantsSerializer, **errors(404)})
    def get(self, request: Request, activity_id: int) -> Response:
        """Your organisation's people who took part, and whether each can be told."""
        listed = selectors.participant_list(
            organisation=acting_organisation(request), activity_id=activity_id
        )
        return Response(ParticipantsSerializer({"participants": listed}).data)

    @extend_schema(
        request=ParticipantInputSerializer,
        responses={200: AddedSerializer, **errors(400, 404, 415)},
    )
    def post(self, request: Request, activity_id: int) -> Response:
        """Record your people (by id, or every member of one of your groups) as taking part."""
        incoming = ParticipantInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        added = feedback_services.participation_add(
            actor=request.user,
            organisation=acting_organisation(request),
            activity_id=activity_id,
            person_ids=incoming.validated_data["person_ids"],
            group_id=incoming.validated_data["group_id"],
        )
        return Response(AddedSerializer({"added": added}).data)


class FeedbackMessageSerializer(serializers.ModelSerializer[FeedbackMessage]):
    person_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = FeedbackMessage
        fields = ["person_id", "status", "sent_to", "sent_at", "attempts", "last_error"]


class FeedbackCountsSerializer(serializers.Serializer[Any]):
    """How many emails are in each state: partners' published (rounded, slightly changed,
    null where fewer than 8), or the caller's organisation's own, exact."""

    def __init__(self, *args: Any, published: bool = False, **kwargs: Any) -> None:
        self.published = published
        super().__init__(*args, **kwargs)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            status: serializers.IntegerField(min_value=0, help_text=label, allow_null=self.published)
            for status, label in MessageStatus.choices
        }


class DecisionEmailsSerializer(serializers.Serializer[Any]):
    partners = FeedbackCountsSerializer(
        published=True,
        help_text="Emails to the people partners hold, by state: rounded, slightly changed, null where "
        "fewer than 8 (disclosure control).",
    )
    own_counts = FeedbackCountsSerializer(
        help_text="Emails to your organisation's own people, by state: exact."
    )
    own = FeedbackMessageSerializer(
        many=True,
        required=False,
        help_text="Each email to your organisation's own people: only if your role may see people.",
    )


class DecisionEmailsApi(ApiView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(responses={200: DecisionEmailsSerializer, **errors(404)})
    def get(self, request: Request, decision_id: int) -> Response:
        """How many emails about a decision are in each state: to partners' people through
        disclosure control, to your organisation's own exactly; and, if you may see people,
        what became of each email to your organisation's own."""
        selectors.decision_get(decision_id=decision_id)
        counts = selectors.email_counts(
            decision_id=decision_id,
            rule=DisclosureRule.from_settings(),
            viewer_organisation=acting_organisation(request),
        )
        body: dict[str, Any] = {
            "partners": {status: shown.value for status, shown in counts.partners.items()},
            "own_counts": counts.own or dict.fromkeys(MessageStatus.values, 0),
        }
        if Permission.VIEW_PEOPLE in getattr(request._request, "permissions", frozenset()):
            body["own"] = selectors.feedback_message_list(
                organisation=acting_organisation(request), decision_id=decision_id
            )
        return Response(DecisionEmailsSerializer(body).data)
