"""`engage import FILE --template NAME --organisation NAME [--activity ID]`."""

from __future__ import annotations

import csv
import io

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
