"""How precisely a labelled file can measure macro-F1: the resampled interval."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from textkit.evaluate import macro_f1_interval


def _labels(rows: int, positives: list[int], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Truth with `positives[k]` examples of category k, and guesses right four times in five."""
    rng = np.random.default_rng(seed)
    truth = np.zeros((rows, len(positives)), dtype=int)
    for column, count in enumerate(positives):
        truth[rng.choice(rows, count, replace=False), column] = 1
    wrong = rng.random(truth.shape) < 0.2
    guess = np.where(wrong & (truth == 1), 0, truth)
    return truth, guess


def test_perfect_guesses_have_no_doubt_and_the_interval_holds_the_figure():
    truth, guess = _labels(400, [40, 40], seed=1)
    assert macro_f1_interval(truth, truth) == [1.0, 1.0]
    low, high = macro_f1_interval(truth, guess)
    assert low < float(f1_score(truth, guess, average="macro", zero_division=0)) < high
    assert macro_f1_interval(truth, guess) == [low, high]  # the same resamples each time


def test_a_rare_category_widens_the_interval():
    common = macro_f1_interval(*_labels(2000, [200, 200], seed=2))
    rare = macro_f1_interval(*_labels(2000, [200, 6], seed=2))
    assert rare[1] - rare[0] > 2 * (common[1] - common[0])
