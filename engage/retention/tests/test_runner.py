"""A run deletes each kind's records past their time, and nothing else: on the day's
boundary, with what hangs on a conversation, keeping evidence for open decisions, in
chunks each committed on its own, files from the disk too, reported and audited once a
kind. What the dry run counts is what the run then deletes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import (
    Channel,
    Conversation,
    ImportRejection,
    ImportStatus,
    Quote,
    QuoteConsent,
    QuoteStatus,
)
from engage.conversations.tests.factories import ConversationFactory, ImportJobFactory
from engage.core.errors import Conflict
from engage.core.models import AuditAction, AuditEvent, JobStatus, RateLimitHit
from engage.decisions.models import DecisionEvidence, DecisionStatus
from engage.decisions.tests.factories import DecisionFactory
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category, ConversationInsight, ModelLabel, ModelVersion, PersonLabel, Review
from engage.partners.tests.factories import OrganisationFactory, PersonFactory
from engage.retention import runner, selectors, services
from engage.retention.models import (
    PeriodUnit,
    ResultStatus,
    RetentionKind,
    RetentionResult,
    RetentionRun,
    RunTrigger,
)
from engage.retention.tests.factories import (
    RetentionRuleFactory,
    audit_event_at,
    file_changed_at,
    session_ended_at,
    sign_in_try_at,
    subject_access_gathered_at,
    subject_access_left_behind_at,
    task_result_finished_at,
    upload_name,
)
from engage.subject_access.models import RequestStatus, zip_name, zips_folder

pytestmark = pytest.mark.django_db

RUN_ON = dt.date(2026, 12, 7)
# The defaults' cut-offs for a run on RUN_ON (config/settings.py).
CONVERSATIONS_CUTOFF = dt.date(2020, 12, 7)  # 72 months
LONG_AGO = dt.date(2000, 1, 3)


def moment(day: dt.date) -> dt.datetime:
    return selectors.cutoff_moment(day)


def run_rules(on_progress: Any = None, run_on: dt.date = RUN_ON) -> RetentionRun:
    run = services.retention_run_create(actor=None, trigger=RunTrigger.COMMAND, run_on=run_on)
    return runner.retention_run_execute(run_id=run.pk, on_progress=on_progress)


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> tuple[Path, Path]:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"
    return settings.ENGAGE_IMPORT_DIR, settings.EMAIL_FILE_PATH


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Castlebridge Healthwatch")


def conversation(organisation: Any, heard: dt.date, **fields: Any) -> Conversation:
    return ConversationFactory(organisation=organisation, occurred_on=heard, **fields)


def web_form(organisation: Any, heard: dt.date, **fields: Any) -> Conversation:
    """A comment as the public feedback form leaves it."""
    return ConversationFactory(
        organisation=organisation,
        occurred_on=heard,
        channel=Channel.WEB_FORM,
        consent_to_quote=False,
        **fields,
    )


# --- Boundaries -------------------------------------------------------------------------


def test_a_conversation_heard_the_day_before_the_cutoff_goes_and_one_heard_on_it_stays(organisation, folders):
    gone = conversation(organisation, CONVERSATIONS_CUTOFF - dt.timedelta(days=1))
    kept = conversation(organisation, CONVERSATIONS_CUTOFF)
    run = run_rules()
    assert not Conversation.objects.filter(pk=gone.pk).exists()
    assert Conversation.objects.filter(pk=kept.pk).exists()
    result = run.results.get(kind=RetentionKind.CONVERSATIONS)
    assert (result.cutoff, result.period, result.deleted) == (CONVERSATIONS_CUTOFF, "72 months", 1)


def test_records_with_a_time_are_cut_at_the_start_of_the_cutoff_day_in_london(organisation, folders):
    audit_cutoff = moment(CONVERSATIONS_CUTOFF)  # audit events: 72 months too
    second = dt.timedelta(seconds=1)
    old_event = audit_event_at(audit_cutoff - second)
    kept_event = audit_event_at(audit_cutoff)
    sessions_cutoff = moment(RUN_ON - dt.timedelta(days=1))
    old_session = session_ended_at(sessions_cutoff - second)
    kept_session = session_ended_at(sessions_cutoff)
    imports, _ = folders
    files_cutoff = moment(RUN_ON - dt.timedelta(days=7))
    old_file = file_changed_at(imports / upload_name(), files_cutoff - second)
    kept_file = file_changed_at(imports / upload_name(), files_cutoff + second)
    run_rules()
    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert AuditEvent.objects.filter(pk=kept_event.pk).exists()
    assert not Session.objects.filter(pk=old_session.pk).exists()
    assert Session.objects.filter(pk=kept_session.pk).exists()
    assert not old_file.exists()
    assert kept_file.exists()
    # London midnight in winter is midnight UTC; in summer it is 23:00 the day before.
    assert moment(dt.date(2026, 12, 7)).isoformat() == "2026-12-07T00:00:00+00:00"
    assert moment(dt.date(2026, 7, 7)).isoformat() == "2026-07-07T00:00:00+01:00"


# --- Each kind, and only it -------------------------------------------------------------


def _every_kind(organisation: Any, folders: tuple[Path, Path], when: dt.date) -> dict[str, list[Any]]:
    """One record (two for sign-ins) of each kind, dated `when`."""
    imports, mail = folders
    at = moment(when) + dt.timedelta(hours=12)
    job = ImportJobFactory(organisation=organisation, status=ImportStatus.SUCCEEDED, finished_at=at)
    _, gathered = subject_access_gathered_at(organisation, at)
    return {
        "conversation": [conversation(organisation, when)],
        "web_form": [web_form(organisation, when)],
        "upload": [file_changed_at(imports / "pending" / upload_name(".xlsx"), at)],
        "rejection": [ImportRejection.objects.create(job=job, line=3, column="Comment", reason="Too long.")],
        "audit": [audit_event_at(at)],
        "sign_in": [audit_event_at(at, AuditAction.SIGNED_IN), sign_in_try_at(at)],
        "session": [session_ended_at(at)],
        "task": [task_result_finished_at(at)],
        "email": [file_changed_at(mail / f"{when:%Y%m%d}-120000-1402.log", at)],
        "subject_access": [
            gathered,
            subject_access_left_behind_at(at, request_id=900_000 + when.toordinal()),
        ],
    }


def _exists(record: Any) -> bool:
    if isinstance(record, Path):
        return record.exists()
    return type(record).objects.filter(pk=record.pk).exists()


WHAT_EACH_KIND_DELETES = {
    # Every conversation is one: the web-form comment too, once past the conversations' time.
    RetentionKind.CONVERSATIONS: {"conversation", "web_form"},
    RetentionKind.FEEDBACK_FORMS: {"web_form"},
    RetentionKind.IMPORT_FILES: {"upload"},
    RetentionKind.IMPORT_REJECTIONS: {"rejection"},
    RetentionKind.AUDIT_EVENTS: {"audit"},
    RetentionKind.SIGN_IN_RECORDS: {"sign_in"},
    RetentionKind.SESSIONS: {"session"},
    RetentionKind.TASK_RESULTS: {"task"},
    RetentionKind.EMAIL_FILES: {"email"},
    RetentionKind.SUBJECT_ACCESS_FILES: {"subject_access"},
}


@pytest.mark.parametrize("kind", RetentionKind.values)
def test_each_kind_deletes_its_own_old_records_and_nothing_else(organisation, folders, kind):
    """Every other kind is kept for a hundred years, so only `kind`'s rule (its
    default) can delete anything: its old records go, every other record stays."""
    for other in RetentionKind.values:
        if other != kind:
            RetentionRuleFactory(kind=other, amount=1200, unit=PeriodUnit.MONTHS)
    old = _every_kind(organisation, folders, LONG_AGO)
    young = _every_kind(organisation, folders, RUN_ON)
    run = run_rules()
    assert run.status == JobStatus.SUCCEEDED, run.error
    for name, records in old.items():
        for record in records:
            assert _exists(record) == (name not in WHAT_EACH_KIND_DELETES[kind]), f"{kind}: {name}"
    for name, records in young.items():
        assert all(_exists(record) for record in records), f"{kind}: the young {name}"
    deleted = {result.kind: result.deleted for result in run.results.all()}
    expected_count = sum(len(old[name]) for name in WHAT_EACH_KIND_DELETES[kind])
    assert deleted == {other: (expected_count if other == kind else 0) for other in RetentionKind.values}


# --- Conversations: what goes with them, and evidence ----------------------------------


def test_a_conversations_insight_labels_quote_and_consents_go_with_it(organisation, folders):
    framework = framework_built_in()
    category = Category.objects.filter(framework=framework, parent__isnull=False).first()
    version = ModelVersion.objects.create(number=1, framework=framework, blob=b"")
    person = PersonFactory(organisation=organisation)
    old = conversation(organisation, LONG_AGO, person=person)
    ConversationInsight.objects.create(
        conversation=old,
        redacted_text="Kind staff",
        sentiment="positive",
        text_hash="0" * 64,
        analysed_at=timezone.now(),
    )
    ModelLabel.objects.create(conversation=old, category=category, score=0.9, model_version=version)
    PersonLabel.objects.create(conversation=old, category=category)
    Review.objects.create(conversation=old, sentiment="positive")
    QuoteConsent.objects.create(conversation=old, given_on=LONG_AGO, source="staff", method="verbal")
    Quote.objects.create(
        conversation=old, status=QuoteStatus.APPROVED, text="Kind staff", decided_at=timezone.now()
    )
    done = DecisionFactory(organisation=organisation, status=DecisionStatus.DONE)
    DecisionEvidence.objects.create(decision=done, conversation=old)
    kept = conversation(organisation, RUN_ON)
    ConversationInsight.objects.create(
        conversation=kept,
        redacted_text="Long wait",
        sentiment="negative",
        text_hash="1" * 64,
        analysed_at=timezone.now(),
    )

    run_rules()

    assert list(Conversation.objects.all()) == [kept]
    for model in (ModelLabel, PersonLabel, Review, QuoteConsent, Quote, DecisionEvidence):
        assert not model.objects.exists(), model.__name__
    assert list(ConversationInsight.objects.values_list("conversation_id", flat=True)) == [kept.pk]
    # What the conversation hung on stays: the person, the decision, the model.
    person.refresh_from_db()
    done.refresh_from_db()
    assert ModelVersion.objects.filter(pk=version.pk).exists()


def test_evidence_for_an_open_decision_is_kept_until_the_decision_is_closed(organisation, folders):
    old = conversation(organisation, LONG_AGO)
    decision = DecisionFactory(organisation=organisation, status=DecisionStatus.IN_PROGRESS)
    DecisionEvidence.objects.create(decision=decision, conversation=old)
    forecast = {f.rule.kind: f for f in selectors.retention_forecast(run_on=RUN_ON)}
    assert forecast[RetentionKind.CONVERSATIONS].kept_as_evidence == 1
    assert forecast[RetentionKind.CONVERSATIONS].sentence == (
        "None will be deleted: the 1 conversation heard before 7 December 2020 is kept, "
        "because it is evidence for a decision still open."
    )
    gone = conversation(organisation, LONG_AGO)
    forecast = {f.rule.kind: f for f in selectors.retention_forecast(run_on=RUN_ON)}
    assert forecast[RetentionKind.CONVERSATIONS].sentence == (
        "1 conversation heard before 7 December 2020 will be deleted on 7 December 2026. "
        "1 more is past its time but kept, because it is evidence for a decision still open."
    )

    first = run_rules()
    assert Conversation.objects.filter(pk=old.pk).exists()
    assert not Conversation.objects.filter(pk=gone.pk).exists()
    result = first.results.get(kind=RetentionKind.CONVERSATIONS)
    assert (result.deleted, result.kept_as_evidence) == (1, 1)

    decision.status = DecisionStatus.NOT_TAKEN
    decision.reason_not_taken = "No money this year."
    decision.save()
    second = run_rules()
    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert second.results.get(kind=RetentionKind.CONVERSATIONS).deleted == 1
    assert Conversation.objects.count() == 0
    decision.refresh_from_db()  # the decision itself stays, with its history


def test_an_unanswered_feedback_form_comment_goes_after_its_own_shorter_time(organisation, folders):
    thirteen_months_ago = dt.date(2025, 11, 1)
    unanswered = web_form(organisation, thirteen_months_ago)
    used = web_form(organisation, thirteen_months_ago)
    DecisionEvidence.objects.create(decision=DecisionFactory(status=DecisionStatus.DONE), conversation=used)
    imported = web_form(
        organisation, thirteen_months_ago, import_job=ImportJobFactory(organisation=organisation)
    )
    of_an_activity = web_form(
        organisation, thirteen_months_ago, activity=ActivityFactory(lead_organisation=organisation)
    )
    survey = conversation(organisation, thirteen_months_ago)
    recent = web_form(organisation, dt.date(2026, 1, 1))
    run = run_rules()
    assert not Conversation.objects.filter(pk=unanswered.pk).exists()
    assert set(Conversation.objects.values_list("pk", flat=True)) == {
        used.pk,
        imported.pk,
        of_an_activity.pk,
        survey.pk,
        recent.pk,
    }
    assert run.results.get(kind=RetentionKind.FEEDBACK_FORMS).deleted == 1


# --- Files --------------------------------------------------------------------------------


def test_only_files_the_upload_store_named_and_no_job_is_using_are_removed(organisation, folders):
    imports, _ = folders
    old = moment(LONG_AGO)
    left_over = file_changed_at(imports / upload_name(), old)
    its_note = file_changed_at(imports / left_over.with_suffix(".progress").name, old)
    pending = file_changed_at(imports / "pending" / upload_name(".upload"), old)
    reference = file_changed_at(imports / "reference" / upload_name(".geojson"), old)
    waiting = file_changed_at(imports / upload_name(), old)
    ImportJobFactory(organisation=organisation, stored_path=str(waiting), status=ImportStatus.QUEUED)
    waiting_note = file_changed_at(waiting.with_suffix(".progress"), old)
    someone_elses = file_changed_at(imports / "notes.txt", old)
    outside = file_changed_at(imports.parent / "elsewhere" / upload_name(), old)
    link = imports / upload_name()
    link.symlink_to(outside)

    assert selectors.expired_files(RetentionKind.IMPORT_FILES, selectors.cutoffs_on(RUN_ON)) == sorted(
        [left_over, its_note, pending, reference]
    )
    run = run_rules()

    for gone in (left_over, its_note, pending, reference):
        assert not gone.exists()
    for kept in (waiting, waiting_note, someone_elses, outside, link):
        assert kept.exists() or kept.is_symlink()
    assert run.results.get(kind=RetentionKind.IMPORT_FILES).deleted == 4


def test_sent_email_files_are_removed_and_nothing_else_in_their_folder(folders):
    _, mail = folders
    old = moment(LONG_AGO)
    sent = file_changed_at(mail / "20000103-120000-140234.log", old)
    other = file_changed_at(mail / "README.txt", old)
    below = file_changed_at(mail / "kept" / "20000103-120000-1.log", old)
    new = file_changed_at(mail / "20261206-120000-140234.log", moment(RUN_ON))
    run_rules()
    assert not sent.exists()
    assert all(path.exists() for path in (other, below, new))


def test_no_folder_for_files_is_no_problem(settings, tmp_path):
    settings.ENGAGE_IMPORT_DIR = tmp_path / "never-made"
    settings.EMAIL_FILE_PATH = None
    run = run_rules()
    assert run.status == JobStatus.SUCCEEDED


# --- Subject access downloads -------------------------------------------------------------

SUBJECT_ACCESS_CUTOFF = dt.date(2026, 11, 7)  # 30 days


def test_a_subject_access_zip_goes_after_its_time_and_the_request_stays_saying_when(organisation, folders):
    second = dt.timedelta(seconds=1)
    old, old_zip = subject_access_gathered_at(organisation, moment(SUBJECT_ACCESS_CUTOFF) - second)
    young, young_zip = subject_access_gathered_at(organisation, moment(SUBJECT_ACCESS_CUTOFF))
    forecast = {f.rule.kind: f for f in selectors.retention_forecast(run_on=RUN_ON)}
    assert forecast[RetentionKind.SUBJECT_ACCESS_FILES].sentence == (
        "1 subject access download gathered before 7 November 2026 will be deleted on 7 December 2026."
    )

    asked = (old.person_id, old.organisation_id, old.created_at)

    run = run_rules()

    assert not old_zip.exists()
    assert young_zip.exists()
    old.refresh_from_db()
    young.refresh_from_db()
    # The request, who asked and when, stays; it says its download went, and when.
    assert (old.person_id, old.organisation_id, old.created_at) == asked
    assert (old.status, old.file_path) == (RequestStatus.SUCCEEDED, "")
    assert old.file_deleted_at is not None
    assert old.state_label == "Download deleted"
    assert (young.file_path, young.file_deleted_at) == (str(young_zip), None)
    result = run.results.get(kind=RetentionKind.SUBJECT_ACCESS_FILES)
    assert (result.period, result.cutoff, result.expected, result.deleted) == (
        "30 days",
        SUBJECT_ACCESS_CUTOFF,
        1,
        1,
    )
    assert AuditEvent.objects.filter(
        subject_type="retention_run",
        subject_id=str(run.pk),
        summary="Deleted 1 subject access download gathered before 7 November 2026 (kept for 30 days).",
    ).exists()
    # A second run finds nothing more to do.
    again = run_rules()
    assert again.results.get(kind=RetentionKind.SUBJECT_ACCESS_FILES).deleted == 0


def test_a_subject_access_request_waiting_or_gathering_is_never_touched(organisation, folders):
    long_ago = moment(LONG_AGO)
    running, running_zip = subject_access_gathered_at(organisation, long_ago, status=RequestStatus.RUNNING)
    queued, queued_zip = subject_access_gathered_at(organisation, long_ago, status=RequestStatus.QUEUED)
    assert selectors.expired_count(RetentionKind.SUBJECT_ACCESS_FILES, selectors.cutoffs_on(RUN_ON)) == 0
    run = run_rules()
    assert running_zip.exists()
    assert queued_zip.exists()
    for request, status in ((running, RequestStatus.RUNNING), (queued, RequestStatus.QUEUED)):
        request.refresh_from_db()
        assert (request.status, request.file_deleted_at) == (status, None)
    assert run.results.get(kind=RetentionKind.SUBJECT_ACCESS_FILES).deleted == 0


def test_zips_no_request_points_at_go_after_the_period_and_nothing_else_in_their_folder(
    organisation, folders
):
    long_ago = moment(LONG_AGO)
    left_behind = subject_access_left_behind_at(long_ago)
    recent = subject_access_left_behind_at(moment(RUN_ON), request_id=900_001)
    # Ready yesterday, though its file says long ago (copied back from a backup): a
    # request points at it, so it follows the request's own date.
    _, held = subject_access_gathered_at(organisation, moment(RUN_ON - dt.timedelta(days=1)))
    file_changed_at(held, long_ago, "PK")
    someone_elses = file_changed_at(zips_folder() / "notes.zip", long_ago)
    outside = file_changed_at(zips_folder().parent / "elsewhere" / zip_name(900_002), long_ago)
    link = zips_folder() / zip_name(900_003)
    link.symlink_to(outside)

    assert selectors.expired_files(RetentionKind.SUBJECT_ACCESS_FILES, selectors.cutoffs_on(RUN_ON)) == [
        left_behind
    ]
    run = run_rules()

    assert not left_behind.exists()
    for kept in (recent, held, someone_elses, outside):
        assert kept.exists(), kept
    assert link.is_symlink()
    assert run.results.get(kind=RetentionKind.SUBJECT_ACCESS_FILES).deleted == 1


def test_a_zip_that_could_not_be_removed_is_swept_up_as_left_behind(organisation, folders, monkeypatch):
    request, stuck = subject_access_gathered_at(organisation, moment(LONG_AGO))
    monkeypatch.setattr(runner, "download_file_remove", lambda path: False)  # as if refused by the disk
    run = run_rules()
    request.refresh_from_db()
    assert (request.file_path, request.file_deleted_at is not None) == ("", True)
    assert request.file_deleted_because == "retention"
    assert not stuck.exists()  # the sweep of files no request points at took it
    assert run.results.get(kind=RetentionKind.SUBJECT_ACCESS_FILES).deleted == 1


# --- The other tables ---------------------------------------------------------------------


def test_rejections_of_finished_imports_go_and_the_import_stays(organisation, folders):
    at = moment(LONG_AGO)
    finished = ImportJobFactory(organisation=organisation, status=ImportStatus.FAILED, finished_at=at)
    old = ImportRejection.objects.create(job=finished, line=2, reason="The date is not a date.")
    waiting = ImportJobFactory(organisation=organisation, status=ImportStatus.QUEUED)
    ImportJobFactory._meta.model.objects.filter(pk=waiting.pk).update(created_at=at)
    in_line = ImportRejection.objects.create(job=waiting, line=2, reason="The date is not a date.")
    run_rules()
    assert not ImportRejection.objects.filter(pk=old.pk).exists()
    assert ImportRejection.objects.filter(pk=in_line.pk).exists()
    finished.refresh_from_db()
    assert finished.status == ImportStatus.FAILED


def test_sign_in_records_and_the_rest_of_the_audit_trail_follow_their_own_rules(folders):
    RetentionRuleFactory(kind=RetentionKind.AUDIT_EVENTS, amount=1200, unit=PeriodUnit.MONTHS)
    two_years_ago = moment(dt.date(2024, 12, 1))
    signed_in = audit_event_at(two_years_ago, AuditAction.SIGNED_IN)
    refused = audit_event_at(two_years_ago, AuditAction.SIGN_IN_REFUSED)
    token = audit_event_at(two_years_ago, AuditAction.TOKEN_USED)
    viewed = audit_event_at(two_years_ago, AuditAction.VIEWED)
    wrong_try = sign_in_try_at(two_years_ago)
    feedback_hit = sign_in_try_at(two_years_ago, scope="site.feedback")
    run = run_rules()
    assert not AuditEvent.objects.filter(pk__in=[signed_in.pk, refused.pk, token.pk]).exists()
    assert AuditEvent.objects.filter(pk=viewed.pk).exists()
    assert not RateLimitHit.objects.filter(pk=wrong_try.pk).exists()
    assert RateLimitHit.objects.filter(pk=feedback_hit.pk).exists()
    assert run.results.get(kind=RetentionKind.SIGN_IN_RECORDS).deleted == 4


def test_task_results_go_once_finished_and_never_while_waiting(folders):
    old = moment(LONG_AGO)
    finished = task_result_finished_at(old)
    failed = task_result_finished_at(old, status="FAILED")
    waiting = task_result_finished_at(None, status="READY")
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=old, run_after=old)
    run_rules()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {waiting.pk}
    assert not DBTaskResult.objects.filter(pk__in=[finished.pk, failed.pk]).exists()


# --- How a run goes -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_run_deletes_in_chunks_each_committed_before_the_next(organisation, folders, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 3)
    for _ in range(10):
        conversation(organisation, LONG_AGO)
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        # Between chunks: no transaction is open, and what was deleted is committed.
        assert not connection.in_atomic_block
        result = RetentionResult.objects.get(kind=RetentionKind.CONVERSATIONS, status=ResultStatus.RUNNING)
        seen.append((done, total, result.deleted))

    run = run_rules(on_progress=progress)
    assert [(done, total) for done, total, _ in seen] == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert [deleted for _, _, deleted in seen] == [3, 6, 9, 10]
    assert (run.status, run.rows_done, run.rows_total) == (JobStatus.SUCCEEDED, 10, 10)
    assert Conversation.objects.count() == 0


def test_a_run_marked_failed_meanwhile_stops_after_the_chunk_in_hand(organisation, folders, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 2)
    for _ in range(6):
        conversation(organisation, LONG_AGO)

    def mark_failed(done: int, total: int) -> None:
        RetentionRun.objects.update(status=JobStatus.FAILED, error="Marked failed.")

    run = run_rules(on_progress=mark_failed)
    assert (run.status, run.error) == (JobStatus.FAILED, "Marked failed.")
    assert Conversation.objects.count() == 4


def test_a_kind_that_fails_is_reported_and_the_others_are_still_done(organisation, folders, monkeypatch):
    conversation(organisation, LONG_AGO)
    session_ended_at(moment(LONG_AGO))
    real = selectors.expired_records

    def broken(kind: str, cutoffs: Any) -> Any:
        if kind == RetentionKind.SESSIONS:
            raise RuntimeError("the sessions table is locked")
        return real(kind, cutoffs)

    monkeypatch.setattr(selectors, "expired_records", broken)
    run = run_rules()
    assert run.status == JobStatus.FAILED
    assert (
        run.error
        == "These could not all be deleted: sign-in sessions. The rest were done; the next run tries again."
    )
    sessions = run.results.get(kind=RetentionKind.SESSIONS)
    assert (sessions.status, sessions.error) == (ResultStatus.FAILED, runner.PROBLEM)
    assert run.results.get(kind=RetentionKind.CONVERSATIONS).status == ResultStatus.DONE
    assert Conversation.objects.count() == 0
    summary = AuditEvent.objects.get(subject_type="retention_run", summary__contains="session").summary
    assert "It stopped part way: the next run deletes the rest." in summary


def test_each_run_is_reported_kind_by_kind(organisation, folders):
    for _ in range(3):
        conversation(organisation, LONG_AGO)
    RetentionRuleFactory(kind=RetentionKind.AUDIT_EVENTS, amount=None)
    run = run_rules()
    assert run.trigger == RunTrigger.COMMAND
    assert None not in (run.started_at, run.finished_at)
    results = {result.kind: result for result in run.results.all()}
    assert list(results) == RetentionKind.values
    conversations = results[RetentionKind.CONVERSATIONS]
    assert (conversations.expected, conversations.deleted, conversations.status) == (3, 3, ResultStatus.DONE)
    assert None not in (conversations.started_at, conversations.finished_at)
    assert selectors.result_sentence(conversations) == (
        "Deleted 3 conversations heard before 7 December 2020 (kept for 72 months)."
    )
    audit = results[RetentionKind.AUDIT_EVENTS]
    assert (audit.status, audit.cutoff, audit.period) == (ResultStatus.KEPT, None, "for ever")


def test_a_run_is_audited_once_a_kind_with_its_count_never_once_a_record(organisation, folders):
    for _ in range(5):
        conversation(organisation, LONG_AGO)
    before = AuditEvent.objects.count()
    run = run_rules()
    events = AuditEvent.objects.filter(subject_type="retention_run", subject_id=str(run.pk))
    assert events.count() == len(RetentionKind.values)
    assert AuditEvent.objects.count() == before + len(RetentionKind.values)
    assert set(events.values_list("action", flat=True)) == {AuditAction.DELETED}
    assert events.filter(
        summary="Deleted 5 conversations heard before 7 December 2020 (kept for 72 months)."
    ).exists()
    assert events.filter(actor__isnull=True, actor_label="system").count() == len(RetentionKind.values)


def test_what_the_dry_run_counts_is_what_the_run_deletes(organisation, folders):
    for when in (LONG_AGO, dt.date(2019, 5, 5), dt.date(2025, 6, 1), RUN_ON):
        _every_kind(organisation, folders, when)
    evidence = conversation(organisation, LONG_AGO)
    DecisionEvidence.objects.create(
        decision=DecisionFactory(status=DecisionStatus.AGREED), conversation=evidence
    )
    forecast = {f.rule.kind: f for f in selectors.retention_forecast(run_on=RUN_ON)}
    assert forecast[RetentionKind.CONVERSATIONS].count == 4
    assert forecast[RetentionKind.FEEDBACK_FORMS].count == 1  # of 2025; those before 2020 are conversations'
    assert forecast[RetentionKind.CONVERSATIONS].sentence.startswith(
        "4 conversations heard before 7 December 2020 will be deleted on 7 December 2026."
    )

    run = run_rules()

    for result in run.results.all():
        assert result.expected == forecast[result.kind].count, result.kind
        assert result.deleted == forecast[result.kind].count, result.kind
    assert run.rows_done == sum(f.count for f in forecast.values())
    after = {f.rule.kind: f.count for f in selectors.retention_forecast(run_on=RUN_ON)}
    assert after == dict.fromkeys(RetentionKind.values, 0)


def test_a_run_leaves_sqlite_the_statistics_its_counts_are_planned_by(organisation, folders):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its own statistics")
    conversation(organisation, LONG_AGO)
    conversation(organisation, RUN_ON)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # makes the statistics table where there is none
        cursor.execute("DELETE FROM sqlite_stat1")
    run_rules()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'conversations_conversation'")
        assert cursor.fetchone()[0] > 0


def test_only_one_run_waits_or_runs_at_a_time(folders):
    services.retention_run_create(actor=None, trigger=RunTrigger.SCHEDULE, run_on=RUN_ON)
    with pytest.raises(Conflict):
        services.retention_run_create(actor=None, trigger=RunTrigger.COMMAND, run_on=RUN_ON)


def test_a_run_whose_worker_died_is_marked_failed_and_the_next_can_start(folders):
    then = timezone.now() - dt.timedelta(hours=1)
    dead = RetentionRun.objects.create(
        run_on=RUN_ON, status=JobStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    fresh = services.retention_run_create(actor=None, trigger=RunTrigger.COMMAND, run_on=RUN_ON)
    dead.refresh_from_db()
    assert (dead.status, dead.error) == (JobStatus.FAILED, services.WORKER_STOPPED)
    assert AuditEvent.objects.filter(subject_type="retention_run", subject_id=str(dead.pk)).exists()
    assert fresh.status == JobStatus.QUEUED


def test_only_a_queued_run_starts(folders):
    finished = RetentionRun.objects.create(run_on=RUN_ON, status=JobStatus.SUCCEEDED)
    again = runner.retention_run_execute(run_id=finished.pk)
    assert (again.status, again.started_at) == (JobStatus.SUCCEEDED, None)
    assert not RetentionResult.objects.exists()
