"""Representation ratios and their intervals, against values worked by hand, including
empty groups, tiny samples and unknown answers."""

from __future__ import annotations

import pytest

from engage.reach.representation import (
    likelihood_words,
    representation,
    under_represented_sentence,
    wilson_interval,
)


def test_the_wilson_interval_matches_the_value_worked_by_hand():
    # 5 of 100: centre (0.05 + 1.96²/200) / (1 + 1.96²/100) = 0.06665, half-width 0.04511.
    low, high = wilson_interval(5, 100)
    assert low == pytest.approx(0.02154, abs=5e-5)
    assert high == pytest.approx(0.11175, abs=5e-5)


def test_the_interval_of_nothing_seen_starts_at_zero_and_of_no_trials_is_everything():
    low, high = wilson_interval(0, 20)
    assert low == 0
    assert high == pytest.approx(1.96**2 / (20 + 1.96**2), abs=1e-3)  # 0.161
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="cannot come from"):
        wilson_interval(5, 3)


def test_a_group_heard_a_quarter_as_often_as_it_lives_here_is_named_under_represented():
    # 16 to 24s are 12% of the area but 3% of 200 participants who gave their age.
    reach = representation(
        {"16 to 24": 6, "25 to 64": 150, "65 and over": 44},
        {"16 to 24": 12_000, "25 to 64": 64_000, "65 and over": 24_000},
        unknown=17,
    )
    young = reach.groups[0]
    assert (young.participants, young.participant_share, young.population_share) == (6, 0.03, 0.12)
    assert young.ratio == pytest.approx(0.25)
    low, high = wilson_interval(6, 200)
    assert (young.ratio_low, young.ratio_high) == (pytest.approx(low / 0.12), pytest.approx(high / 0.12))
    assert young.under_represented
    assert not young.over_represented
    middle = reach.groups[1]
    assert middle.ratio == pytest.approx(0.75 / 0.64)
    # 150 of 200 against 64%: the interval lies above 1, but 1.17 is within five quarters.
    assert middle.ratio_low > 1
    assert not middle.over_represented
    assert (reach.answered, reach.unknown, reach.population) == (200, 17, 100_000)
    assert under_represented_sentence("People aged 16 to 24", young) == (
        "People aged 16 to 24 were a quarter as likely to take part as the population would suggest."
    )


def test_a_tiny_sample_is_never_called_significant():
    reach = representation({"Carers": 0, "Not carers": 3}, {"Carers": 10_000, "Not carers": 90_000})
    carers = reach.groups[0]
    assert carers.ratio == 0
    assert not carers.under_represented  # 0 of 3 is what chance would often give
    assert carers.ratio_high > 1


def test_empty_and_unknown_groups_are_kept_not_dropped():
    reach = representation({}, {"Female": 51, "Male": 49}, unknown=4)
    assert [(g.group, g.participants, g.participant_share, g.ratio) for g in reach.groups] == [
        ("Female", 0, None, None),
        ("Male", 0, None, None),
    ]
    assert reach.unknown == 4
    only_ours = representation({"Non-binary": 3, "Female": 5}, {"Female": 100})
    assert [g.group for g in only_ours.groups] == ["Female", "Non-binary"]
    assert only_ours.groups[1].population_share is None
    assert "cannot be judged" in under_represented_sentence("Non-binary people", only_ours.groups[1])


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (0.0, "not at all likely"),
        (0.05, "less than a tenth as likely (5%)"),
        (0.26, "a quarter as likely"),
        (0.34, "a third as likely"),
        (0.5, "half as likely"),
        (0.74, "three quarters as likely"),
        (0.95, "about as likely"),
        (1.3, "30% more likely"),
        (2.1, "twice as likely"),
        (3.0, "three times as likely"),
        (5.2, "5 times as likely"),
    ],
)
def test_a_ratio_is_said_in_plain_words(ratio, words):
    assert likelihood_words(ratio) == words


def test_a_significant_but_small_gap_is_not_named():
    # 9,600 of 10,000 against 97.5%: the interval lies wholly below 1, but 0.98 is no gap
    # worth a board's time; 30 of 10,000 against 2.5% is, and so is 5 times too many.
    reach = representation({"a": 9_600, "b": 30, "c": 370}, {"a": 97_500, "b": 2_000, "c": 500})
    a, b, c = reach.groups
    assert a.ratio_high < 1
    assert not a.under_represented
    assert b.under_represented
    assert c.over_represented
