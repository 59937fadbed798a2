"""Discovering themes: similar comments end up together, labelled by their shared words."""

from __future__ import annotations

from textkit.discover import Cluster, ThemeSpace, discover, expand_contractions, without_shared_text

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


FRAGMENTS = {"doesn", "don", "didn", "isn", "wasn", "couldn", "won", "ve", "ll", "re", "t", "s", "m", "d"}


def test_contractions_are_written_out_so_no_keyword_is_a_fragment_of_one():
    assert expand_contractions(
        "it doesn't work, i can't and i'm sure it's they've won\N{RIGHT SINGLE QUOTATION MARK}t"
    ) == ("it does not work, i can not and i am sure it is they have will not")
    texts = [f"The bus doesn't come and I don't drive, day {n}" for n in range(12)]
    texts += [f"I couldn't park and it isn't cheap, wasn't happy {n}" for n in range(12)]
    texts += FOOD
    words = {
        word
        for group in discover(texts, clusters=3)
        for keyword in group.keywords
        for word in keyword.split()
    }
    assert words
    assert not words & FRAGMENTS


def test_text_most_comments_share_is_left_out_and_the_themes_still_found():
    opening = "At the drop in session a resident said"
    texts = [
        f"{opening} {text}" for text in PARKING + FOOD + PHONE
    ]  # each theme 12 times: its words are its own
    alike = without_shared_text([f"{opening.lower()} number{n} hello" for n in range(25)])
    assert alike[0] == "number0 hello"
    assert without_shared_text([opening.lower()] * 5)[0] == opening.lower()  # a few alike are kept whole
    groups = discover(texts, clusters=3)
    words = {word for group in groups for keyword in group.keywords for word in keyword.split()}
    assert not words & {"drop", "session", "resident"}
    assert {"parking", "food", "phone"} <= words


def test_no_group_found_holds_over_half_of_the_comments():
    hours = ("two", "three", "four", "five", "six", "seven")
    places = ("in A&E", "at urgent care", "for the walk-in centre", "at minor injuries", "in casualty")
    feelings = ("awful", "far too long")
    waiting = [f"Waited {h} hours {p}, {f}" for h in hours for p in places for f in feelings]
    texts = waiting + PARKING + FOOD
    groups = discover(texts, clusters=3)
    assert sum(group.size for group in groups) == len(texts)
    assert max(group.size for group in groups) <= len(texts) / 2
    assert [g.members for g in groups] == [g.members for g in discover(texts, clusters=3)]  # repeatable
