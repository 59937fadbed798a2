"""Keywords of short texts, as the overlap warnings compare them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textkit.keywords import STOP_WORDS, jaccard, keyword_text, keywords, stem


@pytest.mark.parametrize("word", ["wait", "waiting", "waited", "waits"])
def test_forms_of_wait_share_one_stem(word: str) -> None:
    assert stem(word) == "wait"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("planned", "plan"),  # a doubled consonant is undone
        ("planning", "plan"),
        ("getting", "get"),
        ("services", "service"),  # "es" is taken only after s, x, z, ch or sh
        ("times", "time"),
        ("boxes", "box"),
        ("communities", "community"),
        ("studied", "study"),
        ("access", "access"),  # a double s is not a plural
        ("address", "address"),
        ("carers", "carer"),
        ("urgent", "urgent"),
    ],
)
def test_common_word_endings_are_folded(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize("word", ["gp", "car", "bus", "ward"])
def test_short_words_keep_their_ending(word: str) -> None:
    assert stem(word) == word


def test_stop_words_are_left_out() -> None:
    assert keywords("What do you think about the waiting times at the urgent treatment centre?") == {
        "wait",
        "time",
        "urgent",
        "treat",
        "centre",
    }


def test_stop_words_include_the_words_every_engagement_title_uses() -> None:
    assert {"people", "local", "views", "ask"} <= STOP_WORDS
    assert keywords("Asking local people for their views") == frozenset()


def test_keywords_ignore_case_and_punctuation() -> None:
    assert keywords("URGENT care, urgent CARE!") == {"urgent", "care"}


def test_keywords_of_empty_or_punctuation_only_text_are_empty() -> None:
    assert keywords("") == frozenset()
    assert keywords(" -- ?? 123 ") == frozenset()


def test_numbers_inside_words_are_kept() -> None:
    assert keywords("Covid19 vaccine") == {"covid19", "vaccine"}


def test_keyword_text_is_sorted_space_separated_and_unique() -> None:
    assert keyword_text("Waits, waiting and waited: urgent care") == "care urgent wait"
    assert keyword_text("") == ""


def test_keyword_text_round_trips_through_split() -> None:
    text = "Young people's mental health services and waiting lists"
    assert frozenset(keyword_text(text).split()) == keywords(text)


def test_singular_and_plural_share_a_stem_for_words_ending_in_ment() -> None:
    assert stem("appointments") == stem("appointment")


def test_possessive_folds_to_the_word() -> None:
    assert keywords("carers' needs") == keywords("carer's needs") == keywords("carers needs")


A = frozenset({"urgent", "care", "wait"})


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (frozenset(), frozenset(), 0.0),  # nothing to compare is not a match
        (A, frozenset(), 0.0),
        (frozenset(), A, 0.0),
        (A, A, 1.0),
        (A, frozenset({"maternity"}), 0.0),
        (A, frozenset({"urgent", "care"}), 2 / 3),
        (A, frozenset({"urgent", "maternity"}), 1 / 4),
    ],
)
def test_jaccard_is_shared_over_all(first: frozenset[str], second: frozenset[str], expected: float) -> None:
    assert jaccard(first, second) == pytest.approx(expected)


words = st.frozensets(
    st.sampled_from(["urgent", "care", "wait", "gp", "access", "carer", "maternity", "diabete"])
)


@given(words, words)
def test_jaccard_is_symmetric_and_between_0_and_1(first: frozenset[str], second: frozenset[str]) -> None:
    assert jaccard(first, second) == jaccard(second, first)
    assert 0.0 <= jaccard(first, second) <= 1.0


@given(words)
def test_jaccard_of_a_set_with_itself_is_1_unless_empty(terms: frozenset[str]) -> None:
    assert jaccard(terms, terms) == (1.0 if terms else 0.0)
