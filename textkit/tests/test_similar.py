"""The topic similarity: the same topic in other word forms is close, another topic far."""

from __future__ import annotations

import numpy as np

from textkit.similar import TopicSpace, centred_themes, topic_words

REGISTER = [
    "Unpaid carers: what support do you need? Support for unpaid carers",
    "Can you find an NHS dentist? NHS dental care",
    "Parks and play areas survey. Parks, green spaces and play areas",
]


def test_keywords_and_their_pairs_are_counted() -> None:
    assert topic_words("Waiting for the dentist's appointments") == [
        "wait",
        "dentist",
        "appoint",
        "wait dentist",
        "dentist appoint",
    ]


def test_the_same_topic_in_other_forms_is_closest() -> None:
    space = TopicSpace.fit(REGISTER)
    register = space.vectors(REGISTER)
    similarity = space.similarity(space.vectors(["Finding a dental practice for children"]), register)[0]
    assert int(np.argmax(similarity)) == 1
    assert similarity.min() >= 0
    assert similarity.max() <= 1


def test_themes_add_to_the_words_where_given() -> None:
    space = TopicSpace.fit(REGISTER)
    scores = np.array([[0.9, 0.1], [0.1, 0.9], [0.5, 0.5]])
    centre = scores.mean(axis=0)
    register = space.vectors(REGISTER, themes=centred_themes(scores, centre))
    probe = space.vectors(
        ["Looking after a relative"], themes=centred_themes(np.array([[0.95, 0.05]]), centre)
    )
    words_only = space.similarity(space.vectors(["Looking after a relative"]), space.vectors(REGISTER))[0]
    themed = space.similarity(probe, register)[0]
    assert themed[0] > words_only[0]


def test_an_empty_register_and_no_texts_are_answered() -> None:
    space = TopicSpace.fit([])
    assert len(space.vectors([])) == 0
    assert space.similarity(space.vectors(["anything"]), space.vectors(["topic"])).shape == (1, 1)
