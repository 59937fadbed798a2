"""Writing to the bank of conversations by hand: one conversation recorded by a member
of staff, checked by the same rules as an import, and the record that a page listed
what people said. Imports are in the `imports` sub-package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from engage.activities.models import Activity
from engage.conversations.imports import cleaning
from engage.conversations.imports.keys import unique_key
from engage.conversations.imports.mapping import (
    DEFAULT_RATING_SCALE,
)
from engage.conversations.models import (
    Channel,
    Conversation,
    Quote,
    QuoteConsentSource,
)
from engage.conversations.quotes.services import quote_consents_record
from engage.conversations.selectors import conversation_of
from engage.conversations.signals import conversations_added, conversations_changed, conversations_removed
from engage.core.errors import DomainError, InvalidInput
from engage.core.ids import IdCheck
from engage.core.models import AuditAction
from engage.core.services import audit_record, audit_record_many
from engage.core.tabular import cells
from engage.core.types import Actor
from engage.partners.models import ConsentMethod, Organisation
from engage.places.postcode_format import full_postcode
from engage.places.selectors import NO_PLACE, places_for_postcodes


def activity_check(activity_id: object, organisation: Organisation | None) -> None:
    """What people said is linked only to an activity the organisation leads or joins."""
    check = IdCheck()
    check.one(
        Activity.objects.filter(
            Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
        ).distinct(),
        activity_id,
        field="activity_id",
        what="activity your organisation leads or takes part in",
    )
    check.raise_if_any()


def conversation_record(
    *,
    actor: Actor,
    organisation: Organisation,
    text: str,
    channel: str,
    occurred_on: dt.date,
    question: str = "",
    activity_id: int | None = None,
    postcode: str = "",
    rating: int | None = None,
    respondent_reference: str = "",
    age_band: str = "",
    sex: str = "",
    ethnic_group: str = "",
    disability: str = "",
    carer: str = "",
    consent_to_quote: bool = False,
    consent_to_contact: bool = False,
    consent_source: str = QuoteConsentSource.STAFF,
    consent_method: str = ConsentMethod.VERBAL,
) -> Conversation:
    """Record one conversation by hand (event notes, a phone call), checked by the same
    rules as an import. Only the postcode's district is kept. Raises InvalidInput with
    a sentence for each field that is wrong."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}

    def check(field: str, parse: Callable[[], Any]) -> None:
        try:
            values[field] = parse()
        except cells.FieldProblem as problem:
            problems[field] = str(problem)

    check("text", lambda: cleaning.parse_text(text))
    short = {
        "question": question,
        "respondent_reference": respondent_reference,
        "age_band": age_band,
        "sex": sex,
        "ethnic_group": ethnic_group,
        "disability": disability,
        "carer": carer,
    }
    for field, value in short.items():
        check(field, lambda field=field, value=value: cleaning.parse_short(value, field=field))  # type: ignore[misc]
    check("postcode", lambda: cleaning.parse_postcode_district(postcode))
    if channel not in Channel.values:
        problems["channel"] = f"Choose a channel: {', '.join(str(label) for label in Channel.labels)}."
    low, high = DEFAULT_RATING_SCALE
    if rating is not None and not low <= rating <= high:
        problems["rating"] = f"The rating must be from {low} to {high}."
    check("occurred_on", lambda: cells.parse_date(occurred_on.isoformat()))
    if activity_id is not None:
        try:
            activity_check(activity_id, organisation)
        except InvalidInput as error:
            problems.update(error.errors)
    if problems:
        raise InvalidInput(problems)
    whole = full_postcode(postcode)
    place = places_for_postcodes({whole}).get(whole, NO_PLACE) if whole else NO_PLACE
    with transaction.atomic():
        conversation = Conversation.objects.create(
            organisation=organisation,
            activity_id=activity_id,
            channel=channel,
            text=values["text"],
            question=values["question"],
            occurred_on=occurred_on,
            rating=rating,
            respondent_reference=values["respondent_reference"],
            postcode_district=values["postcode"],
            lsoa_code=place.lsoa_code,
            ward_code=place.ward_code,
            imd_decile=place.imd_decile,
            age_band=values["age_band"],
            sex=values["sex"],
            ethnic_group=values["ethnic_group"],
            disability=values["disability"],
            carer=values["carer"],
            consent_to_quote=consent_to_quote,
            consent_to_contact=consent_to_contact,
            dedupe_key=unique_key(),
        )
        # Consent to quote is a grant with its date, method and source; the words still
        # wait for a member of staff to approve them (engage/conversations/quotes).
        quote_consents_record([conversation], source=consent_source, method=consent_method)
        conversations_added.send(sender=Conversation, organisation_id=organisation.pk, count=1)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary=f"Recorded a conversation by hand ({conversation.get_channel_display()}, {occurred_on}).",
        )
    return conversation


def conversations_exported_record(
    *, actor: Actor, organisation: Organisation | None, conversation_ids: Iterable[int]
) -> None:
    """A download or an API page takes what people said away: one EXPORTED event,
    each conversation kept beside it."""
    audit_record_many(
        actor=actor,
        organisation=organisation,
        action=AuditAction.EXPORTED,
        subject_type="conversation",
        subject_ids=conversation_ids,
        summary="Taken away in a download of conversations.",
    )


def conversations_listed_record(
    *, actor: Actor, organisation: Organisation | None, conversation_ids: Iterable[int]
) -> None:
    """A list or search page shows what people said, so each conversation on the page
    gets a LISTED event (one statement for the page)."""
    audit_record_many(
        actor=actor,
        organisation=organisation,
        action=AuditAction.LISTED,
        subject_type="conversation",
        subject_ids=conversation_ids,
        summary="Shown in a list of conversations.",
    )


# ---------------------------------------------------------------------------------------
# Correcting, taking out and deleting: staff of the organisation that heard it, with a
# reason, audited. A change to what was said takes its approved quote down (the words
# were approved, not these) and the analysis follows (insight listens for
# `conversations_changed`).

CORRECTABLE = (
    "text",
    "question",
    "channel",
    "occurred_on",
    "rating",
    "age_band",
    "sex",
    "ethnic_group",
    "disability",
    "carer",
)
REMOVED_PASSAGE = "[removed]"


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput({"reason": "Say why, for the audit trail."})
    return reason.strip()[:500]


def _words_changed(actor: Actor, organisation: Organisation | None, conversation: Conversation) -> None:
    """What was said changed: the approved quote no longer matches it, and the analysis
    must look again."""
    taken_down = Quote.objects.filter(conversation=conversation).delete()[0]
    conversations_changed.send(sender=Conversation, conversation_ids=[conversation.pk])
    if taken_down:
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary="Its approved quote was taken down: the words changed, so they wait for approval again.",
        )


def _checked(field: str, value: Any) -> Any:
    """One corrected value, by the rules of an import; raises FieldProblem."""
    if field == "text":
        return cleaning.parse_text(value)
    if field == "occurred_on":
        return cells.parse_date(value.isoformat())
    if field == "rating":
        low, high = DEFAULT_RATING_SCALE
        if value is not None and not low <= value <= high:
            raise cells.FieldProblem(f"The rating must be from {low} to {high}.")
        return value
    if field == "channel":
        if value not in Channel.values:
            raise cells.FieldProblem(
                f"Choose a channel: {', '.join(str(label) for label in Channel.labels)}."
            )
        return value
    return cleaning.parse_short(value, field=field)


def conversation_correct(
    *,
    actor: Actor,
    organisation: Organisation | None,
    conversation_id: object,
    reason: str,
    changes: dict[str, Any],
) -> Conversation:
    """Correct a conversation's text or details (the fields in CORRECTABLE), checked by
    the rules of an import. Raises InvalidInput naming each field that is wrong, and
    changes nothing then."""
    problems: dict[str, str] = {}
    try:
        why = _reason(reason)
    except InvalidInput as error:
        problems.update(error.errors)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "This cannot be corrected here."))
    values: dict[str, Any] = {}
    for field, value in changes.items():
        try:
            values[field] = _checked(field, value)
        except cells.FieldProblem as problem:
            problems[field] = str(problem)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        changed = sorted(name for name, value in values.items() if getattr(conversation, name) != value)
        if not changed:
            raise DomainError("Nothing was changed.")
        for name in changed:
            setattr(conversation, name, values[name])
        conversation.save(update_fields=changed)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary=f"Corrected the conversation: {', '.join(name.replace('_', ' ') for name in changed)}.",
            reason=why,
        )
        if {"text", "question", "rating"} & set(changed):
            _words_changed(actor, organisation, conversation)
    return conversation


def conversation_passage_remove(
    *, actor: Actor, organisation: Organisation | None, conversation_id: object, passage: str, reason: str
) -> Conversation:
    """Take a passage out of what was said by hand (every place it occurs), leaving
    [removed] where it was: for what the redactor missed."""
    why = _reason(reason)
    passage = passage.strip()
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        if not passage:
            raise InvalidInput({"passage": "Copy the words to take out from the conversation."})
        if passage not in conversation.text:
            raise InvalidInput(
                {"passage": "Those words are not in the conversation as written; copy them exactly."}
            )
        conversation.text = conversation.text.replace(passage, REMOVED_PASSAGE)
        conversation.save(update_fields=["text"])
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary="Took a passage out of the conversation by hand.",
            reason=why,
        )
        _words_changed(actor, organisation, conversation)
    return conversation


def conversation_delete(
    *, actor: Actor, organisation: Organisation | None, conversation_id: object, reason: str
) -> None:
    """Delete a conversation and everything that hangs on it (its analysis, labels,
    consent, quote, and its place as evidence: a decision then counts one fewer). The
    audit trail keeps only that it happened, by whom and why."""
    why = _reason(reason)
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        conversation_pk = conversation.pk
        conversation.delete()
        conversations_removed.send(sender=Conversation, organisation_id=conversation.organisation_id)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.DELETED,
            subject_type="conversation",
            subject_id=conversation_pk,
            summary="Deleted a conversation.",
            reason=why,
        )
