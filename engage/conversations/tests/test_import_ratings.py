"""Imports keep every rating on one scale (1 very good to 5 very poor), and an import
whose ratings look upside down adds nothing until a person says which end is best."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from engage.cli.management.commands.worker import stale_jobs_fail_everywhere
from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import selectors as import_selectors
from engage.conversations.imports import services as import_services
from engage.conversations.imports.mapping import FFT, GENERIC
from engage.conversations.models import Conversation, ImportJob, ImportStatus
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.partners.tests.factories import OrganisationFactory
from engage.retention.selectors import _in_use_uploads
from textkit.sentiment import from_rating

HEADINGS = ["Respondent ID", "Comment", "Rating"]
PRAISE = [
    "Brilliant service",
    "The nurses were kind and caring.",
    "Excellent, friendly staff.",
    "Thank you, a lovely team.",
    "Really helpful and professional.",
]
COMPLAINTS = [
    "Rude receptionist.",
    "Awful, dirty waiting room.",
    "Cancelled twice, unacceptable.",
    "Waited four hours, nobody told us why.",
    "Terrible, I was ignored.",
]


def five_is_best_rows() -> list[list[object]]:
    """A survey where 5 is best: praise rated 5, complaints rated 1."""
    rows: list[list[object]] = [HEADINGS]
    for n in range(3):
        rows += [[f"P{n}-{i}", text, 5] for i, text in enumerate(PRAISE)]
        rows += [[f"C{n}-{i}", text, 1] for i, text in enumerate(COMPLAINTS)]
    return rows


def create(organisation, path: Path, *, template: str = GENERIC, **kwargs) -> ImportJob:
    with path.open("rb") as content:
        return import_services.import_job_create(
            actor=None,
            organisation=organisation,
            content=content,
            file_name=path.name,
            template=template,
            start=False,
            **kwargs,
        )


def run(job: ImportJob) -> ImportJob:
    return import_pipeline.import_job_run(job_id=job.pk)


def brilliant(organisation) -> Conversation:
    return Conversation.objects.for_organisation(organisation).get(respondent_reference="P0-0")


def test_a_five_is_best_survey_imports_with_praise_read_as_positive(organisation, write_csv):
    job = run(create(organisation, write_csv(five_is_best_rows()), defaults={"rating_best": "highest"}))
    assert (job.status, job.added) == (ImportStatus.SUCCEEDED, 30)
    assert (job.rating_column, job.rating_low, job.rating_high, job.rating_best) == (
        "Rating",
        1,
        5,
        "highest",
    )
    said = brilliant(organisation)
    assert (said.text, said.rating) == ("Brilliant service", 1)  # 5 of 5 kept as very good
    assert from_rating(said.rating) == "positive"
    assert {c.rating for c in Conversation.objects.filter(respondent_reference__startswith="C")} == {5}


def test_the_friends_and_family_test_template_keeps_its_order(organisation, write_csv):
    path = write_csv(
        [
            ["Respondent ID", "FFT response", "Comment"],
            ["F1", "Very good", "Brilliant service"],
            ["F2", "1", "Kind staff"],
            ["F3", "5", "Rude and slow"],
        ]
    )
    job = run(create(organisation, path, template=FFT))
    assert (job.rating_column, job.rating_best, job.status) == (
        "FFT response",
        "lowest",
        ImportStatus.SUCCEEDED,
    )
    ratings = dict(Conversation.objects.values_list("respondent_reference", "rating"))
    assert ratings == {"F1": 1, "F2": 1, "F3": 5}


def test_read_the_wrong_way_round_the_import_is_held_and_adds_nothing(organisation, write_csv):
    path = write_csv(five_is_best_rows())
    job = run(create(organisation, path))  # the generic template: 1 is best
    assert job.status == ImportStatus.HELD
    assert (job.added, job.rows_total) == (0, 30)
    assert not Conversation.objects.exists()
    assert Path(job.stored_path).is_file()  # kept for the person's answer
    assert not Path(job.stored_path).with_suffix(".progress").exists()
    check = import_selectors.import_job_rating_check(job=job)
    assert check is not None
    assert (check.positive_poor, check.negative_good, check.agree) == (15, 15, 0)
    first = check.examples()[0]
    assert (first.line, first.text, first.given, first.read_as) == (
        2,
        "Brilliant service",
        "5",
        "Very poor (5)",
    )
    assert AuditEvent.objects.filter(
        subject_type="import_job", subject_id=str(job.pk), summary__startswith="Held the import"
    ).exists()
    # The page's script reloads to ask.
    assert import_selectors.import_job_progress(job=job).finished

    # The same file is not queued again meanwhile: its held import is where to answer.
    with pytest.raises(Conflict):
        create(organisation, path)


def test_saying_the_highest_is_best_imports_the_held_file_the_right_way_round(organisation, write_csv):
    held = run(create(organisation, write_csv(five_is_best_rows())))
    queued = import_services.import_job_ratings_decide(
        actor=None, organisation=organisation, job_id=held.pk, best="highest"
    )
    assert (queued.status, queued.rating_best, queued.ratings_confirmed, queued.rating_check) == (
        ImportStatus.QUEUED,
        "highest",
        True,
        None,
    )
    assert queued.defaults["rating_best"] == "highest"
    done = run(queued)
    assert (done.status, done.added) == (ImportStatus.SUCCEEDED, 30)
    assert from_rating(brilliant(organisation).rating) == "positive"
    assert not Path(done.stored_path).exists()


def test_saying_the_ratings_are_right_imports_them_as_read_without_asking_again(organisation, write_csv):
    held = run(create(organisation, write_csv(five_is_best_rows())))
    queued = import_services.import_job_ratings_decide(
        actor=None, organisation=organisation, job_id=held.pk, best="lowest"
    )
    done = run(queued)
    assert (done.status, done.added, done.rating_best) == (ImportStatus.SUCCEEDED, 30, "lowest")
    assert brilliant(organisation).rating == 5
    summary = AuditEvent.objects.get(summary__startswith="Checked the ratings").summary
    assert "read from 1 to 5, where 1 is the best (kept as it was)" in summary


def test_ratings_confirmed_when_the_import_is_made_are_not_held(organisation, write_csv):
    job = run(create(organisation, write_csv(five_is_best_rows()), ratings_confirmed=True))
    assert (job.status, job.added) == (ImportStatus.SUCCEEDED, 30)


def test_a_file_whose_words_and_ratings_agree_lands_at_once(organisation, write_csv):
    job = run(create(organisation, write_csv(five_is_best_rows()), defaults={"rating_best": "highest"}))
    assert job.status == ImportStatus.SUCCEEDED
    assert job.rating_check is None


def test_cancelling_a_held_import_deletes_its_file_and_adds_nothing(
    organisation, write_csv, django_capture_on_commit_callbacks
):
    held = run(create(organisation, write_csv(five_is_best_rows())))
    path = Path(held.stored_path)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = import_services.import_job_cancel(actor=None, organisation=organisation, job_id=held.pk)
    assert (cancelled.status, cancelled.error, cancelled.rating_check) == (
        ImportStatus.FAILED,
        import_services.HELD_CANCELLED,
        None,
    )
    assert not path.exists()
    assert not Conversation.objects.exists()
    with pytest.raises(Conflict):  # no longer held
        import_services.import_job_ratings_decide(
            actor=None, organisation=organisation, job_id=held.pk, best="highest"
        )


def test_a_held_import_nobody_answers_fails_after_a_day_and_its_file_goes(
    organisation, write_csv, django_capture_on_commit_callbacks
):
    held = run(create(organisation, write_csv(five_is_best_rows())))
    path = Path(held.stored_path)
    assert path in _in_use_uploads()  # retention leaves it alone while it waits
    assert stale_jobs_fail_everywhere() == 0
    ImportJob.objects.filter(pk=held.pk).update(started_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_jobs_fail_everywhere() == 1
    held.refresh_from_db()
    assert (held.status, held.error, held.rating_check) == (
        ImportStatus.FAILED,
        import_services.HELD_EXPIRED,
        None,
    )
    assert not path.exists()


def test_only_a_held_import_of_ones_own_organisation_can_be_answered(organisation, write_csv):
    held = run(create(organisation, write_csv(five_is_best_rows())))
    with pytest.raises(NotFound):
        import_services.import_job_ratings_decide(
            actor=None, organisation=OrganisationFactory(), job_id=held.pk, best="highest"
        )
    with pytest.raises(NotFound):
        import_services.import_job_cancel(actor=None, organisation=OrganisationFactory(), job_id=held.pk)
    with pytest.raises(InvalidInput) as caught:
        import_services.import_job_ratings_decide(
            actor=None, organisation=organisation, job_id=held.pk, best=""
        )
    assert caught.value.errors == {"rating_best": "Choose which end of the rating scale is best."}
    held.refresh_from_db()
    assert held.status == ImportStatus.HELD


def test_a_held_import_whose_file_has_gone_fails_saying_so(organisation, write_csv):
    held = run(create(organisation, write_csv(five_is_best_rows())))
    Path(held.stored_path).unlink()
    answered = import_services.import_job_ratings_decide(
        actor=None, organisation=organisation, job_id=held.pk, best="highest"
    )
    assert answered.status == ImportStatus.FAILED
    assert "no longer on the server" in answered.error


def test_a_direction_that_is_not_lowest_or_highest_is_refused(organisation, write_csv):
    with pytest.raises(InvalidInput) as caught:
        create(organisation, write_csv(five_is_best_rows()), defaults={"rating_best": "top"})
    assert "Say which end of the rating scale is best" in caught.value.errors["rating_best"]
    assert not ImportJob.objects.exists()


def test_a_large_file_is_checked_on_rows_spread_over_it(organisation, write_csv, monkeypatch):
    monkeypatch.setattr("engage.conversations.imports.ratings.CHECK_ROWS", 10)
    rows = five_is_best_rows() + [[f"X{n}", PRAISE[n % 5], 5] for n in range(70)]
    job = run(create(organisation, write_csv(rows)))
    check = import_selectors.import_job_rating_check(job=job)
    assert job.status == ImportStatus.HELD
    assert check is not None
    assert 10 <= check.rows_read <= 12  # one row in ten of the hundred
