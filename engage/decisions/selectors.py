"""Reading decisions and following the trail both ways: from a decision to the themes
and the number of people behind it, and from a theme, an activity or a priority to every
decision it informed.

Counts of people go through disclosure control. Only the organisation that heard a
conversation sees it among a decision's evidence (`DecisionEvidence.for_organisation`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from engage.activities.models import Activity
from engage.conversations.models import Conversation
from engage.conversations.quotes.selectors import published_quotes
from engage.core.cell_key import Tally, weight_of
from engage.core.disclosure import DisclosureRule, Published, publish_breakdown, publish_count
from engage.core.errors import NotFound
from engage.core.jinja import uk_date
from engage.core.pagination import Shortlist, no_shortlist, shortlist
from engage.decisions.loop import overdue_feedback
from engage.decisions.models import (
    ActivityPublication,
    Decision,
    DecisionEvidence,
    DecisionStatus,
    FeedbackMessage,
    FeedbackOptOut,
    MessageStatus,
    Participation,
    ProposalStatus,
    ThemeProposal,
)
from engage.insight.models import Category
from engage.partners.models import Consent, ConsentPurpose, Organisation, Person


def decision_list(
    *,
    activity_id: int | None = None,
    priority_id: int | None = None,
    theme_id: int | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("organisation", "activity")
    if activity_id is not None:
        decisions = decisions.filter(activity_id=activity_id)
    if priority_id is not None:
        decisions = decisions.filter(priorities=priority_id)
    if theme_id is not None:
        # A theme's decisions include those linked to its sub-categories.
        decisions = decisions.filter(Q(themes=theme_id) | Q(themes__parent=theme_id))
    if status:
        decisions = decisions.filter(status=status)
    for word in search.split():
        decisions = decisions.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return decisions.distinct()


def decision_get(*, decision_id: int) -> Decision:
    decision: Decision | None = (
        Decision.objects.select_related("organisation", "activity").filter(pk=decision_id).first()
    )
    if decision is None:
        raise NotFound(f"There is no decision numbered {decision_id}.")
    return decision


QUOTES_SHOWN = 5


def evidence_quotes(decisions: Any, limit: int = QUOTES_SHOWN) -> list[str]:
    """In people's own words: quotes of the evidence approved by the organisation that
    heard them, while consent to quote stands, for every partner to read (as on a themes
    page); the shortest readable first."""
    evidence = Conversation.objects.filter(evidence_for__decision__in=decisions)
    texts = published_quotes(evidence).values()
    readable = sorted({t for t in texts if 20 <= len(t) <= 400}, key=lambda t: (len(t), t))
    return readable[:limit]


@dataclass(frozen=True)
class DecisionTrail:
    """What informed a decision: the people heard (published), the themes, quotes of
    those who agreed to be quoted, and, for the organisation that heard them, its own
    conversations among the evidence.

    `people` counts the partners' evidence, leaving out the viewer's own organisation's,
    which is `own_people`, exact: so adding or removing its own evidence never moves the
    published figure, and cannot be used to step it across a rounding boundary and read
    a partner's count off it."""

    decision: Decision
    people: Published
    own_people: int | None
    themes: list[Category]
    own_evidence: list[Conversation]
    amendments: list[Any]
    quotes: list[str]


def _evidence_tally(evidence: QuerySet[DecisionEvidence]) -> Tally:
    """The distinct conversations behind some evidence, and their weights."""
    found = Conversation.objects.filter(pk__in=evidence.values("conversation_id")).aggregate(
        n=Count("pk"), w=Sum(weight_of())
    )
    return Tally(found["n"] or 0, found["w"] or 0)


def _people(
    evidence: QuerySet[DecisionEvidence], viewer: Any, rule: DisclosureRule
) -> tuple[Published, int | None]:
    """The partners' people, published, and the viewer organisation's own, exact."""
    if viewer is None:
        tally = _evidence_tally(evidence)
        return publish_count(tally.count, rule, weighted=tally.weighted), None
    others = _evidence_tally(evidence.exclude(conversation__organisation=viewer))
    own = evidence.filter(conversation__organisation=viewer).values("conversation_id").distinct().count()
    return publish_count(others.count, rule, weighted=others.weighted), own


def decision_trail(
    *,
    decision_id: int,
    organisation: Organisation | None,
    rule: DisclosureRule,
    viewer_organisation: Organisation | None = None,
) -> DecisionTrail:
    """`organisation`: whose conversations among the evidence are listed (the viewer's,
    where they may see conversations); `viewer_organisation`: whose are counted apart."""
    decision = decision_get(decision_id=decision_id)
    people, own_people = _people(
        DecisionEvidence.objects.filter(decision=decision), viewer_organisation, rule
    )
    own = [
        evidence.conversation
        for evidence in DecisionEvidence.objects.for_organisation(organisation)
        .filter(decision=decision)
        .select_related("conversation")
    ]
    return DecisionTrail(
        decision=decision,
        people=people,
        own_people=own_people,
        themes=list(decision.themes.select_related("parent").order_by("parent__name", "name")),
        own_evidence=own,
        amendments=list(decision.amendments.select_related("changed_by")),
        quotes=evidence_quotes([decision]),
    )


@dataclass(frozen=True)
class PriorityTrail:
    """From a partnership priority back to what people said, and what was done."""

    decisions: list[Decision]
    themes: list[Category]
    people: Published
    own_people: int | None
    quotes: list[str]


def priority_trail(
    *, priority_id: int, rule: DisclosureRule, viewer_organisation: Organisation | None = None
) -> PriorityTrail:
    decisions = list(decision_list(priority_id=priority_id))
    themes = list(
        Category.objects.filter(decisions__in=decisions).distinct().select_related("parent").order_by("name")
    )
    people, own_people = _people(
        DecisionEvidence.objects.filter(decision__in=decisions), viewer_organisation, rule
    )
    return PriorityTrail(
        decisions=decisions,
        themes=themes,
        people=people,
        own_people=own_people,
        quotes=evidence_quotes(decisions),
    )


def decision_of_organisation(*, decision_id: int, organisation: Organisation | None) -> Decision:
    """A decision the organisation recorded; "not found" for any other."""
    decision: Decision | None = Decision.objects.filter(pk=decision_id, organisation=organisation).first()
    if decision is None:
        raise NotFound("Only the organisation that recorded a decision can change it, and yours did not.")
    return decision


@dataclass(frozen=True)
class DecisionChoice:
    """A decision as a list to choose from shows it."""

    pk: int
    label: str


def decision_choices(limit: int = 200) -> list[DecisionChoice]:
    """Recent decisions, for "use as evidence for…". Partners record decisions with the
    same title (each year's "Longer opening hours"), so those are told apart in the label
    itself, where every person sees it, script or none: by status and date decided, then
    by the activity that informed it, and as a last resort by the decision's number."""
    decisions = list(Decision.objects.select_related("activity").order_by("-created_at")[:limit])
    same_title: dict[str, list[Decision]] = {}
    for decision in decisions:
        same_title.setdefault(" ".join(decision.title.split()).casefold(), []).append(decision)
    labels = {d.pk: d.title for group in same_title.values() if len(group) == 1 for d in group}
    for group in same_title.values():
        if len(group) > 1:
            labels |= _told_apart(group)
    return [DecisionChoice(pk=d.pk, label=labels[d.pk]) for d in decisions]


def _from_activity(decision: Decision) -> str:
    return f"from {decision.activity.title}" if decision.activity else "no activity"


def _by_number(decision: Decision) -> str:
    return f"number {decision.pk}"


def _told_apart(group: list[Decision]) -> dict[int, str]:
    details = {
        d.pk: [
            d.get_status_display().lower(),
            uk_date(d.decided_on) if d.decided_on else "no date given",
        ]
        for d in group
    }
    for more in (_from_activity, _by_number):
        # Only the labels still alike grow: the rest stay as short as they can be.
        alike = Counter(tuple(parts) for parts in details.values())
        for d in group:
            if alike[tuple(details[d.pk])] > 1:
                details[d.pk].append(more(d))
    return {d.pk: f"{d.title} — {', '.join(details[d.pk])}" for d in group}


def activity_led_by(*, activity_id: int, organisation: Organisation | None) -> Activity:
    """An activity the organisation leads; "not found" for any other."""
    activity = Activity.objects.filter(pk=activity_id, lead_organisation=organisation).first()
    if activity is None:
        raise NotFound(
            "Only the lead organisation can publish an activity's page, and yours does not lead this one."
        )
    return activity


def publication_of(activity: Any) -> ActivityPublication | None:
    return ActivityPublication.objects.filter(activity=activity).first()


# --- Telling people what was done --------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """One of the organisation's people who took part, and whether they can be told."""

    person: Person
    why_not: str  # "" when they can be told


def participant_list(*, organisation: Organisation | None, activity_id: int) -> list[Participant]:
    """The organisation's own people who took part in an activity (never a partner's)."""
    rows = (
        Participation.objects.for_organisation(organisation)
        .filter(activity_id=activity_id)
        .select_related("person")
        .annotate(
            consented=Exists(
                Consent.objects.filter(
                    person=OuterRef("person"), purpose=ConsentPurpose.CONTACT, withdrawn_on__isnull=True
                )
            ),
            stopped=Exists(FeedbackOptOut.objects.filter(person=OuterRef("person"))),
        )
    )
    result = []
    for row in rows:
        why = ""
        if not row.consented:
            why = "No consent to contact"
        elif not row.person.email:
            why = "No email address"
        elif row.stopped:
            why = "Asked not to be sent these emails"
        result.append(Participant(person=row.person, why_not=why))
    return result


def participant_candidates(
    *, organisation: Organisation | None, activity_id: int, search: str, limit: int = 25
) -> list[Person]:
    """The organisation's people matching a search, not yet recorded as taking part."""
    if not search.strip():
        return []
    return list(
        Person.objects.for_organisation(organisation)
        .search(search[:100])
        .exclude(participations__activity_id=activity_id)
        .order_by("family_name", "given_name", "id")[:limit]
    )


@dataclass(frozen=True)
class EmailCounts:
    """The emails about a decision by what became of them: partners' (the people other
    organisations hold), through disclosure control; and the viewer organisation's own,
    exact, since those are its own people. Counted apart, so a partner's figures never
    move when the viewer's own people are added or told."""

    partners: dict[str, Published]
    partners_total: Published
    own: dict[str, int] | None

    @property
    def own_total(self) -> int:
        return sum((self.own or {}).values())


def email_counts(
    *, decision_id: int, rule: DisclosureRule, viewer_organisation: Organisation | None = None
) -> EmailCounts:
    messages = FeedbackMessage.objects.filter(decision_id=decision_id).order_by()
    own: dict[str, int] | None = None
    if viewer_organisation is not None:
        counted = dict(
            messages.filter(person__organisation=viewer_organisation)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        own = {status: counted.get(status, 0) for status in MessageStatus.values}
        messages = messages.exclude(person__organisation=viewer_organisation)
    tallies = {
        status: Tally(n, w)
        for status, n, w in messages.values_list("status").annotate(
            n=Count("id"), w=Sum(weight_of("person__record_key"))
        )
    }
    statuses = list(MessageStatus.values)
    cells, total = publish_breakdown(
        [tallies.get(status, Tally()).count for status in statuses],
        rule,
        weighted=[tallies.get(status, Tally()).weighted for status in statuses],
    )
    return EmailCounts(partners=dict(zip(statuses, cells, strict=True)), partners_total=total, own=own)


def feedback_message_list(
    *, organisation: Organisation | None, decision_id: int
) -> QuerySet[FeedbackMessage]:
    """The emails about a decision to the organisation's own people."""
    return (
        FeedbackMessage.objects.for_organisation(organisation)
        .filter(decision_id=decision_id)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )


def decision_counts_by_theme() -> dict[int, int]:
    """How many decisions each theme informed (a category counts its sub-categories')."""
    counts: dict[int, set[int]] = {}
    for category_id, parent_id, decision_id in Decision.themes.through.objects.values_list(
        "category_id", "category__parent_id", "decision_id"
    ):
        counts.setdefault(category_id, set()).add(decision_id)
        if parent_id is not None:
            counts.setdefault(parent_id, set()).add(decision_id)
    return {category_id: len(ids) for category_id, ids in counts.items()}


def decisions_with_emails_due() -> list[int]:
    """Decisions with emails waiting or due for another try, for sending without a worker."""
    return list(
        FeedbackMessage.objects.filter(status__in=(MessageStatus.QUEUED, MessageStatus.RETRYING))
        .values_list("decision_id", flat=True)
        .distinct()
        .order_by("decision_id")
    )


def theme_proposal_list(*, decision_id: int) -> QuerySet[ThemeProposal]:
    """Themes partners have proposed for a decision and its owner has not yet answered.
    Seen by every partner, as the decision is; no personal data."""
    return (
        ThemeProposal.objects.filter(decision_id=decision_id, status=ProposalStatus.PENDING)
        .select_related("category", "organisation")
        .order_by("proposed_at", "id")
    )


# --- What waits for an organisation (its staff dashboard) ----------------------------


def overdue_feedback_list(
    *, organisation: Organisation | None, today: dt.date | None = None, limit: int = 6
) -> Shortlist[Activity]:
    """The activities the organisation leads whose promised feedback date has passed
    without feedback given (as the closing-the-loop page counts them), the most overdue
    first."""
    if organisation is None:
        return no_shortlist()
    return shortlist(overdue_feedback(today).filter(lead_organisation=organisation), limit)


@dataclass(frozen=True)
class FailedEmails:
    """How many of the organisation's own people an email about a decision failed to
    reach, after every try: its page offers to try again."""

    decision_id: int
    decision_title: str
    people: int


def failed_emails_by_decision(*, organisation: Organisation | None, limit: int = 6) -> list[FailedEmails]:
    """The decisions whose emails to the organisation's own people failed, with how many
    failed, the most first. Counts only, of its own people."""
    rows = (
        FeedbackMessage.objects.for_organisation(organisation)
        .filter(status=MessageStatus.FAILED)
        .values("decision_id", "decision__title")
        .annotate(people=Count("id"))
        .order_by("-people", "decision__title", "decision_id")
    )
    return [
        FailedEmails(
            decision_id=row["decision_id"], decision_title=row["decision__title"], people=row["people"]
        )
        for row in rows[:limit]
    ]


def _newest_decided_first(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    return decisions.select_related("activity", "organisation").order_by(
        F("decided_on").desc(nulls_last=True), "-id"
    )


def decision_list_to_publish(*, organisation: Organisation | None, limit: int = 6) -> Shortlist[Decision]:
    """Decisions taken (or not taken) about the activities the organisation leads that
    are not yet on the activity's public page: its staff may publish them, whichever
    partner recorded them."""
    if organisation is None:
        return no_shortlist()
    return shortlist(
        _newest_decided_first(
            Decision.objects.filter(
                activity__lead_organisation=organisation, published_at__isnull=True
            ).exclude(status=DecisionStatus.PROPOSED)
        ),
        limit,
    )


def decision_list_proposed(*, organisation: Organisation | None, limit: int = 6) -> Shortlist[Decision]:
    """The organisation's own decisions still only proposed and not published: drafts,
    to be agreed (or not) before they go on a public page."""
    if organisation is None:
        return no_shortlist()
    return shortlist(
        _newest_decided_first(
            Decision.objects.filter(
                organisation=organisation, status=DecisionStatus.PROPOSED, published_at__isnull=True
            )
        ),
        limit,
    )
