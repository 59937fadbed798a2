"""`engage insight evaluate | redaction-evaluate | train | run` from the command line."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from engage.insight import services
from engage.insight.models import ConversationInsight, ModelVersion
from engage.insight.tests.test_services import KIND, SLOW, STAFF, WAITING, add
from engage.partners.tests.factories import OrganisationFactory

HEADINGS = [
    "Comment ID",
    "FFT categorical answer",
    "FFT question",
    "FFT answer",
    "Comment sentiment",
    STAFF,
    WAITING,
    "Labelling not possible",
]


def labelled_file(path: Path, rounds: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        for n in range(rounds):
            for text in KIND:
                writer.writerow([f"k{n}{text[:3]}", 1, "Why?", f"{text} {n}", 1, 1, "", ""])
            for text in SLOW:
                writer.writerow([f"s{n}{text[:3]}", 5, "Why?", f"{text} {n}", 5, "", 1, ""])
            writer.writerow([f"d{n}", 1, "Why?", "Did not answer", "", "", "", 1])
    return path


def test_evaluate_prints_the_figures_as_json(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "insight",
        "evaluate",
        "--train",
        str(labelled_file(tmp_path / "train.csv", 8)),
        "--test",
        str(labelled_file(tmp_path / "test.csv", 2)),
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    for key in (
        "micro_f1",
        "macro_f1",
        "per_label_f1",
        "sentiment_accuracy",
        "sentiment_macro_f1",
        "train_seconds",
        "comments_per_second",
        "micro_f1_all",
        "macro_f1_all",
        "macro_f1_interval",
    ):
        assert key in figures
    assert figures["micro_f1"] > 0.8
    assert figures["sentiment_accuracy"] > 0.8
    assert set(figures["per_label_f1"]) == {STAFF, WAITING, "Labelling not possible"}


def test_evaluate_cross_validates_one_file_in_folds(tmp_path: Path) -> None:
    out = StringIO()
    labelled = labelled_file(tmp_path / "labelled.csv", 10)
    call_command("insight", "evaluate", "--train", str(labelled), "--folds", "3", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["comments"] == 10 * (len(KIND) + len(SLOW) + 1)
    assert figures["folds"] == 3
    assert figures["micro_f1"] > 0.8
    low, high = figures["macro_f1_interval"]
    assert low <= figures["macro_f1"] <= high
    assert figures["sentiment_accuracy"] > 0.8
    out = StringIO()
    call_command("insight", "evaluate", "--train", str(labelled), "--folds", "3", stdout=out)
    assert "Cross-validated 1" in out.getvalue()
    assert "in 3 folds" in out.getvalue()
    assert "macro-F1 would lie between" in out.getvalue()
    assert "Sentiment: accuracy " in out.getvalue()


def test_evaluate_trains_with_the_frameworks_examples_under_their_version_6_names(tmp_path: Path) -> None:
    # The product trains with the framework's own examples of each theme, so the command
    # does too; a pxtextmining file names themes as version 6 did.
    examples = services.built_in_examples()
    assert examples["Environment & Facilities"] == examples["Environment, facilities & equipment"]
    assert examples[WAITING]
    labelled = str(labelled_file(tmp_path / "labelled.csv", 10))
    for extra in ([], ["--without-examples"]):
        out = StringIO()
        call_command("insight", "evaluate", "--train", labelled, "--folds", "3", "--json", *extra, stdout=out)
        assert json.loads(out.getvalue())["micro_f1"] > 0.8


def test_evaluate_says_so_when_no_comment_has_a_sentiment_label(tmp_path: Path) -> None:
    labelled = labelled_file(tmp_path / "labelled.csv", 10)
    rows = labelled.read_text(encoding="utf-8").splitlines()
    column = rows[0].split(",").index("Comment sentiment")
    unlabelled = [rows[0]] + [
        ",".join("" if i == column else v for i, v in enumerate(r.split(","))) for r in rows[1:]
    ]
    labelled.write_text("\n".join(unlabelled) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("insight", "evaluate", "--train", str(labelled), "--folds", "3", stdout=out)
    assert "Sentiment: not scored, as no comment scored has a sentiment label." in out.getvalue()


def test_evaluate_asks_for_a_test_file_or_folds_and_a_number_of_folds_that_fits(tmp_path: Path) -> None:
    labelled = labelled_file(tmp_path / "labelled.csv", 2)
    with pytest.raises(CommandError, match=r"Give --test FILE to score another file, or --folds N"):
        call_command("insight", "evaluate", "--train", str(labelled))
    with pytest.raises(CommandError, match=r"Give --test FILE to score another file, or --folds N"):
        call_command("insight", "evaluate", "--train", str(labelled), "--test", str(labelled), "--folds", "2")
    with pytest.raises(CommandError, match=r"--folds must be from 2 to the number of different comments"):
        call_command("insight", "evaluate", "--train", str(labelled), "--folds", "1")
    with pytest.raises(CommandError, match=r"it was 500"):
        call_command("insight", "evaluate", "--train", str(labelled), "--folds", "500")


def test_evaluate_names_a_file_that_is_not_in_the_format(tmp_path: Path) -> None:
    wrong = tmp_path / "survey.csv"
    wrong.write_text("Comment,Rating\nGood,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"survey\.csv: line 1 has no 'FFT answer' column"):
        call_command("insight", "evaluate", "--train", str(wrong), "--test", str(wrong))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("insight", "evaluate", "--train", str(tmp_path / "missing.csv"), "--test", str(wrong))


@pytest.mark.django_db
def test_train_then_run_analyses_the_bank(capsys: Any) -> None:
    organisation = OrganisationFactory(name="Dudley Healthwatch")
    for round_ in range(4):
        for text in KIND:
            add(organisation, f"{text} {round_}", rating=1, labels=[STAFF])
        for text in SLOW:
            add(organisation, f"{text} {round_}", rating=5, labels=[WAITING])
    out = StringIO()
    call_command("insight", "train", stdout=out)
    assert "Trained model 1 on 40 labelled conversations" in out.getvalue()
    out = StringIO()
    call_command("insight", "run", stdout=out, stderr=StringIO())
    assert "Analysed 40 conversations with model 1" in out.getvalue()
    assert ConversationInsight.objects.count() == 40
    assert ModelVersion.objects.count() == 1


# --- engage insight redaction-evaluate ---------------------------------------------------------
def test_redaction_evaluate_scores_the_shipped_set_as_json() -> None:
    out = StringIO()
    call_command("insight", "redaction-evaluate", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["file"] == "redaction_set.jsonl"
    assert set(figures["parts"]) == {"dev", "test"}
    assert figures["all"]["texts"] >= 600
    for part in (*figures["parts"].values(), figures["all"]):
        assert {"recall", "precision", "labelled", "found", "markers", "correct"} <= set(part["direct"])
        assert {"name", "phone", "nhs_number", "date_of_birth"} <= set(part["per_kind"])
        assert "missed" not in part


def test_redaction_evaluate_prints_a_table_per_kind(tmp_path: Path) -> None:
    labelled = tmp_path / "mine.jsonl"
    labelled.write_text(
        json.dumps(
            {
                "text": "Call 07700 900123, not Ward 7.",
                "details": [{"kind": "phone", "start": 5, "end": 17, "text": "07700 900123"}],
            }
        )
        + "\n"
        + json.dumps({"text": "I waited 4 hours in A&E on Monday.", "details": []})
        + "\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("insight", "redaction-evaluate", "--file", str(labelled), "--misses", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "mine.jsonl: 2 texts, 1 of them with nothing personal; dev 2."
    assert "dev recall" in lines[3]
    assert [line.split() for line in lines if line.startswith(("phone", "direct"))] == [
        ["phone", "numbers", "1", "1.000", "1.000"],
        ["direct", "identifiers", "1", "1.000", "1.000"],
    ]
    assert "Missed (dev):" in lines


def test_redaction_evaluate_names_the_file_the_line_and_what_is_wrong(tmp_path: Path) -> None:
    wrong = tmp_path / "labelled.jsonl"
    wrong.write_text(
        '{"text": "Hi Bob", "details": []}\n{"text": "Thanks, Ann", "details": [{"kind": "name", "start": 8, "end": 11, "text": "Anne"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError,
        match=r"labelled\.jsonl: line 2, detail 1 says 'Anne', but characters 8 to 11 of the text are 'Ann'",
    ):
        call_command("insight", "redaction-evaluate", "--file", str(wrong))
    with pytest.raises(CommandError, match=r"There is no file at .*missing\.jsonl"):
        call_command("insight", "redaction-evaluate", "--file", str(tmp_path / "missing.jsonl"))
