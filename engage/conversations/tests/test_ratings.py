"""Ratings on one scale (1 very good to 5 very poor), and the check that a file's ratings
are not read upside down."""

from __future__ import annotations

import pytest

from engage.conversations.imports.ratings import (
    CHECK_ROWS,
    EXAMPLE_CHARS,
    EXAMPLES_EACH,
    HIGHEST,
    LOWEST,
    MIN_CLEAR_COMMENTS,
    RatingCheck,
    RatingScale,
    check_every,
    read_as,
)
from textkit.sentiment import from_rating

PRAISE = ["Brilliant service, thank you.", "The nurses were kind and caring.", "Excellent, friendly staff."]
COMPLAINTS = [
    "Rude receptionist and a long wait.",
    "Awful, dirty waiting room.",
    "Cancelled twice, unacceptable.",
]


def test_the_friends_and_family_test_order_is_kept_as_it_is():
    fft = RatingScale(low=1, high=5, best=LOWEST)
    assert [fft.stored(n) for n in range(1, 6)] == [1, 2, 3, 4, 5]


def test_a_five_is_best_scale_is_turned_round():
    five_best = RatingScale(low=1, high=5, best=HIGHEST)
    assert [five_best.stored(n) for n in range(1, 6)] == [5, 4, 3, 2, 1]
    assert from_rating(five_best.stored(5)) == "positive"  # "Brilliant service", 5 of 5
    assert from_rating(five_best.stored(1)) == "negative"


def test_zero_to_ten_with_ten_best_falls_into_five_bands():
    ten_best = RatingScale(low=0, high=10, best=HIGHEST)
    assert [ten_best.stored(n) for n in range(10, -1, -1)] == [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5]
    one_to_ten = RatingScale(low=1, high=10, best=HIGHEST)
    assert [one_to_ten.stored(n) for n in range(10, 0, -1)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_a_value_exactly_between_two_points_goes_towards_the_middle():
    # 1 to 9: 2 is 0.5 of a step from very good, 8 is 0.5 from very poor.
    scale = RatingScale(low=1, high=9, best=LOWEST)
    assert [scale.stored(n) for n in range(1, 10)] == [1, 2, 2, 3, 3, 3, 4, 4, 5]


@pytest.mark.parametrize(("low", "high"), [(low, high) for low in range(11) for high in range(low + 1, 11)])
def test_every_scale_reads_the_same_whichever_end_is_best(low, high):
    lowest, highest = (
        RatingScale(low=low, high=high, best=LOWEST),
        RatingScale(low=low, high=high, best=HIGHEST),
    )
    values = range(low, high + 1)
    assert [lowest.stored(v) for v in values] == [6 - highest.stored(v) for v in values]
    assert (lowest.stored(low), lowest.stored(high)) == (1, 5)  # the ends are the ends
    stored = [lowest.stored(v) for v in values]
    assert stored == sorted(stored)  # never out of order
    assert set(stored) <= {1, 2, 3, 4, 5}


def test_a_scale_says_how_it_reads():
    five_best = RatingScale(low=1, high=5, best=HIGHEST)
    assert five_best.describe() == "1 to 5, where 5 is the best"
    assert (five_best.given(5), five_best.given(1), five_best.given(3)) == (
        "5 of 5, the best",
        "1 of 5, the worst",
        "3 of 5",
    )
    assert five_best.flipped() == RatingScale(low=1, high=5, best=LOWEST)
    assert (read_as(1), read_as(5), read_as(None)) == ("Very good (1)", "Very poor (5)", "No rating")


def test_the_defaults_say_the_scale_and_the_friends_and_family_test_order_is_assumed():
    assert RatingScale.from_defaults({}) == RatingScale(low=1, high=5, best=LOWEST)
    assert RatingScale.from_defaults({"rating_scale": [0, 10], "rating_best": "highest"}) == RatingScale(
        low=0, high=10, best=HIGHEST
    )


def _checked(pairs: list[tuple[str, int]]) -> RatingCheck:
    check = RatingCheck()
    for line, (text, stored) in enumerate(pairs, start=2):
        check.add(line=line, text=text, given=str(6 - stored), stored=stored)
    return check


def test_praise_read_as_very_poor_looks_upside_down():
    check = _checked([(text, 5) for text in PRAISE * 3] + [(text, 1) for text in COMPLAINTS * 2])
    assert check.upside_down
    assert (check.positive_poor, check.negative_good, check.agree) == (9, 6, 0)
    assert check.summary() == (
        "9 of the 9 comments whose words are clearly positive would be read as poor or very poor; "
        "6 of the 6 clearly negative ones as good or very good."
    )
    examples = check.examples()
    assert [e.text for e in examples] == [*PRAISE, *COMPLAINTS][: 2 * EXAMPLES_EACH]
    assert (examples[0].line, examples[0].given, examples[0].read_as) == (2, "1", "Very poor (5)")


def test_a_file_whose_words_and_ratings_agree_is_not_flagged():
    check = _checked([(text, 1) for text in PRAISE * 5] + [(text, 5) for text in COMPLAINTS * 5])
    assert not check.upside_down
    assert (check.agree, check.disagree) == (30, 0)
    assert check.examples() == []


def test_ratings_that_follow_the_words_no_better_than_chance_are_not_flagged():
    # As many clear comments disagree as agree: not upside down, just noisy.
    check = _checked([(text, 1) for text in PRAISE * 4] + [(text, 5) for text in PRAISE * 4])
    assert not check.upside_down


def test_too_few_clear_comments_say_nothing():
    check = _checked([(text, 5) for text in PRAISE * 3])  # nine, all disagreeing
    assert check.agree + check.disagree == MIN_CLEAR_COMMENTS - 1
    assert not check.upside_down


def test_neutral_words_and_middle_ratings_are_not_counted():
    check = _checked([("The car park is on the left.", 5)] * 20 + [(text, 3) for text in PRAISE * 10])
    assert check.rows_read == 50
    assert check.agree + check.disagree == 0
    assert not check.upside_down
    assert check.summary() == "No comment's words were clearly positive or negative."


def test_examples_are_shortened_and_the_check_survives_being_stored():
    check = _checked([("Brilliant " * 60, 5)] * 12)
    assert check.upside_down
    assert len(check.praise_rated_poor) == EXAMPLES_EACH
    assert len(check.praise_rated_poor[0].text) == EXAMPLE_CHARS
    assert check.praise_rated_poor[0].text.endswith("…")
    again = RatingCheck.from_json(check.as_json())
    assert again == check
    assert again.upside_down
    assert RatingCheck.from_json(None) == RatingCheck()


def test_a_large_file_has_the_words_of_about_check_rows_rows_read():
    assert check_every(0) == check_every(CHECK_ROWS) == 1
    assert check_every(CHECK_ROWS + 1) == 2
    assert check_every(1_000_000) == 50
