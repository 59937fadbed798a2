"""Telling people what was done: who took part in an activity, the email each of them is
sent when a decision about it is published, and the weekly reminder of overdue feedback.

Sending is at most once. Publishing queues one `FeedbackMessage` per decision and
person (a unique constraint, so a second click or a retry queues nothing new); the
background task claims a message with a conditional update before it sends, so two
workers never send the same one; a message found "sending" after a crash is not sent
again, because it may have gone. Consent is checked again at the moment of sending, so a
withdrawal or a "stop these emails" made after publishing is honoured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from engage.activities.models import Activity
from engage.core.cell_key import weight_of
from engage.core.disclosure import DisclosureRule, Published, publish_count
from engage.core.errors import InvalidInput, NotFound
from engage.core.ids import IdCheck, checked_many
from engage.core.jobs import enqueue_after_commit
from engage.core.models import AuditAction
from engage.core.numbers import parse_id
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.decisions.links import links_add
from engage.decisions.models import (
    Decision,
    FeedbackMessage,
    FeedbackOptOut,
    MessageStatus,
    OptOutMethod,
    Participation,
)
from engage.partners.models import ConsentPurpose, Group, GroupMembership, Organisation, Person

# --- Who took part --------------------------------------------------------------------


def _activity(activity_id: object) -> Activity:
    number = parse_id(activity_id, field="activity_id")
    activity = Activity.objects.filter(pk=number).first() if number is not None else None
    if activity is None:
        raise NotFound(f"There is no activity numbered {activity_id}.")
    return activity


def participation_add(
    *,
    actor: Actor,
    organisation: Organisation | None,
    activity_id: int,
    person_ids: Iterable[int] = (),
    group_id: int | None = None,
) -> int:
    """Record people of the organisation's own (chosen, or every member of one of its
    groups) as having taken part in an activity, whoever leads it; returns how many were
    new. Someone else's person is "not found"."""
    ids = IdCheck()
    people = ids.many(
        Person.objects.for_organisation(organisation),
        person_ids,
        field="person_ids",
        what="person in your organisation's records",
    )
    group = ids.one(
        Group.objects.filter(organisation=organisation),
        group_id,
        field="group_id",
        what="group your organisation runs",
    )
    ids.raise_if_any()
    own = {person.pk for person in people}
    if group is not None:
        members = GroupMembership.objects.for_organisation(organisation).filter(group=group)
        if not members.exists():
            raise InvalidInput({"group_id": "That group has no members in your organisation's records."})
        own |= set(members.values_list("person_id", flat=True))
    if not own:
        raise InvalidInput({"person_ids": "Choose at least one person who took part."})
    with transaction.atomic():
        activity = _activity(activity_id)
        added = links_add(
            Participation,
            owner={"activity": activity},
            field="person_id",
            ids=own,
            added_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="activity",
            subject_id=activity.pk,
            summary=f"Recorded {added} {'person' if added == 1 else 'people'} as having taken part.",
        )
    return added


def participation_remove(
    *, actor: Actor, organisation: Organisation | None, activity_id: int, person_ids: Iterable[int]
) -> int:
    """Take some of the organisation's own people off those who took part; each must be
    one of its people recorded as taking part in this activity."""
    wanted = list(person_ids)
    if not wanted:
        raise InvalidInput({"person_ids": "Choose at least one person to remove."})
    with transaction.atomic():
        activity = _activity(activity_id)
        people = checked_many(
            Person.objects.for_organisation(organisation)
            .filter(participations__activity=activity)
            .distinct(),
            wanted,
            field="person_ids",
            what="person of yours who took part in this activity",
        )
        removed, _ = (
            Participation.objects.for_organisation(organisation)
            .filter(activity=activity, person__in=people)
            .delete()
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="activity",
            subject_id=activity.pk,
            summary=f"Removed {removed} {'person' if removed == 1 else 'people'} from those who took part.",
        )
    return int(removed)


# --- Who may be told ------------------------------------------------------------------


def _reachable(people: Any) -> Any:
    """Of these people, those who may be emailed now: consent to contact standing, an
    address, and no "stop these emails"."""
    return (
        people.filter(consents__purpose=ConsentPurpose.CONTACT, consents__withdrawn_on__isnull=True)
        .exclude(email="")
        .filter(feedback_opt_out__isnull=True)
    )


@dataclass(frozen=True)
class Reachable:
    """Who may be told about an activity's decisions now: the viewer organisation's own
    people, exactly, and partners' people, through disclosure control (counted apart, so
    adding its own people never moves the partners' figure)."""

    own: int
    partners: Published


def reachable_count(
    *, activity_id: int, rule: DisclosureRule, viewer_organisation: Organisation | None = None
) -> Reachable:
    took_part = _reachable(Person.objects.filter(participations__activity_id=activity_id))
    own = (
        took_part.filter(organisation=viewer_organisation)
        if viewer_organisation is not None
        else took_part.none()
    )
    others = Person.objects.filter(pk__in=took_part.exclude(pk__in=own.values("pk")).values("pk")).aggregate(
        n=Count("pk"), w=Sum(weight_of())
    )
    return Reachable(
        own=own.distinct().count(),
        partners=publish_count(others["n"] or 0, rule, weighted=others["w"] or 0),
    )


def feedback_queue(*, decision_ids: Iterable[int]) -> int:
    """Queue the email about each decision for everyone who took part in its activity and
    may be told. Runs inside the publishing transaction; the sending task is started once
    it commits. Returns how many messages were new."""
    queued = 0
    for decision in Decision.objects.filter(pk__in=set(decision_ids), activity__isnull=False):
        # A message already queued for this decision and person stays as it is; the
        # unique constraint (ignore_conflicts) settles a race with a second publish.
        people = (
            _reachable(Person.objects.filter(participations__activity=decision.activity))
            .exclude(feedback_messages__decision=decision)
            .distinct()
        )
        rows = [
            FeedbackMessage(decision=decision, person_id=pk) for pk in people.values_list("pk", flat=True)
        ]
        FeedbackMessage.objects.bulk_create(rows, ignore_conflicts=True)
        new = len(rows)
        queued += new
        if new:
            feedback_send_after_commit(decision.pk)
    return queued


def feedback_send_after_commit(decision_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Have the worker send the decision's queued messages once this transaction commits
    (at `run_after`, for a retry)."""
    enqueue_after_commit(
        "engage.decisions.feedback.tasks.feedback_send_task", run_after=run_after, decision_id=decision_id
    )


def feedback_retry(*, actor: Actor, organisation: Organisation | None, decision_id: int) -> int:
    """Try again, now, the organisation's messages about a decision that failed for good."""
    if not Decision.objects.filter(pk=decision_id).exists():
        raise NotFound(f"There is no decision numbered {decision_id}.")
    with transaction.atomic():
        again = (
            FeedbackMessage.objects.for_organisation(organisation)
            .filter(decision_id=decision_id, status=MessageStatus.FAILED)
            .update(status=MessageStatus.QUEUED, attempts=0, next_attempt_at=None, updated_at=timezone.now())
        )
        if again:
            feedback_send_after_commit(decision_id)
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.UPDATED,
                subject_type="decision",
                subject_id=decision_id,
                summary=f"Asked for {again} failed feedback email{'' if again == 1 else 's'} to be sent again.",
            )
    return int(again)


# --- Stopping -------------------------------------------------------------------------


def feedback_opt_out(*, person_id: int, method: str = OptOutMethod.EMAIL_LINK, actor: Actor = None) -> bool:
    """Stop "You said, we did" emails to a person; True if this stopped them, False if
    they had already been stopped. Messages still waiting are not sent."""
    person = Person.objects.select_related("organisation").filter(pk=person_id).first()
    if person is None:
        raise NotFound("That link is no longer valid.")
    with transaction.atomic():
        _, created = FeedbackOptOut.objects.get_or_create(person=person, defaults={"method": method})
        if created:
            audit_record(
                actor=actor,
                organisation=person.organisation,
                action=AuditAction.UPDATED,
                subject_type="person",
                subject_id=person.pk,
                summary=f'Stopped "You said, we did" emails ({OptOutMethod(method).label.lower()}).',
            )
    return created
