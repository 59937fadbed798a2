"""The category model: thresholds, non-answers, and partial labels."""

from __future__ import annotations

from textkit.classify import NOT_POSSIBLE, is_non_answer, train_categories

KIND = [f"kind caring nurse {n}" for n in range(8)] + [f"lovely friendly staff {n}" for n in range(8)]
SLOW = [f"waited four hours {n}" for n in range(8)] + [f"long wait for appointment {n}" for n in range(8)]


def test_each_text_gets_its_labels_and_a_non_answer_gets_labelling_not_possible():
    model = train_categories(KIND + SLOW, [["Staff"]] * 16 + [["Waiting"]] * 16)
    assert model.predict(
        ["the nurse was kind and caring", "we waited hours", "Did not answer", " - "], [None] * 4
    ) == [
        ["Staff"],
        ["Waiting"],
        [NOT_POSSIBLE],
        [NOT_POSSIBLE],
    ]
    assert is_non_answer("Did not answer.")
    assert not is_non_answer("Nothing")  # "nothing" to "what could we do better?" is an answer


def test_a_category_with_too_few_examples_is_not_learnt():
    model = train_categories(KIND + SLOW + ["parking"], [["Staff"]] * 16 + [["Waiting"]] * 16 + [["Parking"]])
    assert model.labels == ["Staff", "Waiting"]


def test_partial_labels_teach_their_category_without_counting_against_the_others():
    extra = [f"kind caring nurse and the radio {n}" for n in range(6)]
    texts = KIND + SLOW + extra
    labels = [["Staff"]] * 16 + [["Waiting"]] * 16 + [["Radio"]] * 6
    full = train_categories(texts, labels)
    partial = train_categories(texts, labels, partial=[False] * 32 + [True] * 6)
    probe = ["kind caring nurse"]
    staff_full = full.scores(probe, [None])[0][full.labels.index("Staff")]
    staff_partial = partial.scores(probe, [None])[0][partial.labels.index("Staff")]
    assert "Radio" in partial.labels
    assert staff_partial > staff_full  # the radio comments no longer count as "not staff"
