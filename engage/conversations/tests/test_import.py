"""Import jobs: a file lands whole and exactly once, or not at all."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.db import connection

from engage.activities.tests.factories import ActivityFactory
from engage.conversations import selectors, services
from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import selectors as import_selectors
from engage.conversations.imports import services as import_services
from engage.conversations.imports.mapping import FFT, GENERIC, PXTEXTMINING
from engage.conversations.models import (
    Conversation,
    ImportJob,
    ImportRejection,
    ImportStatus,
    ImportTemplate,
)
from engage.conversations.search import conversation_search
from engage.conversations.search_index import CREATE_INSERT_TRIGGER, IMPORT_CACHE_KIB, INSERT_TRIGGER
from engage.conversations.tests.conftest import PXTEXTMINING_FILE
from engage.core.errors import InvalidInput, NotFound
from engage.core.exports import csv_text
from engage.core.models import AuditEvent
from engage.core.tabular.errors import ImportFileError
from engage.partners.tests.factories import OrganisationFactory

HEADINGS = ["Respondent ID", "Comment", "Date", "Rating", "Postcode", "Consent to quote"]


def survey_rows(count: int, *, start: int = 0) -> list[list[object]]:
    return [
        [
            f"R{n}",
            f"Comment number {n}: the waiting room was cold",
            "15/03/2025",
            (n % 5) + 1,
            "DY1 1HF",
            "yes",
        ]
        for n in range(start, start + count)
    ]


def create(organisation, path: Path, *, template: str = GENERIC, **kwargs) -> ImportJob:
    with path.open("rb") as content:
        return import_services.import_job_create(
            actor=None,
            organisation=organisation,
            content=content,
            file_name=kwargs.pop("file_name", path.name),
            template=template,
            start=False,
            **kwargs,
        )


def run(organisation, path: Path, **kwargs) -> ImportJob:
    job = create(organisation, path, **kwargs)
    return import_pipeline.import_job_run(job_id=job.pk)


def test_an_import_adds_each_checked_row_and_reports_counts(organisation, write_csv, settings):
    path = write_csv(
        [
            HEADINGS,
            *survey_rows(3),
            ["R9", "", "15/03/2025", 2, "", ""],
            ["R10", "Fine", "3/15/2025", 9, "", ""],
        ]
    )
    job = run(organisation, path)
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.added, job.duplicates, job.rejected, job.rows_total, job.rows_done) == (3, 0, 2, 5, 5)
    assert job.finished_at is not None
    first = Conversation.objects.for_organisation(organisation).get(respondent_reference="R0")
    assert first.text == "Comment number 0: the waiting room was cold"
    assert first.occurred_on == dt.date(2025, 3, 15)
    assert (first.rating, first.channel, first.postcode_district) == (1, "survey", "DY1")
    assert first.consent_to_quote is True
    assert first.import_job_id == job.pk
    rejections = list(import_selectors.import_rejection_list(organisation=organisation, job_id=job.pk))
    assert [(r.line, r.column) for r in rejections] == [(5, "Comment"), (6, "Date")]
    assert rejections[0].reason == "The comment is empty."
    assert not Path(job.stored_path).exists()
    event = AuditEvent.objects.filter(subject_type="import_job", subject_id=str(job.pk)).first()
    assert event is not None
    assert "3 conversations added" in event.summary


def test_reimporting_the_same_file_adds_nothing_and_counts_duplicates(organisation, write_csv):
    path = write_csv([HEADINGS, *survey_rows(50)])
    assert run(organisation, path).added == 50
    again = run(organisation, path)
    assert (again.added, again.duplicates) == (0, 50)
    assert Conversation.objects.for_organisation(organisation).count() == 50


def test_an_overlapping_file_adds_only_the_new_rows(organisation, write_csv):
    run(organisation, write_csv([HEADINGS, *survey_rows(30)], name="first.csv"))
    job = run(organisation, write_csv([HEADINGS, *survey_rows(30, start=20)], name="second.csv"))
    assert (job.added, job.duplicates) == (20, 10)
    assert Conversation.objects.for_organisation(organisation).count() == 50


def test_duplicates_within_one_file_are_counted_once(organisation, write_csv, monkeypatch):
    monkeypatch.setattr(import_pipeline, "BATCH", 4)
    rows = [["Comment", "Date"], *[["Very good", "01/04/2025"]] * 7, ["Very good", "02/04/2025"]]
    job = run(organisation, write_csv(rows))
    assert (job.added, job.duplicates) == (2, 6)


def test_the_first_batch_is_small_so_the_database_starts_early_then_batches_are_whole(
    organisation, write_csv, monkeypatch
):
    monkeypatch.setattr(import_pipeline, "BATCH", 10)
    monkeypatch.setattr(import_pipeline, "FIRST_BATCH", 3)
    job = create(organisation, write_csv([HEADINGS, *survey_rows(25)]))
    seen: list[int] = []
    done = import_pipeline.import_job_run(job_id=job.pk, on_progress=lambda rows, total: seen.append(rows))
    assert seen == [3, 10, 20, 25, 25]
    assert done.added == 25


def test_another_organisation_importing_the_same_rows_gets_its_own_copy(organisation, write_csv):
    path = write_csv([HEADINGS, *survey_rows(5)])
    run(organisation, path)
    other = OrganisationFactory()
    assert run(other, path).added == 5


def test_a_failure_part_way_leaves_the_bank_unchanged_deletes_the_upload_and_a_new_upload_imports_once(
    organisation, write_csv, monkeypatch
):
    monkeypatch.setattr(import_pipeline, "BATCH", 10)
    path = write_csv([HEADINGS, *survey_rows(45), ["R99", "", "", "", "", ""]])
    job = create(organisation, path)
    real = import_pipeline._write_batch
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_pipeline, "_write_batch", failing)
    failed = import_pipeline.import_job_run(job_id=job.pk)
    assert calls["n"] == 3  # two batches had gone in before the failure
    assert failed.status == ImportStatus.FAILED
    assert failed.error == import_pipeline.UNEXPECTED_FAILURE
    assert not Conversation.objects.exists()
    assert not ImportRejection.objects.exists()
    assert import_selectors.import_job_progress(job=failed).rows_done == 0
    assert list(import_services.import_dir().iterdir()) == []  # the upload (full postcodes) is gone
    assert import_pipeline.import_job_run(job_id=job.pk).status == ImportStatus.FAILED  # run once only

    monkeypatch.setattr(import_pipeline, "_write_batch", real)
    done = run(organisation, path)
    assert done.status == ImportStatus.SUCCEEDED
    assert (done.added, done.rejected) == (45, 1)
    references = list(Conversation.objects.values_list("respondent_reference", flat=True))
    assert sorted(references) == sorted(f"R{n}" for n in range(45))


class WorkerKilled(BaseException):
    """Stands for the process dying: no `except Exception` sees it."""


def test_a_worker_stopped_mid_import_leaves_nothing_fails_the_job_and_a_new_upload_imports_once(
    organisation, write_csv, monkeypatch
):
    monkeypatch.setattr(import_pipeline, "BATCH", 10)
    path = write_csv([HEADINGS, *survey_rows(35)])
    job = create(organisation, path)
    real = import_pipeline._write_batch
    calls = {"n": 0}
    seen_while_running: list[int] = []

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            # What the progress page would show just before the worker died.
            seen_while_running.append(
                import_selectors.import_job_progress(job=ImportJob.objects.get(pk=job.pk)).rows_done
            )
            raise WorkerKilled
        return real(*args, **kwargs)

    monkeypatch.setattr(import_pipeline, "_write_batch", dying)
    with pytest.raises(WorkerKilled):
        import_pipeline.import_job_run(job_id=job.pk)
    assert seen_while_running == [20]
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.FAILED, import_services.WORKER_STOPPED)
    assert not Conversation.objects.exists()
    assert not ImportRejection.objects.exists()
    assert list(import_services.import_dir().iterdir()) == []

    monkeypatch.setattr(import_pipeline, "_write_batch", real)
    done = run(organisation, path)
    assert (done.status, done.added, done.duplicates) == (ImportStatus.SUCCEEDED, 35, 0)
    assert Conversation.objects.count() == 35
    assert len(set(Conversation.objects.values_list("respondent_reference", flat=True))) == 35


def test_a_failure_in_the_last_batch_rolls_back_every_row(organisation, write_csv, monkeypatch):
    monkeypatch.setattr(import_pipeline, "BATCH", 10)
    job = create(organisation, write_csv([HEADINGS, *survey_rows(35)]))
    real = import_pipeline._insert_new
    calls = {"n": 0}

    def failing(rows):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("connection lost")
        return real(rows)

    monkeypatch.setattr(import_pipeline, "_insert_new", failing)
    failed = import_pipeline.import_job_run(job_id=job.pk)
    assert failed.status == ImportStatus.FAILED
    assert not Conversation.objects.exists()
    assert calls["n"] == 4
    assert not Path(job.stored_path).exists()
    monkeypatch.setattr(import_pipeline, "_insert_new", real)
    assert run(organisation, write_csv([HEADINGS, *survey_rows(35)], name="again.csv")).added == 35


def test_a_finished_job_is_not_run_again(organisation, write_csv):
    job = run(organisation, write_csv([HEADINGS, *survey_rows(5)]))
    events = AuditEvent.objects.count()
    again = import_pipeline.import_job_run(job_id=job.pk)
    assert (again.status, again.added, again.finished_at) == (ImportStatus.SUCCEEDED, 5, job.finished_at)
    assert AuditEvent.objects.count() == events
    assert Conversation.objects.count() == 5


def test_a_file_refused_while_running_fails_the_job_with_its_reason(organisation, write_csv, settings):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(20)]))
    settings.ENGAGE_IMPORT_MAX_ROWS = 10
    failed = import_pipeline.import_job_run(job_id=job.pk)
    assert failed.status == ImportStatus.FAILED
    assert "more than 10 rows" in failed.error
    assert "Nothing from the file was added." in failed.error
    assert not Conversation.objects.exists()


def test_the_full_postcode_is_never_written_nor_stored(organisation, write_csv, monkeypatch):
    seen: list[str] = []
    real = import_pipeline._write_batch

    def spy(job, rows, rejections):
        seen.extend(repr(row) for row in rows)
        return real(job, rows, rejections)

    monkeypatch.setattr(import_pipeline, "_write_batch", spy)
    run(organisation, write_csv([HEADINGS, *survey_rows(5)]))
    assert seen
    assert not any("1HF" in values for values in seen)
    assert set(Conversation.objects.values_list("postcode_district", flat=True)) == {"DY1"}


def test_formula_like_comments_round_trip_and_are_neutralised_on_export(organisation, write_csv):
    texts = ['=HYPERLINK("http://evil")', "+447700900123 rang", "-so slow", "@reception was rude"]
    run(organisation, write_csv([["Comment"], *[[t] for t in texts]]))
    stored = sorted(Conversation.objects.values_list("text", flat=True))
    assert stored == sorted(texts)
    exported = csv_text(["text"], [[t] for t in stored])
    for line in exported.splitlines()[1:]:
        assert line.lstrip('"').startswith("'")


def test_a_refused_file_creates_no_job_and_keeps_no_copy(organisation, write_file, settings):
    with pytest.raises(ImportFileError, match="no rows below them"):
        create(organisation, write_file("survey.csv", b"Comment,Date\n"))
    with pytest.raises(ImportFileError, match="FFT answer"):
        create(organisation, write_file("other.csv", b"Comment\nGood\n"), template=PXTEXTMINING)
    assert not ImportJob.objects.exists()
    assert not list(Path(settings.ENGAGE_IMPORT_DIR).iterdir())


def test_an_upload_over_the_size_limit_is_refused_while_copying(organisation, write_csv, settings):
    settings.ENGAGE_IMPORT_MAX_BYTES = 50
    with pytest.raises(ImportFileError, match="MB"):
        create(organisation, write_csv([HEADINGS, *survey_rows(5)]))
    assert not ImportJob.objects.exists()


def test_an_unknown_template_or_activity_is_refused(organisation, write_csv):
    path = write_csv([HEADINGS, *survey_rows(1)])
    with pytest.raises(InvalidInput) as caught:
        create(organisation, path, template="No such thing")
    assert "Generic survey export" in caught.value.errors["template"]
    with pytest.raises(
        InvalidInput, match="no activity your organisation leads or takes part in with the number 999999"
    ):
        create(organisation, path, activity_id=999999)


def test_conversations_carry_the_activity_they_came_from(organisation, write_csv):

    activity = ActivityFactory(lead_organisation=organisation)
    job = run(organisation, write_csv([HEADINGS, *survey_rows(2)]), activity_id=activity.pk)
    assert set(Conversation.objects.values_list("activity_id", flat=True)) == {activity.pk}
    assert job.activity_id == activity.pk


def test_a_saved_template_maps_the_next_file(organisation, write_csv):
    template = import_services.import_template_save(
        actor=None,
        organisation=organisation,
        name="Library drop-in notes",
        mapping={"text": "What they said", "occurred_on": "When"},
        defaults={"channel": "event", "question": "How can we improve?"},
    )
    assert template.organisation == organisation
    names = [t.name for t in import_selectors.import_template_list(organisation=organisation)]
    assert names[:3] == [GENERIC, FFT, PXTEXTMINING]
    assert "Library drop-in notes" in names
    assert "Library drop-in notes" not in [
        t.name for t in import_selectors.import_template_list(organisation=OrganisationFactory())
    ]
    job = run(
        organisation,
        write_csv([["When", "What they said"], ["2 April 2025", "More benches please"]]),
        template="Library drop-in notes",
    )
    conversation = Conversation.objects.get(import_job=job)
    assert (conversation.channel, conversation.question, conversation.occurred_on) == (
        "event",
        "How can we improve?",
        dt.date(2025, 4, 2),
    )


def test_a_saved_template_that_is_wrong_is_refused_field_by_field(organisation):
    with pytest.raises(InvalidInput) as caught:
        import_services.import_template_save(
            actor=None,
            organisation=organisation,
            name=GENERIC,
            mapping={"rating": "Score"},
            defaults={"channel": "fax"},
        )
    assert set(caught.value.errors) == {"name", "text", "channel"}
    assert not ImportTemplate.objects.exists()


def test_a_saved_template_is_replaced_by_saving_it_again(organisation):
    for heading in ("Notes", "Comments"):
        import_services.import_template_save(
            actor=None, organisation=organisation, name="Mine", mapping={"text": heading}
        )
    assert ImportTemplate.objects.get(organisation=organisation, name="Mine").mapping == {"text": "Comments"}


def test_imports_are_seen_only_by_their_organisation(organisation, write_csv):
    job = run(organisation, write_csv([HEADINGS, *survey_rows(1)]))
    other = OrganisationFactory()
    assert list(import_selectors.import_job_list(organisation=organisation)) == [job]
    assert not import_selectors.import_job_list(organisation=other).exists()
    assert not import_selectors.import_job_list(organisation=None).exists()
    with pytest.raises(NotFound):
        import_selectors.import_job_get(organisation=other, job_id=job.pk)
    assert import_selectors.import_job_get(organisation=organisation, job_id=job.pk) == job
    assert not import_selectors.import_rejection_list(organisation=other, job_id=job.pk).exists()


def test_progress_gives_rows_a_second_and_time_left(organisation, write_csv):
    job = create(organisation, write_csv([HEADINGS, *survey_rows(10)]))
    assert import_selectors.import_job_progress(job=job).percent == 0
    started = dt.datetime(2025, 4, 1, 12, 0, tzinfo=dt.UTC)
    job.status, job.started_at, job.rows_done, job.rows_total = ImportStatus.RUNNING, started, 2000, 10000
    progress = import_selectors.import_job_progress(job=job, now=started + dt.timedelta(seconds=4))
    assert (progress.rows_per_second, progress.seconds_left, progress.percent) == (500.0, 16, 20)
    finished = import_pipeline.import_job_run(job_id=job.pk)
    done = import_selectors.import_job_progress(job=finished)
    assert (done.percent, done.seconds_left, done.finished, done.rows_total) == (100, 0, True, 10)


def test_creating_a_job_queues_it_for_the_worker(
    organisation, write_csv, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = write_csv([HEADINGS, *survey_rows(3)])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as content:
        job = import_services.import_job_create(
            actor=None, organisation=organisation, content=content, file_name="survey.csv", template=GENERIC
        )
    job.refresh_from_db()
    assert (job.status, job.added) == (ImportStatus.SUCCEEDED, 3)


def test_excel_files_import_like_csv(organisation, write_xlsx):
    path = write_xlsx(
        [
            ["Comment", "Date", "Rating"],
            ["Kind staff", dt.datetime(2025, 3, 15), 5],  # noqa: DTZ001 - Excel has no time zones
            ["Cold room", None, 2],
        ]
    )
    job = run(organisation, path)
    assert (job.added, job.rejected) == (2, 0)
    assert Conversation.objects.get(text="Kind staff").occurred_on == dt.date(2025, 3, 15)


def test_a_conversation_recorded_by_hand_is_checked_and_audited(organisation):
    conversation = services.conversation_record(
        actor=None,
        organisation=organisation,
        text="  Told us the bus to the clinic stopped running.  ",
        channel="event",
        occurred_on=dt.date(2025, 3, 15),
        question="What gets in the way?",
        postcode="dy1 1hf",
        rating=2,
        consent_to_quote=True,
    )
    assert conversation.text == "Told us the bus to the clinic stopped running."
    assert conversation.postcode_district == "DY1"
    assert AuditEvent.objects.filter(subject_type="conversation", subject_id=str(conversation.pk)).exists()
    twin = services.conversation_record(
        actor=None,
        organisation=organisation,
        text=conversation.text,
        channel="event",
        occurred_on=dt.date(2025, 3, 15),
    )
    assert twin.dedupe_key != conversation.dedupe_key


def test_a_conversation_recorded_by_hand_with_mistakes_names_each_field(organisation):
    with pytest.raises(InvalidInput) as caught:
        services.conversation_record(
            actor=None,
            organisation=organisation,
            text=" ",
            channel="pigeon",
            occurred_on=dt.date(1800, 1, 1),
            postcode="nowhere",
            rating=7,
            age_band="x" * 30,
        )
    assert set(caught.value.errors) == {"text", "channel", "occurred_on", "postcode", "rating", "age_band"}
    assert not Conversation.objects.exists()


@pytest.mark.skipif(not PXTEXTMINING_FILE.exists(), reason="the shared labelled FFT file is not here")
def test_the_pxtextmining_file_imports_with_its_labels(organisation):
    job = run(organisation, PXTEXTMINING_FILE, template=PXTEXTMINING)
    assert job.status == ImportStatus.SUCCEEDED
    assert job.rows_total == 5724
    assert job.added + job.duplicates + job.rejected == 5724
    assert job.added > 5000
    rejected_columns = set(ImportRejection.objects.filter(job=job).values_list("column", flat=True))
    assert rejected_columns <= {"Date"}  # only the month-first dates some rows carry
    assert Conversation.objects.filter(text="Did not answer").exists()
    assert set(Conversation.objects.values_list("channel", flat=True)) == {"fft"}
    stored = list(Conversation.objects.values_list("imported_labels", flat=True))
    assert sum("Positive experience & gratitude" in (labels or []) for labels in stored) > 1000
    not_answered = Conversation.objects.filter(text="Did not answer").values_list(
        "imported_labels", flat=True
    )
    assert set(map(tuple, not_answered)) == {("Labelling not possible",)}


def test_reading_one_conversation_is_audited_and_scoped(organisation):
    conversation = services.conversation_record(
        actor=None,
        organisation=organisation,
        text="Parking is hard",
        channel="phone",
        occurred_on=dt.date(2025, 3, 1),
    )
    assert (
        selectors.conversation_get(organisation=organisation, conversation_id=conversation.pk, actor=None)
        == conversation
    )
    assert AuditEvent.objects.filter(subject_type="conversation", action="viewed").count() == 1
    with pytest.raises(NotFound):
        selectors.conversation_get(
            organisation=OrganisationFactory(), conversation_id=conversation.pk, actor=None
        )


def test_listing_conversations_records_one_event_naming_each(organisation):
    services.conversations_listed_record(actor=None, organisation=organisation, conversation_ids=[1, 2, 3])
    event = AuditEvent.objects.get(subject_type="conversation", action="listed")
    assert sorted(event.subjects.values_list("subject_id", flat=True)) == ["1", "2", "3"]


# The search index during an import (engage/conversations/search_index.py).


def _insert_trigger_present() -> bool:
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s", [INSERT_TRIGGER]
        )
        return cursor.fetchone()[0] == 1


def test_imported_rows_are_found_by_search_and_the_index_follows_later_inserts(organisation, write_csv):
    run(organisation, write_csv([HEADINGS, *survey_rows(12)]))
    assert _insert_trigger_present()
    page = conversation_search(actor=None, organisation=organisation, query="waited rooms")
    assert page.total == 12
    # A conversation recorded by hand afterwards is indexed by the trigger again.
    services.conversation_record(
        actor=None,
        organisation=organisation,
        text="The waiting list is long",
        channel="phone",
        occurred_on=dt.date(2025, 3, 1),
    )
    assert conversation_search(actor=None, organisation=organisation, query="list").total == 1


def test_a_failed_import_leaves_the_index_and_its_trigger_as_they_were(organisation, write_csv, monkeypatch):
    monkeypatch.setattr(import_pipeline, "BATCH", 5)
    real = import_pipeline._write_batch
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("connection lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_pipeline, "_write_batch", failing)
    failed = run(organisation, write_csv([HEADINGS, *survey_rows(12)]))
    assert failed.status == ImportStatus.FAILED
    assert _insert_trigger_present()
    assert conversation_search(actor=None, organisation=organisation, query="waiting").total == 0
    services.conversation_record(
        actor=None,
        organisation=organisation,
        text="Waiting for a call back",
        channel="phone",
        occurred_on=dt.date(2025, 3, 1),
    )
    assert conversation_search(actor=None, organisation=organisation, query="waiting").total == 1


def test_the_import_recreates_the_trigger_exactly_as_the_migration_made_it():
    migration = importlib.import_module("engage.conversations.migrations.0002_full_text_search")
    assert CREATE_INSERT_TRIGGER in migration.SQLITE_INSTALL


def _cache_size() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def test_an_import_gives_the_connection_back_its_usual_page_cache_whether_it_succeeds_or_fails(
    organisation, write_csv, monkeypatch
):
    usual = _cache_size()
    seen: list[int | None] = []
    real = import_pipeline._write_batch

    def watching(*args, **kwargs):
        seen.append(_cache_size())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_pipeline, "_write_batch", watching)
    assert run(organisation, write_csv([HEADINGS, *survey_rows(3)])).status == ImportStatus.SUCCEEDED
    if connection.vendor == "sqlite":
        assert seen == [-IMPORT_CACHE_KIB]  # the larger cache while the rows go in
    assert _cache_size() == usual

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_pipeline, "_write_batch", failing)
    assert run(organisation, write_csv([HEADINGS, *survey_rows(4)])).status == ImportStatus.FAILED
    assert _cache_size() == usual


def test_demographics_without_agreement_are_left_out_and_the_report_says_how_many(organisation, write_csv):
    path = write_csv(
        [
            ["Comment", "Date", "Age group", "Sex", "Consent to hold demographics"],
            ["The ward was clean", "15/03/2025", "65-74", "Female", "yes"],
            ["The food was cold", "15/03/2025", "18-24", "Male", "no"],
            ["Parking was hard", "15/03/2025", "", "", "no"],
        ]
    )
    job = run(organisation, path)
    assert (job.added, job.demographics_dropped) == (3, 1)
    kept = Conversation.objects.get(text="The ward was clean")
    dropped = Conversation.objects.get(text="The food was cold")
    assert (kept.age_band, kept.sex) == ("65-74", "Female")
    assert (dropped.age_band, dropped.sex) == ("", "")
    event = AuditEvent.objects.get(
        subject_type="import_job", subject_id=str(job.pk), summary__startswith="Imported"
    )
    assert "demographics dropped from 1 rows" in event.summary
