"""Where survey answers go: a census group, unknown, or outside the census's categories,
whatever the wording's case, spacing or dashes."""

from __future__ import annotations

import pytest

from engage.reach import groups
from engage.reach.groups import OUTSIDE, UNKNOWN, place_answer, place_decile


@pytest.mark.parametrize(
    ("answer", "group"),
    [
        ("16-24", "16 to 24"),
        ("18\u201324", "16 to 24"),
        (" 16 to 19 ", "16 to 24"),
        ("Aged 20 to 24 years", "16 to 24"),
        ("35-44", "35 to 64"),
        ("55-64", "35 to 64"),
        ("42", "35 to 64"),
        ("85+", "85 and over"),
        ("85 and over", "85 and over"),
        ("Under 16", OUTSIDE),
        ("16-64", OUTSIDE),  # crosses groups
        ("Prefer not to say", UNKNOWN),
        ("", UNKNOWN),
        ("old", OUTSIDE),
    ],
)
def test_ages(answer, group):
    assert place_answer(groups.AGE, answer) == group


@pytest.mark.parametrize(
    ("answer", "group"),
    [
        # Clear in meaning, in the usual survey wordings: each in one census band.
        ("18-24 years old", "16 to 24"),
        ("16 - 17 yrs", "16 to 24"),
        ("Age 30", "25 to 34"),
        ("85 years and over", "85 and over"),
        ("85 or older", "85 and over"),
        ("Over 85", "85 and over"),
        ("90 plus", "85 and over"),
        ("75-84 years", "75 to 84"),
        # Issue 17: "75+" holds the census's 75 to 84 and 85 and over, so it cannot go
        # in either: it is reported as not fitting a census band, never a group of its own.
        ("75+", OUTSIDE),
        ("75 and over", OUTSIDE),
        ("Over 65", OUTSIDE),
        ("65 or older", OUTSIDE),
        ("Under 18", OUTSIDE),
        ("Younger than 16", OUTSIDE),
        ("seventy-five plus", OUTSIDE),
        ("16-24 and 25-34", OUTSIDE),
        ("200+", OUTSIDE),
    ],
)
def test_age_wordings_go_in_a_band_only_where_their_meaning_is_clear(answer, group):
    assert place_answer(groups.AGE, answer) == group


def test_every_dimension_says_what_its_answers_did_not_fit():
    assert groups.AGE.unmapped_words == "a census age band"
    assert all(d.unmapped_words for d in groups.ANSWER_DIMENSIONS)


@pytest.mark.parametrize(
    ("answer", "group"),
    [
        ("White: English, Welsh, Scottish, Northern Irish or British", "White"),
        ("white british", "White"),
        ("Gypsy or Irish Traveller", "White"),
        ("Asian, Asian British or Asian Welsh: Pakistani", "Asian"),
        ("Indian", "Asian"),
        ("Black British", "Black"),
        ("Mixed/multiple ethnic groups", "Mixed"),
        ("Other ethnic group: Arab", "Other"),
        ("Arab", "Other"),
        ("Prefer not to say", UNKNOWN),
        ("Martian", OUTSIDE),
    ],
)
def test_ethnic_groups(answer, group):
    assert place_answer(groups.ETHNIC_GROUP, answer) == group


@pytest.mark.parametrize(
    ("dimension", "answer", "group"),
    [
        (groups.SEX, "FEMALE", "Female"),
        (groups.SEX, "m", "Male"),
        (groups.SEX, "Non-binary", OUTSIDE),
        (groups.DISABILITY, "Yes", "Disabled"),
        (groups.DISABILITY, "No", "Not disabled"),
        (groups.CARERS, "yes", "Carers"),
        (groups.CARERS, "No", "Not carers"),
        (groups.CARERS, "Don't know", UNKNOWN),
    ],
)
def test_sex_disability_and_carers(dimension, answer, group):
    assert place_answer(dimension, answer) == group


def test_a_persons_choice_wins_over_the_rules():
    assert place_answer(groups.SEX, "Woman", {"woman": OUTSIDE}) == OUTSIDE
    assert place_answer(groups.SEX, "Non-binary", {"non-binary": UNKNOWN}) == UNKNOWN


def test_deciles_fall_in_quintiles_and_core20():
    assert [place_decile(groups.DEPRIVATION, d) for d in (1, 2, 3, 10)] == [
        "1 (most deprived)",
        "1 (most deprived)",
        "2",
        "5 (least deprived)",
    ]
    assert [place_decile(groups.CORE20, d) for d in (1, 2, 3, None)] == [
        "Core20",
        "Core20",
        "Deciles 3 to 10",
        UNKNOWN,
    ]
