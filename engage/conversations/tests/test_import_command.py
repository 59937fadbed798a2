"""`engage import FILE --template NAME --organisation NAME [--activity ID]`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation, ImportJob


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_reports_with_a_progress_bar(organisation, write_csv):
    rows = [["Comment", "Rating"], *[[f"Comment {n}", 1 + n % 5] for n in range(30)]]
    rows += [["", 1]] * 25 + [["=cmd|' /C calc'!A0", 9]]
    path = write_csv(rows)
    out, err = run_import(
        str(path), "--template", "Generic survey export", "--organisation", organisation.name
    )
    assert "added:      30" in out
    assert "duplicates: 0" in out
    assert "rejected:   26" in out
    assert "The first 20 rejected rows:" in out
    assert "line 32, column 'Comment': The comment is empty." in out
    assert "line 57" not in out  # only the first 20 are shown
    assert "rows/s" in err
    assert "56 / 56 rows" in err
    assert Conversation.objects.for_organisation(organisation).count() == 30


def test_all_rejections_can_be_written_to_a_neutralised_csv(organisation, write_csv, tmp_path):
    path = write_csv([["Comment", "Rating"], ["Fine", 1], ["=HYPERLINK(1)", "=2+2"]], name="in.csv")
    target = tmp_path / "rejections.csv"
    out, _ = run_import(str(path), "--organisation", organisation.name, "--rejections-csv", str(target))
    assert "Wrote 1 rejected rows" in out
    with target.open(newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["Line", "Column", "Reason", "Comment", "Rating"]
    assert written[1][:2] == ["3", "Rating"]
    assert written[1][2].startswith("The rating '=2+2'")
    # The row itself, each formula written as text.
    assert written[1][3:] == ["'=HYPERLINK(1)", "'=2+2"]


def test_a_refused_file_exits_with_status_1_and_imports_nothing(organisation, write_file):
    path = write_file("survey.xlsx", b"Comment\nGood\n")
    with pytest.raises(CommandError) as caught:
        run_import(str(path), "--organisation", organisation.name)
    assert caught.value.returncode == 1
    assert "survey.xlsx" in str(caught.value)
    assert not ImportJob.objects.exists()


def test_a_failed_import_exits_with_status_1(organisation, write_csv, settings):
    settings.ENGAGE_IMPORT_MAX_ROWS = 2
    with pytest.raises(CommandError, match="more than 2 rows"):
        run_import(str(write_csv([["Comment"], ["a"], ["b"], ["c"]])), "--organisation", organisation.name)
    assert not Conversation.objects.exists()


def test_the_activity_is_recorded_on_each_conversation(organisation, write_csv):

    activity = ActivityFactory(lead_organisation=organisation)
    run_import(
        str(write_csv([["Comment"], ["a"]])),
        "--organisation",
        organisation.name,
        "--activity",
        str(activity.pk),
    )
    assert Conversation.objects.get().activity == activity


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--organisation", "Nobody"], "no organisation called 'Nobody'"),
        (["--organisation", "Dudley Healthwatch", "--template", "Nope"], "no template called 'Nope'"),
    ],
)
def test_unknown_organisations_and_templates_are_named(organisation, write_csv, args, words):
    with pytest.raises(CommandError, match=words):
        run_import(str(write_csv([["Comment"], ["a"]])), *args)


def test_a_missing_file_is_named(organisation, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(str(tmp_path / "gone.csv"), "--organisation", organisation.name)


PRAISE = ["Brilliant service", "The nurses were kind and caring.", "Excellent, friendly staff."]
COMPLAINTS = ["Rude receptionist.", "Awful, dirty waiting room.", "Waited four hours, nobody told us why."]
FIVE_BEST = [
    ["Respondent ID", "Comment", "Rating"],
    *[[f"P{n}-{i}", text, 5] for n in range(2) for i, text in enumerate(PRAISE)],
    *[[f"C{n}-{i}", text, 1] for n in range(2) for i, text in enumerate(COMPLAINTS)],
]


def test_a_five_is_best_survey_is_imported_with_best_highest(organisation, write_csv):
    out, _ = run_import(str(write_csv(FIVE_BEST)), "--organisation", organisation.name, "--best", "highest")
    assert "added:      12" in out
    assert Conversation.objects.get(respondent_reference="P0-0").rating == 1  # very good
    assert ImportJob.objects.get().rating_best == "highest"


def test_ratings_that_look_upside_down_import_nothing_and_say_what_to_do(
    organisation, write_csv, django_capture_on_commit_callbacks
):
    path = write_csv(FIVE_BEST)
    with pytest.raises(CommandError) as caught, django_capture_on_commit_callbacks(execute=True):
        run_import(str(path), "--organisation", organisation.name)
    message = str(caught.value)
    assert caught.value.returncode == 1
    assert message.startswith("Nothing was imported: the comments and ratings of survey.csv disagree")
    assert "They were read from 1 to 5, where 1 is the best; 6 of the 6 comments" in message
    assert "  line 2: 'Brilliant service', rated 5, read as very poor (5)" in message
    assert "import it again with --best highest" in message
    assert "--ratings-checked" in message
    assert not Conversation.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == "failed"  # and its copy of the file is gone
    assert not Path(job.stored_path).exists()
    assert path.is_file()  # nothing lost: the person's own file is where it was

    # If the ratings really are right, they can say so.
    out, _ = run_import(str(path), "--organisation", organisation.name, "--ratings-checked")
    assert "added:      12" in out
    assert Conversation.objects.get(respondent_reference="P0-0").rating == 5


def test_which_end_is_best_must_be_lowest_or_highest(organisation, write_csv):
    with pytest.raises(CommandError, match="invalid choice: 'top'"):
        run_import(str(write_csv(FIVE_BEST)), "--organisation", organisation.name, "--best", "top")
