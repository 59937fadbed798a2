"""Discovering themes: similar comments end up together, labelled by their shared words."""

from __future__ import annotations

from textkit.discover import Cluster, ThemeSpace, discover

PARKING = [f"The car park was full and parking cost {n} pounds" for n in range(12)]
FOOD = [f"The hospital food was cold and the tea came late on day {n}" for n in range(12)]
PHONE = [f"Could not get through on the phone at 8am, tried {n} times" for n in range(12)]


def test_similar_comments_form_one_group_each_with_their_words_as_keywords():
    groups = discover(PARKING + FOOD + PHONE, clusters=3)
    assert len(groups) == 3
    sets = [set(group.members) for group in groups]
    for block in (range(12), range(12, 24), range(24, 36)):
        assert any(set(block) == members for members in sets)
    keywords = {word for group in groups for word in group.keywords}
    assert {"parking", "food", "phone"} <= keywords
    for group in groups:
        assert group.typical == group.members[:3]


def test_the_result_is_repeatable_and_too_few_comments_give_nothing():
    texts = PARKING + FOOD + PHONE
    first = discover(texts, clusters=3, seed=1)
    again = discover(texts, clusters=3, seed=1)
    assert [g.members for g in first] == [g.members for g in again]
    assert discover(PARKING[:5]) == []
    assert discover(["a b", "c d"] * 6) == []  # nothing in common worth a word


def test_a_merged_group_is_described_from_all_its_comments():
    space = ThemeSpace(PARKING + FOOD + PHONE)
    merged = space.describe(list(range(12)) + list(range(24, 36)))
    assert sorted(merged.members) == list(range(12)) + list(range(24, 36))
    assert {"parking", "phone"} & set(merged.keywords)
    assert merged.typical == merged.members[:3]
    assert not set(merged.keywords) & {"food", "tea"}  # words of comments outside it do not label it


def test_a_group_that_mixes_two_themes_splits_into_them():
    space = ThemeSpace(PARKING + FOOD + PHONE)
    mixed = list(range(12, 36))  # the food and the phone comments
    parts = space.split(mixed, parts=2)
    assert sorted(sorted(part.members) for part in parts) == [list(range(12, 24)), list(range(24, 36))]
    assert space.split(mixed, parts=2)[0].members == parts[0].members  # repeatable


def test_a_group_too_small_to_split_comes_back_whole():
    space = ThemeSpace(PARKING + FOOD + PHONE)
    assert [part.members for part in space.split([0, 1, 2], parts=2)] == [space.describe([0, 1, 2]).members]
    assert not ThemeSpace(["a b", "c d"]).usable
    assert ThemeSpace(["a b", "c d"]).split([0, 1]) == [Cluster(keywords=[], members=[0, 1], typical=[0, 1])]
