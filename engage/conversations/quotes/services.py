"""Consent to quote that follows the words, and quotes a person has approved.

A conversation's consent to be quoted is a grant (QuoteConsent) with its date, method and
source: the import, the public form, or staff. Withdrawing it, for one conversation or,
through the person's own consent, for all they said, deletes every approved quote of
theirs in the same transaction, so no page, export or API shows it again; the public
pages' cache keys change with it (engage/decisions/public.py).

Nothing is quoted outside the organisation that heard it until one of its staff has
approved the words: the redacted text (textkit.redact, the analysis's own redactor),
with more taken out by hand where they choose. Taking more out is all an edit may do:
every word of the approved text must be in the candidate, so an edit cannot put words
into anyone's mouth.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from engage.conversations.models import (
    Conversation,
    Quote,
    QuoteConsent,
    QuoteConsentSource,
    QuoteStatus,
)
from engage.conversations.selectors import conversation_of
from engage.conversations.signals import conversations_changed
from engage.core.bulk import rows_insert
from engage.core.errors import DomainError, InvalidInput, NotFound
from engage.core.models import AuditAction
from engage.core.services import audit_record, audit_record_many, user_or_none
from engage.core.types import Actor
from engage.partners.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Organisation,
    Person,
    WordsOnErasure,
)
from textkit.redact import MARKERS, redact_text

# A marker staff add by hand for a passage they take out themselves.
HAND_MARKER = "[removed]"
_MARKER = re.compile(r"\[[^\[\]]{1,40}\]")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
QUOTE_LENGTH = (20, 600)  # characters of a candidate: long enough to read, short enough to quote


def candidate_text(text: str) -> str:
    """What a quote of this text would say before any person has looked: the redactor's."""
    return redact_text(text)


def _checked_method(method: str, field: str) -> None:
    if method not in ConsentMethod.values:
        raise InvalidInput({field: f"Choose how: {', '.join(str(label) for label in ConsentMethod.labels)}."})


# ---------------------------------------------------------------------------------------
# Consent to quote.


def quote_consent_grant(
    *,
    actor: Actor,
    organisation: Organisation | None,
    conversation_id: object,
    given_on: dt.date,
    method: str,
    source: str = QuoteConsentSource.STAFF,
    source_detail: str = "",
) -> QuoteConsent:
    """Record that the person agreed to be quoted. Their words still wait for a member
    of staff to approve them before they appear anywhere."""
    _checked_method(method, "method")
    if given_on > timezone.localdate():
        raise InvalidInput({"given_on": "The date consent was given cannot be in the future."})
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        Conversation.objects.filter(pk=conversation.pk).select_for_update().first()
        if QuoteConsent.objects.filter(conversation=conversation).standing().exists():
            raise DomainError("Consent to quote this conversation is already recorded.")
        grant = QuoteConsent.objects.create(
            conversation=conversation,
            given_on=given_on,
            method=method,
            source=source,
            source_detail=source_detail[:200],
            recorded_by=user_or_none(actor),
        )
        Conversation.objects.filter(pk=conversation.pk).update(consent_to_quote=True)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CONSENT_GRANTED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary="Recorded consent to quote the conversation.",
        )
    return grant


def _withdraw(conversations: Any, withdrawn_on: dt.date, method: str) -> int:
    """Close the standing grants of these conversations and delete their quotes; how
    many conversations had consent standing."""
    grants = QuoteConsent.objects.filter(conversation__in=conversations).standing()
    # A grant given after the date the person withdrew (a person's withdrawal recorded
    # late) closes today: a grant never ends before it began.
    withdrawn = grants.filter(given_on__gt=withdrawn_on).update(
        withdrawn_on=timezone.localdate(), withdrawal_method=method
    )
    withdrawn += grants.update(withdrawn_on=withdrawn_on, withdrawal_method=method)
    Quote.objects.filter(conversation__in=conversations).delete()
    Conversation.objects.filter(pk__in=conversations.values("pk"), consent_to_quote=True).update(
        consent_to_quote=False
    )
    return withdrawn


def quote_consents_record(
    conversations: Iterable[Conversation], *, source: str, method: str = "", source_detail: str = ""
) -> int:
    """The grants of conversations just made with consent to quote (one by hand, or the
    demo's a batch at a time), dated the day each was heard; in the caller's transaction.
    Written as plain rows (engage/core/bulk.py): the demo makes tens of thousands."""
    now = timezone.now()
    today = timezone.localdate()
    return rows_insert(
        QuoteConsent,
        (
            "conversation_id",
            "given_on",
            "method",
            "source",
            "source_detail",
            "withdrawal_method",
            "recorded_at",
        ),
        (
            (
                conversation.pk,
                min(conversation.occurred_on, today),
                method,
                source,
                source_detail[:200],
                "",
                now,
            )
            for conversation in conversations
            if conversation.consent_to_quote
        ),
    )


@dataclass(frozen=True)
class ImportedFollowed:
    consents: int  # grants of consent to quote recorded
    linked: int  # conversations linked to one of the organisation's people


def imported_conversations_follow(*, job_id: int, organisation_id: int, file_name: str) -> ImportedFollowed:
    """After an import, inside its transaction: a grant for each conversation it added
    with consent to quote (one statement, not a row at a time), and a link to the person
    for each whose respondent reference is the email of exactly one of the
    organisation's people; where such a person has withdrawn consent to be quoted, the
    conversation's consent is withdrawn too."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(QuoteConsent._meta.db_table)} "  # noqa: S608 - names from the models
            "(conversation_id, given_on, method, source, source_detail, withdrawal_method, recorded_at) "
            f"SELECT id, occurred_on, '', %s, %s, '', %s FROM {quote(Conversation._meta.db_table)} "
            "WHERE import_job_id = %s AND consent_to_quote",
            [QuoteConsentSource.IMPORT, f"Import of {file_name}"[:200], timezone.now(), job_id],
        )
        consents = int(cursor.rowcount)
    emails: dict[str, int | None] = {}
    for pk, email in (
        Person.objects.filter(organisation_id=organisation_id).exclude(email="").values_list("pk", "email")
    ):
        key = email.casefold()
        emails[key] = None if key in emails else pk  # an email two people share links no one
    by_person: dict[int, list[int]] = {}
    if emails:
        referenced = Conversation.objects.filter(
            import_job_id=job_id, respondent_reference__contains="@"
        ).values_list("pk", "respondent_reference")
        for pk, reference in referenced.iterator(chunk_size=2000):
            person_id = emails.get(reference.strip().casefold())
            if person_id is not None:
                by_person.setdefault(person_id, []).append(pk)
    for person_id, conversation_ids in by_person.items():
        Conversation.objects.filter(pk__in=conversation_ids).update(person_id=person_id)
    for person in Person.objects.filter(pk__in=list(by_person)):
        _follow_person_withdrawal(by_person[person.pk], person)
    return ImportedFollowed(consents=consents, linked=sum(len(ids) for ids in by_person.values()))


def quote_consent_withdraw(
    *,
    actor: Actor,
    organisation: Organisation | None,
    conversation_id: object,
    withdrawn_on: dt.date,
    method: str,
    reason: str = "",
) -> int:
    """Withdraw consent to quote one conversation: it takes effect at once, everywhere.
    Its approved quote is deleted with it; returns 1 where consent stood, else 0."""
    _checked_method(method, "method")
    if withdrawn_on > timezone.localdate():
        raise InvalidInput({"withdrawn_on": "The date consent was withdrawn cannot be in the future."})
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        standing = QuoteConsent.objects.filter(conversation=conversation).standing().first()
        if standing is None and not conversation.consent_to_quote:
            raise DomainError("There is no consent to quote this conversation to withdraw.")
        if standing is not None and withdrawn_on < standing.given_on:
            raise InvalidInput({"withdrawn_on": "Consent cannot be withdrawn before the date it was given."})
        _withdraw(Conversation.objects.filter(pk=conversation.pk), withdrawn_on, method)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CONSENT_WITHDRAWN,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary="Recorded withdrawal of consent to quote the conversation; its quote is taken down.",
            reason=reason,
        )
    return 1


def person_quotes_withdraw(*, consent: Consent, actor: Actor, organisation: Organisation | None) -> int:
    """A person withdrew consent to be quoted: withdraw it for every conversation of
    theirs, in the caller's transaction. Listens to partners' `consent_withdrawn`."""
    if consent.purpose != ConsentPurpose.QUOTE:
        return 0
    conversations = Conversation.objects.filter(person_id=consent.person_id)
    withdrawn = _withdraw(
        conversations, consent.withdrawn_on or timezone.localdate(), consent.withdrawal_method
    )
    if withdrawn:
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CONSENT_WITHDRAWN,
            subject_type="person",
            subject_id=consent.person_id,
            summary=f"Withdrew consent to quote {withdrawn} conversation(s) of theirs; their quotes are taken down.",
        )
    return withdrawn


def on_person_erasing(
    sender: object,
    *,
    person: Person,
    actor: Actor,
    organisation: Any,
    words: str = WordsOnErasure.DELETE,
    **_: Any,
) -> None:
    """A person's record is being erased, in the erasure's transaction: what they said is
    deleted, or kept with every link to them removed (the person, the respondent
    reference, consent) and the text redacted; either way it is quoted nowhere."""
    theirs = Conversation.objects.filter(person=person)
    count = theirs.count()
    if not count:
        return
    if words == WordsOnErasure.DELETE:
        theirs.delete()
        summary = f"Deleted {count} conversation(s) of an erased person."
    else:
        _withdraw(theirs, timezone.localdate(), "")
        ids = list(theirs.values_list("pk", flat=True))
        for conversation in Conversation.objects.filter(pk__in=ids).only("pk", "text"):
            Conversation.objects.filter(pk=conversation.pk).update(
                text=redact_text(conversation.text),
                respondent_reference="",
                person=None,
                consent_to_contact=False,
            )
        conversations_changed.send(sender=Conversation, conversation_ids=ids)
        summary = (
            f"Kept {count} conversation(s) of an erased person, unlinked, with personal details taken out."
        )
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.UPDATED if words != WordsOnErasure.DELETE else AuditAction.DELETED,
        subject_type="person",
        subject_id=person.pk,
        summary=summary,
    )


def on_consent_withdrawn(
    sender: object, *, consent: Consent, actor: Actor, organisation: Any, **_: Any
) -> None:
    """The receiver connected in ConversationsConfig.ready."""
    person_quotes_withdraw(consent=consent, actor=actor, organisation=organisation)


# ---------------------------------------------------------------------------------------
# Who said it.


def conversation_person_link(
    *, actor: Actor, organisation: Organisation | None, conversation_id: object, email: str
) -> Person | None:
    """Link a conversation to the one person of the organisation with this email (an
    empty email unlinks it). Where that person has withdrawn consent to be quoted, the
    conversation's consent is withdrawn too: their choice follows their words."""
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        person: Person | None = None
        if email.strip():
            found = list(
                Person.objects.for_organisation(organisation).filter(email__iexact=email.strip())[:2]
            )
            if len(found) != 1:
                raise InvalidInput(
                    {
                        "email": "No one your organisation holds has that email address."
                        if not found
                        else "More than one person your organisation holds has that email address; "
                        "give them different ones first."
                    }
                )
            person = found[0]
        Conversation.objects.filter(pk=conversation.pk).update(person=person)
        if person is not None:
            _follow_person_withdrawal([conversation.pk], person)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary=f"Linked the conversation to person {person.pk}."
            if person
            else "Unlinked the conversation from a person.",
        )
    return person


def _follow_person_withdrawal(conversation_ids: list[int], person: Person) -> None:
    """Where the person's consent to be quoted was withdrawn and not given again, their
    newly linked conversations lose theirs too, from today."""
    consents = Consent.objects.filter(person=person, purpose=ConsentPurpose.QUOTE)
    withdrawal = consents.filter(withdrawn_on__isnull=False).order_by("-withdrawn_on").first()
    if withdrawal is not None and not consents.standing().exists():
        _withdraw(
            Conversation.objects.filter(pk__in=conversation_ids),
            timezone.localdate(),
            withdrawal.withdrawal_method,
        )


# ---------------------------------------------------------------------------------------
# Approving quotes.


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(_MARKER.sub(" ", text))]


def quote_text_check(candidate: str, text: str) -> str:
    """The approved text, checked: only markers may be added, and words only taken out.
    Returns it tidied; raises InvalidInput naming the first word that was not there."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput({"text": "The quote is empty. Reject it instead if none of it should be used."})
    known_markers = {*MARKERS.values(), HAND_MARKER}
    for marker in _MARKER.findall(text):
        if marker not in known_markers:
            raise InvalidInput(
                {"text": f"Use {HAND_MARKER} for a passage you take out; {marker} is not one of the markers."}
            )
    available: dict[str, int] = {}
    for word in _words(candidate):
        available[word] = available.get(word, 0) + 1
    for word in _words(text):
        if available.get(word, 0) == 0:
            raise InvalidInput(
                {
                    "text": f'"{word}" is not in what the person said. You can take words out, '
                    f"or put {HAND_MARKER} in their place, but not add or change them."
                }
            )
        available[word] -= 1
    return text


def quote_decide(
    *,
    actor: Actor,
    organisation: Organisation | None,
    conversation_id: object,
    approve: bool,
    text: str = "",
) -> Quote:
    """Approve the conversation's words for quoting (in `text`, the candidate with more
    taken out where staff chose; the candidate itself where empty), or reject them. Only
    the organisation that heard it may, and only while consent to quote stands."""
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        Conversation.objects.filter(pk=conversation.pk).select_for_update().first()
        conversation.refresh_from_db(fields=["consent_to_quote"])
        if not conversation.consent_to_quote:
            raise DomainError("This person has not agreed to be quoted, so their words cannot be approved.")
        candidate = candidate_text(conversation.text)
        approved = quote_text_check(candidate, text or candidate) if approve else ""
        quote, _ = Quote.objects.update_or_create(
            conversation=conversation,
            defaults={
                "status": QuoteStatus.APPROVED if approve else QuoteStatus.REJECTED,
                "text": approved,
                "decided_by": user_or_none(actor),
                "decided_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary="Approved a quote of the conversation."
            if approve
            else "Rejected quoting the conversation.",
        )
    return quote


def quotes_decide(*, actor: Actor, organisation: Organisation | None, approvals: Mapping[int, bool]) -> int:
    """Approve (True) or reject (False) the words of many conversations at once, each as
    `quote_decide` does with the candidate as it stands, and audited as one event for
    the approved and one for the rejected, each naming every conversation: the demo's
    few hundred decisions a conversation at a time cost it four queries each. All or
    nothing: an id that is not one of the organisation's conversations, or whose person
    has not agreed to be quoted, stops the lot. Answers how many were decided."""
    if not approvals:
        return 0
    with transaction.atomic():
        conversations = list(
            Conversation.objects.for_organisation(organisation)
            .filter(pk__in=list(approvals))
            .select_for_update()
            .only("pk", "text", "consent_to_quote")
        )
        if len(conversations) != len(approvals):
            raise NotFound("There is no conversation with that number in your organisation's bank.")
        if any(not conversation.consent_to_quote for conversation in conversations):
            raise DomainError("This person has not agreed to be quoted, so their words cannot be approved.")
        decided_by, decided_at = user_or_none(actor), timezone.now()
        quotes = []
        for conversation in conversations:
            approve = approvals[conversation.pk]
            candidate = candidate_text(conversation.text)
            quotes.append(
                Quote(
                    conversation=conversation,
                    status=QuoteStatus.APPROVED if approve else QuoteStatus.REJECTED,
                    text=quote_text_check(candidate, candidate) if approve else "",
                    decided_by=decided_by,
                    decided_at=decided_at,
                )
            )
        Quote.objects.filter(conversation__in=conversations).delete()
        Quote.objects.bulk_create(quotes)
        for approve, summary in ((True, "Approved quotes"), (False, "Rejected quoting")):
            audit_record_many(
                actor=actor,
                organisation=organisation,
                action=AuditAction.UPDATED,
                subject_type="conversation",
                subject_ids=sorted(pk for pk, approved in approvals.items() if approved is approve),
                summary=summary,
            )
    return len(quotes)


def quote_decision_undo(*, actor: Actor, organisation: Organisation | None, conversation_id: object) -> None:
    """Take an approval (or a rejection) back: the words wait for a decision again and
    are quoted nowhere meanwhile."""
    with transaction.atomic():
        conversation = conversation_of(organisation=organisation, conversation_id=conversation_id)
        deleted, _ = Quote.objects.filter(conversation=conversation).delete()
        if not deleted:
            raise DomainError("No decision about quoting this conversation has been made.")
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="conversation",
            subject_id=conversation.pk,
            summary="Took back the decision about quoting the conversation.",
        )
