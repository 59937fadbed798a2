"""Telling people what was done: who took part, the email each is sent once when a
decision about their activity is published, retries, the one-click stop, and the weekly
reminder of overdue feedback."""

from __future__ import annotations

import datetime as dt
import smtplib
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.models import DBTaskResult

from engage.accounts.tests.factories import UserFactory
from engage.activities.tests.factories import ActivityFactory
from engage.core.errors import InvalidInput
from engage.core.models import AuditEvent
from engage.decisions import services
from engage.decisions.feedback import emails
from engage.decisions.feedback import runner as feedback_runner
from engage.decisions.feedback import services as feedback_services
from engage.decisions.feedback.tasks import next_reminder_at, overdue_reminders_schedule
from engage.decisions.models import (
    FeedbackMessage,
    FeedbackOptOut,
    MessageStatus,
    OverdueReminder,
    Participation,
)
from engage.decisions.tests.factories import DecisionFactory
from engage.partners.tests.factories import (
    ConsentFactory,
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthwatch():
    return OrganisationFactory(name="Healthwatch Castlebridge")


@pytest.fixture
def council():
    return OrganisationFactory(name="Castlebridge Council")


def _consenting(organisation, **fields):
    person = PersonFactory(organisation=organisation, **fields)
    ConsentFactory(person=person)
    return person


def _decision(activity, **fields):
    fields.setdefault("title", "Evening appointments at Harrowmere surgery")
    return DecisionFactory(activity=activity, **fields)


def _publish(activity, decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.activity_publish(
            actor=None,
            organisation=activity.lead_organisation,
            activity_id=activity.pk,
            decision_ids=[decision.pk],
        )


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# --- Who took part --------------------------------------------------------------------


def test_people_are_recorded_as_taking_part_once_and_only_the_organisations_own(healthwatch, council):
    activity = ActivityFactory(lead_organisation=council)
    ours = PersonFactory(organisation=healthwatch)
    theirs = PersonFactory(organisation=council)
    added = feedback_services.participation_add(
        actor=None, organisation=healthwatch, activity_id=activity.pk, person_ids=[ours.pk]
    )
    assert added == 1
    again = feedback_services.participation_add(
        actor=None, organisation=healthwatch, activity_id=activity.pk, person_ids=[ours.pk]
    )
    assert again == 0
    with pytest.raises(InvalidInput) as refused:
        feedback_services.participation_add(
            actor=None, organisation=healthwatch, activity_id=activity.pk, person_ids=[theirs.pk]
        )
    assert "person_ids" in refused.value.errors
    assert list(Participation.objects.for_organisation(council)) == []
    assert Participation.objects.for_organisation(healthwatch).get().person == ours


def test_a_group_that_took_part_adds_its_members(healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    group = GroupFactory(organisation=healthwatch)
    members = [
        GroupMembershipFactory(group=group, person=PersonFactory(organisation=healthwatch)) for _ in range(3)
    ]
    added = feedback_services.participation_add(
        actor=None, organisation=healthwatch, activity_id=activity.pk, group_id=group.pk
    )
    assert added == 3
    assert {p.person_id for p in Participation.objects.all()} == {m.person_id for m in members}


def test_another_organisations_group_is_refused_by_field(healthwatch, council):
    activity = ActivityFactory(lead_organisation=healthwatch)
    group = GroupFactory(organisation=council)
    GroupMembershipFactory(group=group, person=PersonFactory(organisation=council))
    with pytest.raises(InvalidInput) as refused:
        feedback_services.participation_add(
            actor=None, organisation=healthwatch, activity_id=activity.pk, group_id=group.pk
        )
    assert "group_id" in refused.value.errors
    assert not Participation.objects.exists()


def test_removing_a_participant_touches_only_the_organisations_own(healthwatch, council):
    activity = ActivityFactory(lead_organisation=healthwatch)
    ours, theirs = PersonFactory(organisation=healthwatch), PersonFactory(organisation=council)
    Participation.objects.create(activity=activity, person=ours)
    Participation.objects.create(activity=activity, person=theirs)
    with pytest.raises(InvalidInput) as refused:
        feedback_services.participation_remove(
            actor=None, organisation=healthwatch, activity_id=activity.pk, person_ids=[ours.pk, theirs.pk]
        )
    assert "person_ids" in refused.value.errors  # someone else's person: the whole request refused
    assert Participation.objects.count() == 2
    removed = feedback_services.participation_remove(
        actor=None, organisation=healthwatch, activity_id=activity.pk, person_ids=[ours.pk]
    )
    assert removed == 1
    assert list(Participation.objects.values_list("person_id", flat=True)) == [theirs.pk]


# --- Publishing tells people, once ----------------------------------------------------


def test_publishing_a_decision_emails_each_consenting_participant_once(
    healthwatch, council, immediate_tasks, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(lead_organisation=healthwatch, title="Your GP surgery: have your say")
    told = [_consenting(healthwatch), _consenting(council)]  # a partner's people are told too
    unconsented = PersonFactory(organisation=healthwatch)
    no_email = _consenting(healthwatch, email="")
    for person in [*told, unconsented, no_email]:
        Participation.objects.create(activity=activity, person=person)
    PersonFactory(organisation=healthwatch)  # consenting or not, took no part
    decision = _decision(activity)

    result = _publish(activity, decision, django_capture_on_commit_callbacks)

    assert result.messages == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in told)
    message = mail.outbox[0]
    assert message.subject == "What happened after you told us: Your GP surgery: have your say"
    assert f"http://127.0.0.1:8000/you-said-we-did/{activity.pk}/" in message.body
    assert "Evening appointments at Harrowmere surgery" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/you-said-we-did/stop-emails/" in message.extra_headers["List-Unsubscribe"]
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Evening appointments" in html
    sent = FeedbackMessage.objects.filter(status=MessageStatus.SENT)
    assert {m.sent_to for m in sent} == {p.email for p in told}
    assert all(m.sent_at is not None for m in sent)

    # A second click, a retry of the task: nothing is sent twice.
    again = _publish(activity, decision, django_capture_on_commit_callbacks)
    assert again.messages == 0
    feedback_runner.feedback_send(decision_id=decision.pk)
    assert len(mail.outbox) == 2
    assert FeedbackMessage.objects.count() == 2
    # Each sending is in the audit log of the organisation that holds the person.
    for person in told:
        assert AuditEvent.objects.filter(
            organisation=person.organisation, subject_type="person", subject_id=str(person.pk)
        ).exists()


def test_text_in_the_email_is_not_html_escaped_and_the_html_is(healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch, title="Care & support <for carers>")
    decision = _decision(activity, title="Respite & breaks")
    person = _consenting(healthwatch)
    message = emails.feedback_email(decision=decision, person=person, to=person.email)
    assert "Care & support <for carers>" in message.body
    assert "Respite & breaks" in message.body
    html = message.alternatives[0][0]
    assert "Care &amp; support &lt;for carers&gt;" in html
    assert "<for carers>" not in html


def test_consent_withdrawn_after_publishing_is_honoured_when_sending(healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    person = _consenting(healthwatch)
    Participation.objects.create(activity=activity, person=person)
    decision = _decision(activity, published_at=timezone.now())
    assert feedback_services.feedback_queue(decision_ids=[decision.pk]) == 1
    person.consents.update(withdrawn_on=timezone.localdate())

    report = feedback_runner.feedback_send(decision_id=decision.pk)

    assert report.sent == 0
    assert report.skipped == 1
    assert mail.outbox == []
    message = FeedbackMessage.objects.get()
    assert message.status == MessageStatus.SKIPPED
    assert message.last_error == "Consent to contact was withdrawn."


def test_an_unpublished_decision_sends_nothing(healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    Participation.objects.create(activity=activity, person=_consenting(healthwatch))
    decision = _decision(activity)
    FeedbackMessage.objects.create(decision=decision, person=Participation.objects.get().person)
    assert feedback_runner.feedback_send(decision_id=decision.pk).sent == 0
    assert mail.outbox == []


class FlakyBackend(LocmemBackend):
    """A mail service that refuses the first `failures` messages."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_failed_send_is_kept_and_retried_later_then_given_up(
    healthwatch, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    activity = ActivityFactory(lead_organisation=healthwatch)
    person = _consenting(healthwatch)
    Participation.objects.create(activity=activity, person=person)
    decision = _decision(activity, published_at=timezone.now())
    feedback_services.feedback_queue(decision_ids=[decision.pk])
    now = timezone.now()

    FlakyBackend.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        report = feedback_runner.feedback_send(decision_id=decision.pk, now=now)
    assert report.retrying == 1
    assert mail.outbox == []
    message = FeedbackMessage.objects.get()
    assert message.status == MessageStatus.RETRYING
    assert message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.next_attempt_at == now + feedback_runner.RETRY_DELAYS[0]
    # The task is started again for when the retry is due (the database backend keeps it).
    queued = DBTaskResult.objects.get(task_path="engage.decisions.feedback.tasks.feedback_send_task")
    assert queued.run_after == message.next_attempt_at

    # Not before it is due.
    assert feedback_runner.feedback_send(decision_id=decision.pk, now=now).sent == 0
    later = message.next_attempt_at
    report = feedback_runner.feedback_send(decision_id=decision.pk, now=later)
    assert report.sent == 1
    assert len(mail.outbox) == 1

    # A message that fails every time is given up on after MAX_ATTEMPTS, for staff to see.
    other = _consenting(healthwatch)
    Participation.objects.create(activity=activity, person=other)
    second = _decision(activity, title="A second decision", published_at=timezone.now())
    feedback_services.feedback_queue(decision_ids=[second.pk])
    FlakyBackend.failures = 100
    when = now
    for _ in range(feedback_runner.MAX_ATTEMPTS):
        feedback_runner.feedback_send(decision_id=second.pk, now=when)
        when += dt.timedelta(days=1)
    FlakyBackend.failures = 0
    assert set(FeedbackMessage.objects.filter(decision=second).values_list("status", flat=True)) == {
        MessageStatus.FAILED
    }
    # Staff can ask for their own people's failed messages to be tried again.
    again = feedback_services.feedback_retry(actor=None, organisation=healthwatch, decision_id=second.pk)
    assert again == 2
    assert feedback_runner.feedback_send(decision_id=second.pk, now=when).sent == 2


def test_with_tasks_run_at_once_a_failure_waits_for_the_next_send_rather_than_looping(
    healthwatch, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    activity = ActivityFactory(lead_organisation=healthwatch)
    Participation.objects.create(activity=activity, person=_consenting(healthwatch))
    decision = _decision(activity)
    FlakyBackend.failures = 1
    _publish(activity, decision, django_capture_on_commit_callbacks)
    message = FeedbackMessage.objects.get()
    assert message.status == MessageStatus.RETRYING
    assert message.attempts == 1
    report = feedback_runner.feedback_send(decision_id=decision.pk, now=message.next_attempt_at)
    assert report.sent == 1


def test_a_message_being_sent_is_not_taken_by_a_second_worker(healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    Participation.objects.create(activity=activity, person=_consenting(healthwatch))
    decision = _decision(activity, published_at=timezone.now())
    feedback_services.feedback_queue(decision_ids=[decision.pk])
    # A worker claimed it and stopped mid-send: it may have gone, so it is never resent.
    FeedbackMessage.objects.update(status=MessageStatus.SENDING, attempts=1)
    assert feedback_runner.feedback_send(decision_id=decision.pk).sent == 0
    assert mail.outbox == []


# --- Stopping the emails --------------------------------------------------------------


def test_the_stop_link_stops_emails_in_one_post_and_pending_ones_are_not_sent(client, healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    person = _consenting(healthwatch)
    Participation.objects.create(activity=activity, person=person)
    decision = _decision(activity, published_at=timezone.now())
    feedback_services.feedback_queue(decision_ids=[decision.pk])
    link = emails.stop_url(person.pk).removeprefix("http://127.0.0.1:8000")

    page = client.get(link)
    assert page.status_code == 200
    assert b"Stop these emails" in page.content
    assert not FeedbackOptOut.objects.exists()  # a link checker opening it changes nothing

    # A mail program's one-click unsubscribe: no form, no cookie, no CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert b"You will not get these emails" in done.content
    assert FeedbackOptOut.objects.get(person=person).method == "mail_client"
    assert client.post(link).status_code == 200  # a second click is fine, and changes nothing
    assert FeedbackOptOut.objects.count() == 1

    assert feedback_runner.feedback_send(decision_id=decision.pk).skipped == 1
    assert mail.outbox == []
    # Stopped people are not queued for later decisions either.
    later = _decision(activity, title="Later", published_at=timezone.now())
    assert feedback_services.feedback_queue(decision_ids=[later.pk]) == 0
    # The person's own organisation sees it in its audit log.
    assert AuditEvent.objects.filter(organisation=healthwatch, subject_id=str(person.pk)).exists()


@pytest.mark.parametrize("token", ["1", "1:forged-signature", "not-a-token", "x" * 300])
def test_an_altered_stop_link_stops_nothing(client, healthwatch, token):
    PersonFactory(organisation=healthwatch)
    assert client.get(f"/you-said-we-did/stop-emails/{token}/").status_code == 404
    response = client.post(f"/you-said-we-did/stop-emails/{token}/")
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert not FeedbackOptOut.objects.exists()


def test_a_stop_link_for_someone_since_erased_says_it_no_longer_works(client, healthwatch):
    person = PersonFactory(organisation=healthwatch)
    link = emails.stop_url(person.pk).removeprefix("http://127.0.0.1:8000")
    person.delete()
    assert client.post(link).status_code == 404


# --- The weekly reminder of overdue feedback ------------------------------------------


def test_overdue_feedback_is_sent_to_each_contact_once_a_week(healthwatch, council):
    today = dt.date(2026, 12, 7)
    contact = UserFactory(email="amara.okafor@healthwatch.example.org")
    overdue = [
        ActivityFactory(
            lead_organisation=healthwatch,
            contact=contact,
            title=title,
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 9, 30),
            feedback_promised_on=dt.date(2026, 11, 1),
        )
        for title in ("Carers' voices", "Pharmacy opening hours")
    ]
    council.contact_email = "engagement@council.example.org"
    council.save()
    ActivityFactory(  # no contact: its lead organisation's shared address
        lead_organisation=council,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
        feedback_promised_on=dt.date(2026, 11, 1),
    )
    ActivityFactory(  # feedback given: not overdue
        lead_organisation=healthwatch,
        contact=contact,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
        feedback_promised_on=dt.date(2026, 11, 1),
        feedback_given_on=dt.date(2026, 10, 20),
    )

    report = feedback_runner.overdue_reminders_send(today=today)

    assert report.sent == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"amara.okafor@healthwatch.example.org", "engagement@council.example.org"}
    mine = by_recipient["amara.okafor@healthwatch.example.org"]
    assert mine.subject == "Feedback overdue for 2 activities"
    assert all(a.title in mine.body for a in overdue)
    assert "1 November 2026" in mine.body

    # Again the same week (a second worker, a retry): nothing twice. Next week: again.
    assert feedback_runner.overdue_reminders_send(today=today + dt.timedelta(days=3)).already_sent == 2
    assert len(mail.outbox) == 2
    assert feedback_runner.overdue_reminders_send(today=today + dt.timedelta(days=7)).sent == 2
    assert OverdueReminder.objects.count() == 4


def test_a_reminder_that_fails_is_tried_again_on_the_next_run(healthwatch, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    contact = UserFactory(email="contact@example.org")
    ActivityFactory(
        lead_organisation=healthwatch,
        contact=contact,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
        feedback_promised_on=dt.date(2026, 11, 1),
    )
    FlakyBackend.failures = 1
    assert feedback_runner.overdue_reminders_send(today=dt.date(2026, 12, 7)).failed == 1
    assert not OverdueReminder.objects.exists()
    assert feedback_runner.overdue_reminders_send(today=dt.date(2026, 12, 7)).sent == 1


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-12-02 10:00", "2026-12-07 08:00"),  # a Wednesday: the next Monday
        ("2026-12-07 07:59", "2026-12-07 08:00"),  # a Monday before eight: that morning
        ("2026-12-07 08:00", "2026-12-14 08:00"),  # at eight: the week after
        ("2027-03-26 12:00", "2027-03-29 08:00"),  # over the clocks going forward: still 08:00 local
    ],
)
def test_the_weekly_reminder_runs_on_monday_mornings_local_time(now, expected):
    london = ZoneInfo("Europe/London")
    at = dt.datetime.fromisoformat(now).replace(tzinfo=london)
    assert next_reminder_at(at) == dt.datetime.fromisoformat(expected).replace(tzinfo=london)


def test_starting_a_worker_queues_the_weekly_reminder_once():
    assert overdue_reminders_schedule() is True
    assert overdue_reminders_schedule() is False
    task = DBTaskResult.objects.get(task_path="engage.decisions.feedback.tasks.overdue_reminders_task")
    assert task.run_after > timezone.now()


def test_engage_worker_queues_the_weekly_reminder_when_it_starts(monkeypatch):
    # The worker's own loop is django-tasks-db's (and closes the test's connection when
    # it stops): replaced here, so what is tested is what `engage worker` adds to it.
    started = []
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, *args, **options: started.append(1))
    call_command("worker", "--batch")
    call_command("worker", "--batch")
    assert started == [1, 1]
    waiting = DBTaskResult.objects.filter(task_path="engage.decisions.feedback.tasks.overdue_reminders_task")
    assert waiting.count() == 1
    assert waiting.get().status == "READY"
