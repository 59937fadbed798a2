"""Sending what publishing queued, run by the worker (tasks.py): each message is claimed
with a conditional update before it is sent, so two workers never send the same one; a
message found "sending" after a crash is not sent again, because it may have gone.
Consent is checked again at the moment of sending, so a withdrawal or a "stop these
emails" made after publishing is honoured; a failed send is tried again later, up to
MAX_ATTEMPTS. The weekly reminder of overdue feedback is sent here too, once a week
for each contact.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from engage.activities.models import Activity
from engage.core.jobs import tasks_can_wait
from engage.core.models import AuditAction
from engage.core.services import audit_record_many
from engage.decisions.feedback import emails, services
from engage.decisions.loop import overdue_feedback
from engage.decisions.models import (
    Decision,
    FeedbackMessage,
    FeedbackOptOut,
    MessageStatus,
    OverdueReminder,
)
from engage.partners.models import ConsentPurpose, Organisation, Person

log = logging.getLogger(__name__)

# Waits before each retry of a failed send: a mail server that is down for a minute or
# an afternoon is ridden out; after the last, the message is marked failed for staff.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@dataclass(frozen=True)
class SendReport:
    sent: int
    skipped: int
    retrying: int
    failed: int


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take a message for sending; False if another worker has it or it was sent."""
    return bool(
        FeedbackMessage.objects.filter(
            pk=message_id, status__in=(MessageStatus.QUEUED, MessageStatus.RETRYING)
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )


def _why_not(person: Person) -> str:
    """Why a queued person may no longer be told, or "" if they may."""
    if not person.email:
        return "No email address."
    if FeedbackOptOut.objects.filter(person=person).exists():
        return "Asked not to be sent these emails."
    if not person.consents.filter(purpose=ConsentPurpose.CONTACT, withdrawn_on__isnull=True).exists():
        return "Consent to contact was withdrawn."
    return ""


def feedback_send(*, decision_id: int, now: dt.datetime | None = None) -> SendReport:
    """Send the queued emails about one decision over one connection; a failure is kept
    with its reason and tried again later (RETRY_DELAYS), then given up on."""
    now = now or timezone.now()
    decision = Decision.objects.select_related("activity").filter(pk=decision_id).first()
    if decision is None or decision.activity is None or decision.published_at is None:
        return SendReport(0, 0, 0, 0)
    due = FeedbackMessage.objects.filter(
        decision=decision, status__in=(MessageStatus.QUEUED, MessageStatus.RETRYING)
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    counts: dict[str, int] = defaultdict(int)
    told: dict[Organisation, list[int]] = defaultdict(list)  # organisation: the people sent to
    connection = get_connection(fail_silently=False)
    try:
        for message in due.select_related("person__organisation").order_by("id"):
            if not _claim(message.pk, now):
                continue
            person = message.person
            why = _why_not(person)
            if why:
                FeedbackMessage.objects.filter(pk=message.pk).update(
                    status=MessageStatus.SKIPPED, last_error=why, updated_at=now
                )
                counts["skipped"] += 1
                continue
            try:
                connection.send_messages(
                    [emails.feedback_email(decision=decision, person=person, to=person.email)]
                )
            except Exception as error:
                counts[_failed(message, error, now)] += 1
                continue
            FeedbackMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.SENT, sent_to=person.email, sent_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
            told[person.organisation].append(person.pk)
    finally:
        connection.close()
    for organisation, person_ids in told.items():
        audit_record_many(
            actor=None,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="person",
            subject_ids=person_ids,
            summary=f"Emailed about published decision {decision.pk}, after an activity they took part in.",
        )
    _retry_later(decision.pk)
    return SendReport(counts["sent"], counts["skipped"], counts["retrying"], counts["failed"])


def _failed(message: FeedbackMessage, error: Exception, now: dt.datetime) -> str:
    attempts = message.attempts + 1  # the claim counted this attempt
    reason = f"{type(error).__name__}: {error}"[:300]
    log.warning("Feedback email %s failed (attempt %s): %s", message.pk, attempts, reason)
    if attempts >= MAX_ATTEMPTS:
        FeedbackMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, last_error=reason, next_attempt_at=None, updated_at=now
        )
        return "failed"
    FeedbackMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.RETRYING,
        last_error=reason,
        next_attempt_at=now + RETRY_DELAYS[attempts - 1],
        updated_at=now,
    )
    return "retrying"


def _retry_later(decision_id: int) -> None:
    """Start the task again for the earliest retry due, if any. Only a backend that can
    wait (the database one) is asked: one that runs tasks at once would find nothing
    due and ask again, for ever; there the next publish or `send-emails` picks it up."""
    if not tasks_can_wait():
        return
    first = (
        FeedbackMessage.objects.filter(decision_id=decision_id, status=MessageStatus.RETRYING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if first is not None:
        with transaction.atomic():
            services.feedback_send_after_commit(decision_id, run_after=first)


# --- The weekly reminder of overdue feedback ------------------------------------------


@dataclass(frozen=True)
class ReminderReport:
    sent: int
    already_sent: int
    without_contact: int
    failed: int


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def overdue_reminders_send(*, today: dt.date | None = None) -> ReminderReport:
    """Email each activity's contact (else its lead organisation's shared address) the
    list of their activities whose promised feedback is overdue; once a week each."""
    today = today or timezone.localdate()
    week = iso_week(today)
    by_recipient: dict[str, list[Activity]] = defaultdict(list)
    without_contact = 0
    for activity in overdue_feedback(today):
        to = (activity.contact.email if activity.contact else "") or activity.lead_organisation.contact_email
        if to:
            by_recipient[to.lower()].append(activity)
        else:
            without_contact += 1
    sent = already = failed = 0
    for to, activities in sorted(by_recipient.items()):
        try:
            # The record is the claim: a second run this week finds it and sends nothing.
            with transaction.atomic():
                reminder = OverdueReminder.objects.create(
                    recipient=to, week=week, activity_ids=[a.pk for a in activities]
                )
        except IntegrityError:
            already += 1
            continue
        try:
            emails.overdue_email(to=to, activities=activities).send()
        except Exception as error:
            log.warning("Overdue reminder to one contact failed: %s", error)
            reminder.delete()  # so the next run tries again
            failed += 1
            continue
        sent += 1
    return ReminderReport(sent=sent, already_sent=already, without_contact=without_contact, failed=failed)
