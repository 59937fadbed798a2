"""Discovering themes: similar comments end up together, labelled by their shared words."""

from __future__ import annotations

from textkit.discover import discover

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
