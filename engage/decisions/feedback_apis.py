"""REST endpoints for telling people what was done: the organisation's own people who
took part in an activity, and what became of the emails about a decision. Participants
and their emails are personal data: each partner reads and changes only its own."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engage.api.fields import IdField
from engage.api.permissions import requires
from engage.core.roles import Permission
from engage.decisions import feedback_services, selectors
from engage.decisions.apis import acting_organisation


class ParticipantInputSerializer(serializers.Serializer[Any]):
    person_ids = serializers.ListField(child=IdField(), required=False, default=list)
    group_id = IdField(required=False, allow_null=True, default=None)


class ActivityParticipantsApi(APIView):
    def get_permissions(self) -> list[Any]:
        needed = Permission.EDIT_PEOPLE if self.request.method == "POST" else Permission.VIEW_PEOPLE
        return [requires(needed)()]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, activity_id: int) -> Response:
        """Your organisation's people who took part, and whether each can be told."""
        listed = selectors.participant_list(
            organisation=acting_organisation(request), activity_id=activity_id
        )
        return Response(
            {
                "participants": [
                    {
                        "person_id": p.person.pk,
                        "name": p.person.full_name,
                        "can_be_told": not p.why_not,
                        "why_not": p.why_not,
                    }
                    for p in listed
                ]
            }
        )

    @extend_schema(request=ParticipantInputSerializer, responses={200: dict})
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
        return Response({"added": added})


class DecisionEmailsApi(APIView):
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, decision_id: int) -> Response:
        """How many emails about a decision are in each state across the partnership; and,
        if you may see people, what became of each email to your organisation's own."""
        selectors.decision_get(decision_id=decision_id)
        body: dict[str, Any] = {"counts": selectors.feedback_counts(decision_id=decision_id)}
        if Permission.VIEW_PEOPLE in getattr(request._request, "permissions", frozenset()):
            body["own"] = [
                {
                    "person_id": m.person_id,
                    "status": m.status,
                    "sent_to": m.sent_to,
                    "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                    "attempts": m.attempts,
                    "last_error": m.last_error,
                }
                for m in selectors.feedback_message_list(
                    organisation=acting_organisation(request), decision_id=decision_id
                )
            ]
        return Response(body)
