"""Recording decisions, amending them with their history kept, and linking the
conversations that informed them. Each service owns its transaction and audit record.

A decision is kept up to date only by the organisation that recorded it (anyone else
gets "not found", as for activities). Evidence is linked by the organisation that heard
the conversation, to any partner's decision: a council officer may show that what
Healthwatch's decision rests on was heard by the council too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.activities.models import Activity, PartnershipPriority
from engage.conversations.models import Conversation
from engage.core.errors import InvalidInput, NotFound
from engage.core.ids import IdCheck, checked_many, checked_one
from engage.core.models import AuditAction
from engage.core.numbers import parse_id
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.decisions.feedback.services import feedback_queue
from engage.decisions.links import links_add
from engage.decisions.models import (
    ActivityPublication,
    Decision,
    DecisionAmendment,
    DecisionEvidence,
    DecisionMaker,
    DecisionStatus,
    ProposalStatus,
    ThemeProposal,
)
from engage.decisions.wording import published_words_check
from engage.insight.models import Category
from engage.partners.models import Organisation


@dataclass(frozen=True)
class DecisionInput:
    """What a person says about a decision, as a form or the API gives it."""

    title: str
    summary: str
    decided_by: str
    decided_by_name: str
    decided_on: dt.date | None = None
    status: str = DecisionStatus.PROPOSED
    reason_not_taken: str = ""
    activity_id: int | None = None
    priority_ids: tuple[int, ...] = ()
    theme_ids: tuple[int, ...] = ()
    # Not a field of the decision: why it was amended, kept in its history.
    note: str = field(default="", compare=False)
    # The author checked that what the redactor found in the words the public will read
    # is not anyone's personal details (engage/decisions/wording.py).
    details_checked: bool = field(default=False, compare=False)


# The words of a decision the public reads, checked for personal details when they change.
_PUBLISHED_WORDS = ("title", "summary", "reason_not_taken")


def _words_check(data: DecisionInput, fields: Iterable[str]) -> None:
    texts = {name: getattr(data, name) for name in fields if name in _PUBLISHED_WORDS}
    published_words_check({**texts, "note": data.note}, checked=data.details_checked)


# The fields whose changes a decision's history shows.
_TRACKED = ("title", "summary", "decided_by", "decided_by_name", "decided_on", "status", "reason_not_taken")


def _problems(data: DecisionInput) -> dict[str, str]:
    """What is wrong with the decision's own fields, by field."""
    problems: dict[str, str] = {}
    if not data.title.strip():
        problems["title"] = "Say in a few words what was decided."
    elif len(data.title.strip()) > 200:
        problems["title"] = "The title must be 200 characters or fewer."
    if not data.summary.strip():
        problems["summary"] = "Say in plain English what was decided or done, and why."
    if data.decided_by not in DecisionMaker.values:
        problems["decided_by"] = "Choose who decided: a board, a committee or an organisation."
    if not data.decided_by_name.strip():
        problems["decided_by_name"] = "Name the board, committee or organisation that decided."
    if data.status not in DecisionStatus.values:
        problems["status"] = "Choose the decision's status."
    elif data.status == DecisionStatus.NOT_TAKEN and not data.reason_not_taken.strip():
        problems["reason_not_taken"] = "Say why it was not taken: people deserve to know."
    if data.decided_on is not None and data.decided_on > timezone.localdate() + dt.timedelta(days=366):
        problems["decided_on"] = "The date is more than a year away: check it."
    return problems


def validate(data: DecisionInput) -> dict[str, Any]:
    """Every problem, by field; the related records where there is none."""
    problems = _problems(data)
    # The register, the priorities and the framework of themes are shared by every
    # partner, so any of them may inform any partner's decision.
    ids = IdCheck()
    activity = ids.one(Activity.objects.all(), data.activity_id, field="activity_id", what="activity")
    priorities = ids.many(
        PartnershipPriority.objects.all(),
        data.priority_ids,
        field="priority_ids",
        what="partnership priority",
    )
    themes = ids.many(Category.objects.all(), data.theme_ids, field="theme_ids", what="theme")
    problems.update(ids.errors)
    if problems:
        raise InvalidInput(problems)
    return {"activity": activity, "priorities": priorities, "themes": themes}


def _apply(decision: Decision, data: DecisionInput, related: dict[str, Any]) -> None:
    decision.title = data.title.strip()
    decision.summary = data.summary.strip()
    decision.decided_by = data.decided_by
    decision.decided_by_name = data.decided_by_name.strip()
    decision.decided_on = data.decided_on
    decision.status = data.status
    decision.reason_not_taken = (
        data.reason_not_taken.strip() if data.status == DecisionStatus.NOT_TAKEN else ""
    )
    decision.activity = related["activity"]


def decision_record(*, actor: Actor, organisation: Organisation, data: DecisionInput) -> Decision:
    related = validate(data)
    _words_check(data, _PUBLISHED_WORDS)
    with transaction.atomic():
        decision = Decision(organisation=organisation, created_by=user_or_none(actor))
        _apply(decision, data, related)
        decision.save()
        decision.priorities.set(related["priorities"])
        decision.themes.set(related["themes"])
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="decision",
            subject_id=decision.pk,
            summary="Recorded a decision.",
        )
    return decision


def _decision(decision_id: object) -> Decision:
    """Any partner's decision (evidence may be linked to it): the subject of the request,
    so a 404 where there is none."""
    number = parse_id(decision_id, field="decision_id")
    if number is None:
        raise InvalidInput({"decision_id": "Choose the decision."})
    decision = Decision.objects.filter(pk=number).first()
    if decision is None:
        raise NotFound(f"There is no decision numbered {decision_id}.")
    return decision


def _recorded_by(organisation: Organisation | None, decision_id: int) -> Decision:
    decision = Decision.objects.select_for_update().filter(pk=decision_id, organisation=organisation).first()
    if decision is None:
        raise NotFound("Only the organisation that recorded a decision can change it, and yours did not.")
    return decision


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def decision_amend(
    *, actor: Actor, organisation: Organisation | None, decision_id: int, data: DecisionInput
) -> Decision:
    """Change a decision; what changed, from what to what, is kept in its history with
    the note saying why."""
    related = validate(data)
    with transaction.atomic():
        decision = _recorded_by(organisation, decision_id)
        before = {name: _shown(getattr(decision, name)) for name in _TRACKED}
        _apply(decision, data, related)
        after = {name: _shown(getattr(decision, name)) for name in _TRACKED}
        changes = {name: [before[name], after[name]] for name in _TRACKED if before[name] != after[name]}
        _words_check(data, changes)  # only what changed: the rest was checked when written
        decision.save()
        decision.priorities.set(related["priorities"])
        decision.themes.set(related["themes"])
        if changes or data.note.strip():
            DecisionAmendment.objects.create(
                decision=decision, changes=changes, note=data.note.strip(), changed_by=user_or_none(actor)
            )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="decision",
            subject_id=decision.pk,
            summary=f"Amended a decision: {', '.join(changes) or 'links only'}.",
        )
    return decision


def decision_input_of(decision: Decision) -> DecisionInput:
    """A decision as it stands, to amend one field of it with `dataclasses.replace`."""
    return DecisionInput(
        **{name: getattr(decision, name) for name in _TRACKED},
        activity_id=decision.activity_id,
        priority_ids=tuple(decision.priorities.values_list("pk", flat=True)),
        theme_ids=tuple(decision.themes.values_list("pk", flat=True)),
    )


def decision_evidence_add(
    *,
    actor: Actor,
    organisation: Organisation | None,
    decision_id: int | None,
    conversation_ids: Iterable[int],
) -> int:
    """Link the organisation's own conversations to a decision as its evidence; returns
    how many were new. Another organisation's conversation is "not found"."""
    wanted = list(conversation_ids)
    if not wanted:
        raise InvalidInput({"conversation_ids": "Choose at least one conversation."})
    with transaction.atomic():
        decision = _decision(decision_id)
        own = {
            c.pk
            for c in checked_many(
                Conversation.objects.for_organisation(organisation),
                wanted,
                field="conversation_ids",
                what="conversation in your organisation's bank",
            )
        }
        added = links_add(
            DecisionEvidence,
            owner={"decision": decision},
            field="conversation_id",
            ids=own,
            added_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="decision",
            subject_id=decision.pk,
            summary=f"Linked {added} conversation{'' if added == 1 else 's'} as evidence for a decision.",
        )
    return added


def decision_evidence_remove(
    *, actor: Actor, organisation: Organisation | None, decision_id: int, conversation_ids: Iterable[int]
) -> int:
    """Unlink some of the organisation's own conversations from a decision; each must be
    one of its own linked to this decision."""
    wanted = list(conversation_ids)
    if not wanted:
        raise InvalidInput({"conversation_ids": "Choose at least one conversation to unlink."})
    with transaction.atomic():
        decision = _decision(decision_id)
        linked = checked_many(
            Conversation.objects.for_organisation(organisation).filter(
                pk__in=DecisionEvidence.objects.filter(decision=decision).values("conversation_id")
            ),
            wanted,
            field="conversation_ids",
            what="conversation of yours linked to this decision",
        )
        removed, _ = (
            DecisionEvidence.objects.for_organisation(organisation)
            .filter(decision=decision, conversation__in=linked)
            .delete()
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="decision",
            subject_id=decision.pk,
            summary=f"Unlinked {removed} conversation{'' if removed == 1 else 's'} from a decision's evidence.",
        )
    return int(removed)


@dataclass(frozen=True)
class PublishResult:
    publication: ActivityPublication
    decisions: int  # newly published
    messages: int  # emails newly queued to the people who took part


def activity_publish(
    *,
    actor: Actor,
    organisation: Organisation | None,
    activity_id: int,
    easy_read: str = "",
    decision_ids: Iterable[int] = (),
    details_checked: bool = False,
) -> PublishResult:
    """Publish (or update) an activity's public page, and the chosen decisions on it,
    and queue the email telling the people who took part about each new decision.
    Only the activity's lead organisation may; publishing again changes only what
    changed, and a decision is published (and told) once: its first date is kept."""
    with transaction.atomic():
        activity = Activity.objects.filter(pk=activity_id, lead_organisation=organisation).first()
        if activity is None:
            raise NotFound(
                "Only the lead organisation can publish an activity's page, and yours does not lead this one."
            )
        if len(easy_read) > 5000:
            raise InvalidInput({"easy_read": "Keep the Easy Read summary to 5,000 characters or fewer."})
        published_words_check({"easy_read": easy_read}, checked=details_checked)
        publication, created = ActivityPublication.objects.get_or_create(
            activity=activity,
            defaults={
                "published_at": timezone.now(),
                "published_by": user_or_none(actor),
                "easy_read": easy_read.strip(),
            },
        )
        # Only this activity's own decisions can go on its page.
        wanted = checked_many(
            Decision.objects.filter(activity=activity),
            decision_ids,
            field="decision_ids",
            what="decision of this activity",
        )
        chosen = Decision.objects.filter(pk__in=[d.pk for d in wanted], published_at__isnull=True)
        newly = list(chosen.values_list("pk", flat=True))
        chosen.update(published_at=timezone.now(), updated_at=timezone.now())
        messages = feedback_queue(decision_ids=newly)
        if not created and (publication.easy_read != easy_read.strip() or newly):
            # Saved even for new decisions alone: its time stamp is part of the public
            # page's cache key (engage/decisions/public.py).
            publication.easy_read = easy_read.strip()
            publication.save(update_fields=["easy_read", "updated_at"])
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="activity",
            subject_id=activity.pk,
            summary=f"Published the activity's public page{f' and {len(newly)} decision(s)' if newly else ''}.",
        )
    return PublishResult(publication=publication, decisions=len(newly), messages=messages)


@dataclass(frozen=True)
class ThemeLinked:
    added: int  # the organisation's own conversations newly linked as evidence
    proposed: bool  # the decision is a partner's: the theme waits for its owner


def decision_theme_add(
    *,
    actor: Actor,
    organisation: Organisation | None,
    decision_id: int | None,
    category_id: int | None,
    conversation_ids: Iterable[int],
) -> ThemeLinked:
    """ "Use as evidence for…" from a themes page. The organisation's own conversations
    about the theme (of the set on the page) become the decision's evidence, as evidence
    may be linked to any partner's decision. The theme itself joins the decision at once
    only if the decision is the organisation's own; a partner's decision is changed by
    its owner alone, so there it is proposed, and joins when the owner accepts."""
    with transaction.atomic():
        decision = _decision(decision_id)
        category = checked_one(Category.objects.all(), category_id, field="theme", what="theme")
        ids = list(conversation_ids)
        added = (
            decision_evidence_add(
                actor=actor, organisation=organisation, decision_id=decision.pk, conversation_ids=ids
            )
            if ids
            else 0
        )
        proposed = decision.organisation_id != getattr(organisation, "pk", None)
        if not proposed:
            decision.themes.add(category)
            summary = f"Linked the theme {category.name!r} as evidence for a decision."
        elif organisation is None:
            raise NotFound("Act for an organisation to propose a theme.")
        else:
            if not decision.themes.filter(pk=category.pk).exists():
                ThemeProposal.objects.get_or_create(
                    decision=decision,
                    category=category,
                    organisation=organisation,
                    defaults={"proposed_by": user_or_none(actor)},
                )
            summary = f"Proposed the theme {category.name!r} as evidence for a partner's decision."
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="decision",
            subject_id=decision.pk,
            summary=summary,
        )
    return ThemeLinked(added=added, proposed=proposed)


def theme_proposal_decide(
    *, actor: Actor, organisation: Organisation | None, decision_id: int, proposal_id: int, accept: bool
) -> ThemeProposal:
    """The decision's owner accepts a partner's proposed theme (it joins the decision's
    themes) or declines it. Anyone else: not found."""
    with transaction.atomic():
        proposal = (
            ThemeProposal.objects.select_for_update()
            .select_related("decision", "category")
            .filter(
                pk=proposal_id,
                decision_id=decision_id,
                decision__organisation=organisation,
                status=ProposalStatus.PENDING,
            )
            .first()
        )
        if proposal is None:
            raise NotFound("There is no such proposal waiting for your organisation.")
        proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
        proposal.decided_by = user_or_none(actor)
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        if accept:
            proposal.decision.themes.add(proposal.category)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="decision",
            subject_id=proposal.decision_id,
            summary=f"{'Accepted' if accept else 'Declined'} a partner's proposed theme "
            f"{proposal.category.name!r}.",
        )
    return proposal
