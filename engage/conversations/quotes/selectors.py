"""Reading quotes: those waiting for a member of staff, those decided, the consent history
of a conversation, and, for every other app, the quotes that may be shown outside the
organisation that heard them (approved, with consent standing): `published_quotes`
is the only way another app reads a quote."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Length

from engage.conversations.models import Conversation, Quote, QuoteConsent
from engage.conversations.quotes.services import HAND_MARKER, QUOTE_LENGTH, candidate_text
from engage.conversations.services import conversations_listed_record
from engage.core.pagination import page_of
from engage.core.types import Actor
from engage.partners.models import Organisation
from textkit.redact import MARKERS

_KINDS = {marker: kind.replace("_", " ") for kind, marker in MARKERS.items()} | {
    HAND_MARKER: "taken out by hand"
}
_MARKERS = re.compile("(" + "|".join(re.escape(marker) for marker in _KINDS) + ")")


@dataclass(frozen=True)
class Segment:
    """A piece of a quote: plain words, or a marker where a detail was taken out."""

    text: str
    kind: str = ""  # what was taken out, for a marker


def quote_segments(text: str) -> list[Segment]:
    """The text in pieces, each marker with the kind of detail it replaced, so a page can
    highlight every redaction and say what it was."""
    pieces = _MARKERS.split(text)
    return [Segment(piece, _KINDS.get(piece, "")) for piece in pieces if piece]


@dataclass(frozen=True)
class Candidate:
    conversation: Conversation
    text: str  # redacted by the redactor, before any person has looked
    segments: list[Segment]


def quotes_waiting(
    organisation: Organisation | None, *, activity_id: int | None = None
) -> QuerySet[Conversation]:
    """The organisation's conversations whose words wait for a decision: consent to
    quote stands, no one has approved or rejected them, and they are a quotable length."""
    waiting = (
        Conversation.objects.for_organisation(organisation)
        .filter(consent_to_quote=True, quote__isnull=True)
        .annotate(length=Length("text"))
        .filter(length__gte=QUOTE_LENGTH[0], length__lte=QUOTE_LENGTH[1])
    )
    if activity_id is not None:
        waiting = waiting.filter(activity_id=activity_id)
    return waiting.order_by("-occurred_on", "-pk")


def quote_candidates_page(
    *, actor: Actor, organisation: Organisation | None, activity_id: int | None, page: str | int | None
) -> tuple[Page[Conversation], list[Candidate]]:
    """One page of the words waiting for a decision, each redacted and in pieces;
    recorded as listed (what people said is personal data)."""
    shown = page_of(
        quotes_waiting(organisation, activity_id=activity_id).select_related("activity"), page, per_page=20
    )
    conversations = list(shown.object_list)
    conversations_listed_record(
        actor=actor, organisation=organisation, conversation_ids=[c.pk for c in conversations]
    )
    candidates = []
    for conversation in conversations:
        text = candidate_text(conversation.text)
        candidates.append(Candidate(conversation=conversation, text=text, segments=quote_segments(text)))
    return shown, candidates


def quotes_decided_page(
    *, organisation: Organisation | None, activity_id: int | None, page: str | int | None
) -> Page[Quote]:
    """The organisation's decisions about quotes, newest first. Only the approved text is
    shown (already checked by a person), so the page is not a list of what people said."""
    decided = Quote.objects.for_organisation(organisation).select_related("conversation", "decided_by")
    if activity_id is not None:
        decided = decided.filter(conversation__activity_id=activity_id)
    return page_of(decided.order_by("-decided_at", "-pk"), page, per_page=20)


def quote_consent_history(*, conversation: Conversation) -> list[QuoteConsent]:
    return list(QuoteConsent.objects.filter(conversation=conversation).select_related("recorded_by"))


def published_quotes(conversation_ids: Iterable[int] | QuerySet[Conversation]) -> dict[int, str]:
    """Conversation id -> the words approved for quoting, for those whose consent stands:
    what partners' pages and the public pages may show, and nothing else."""
    quotes = Quote.objects.published()
    if isinstance(conversation_ids, QuerySet):
        quotes = quotes.filter(conversation__in=conversation_ids.values("pk"))
    else:
        quotes = quotes.filter(conversation_id__in=list(conversation_ids))
    return dict(quotes.values_list("conversation_id", "text"))


def quotes_state(conversations: QuerySet[Conversation]) -> tuple[int, str]:
    """How many quotes these conversations have and when one last changed: a public page
    that shows them is cached under a key made with this (engage/decisions/public.py)."""
    found = Quote.objects.filter(conversation__in=conversations.values("pk")).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    return found["n"] or 0, str(found["changed"])


def quote_waiting_count(organisation: Organisation | None, *, activity_id: int | None = None) -> int:
    return quotes_waiting(organisation, activity_id=activity_id).count()


def quote_of(*, conversation: Conversation) -> Quote | None:
    """The decision about quoting this conversation, where one was made."""
    return Quote.objects.filter(conversation=conversation).select_related("decided_by").first()


def quotes_approved_count(*, activity_id: int) -> int:
    """How many of an activity's conversations, any partner's, may be quoted on its page."""
    return Quote.objects.published().filter(conversation__activity_id=activity_id).count()
