"""The category and sentiment models: thresholds, non-answers, partial labels, the
word-ratio models and short answers read with their question."""

from __future__ import annotations

import copy

import numpy as np
from sklearn.linear_model import LogisticRegression

from textkit.classify import (
    NOT_POSSIBLE,
    SHORT_ANSWER_WORDS,
    TextFeatures,
    _fit_by_ratio,
    _keyed_by_question,
    _log_ratios,
    _present,
    _sigmoid,
    examples_by_label,
    is_non_answer,
    train_categories,
)
from textkit.sentiment import NEGATIVE, POSITIVE, train_sentiment

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


def test_a_frameworks_examples_teach_the_categories_people_have_labelled_enough():
    texts, labels = KIND + SLOW, [["Staff"]] * 16 + [["Waiting"]] * 16
    examples = {"Waiting": ["queued all morning", "sat in the queue for ages"], "Parking": ["no spaces"] * 9}
    without = train_categories(texts, labels)
    with_examples = train_categories(texts, labels, examples=examples)
    probe = ["a queue all morning"]
    waiting = with_examples.labels.index("Waiting")
    assert with_examples.scores(probe, [None])[0][waiting] > without.scores(probe, [None])[0][waiting]
    # Examples never make a category learnt: people must have labelled enough of it.
    assert with_examples.labels == ["Staff", "Waiting"]


def test_examples_by_label_reads_a_framework_file_with_its_version_6_names():
    framework = {
        "categories": [{"name": "Care", "subcategories": [{"name": "Pain", "examples": ["left in agony"]}]}],
        "v6_mapping": {"Pain management": "Pain", "Nothing here": "Missing"},
    }
    assert examples_by_label(framework) == {"Pain": ["left in agony"], "Pain management": ["left in agony"]}


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


def test_the_word_ratio_weights_score_as_the_model_over_scaled_features_would():
    # The second model is stored folded into one weight per feature; folding must not
    # change a score.
    features = TextFeatures()
    present = _present(features.fit_transform(KIND + SLOW, [None] * 32))
    target = np.array([1] * 16 + [0] * 16)
    weights, intercept = _fit_by_ratio(present, target, 4.0)
    scaled = present.multiply(_log_ratios(present, target)).tocsr()
    direct = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, solver="liblinear")
    expected = direct.fit(scaled, target).predict_proba(scaled)[:, 1]
    assert np.allclose(_sigmoid(present @ weights + intercept), expected, atol=1e-5)


def test_both_models_score_and_a_model_saved_before_the_second_one_still_scores():
    model = train_categories(KIND + SLOW, [["Staff"]] * 16 + [["Waiting"]] * 16)
    assert model.by_ratio is not None
    probe = ["the nurse was kind and caring", "we waited hours"]
    blended = model.scores(probe, [None] * 2)
    older = copy.copy(model)
    del older.__dict__["by_ratio"]  # as a model pickled before the field was added
    alone = older.scores(probe, [None] * 2)
    assert not np.allclose(blended, alone)
    for scores in (blended, alone):
        assert scores[0][model.labels.index("Staff")] > 0.5 > scores[1][model.labels.index("Staff")]


def test_features_saved_before_answers_were_keyed_by_question_still_transform():
    features = TextFeatures()
    columns = features.fit_transform(KIND + SLOW, [None] * 32).shape[1]
    del features.__dict__["use_answers_to_questions"]  # as pickled before the field was added
    assert features.transform(["kind nurse"], [None], ["What was good?"]).shape == (1, columns)


def test_a_short_answer_is_read_with_its_question_and_a_long_one_by_its_words_alone():
    # The key is the same in every process and every release (Python's own hash() of a
    # string is not): a saved model's vocabulary depends on it.
    assert _keyed_by_question("nothing at all", "what was good?") == (
        "563ce985:nothing 563ce985:at 563ce985:all"
    )
    keyed = _keyed_by_question("nothing at all", "how could we improve?").split()
    assert [token.split(":")[1] for token in keyed] == ["nothing", "at", "all"]
    assert not keyed[0].startswith("563ce985:")
    long_answer = " ".join(["word"] * (SHORT_ANSWER_WORDS + 1))
    assert _keyed_by_question(long_answer, "what was good?") == ""


def test_sentiment_learns_that_the_same_short_answer_means_what_its_question_makes_it_mean():
    # "Nothing" is a complaint about what was good and praise about what to improve;
    # "Everything" the other way round. Words and question added up cannot tell these
    # four apart: only the words read with their question can.
    good, better = "What was good?", "How could we improve?"
    texts = ["Nothing", "Nothing", "Everything", "Everything"] * 12
    labels = [NEGATIVE, POSITIVE, POSITIVE, NEGATIVE] * 12
    questions = [good, better, good, better] * 12
    model = train_sentiment(texts, labels, [None] * len(texts), questions)
    assert model.predict(texts[:4], [None] * 4, questions[:4]) == labels[:4]
