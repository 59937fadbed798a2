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
    QuoteConsentSource,
)
from engage.conversations.quotes.services import quote_consents_record
from engage.core.errors import InvalidInput
from engage.core.ids import IdCheck
from engage.core.models import AuditAction
from engage.core.services import audit_record, audit_record_many
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
        except cleaning.FieldProblem as problem:
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
    check("occurred_on", lambda: cleaning.parse_date(occurred_on.isoformat()))
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
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary=f"Recorded a conversation by hand ({conversation.get_channel_display()}, {occurred_on}).",
        )
    return conversation


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
