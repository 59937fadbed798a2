"""Reading the bank of conversations, always through the organisation in scope."""

from __future__ import annotations

from engage.conversations.models import Conversation
from engage.core.errors import NotFound
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.core.types import Actor
from engage.partners.models import Organisation


def conversation_get(
    *, organisation: Organisation | None, conversation_id: int, actor: Actor
) -> Conversation:
    """One conversation, for someone who will see it: the read is audited, as what
    people said and their details are personal data."""
    conversation = (
        Conversation.objects.for_organisation(organisation)
        .select_related("activity", "import_job", "person")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound("There is no such conversation in your organisation's records.")
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.VIEWED,
        subject_type="conversation",
        subject_id=conversation.pk,
        summary="Viewed a conversation.",
    )
    return conversation


def conversations_said_by(*, organisation: Organisation | None, person_id: int) -> int:
    """How many of the organisation's conversations are linked to this person."""
    return Conversation.objects.for_organisation(organisation).filter(person_id=person_id).count()


def conversation_of(*, organisation: Organisation | None, conversation_id: object) -> Conversation:
    """One of the organisation's conversations, for a service about to change it (no read
    is recorded: the service audits what it does). NotFound for any other id."""
    conversation = (
        Conversation.objects.for_organisation(organisation).filter(pk=conversation_id).first()
        if isinstance(conversation_id, int)
        else None
    )
    if conversation is None:
        raise NotFound("There is no conversation with that number in your organisation's bank.")
    return conversation
