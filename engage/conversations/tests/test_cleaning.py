"""Checking each row: dates, ratings, postcodes, consent, long and empty texts, keys."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.conversations.imports import cleaning
from engage.conversations.imports.keys import dedupe_key
from engage.conversations.imports.mapping import (
    FFT,
    GENERIC,
    PXTEXTMINING,
    built_in_template,
    mapping_problems,
    resolve_mapping,
)
from engage.core.tabular import cells
from engage.core.tabular.errors import ImportFileError, ImportRowError

IMPORT_DAY = dt.date(2025, 4, 1)


def cleaner_for(headings: list[str], template: str = GENERIC, **defaults: object) -> cleaning.RowCleaner:
    chosen = built_in_template(template)
    assert chosen is not None
    resolved = resolve_mapping(chosen.mapping, headings, file_name="test.csv")
    return cleaning.RowCleaner(
        resolved=resolved, defaults={**chosen.defaults, **defaults}, fallback_date=IMPORT_DAY, char_limit=100
    )


def clean(row: dict[str, str], template: str = GENERIC, **defaults: object) -> cleaning.CleanRow:
    return cleaner_for(list(row), template, **defaults).clean(7, row)


def rejection(row: dict[str, str], template: str = GENERIC) -> ImportRowError:
    with pytest.raises(ImportRowError) as caught:
        clean(row, template)
    assert caught.value.line == 7
    return caught.value


@pytest.mark.parametrize(
    "written",
    [
        "2025-03-15",
        "2025-3-15",
        "2025-03-15T10:30:00",
        "2025-03-15 10:30",
        "15/03/2025",
        "15/3/2025",
        "15-03-2025",
        "15.03.2025",
        "15/03/2025 09:15",
        "15 March 2025",
        "15 Mar 2025",
        "15th March 2025",
        "Saturday 15 March 2025",
        " 15 MAR 2025 ",
    ],
)
def test_dates_are_read_in_the_forms_people_write_them(written):
    assert cells.parse_date(written) == dt.date(2025, 3, 15)


def test_month_first_dates_are_refused_saying_which_form_is_expected():
    error = rejection({"Comment": "Good", "Date": "3/15/2025"})
    assert error.column == "Date"
    assert "month/day/year" in error.reason
    assert "15/03/2025" in error.reason


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("31/02/2025", "no such date"),
        ("yesterday", "not in a form"),
        ("2025/15/03", "not in a form"),
        ("15/03/25", "not in a form"),
        ("01/01/1850", "too far"),
        ("01/01/2999", "too far"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused(written, words):
    with pytest.raises(cells.FieldProblem, match=words):
        cells.parse_date(written)


def test_a_missing_date_takes_the_templates_default_then_the_import_day():
    assert clean({"Comment": "Good"}).values["occurred_on"] == IMPORT_DAY.isoformat()
    assert clean({"Comment": "Good", "Date": ""}).values["occurred_on"] == IMPORT_DAY.isoformat()
    assert clean({"Comment": "Good"}, occurred_on="2024-12-01").values["occurred_on"] == "2024-12-01"


@pytest.mark.parametrize(("written", "rating"), [("1", 1), ("5", 5), ("3.0", 3), ("", None), (" 4 ", 4)])
def test_ratings_on_the_scale_are_kept(written, rating):
    assert clean({"Comment": "Good", "Rating": written}).values.get("rating") == rating


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("6", "outside the scale of 1 to 5"),
        ("0", "outside"),
        ("2.5", "whole number"),
        ("good", "not a number"),
    ],
)
def test_ratings_off_the_scale_reject_the_row_with_line_column_and_reason(written, words):
    error = rejection({"Comment": "Good", "Rating": written})
    assert error.column == "Rating"
    assert words in error.reason


def test_the_rating_scale_is_set_by_the_template_and_kept_on_the_banks_one_scale():
    # 0 to 10 read with 0 the best (the template says nothing else): 9 is very poor.
    assert clean({"Comment": "Good", "Score": "9"}, rating_scale=[0, 10]).values["rating"] == 5
    assert clean({"Comment": "Good", "Score": "0"}, rating_scale=[0, 10]).values["rating"] == 1
    # With 10 the best, the other way round.
    assert (
        clean({"Comment": "Good", "Score": "9"}, rating_scale=[0, 10], rating_best="highest").values["rating"]
        == 1
    )
    assert (
        clean({"Comment": "Good", "Score": "0"}, rating_scale=[0, 10], rating_best="highest").values["rating"]
        == 5
    )


def test_a_five_is_best_survey_is_kept_in_the_friends_and_family_tests_order():
    five_best = {"rating_scale": [1, 5], "rating_best": "highest"}
    assert [clean({"Comment": "x", "Rating": str(n)}, **five_best).values["rating"] for n in range(1, 6)] == [
        5,
        4,
        3,
        2,
        1,
    ]
    # The Friends and Family Test template keeps its own order: 1 is very good.
    assert [clean({"Comment": "x", "Rating": str(n)}, FFT).values["rating"] for n in range(1, 6)] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert clean({"Comment": "x", "Rating": "Very good"}, FFT).values["rating"] == 1


def test_a_cell_seen_before_is_checked_the_same_way_and_problems_are_not_remembered_as_values():
    cleaner = cleaner_for(["Comment", "Date", "Age group"], demographics_consented=True)
    first = cleaner.clean(2, {"Comment": "Good", "Date": "15/03/2025", "Age group": "25-34"})
    again = cleaner.clean(3, {"Comment": "Fine", "Date": "15/03/2025", "Age group": "25-34"})
    assert (first.values["occurred_on"], first.values["age_band"]) == ("2025-03-15", "25-34")
    assert (again.values["occurred_on"], again.values["age_band"]) == ("2025-03-15", "25-34")
    for line in (4, 5):  # the same bad date is refused every time it appears
        with pytest.raises(ImportRowError) as caught:
            cleaner.clean(line, {"Comment": "Good", "Date": "31/02/2025", "Age group": ""})
        assert (caught.value.line, caught.value.column) == (line, "Date")


def test_the_memo_of_checked_cells_stops_growing(monkeypatch):
    monkeypatch.setattr(cleaning, "MEMO_LIMIT", 3)
    cleaner = cleaner_for(["Comment", "Age group"], demographics_consented=True)
    for number in range(10):
        assert (
            cleaner.clean(number + 2, {"Comment": "Good", "Age group": f"band {number}"}).values["age_band"]
            == f"band {number}"
        )
    assert all(step.memo is None or len(step.memo) <= 3 for step in cleaner.steps)


def test_friends_and_family_test_ratings_read_words_and_dont_know():
    assert clean({"Comment": "Good", "Rating": "Very poor"}, FFT).values["rating"] == 5
    assert "rating" not in clean({"Comment": "Good", "Rating": "Don't know"}, FFT).values
    assert "rating" not in clean({"Comment": "Good", "Rating": "6"}, FFT).values
    assert clean({"Comment": "Good"}, FFT).values["channel"] == "fft"


@pytest.mark.parametrize(
    ("written", "district"),
    [
        ("dy1 1hf", "DY1"),
        ("DY11HF", "DY1"),
        ("B15 2TT", "B15"),
        ("SW1A 1AA", "SW1A"),
        ("EC1A1BB", "EC1A"),
        ("M1 1AE", "M1"),
        ("DY1", "DY1"),
        ("DY1 1", "DY1"),
        ("", ""),
    ],
)
def test_postcodes_are_reduced_to_their_district(written, district):
    assert cleaning.parse_postcode_district(written) == district
    values = clean({"Comment": "Good", "Postcode": written}).values
    assert values.get("postcode_district", "") == district
    assert "postcode" not in values


@pytest.mark.parametrize("written", ["not known", "12345", "DY1 1HFX", "WV"])
def test_a_value_that_is_not_a_postcode_rejects_the_row_without_repeating_it(written):
    error = rejection({"Comment": "Good", "Postcode": written})
    assert error.column == "Postcode"
    assert written not in error.reason


@pytest.mark.parametrize(
    ("written", "given"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("no", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_consent_reads_yes_and_no_in_their_usual_forms(written, given):
    values = clean({"Comment": "Good", "Consent to quote": written, "Consent to contact": written}).values
    assert values.get("consent_to_quote", False) is given
    assert values.get("consent_to_contact", False) is given


def test_any_other_consent_answer_rejects_the_row():
    error = rejection({"Comment": "Good", "Consent to contact": "maybe"})
    assert error.column == "Consent to contact"
    assert "yes or no" in error.reason


def test_an_empty_comment_is_rejected():
    error = rejection({"Comment": "   ", "Rating": "1"})
    assert (error.column, error.reason) == ("Comment", "The comment is empty.")


def test_a_comment_longer_than_the_limit_is_rejected_with_its_length():
    error = rejection({"Comment": "x" * 101})
    assert "101 characters" in error.reason
    assert "100" in error.reason


def test_did_not_answer_is_kept_as_the_text_of_a_pxtextmining_row():
    row = {
        "FFT answer": "Did not answer",
        "FFT question": "What was good?",
        "Date": "31/05/2022",
        "FFT categorical answer": "7",
        "Respondent ID": "R1",
    }
    values = clean(row, PXTEXTMINING).values
    assert values["text"] == "Did not answer"
    assert "rating" not in values


@pytest.mark.parametrize("written", ['=HYPERLINK("http://x")', "+44 said", "-not great", "@everyone"])
def test_cells_that_look_like_formulas_are_kept_as_written(written):
    assert clean({"Comment": written}).values["text"] == written


def test_every_problem_in_a_row_is_listed_the_first_one_reported():
    error = rejection({"Comment": "", "Rating": "9", "Date": "3/15/2025"})
    assert error.column == "Comment"
    assert [column for column, _ in error.problems] == ["Comment", "Date", "Rating"]


def test_short_fields_longer_than_their_column_are_rejected():
    error = rejection({"Comment": "Good", "Age band": "x" * 21})
    assert error.column == "Age band"
    assert "longer than 20" in error.reason


def test_channel_column_accepts_names_and_refuses_others():
    assert clean({"Comment": "Good", "Channel": "Phone call"}).values["channel"] == "phone"
    assert clean({"Comment": "Good", "Channel": ""}).values["channel"] == "survey"
    assert "not one of" in rejection({"Comment": "Good", "Channel": "pigeon"}).reason


def test_pxtextmining_labels_list_the_categories_marked_one():
    row = {
        "FFT answer": "Kind staff",
        "FFT question": "What was good?",
        "Date": "31/05/2022",
        "FFT categorical answer": "1",
        "Respondent ID": "R1",
        "Staff manner & personal attributes": "1",
        "Parking": "0",
        "Positive experience & gratitude": "1",
    }
    values = clean(row, PXTEXTMINING).values
    assert values["labels"] == ["Staff manner & personal attributes", "Positive experience & gratitude"]
    assert values["respondent_reference"] == "R1"
    assert values["question"] == "What was good?"


def test_a_missing_comment_column_names_it_and_lists_the_headings_found():
    chosen = built_in_template(PXTEXTMINING)
    assert chosen is not None
    with pytest.raises(ImportFileError) as caught:
        resolve_mapping(chosen.mapping, ["Comment", "Date"], file_name="fft.csv")
    message = caught.value.message
    assert "'FFT answer'" in message
    assert "'Comment', 'Date'" in message
    with pytest.raises(ImportFileError, match="'Comment' or 'Comments'"):
        resolve_mapping(built_in_template(GENERIC).mapping, ["Notes"], file_name="x.csv")  # type: ignore[union-attr]


def test_headings_match_whatever_their_case_and_spacing():
    resolved = resolve_mapping(
        {"text": "Comment", "rating": "Rating"}, [" comment ", "RATING"], file_name="x.csv"
    )
    assert resolved.columns == {"text": " comment ", "rating": "RATING"}


def test_mapping_problems_name_each_wrong_field():
    problems = mapping_problems(
        {"txt": "Comment", "rating": ""}, {"channel": "carrier pigeon", "rating_scale": [5, 1]}
    )
    assert set(problems) == {"txt", "rating", "text", "channel", "rating_scale"}
    assert mapping_problems({"text": "Comment"}, {"channel": "event"}) == {}


def test_the_key_uses_respondent_and_question_when_given_else_the_content():
    by_reference = dedupe_key(
        text="a", question="Q", occurred_on="2025-01-01", channel="fft", respondent_reference="R1"
    )
    assert by_reference == dedupe_key(
        text="b", question=" q ", occurred_on="", channel="event", respondent_reference="R1"
    )
    assert by_reference != dedupe_key(
        text="a", question="Q2", occurred_on="", channel="fft", respondent_reference="R1"
    )
    by_text = dedupe_key(text="Kind  staff", question="Q", occurred_on="2025-01-01", channel="fft")
    assert by_text == dedupe_key(text="kind staff", question="Q", occurred_on="2025-01-01", channel="fft")
    assert by_text != dedupe_key(text="kind staff", question="Q", occurred_on="2025-01-02", channel="fft")
    assert len(by_text) == 64
    assert int(by_text, 16) >= 0


def test_the_key_ignores_the_import_day_when_the_file_gives_no_date():
    first = cleaner_for(["Comment"]).clean(2, {"Comment": "Good"})
    later = cleaning.RowCleaner(
        resolved=resolve_mapping({"text": "Comment"}, ["Comment"], file_name="x.csv"),
        defaults={"channel": "survey"},
        fallback_date=dt.date(2026, 1, 1),
    ).clean(2, {"Comment": "Good"})
    assert first.key == later.key


DEMOGRAPHICS = {"Age group": "65-74", "Sex": "Female", "Ethnic group": "White British", "Disability": "No"}


def test_demographics_are_dropped_unless_the_import_says_everyone_agreed():
    dropped = clean({"Comment": "Good", **DEMOGRAPHICS})
    assert dropped.demographics_dropped
    assert not {"age_band", "sex", "ethnic_group", "disability"} & set(dropped.values)
    kept = clean({"Comment": "Good", **DEMOGRAPHICS}, demographics_consented=True)
    assert not kept.demographics_dropped
    assert (kept.values["age_band"], kept.values["sex"]) == ("65-74", "Female")
    assert not clean({"Comment": "Good"}).demographics_dropped  # nothing to drop


@pytest.mark.parametrize(("answer", "kept"), [("yes", True), ("Y", True), ("no", False), ("", False)])
def test_a_consent_column_decides_row_by_row_whatever_the_import_says(answer, kept):
    row = {"Comment": "Good", **DEMOGRAPHICS, "Consent to hold demographics": answer}
    for everyone in (False, True):
        result = clean(row, demographics_consented=everyone)
        assert ("age_band" in result.values) is kept
        assert result.demographics_dropped is not kept
        assert "consent_to_demographics" not in result.values  # not a column of the bank


def test_a_consent_column_with_another_answer_rejects_the_row():
    with pytest.raises(ImportRowError) as caught:
        clean({"Comment": "Good", **DEMOGRAPHICS, "Consent to hold demographics": "perhaps"})
    assert caught.value.column == "Consent to hold demographics"
    assert "yes or no" in caught.value.reason
