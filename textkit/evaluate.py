"""Measuring the models honestly on labelled comments in the pxtextmining format.

- Identical comments ("Did not answer", "Nothing.") always fall in the same fold
  (folds are grouped by the normalised text): real new comments are not copies of the
  training ones, and a model must not be scored on texts it has already seen.
- Scores are over the sub-categories with at least 5 training examples, with and
  without "Labelling not possible" (blanks and non-answers, which are easy and would
  flatter the figures).
- The same folds train the published pxtextmining SVC configuration as a baseline.
"""

from __future__ import annotations

import csv
import time
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold

from textkit import sentiment as sentiment_module
from textkit.classify import MIN_EXAMPLES, NOT_POSSIBLE, label_counts, train_categories
from textkit.text import normalise_for_grouping

# The pxtextmining columns that are not categories.
_NOT_CATEGORIES = {
    "Comment ID",
    "Trust",
    "Respondent ID",
    "Date",
    "Service type 1",
    "Service type 2",
    "FFT categorical answer",
    "FFT question",
    "FFT answer",
    "Person identifiable info?",
    "Comment sentiment",
}
_YES = {"1", "1.0", "true", "yes"}


@dataclass(frozen=True)
class LabelledComment:
    text: str
    labels: tuple[str, ...]
    sentiment: str | None  # one of sentiment.CLASSES, or None where not labelled
    rating: int | None
    question: str = ""


class LabelledFileError(ValueError):
    """A labelled file that cannot be read, with what is wrong and where."""


def read_labelled(path: Path) -> list[LabelledComment]:
    """Comments, their categories, sentiment and rating from a pxtextmining-format CSV."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            headings = reader.fieldnames or []
            if "FFT answer" not in headings:
                raise LabelledFileError(
                    f"{path.name}: line 1 has no 'FFT answer' column, so this is not a file in the "
                    f"pxtextmining format. The columns found: {', '.join(headings[:12]) or 'none'}."
                )
            categories = [h for h in headings if h not in _NOT_CATEGORIES]
            comments = []
            for row in reader:
                comments.append(
                    LabelledComment(
                        text=(row.get("FFT answer") or "").strip(),
                        labels=tuple(c for c in categories if (row.get(c) or "").strip().casefold() in _YES),
                        sentiment=sentiment_module.from_score(_number(row.get("Comment sentiment"))),
                        rating=_number(row.get("FFT categorical answer")),
                        question=(row.get("FFT question") or "").strip(),
                    )
                )
    except UnicodeDecodeError as error:
        raise LabelledFileError(f"{path.name}: the file is not UTF-8 text ({error.reason}).") from error
    except csv.Error as error:
        raise LabelledFileError(f"{path.name}: the file could not be read as CSV ({error}).") from error
    return comments


def _number(value: str | None) -> int | None:
    try:
        return int(float((value or "").strip()))
    except ValueError:
        return None


def grouped_folds(texts: Sequence[str], folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    groups = [normalise_for_grouping(text) for text in texts]
    return list(GroupKFold(n_splits=folds).split(np.zeros(len(texts)), groups=groups))


# How many times the comments are resampled for macro-F1's interval, and the share of
# resamples left out at each end (a 95% interval).
RESAMPLES = 1000
_TAIL = 2.5


def macro_f1_interval(y_true: np.ndarray, y_pred: np.ndarray, *, seed: int = 0) -> list[float]:
    """Where macro-F1 would lie on other comments like these: the 95% interval of its
    values on RESAMPLES resamples of the comments (drawn with replacement). With a few
    examples of a rare category in the file, one more found or missed moves macro-F1 a
    lot, and two models closer than this interval cannot be told apart on this file."""
    truth, guess = y_true.astype(bool), y_pred.astype(bool)
    rng = np.random.default_rng(seed)
    values = np.empty(RESAMPLES)
    for resample in range(RESAMPLES):
        rows = rng.integers(0, len(truth), len(truth))
        t, g = truth[rows], guess[rows]
        found = (t & g).sum(axis=0)
        wrong = (g & ~t).sum(axis=0) + (t & ~g).sum(axis=0)
        values[resample] = np.mean(np.where(found > 0, 2 * found / np.maximum(2 * found + wrong, 1), 0.0))
    low, high = np.percentile(values, [_TAIL, 100 - _TAIL])
    return [round(float(low), 4), round(float(high), 4)]


def scored_labels(train_labels: Sequence[Sequence[str]], *, include_not_possible: bool) -> list[str]:
    """The sub-categories with at least MIN_EXAMPLES training examples."""
    return sorted(
        label
        for label, count in label_counts(train_labels).items()
        if count >= MIN_EXAMPLES and (include_not_possible or label != NOT_POSSIBLE)
    )


def _indicator(label_sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    return np.array([[label in set(row) for label in labels] for row in label_sets], dtype=int)


class PxtextminingSvc:
    """The published pxtextmining SVC configuration: TF-IDF, an RBF SVC per category
    with C=15 and balanced classes, probability threshold 0.3, and the most probable
    category for a comment that clears none."""

    def fit(self, train: list[LabelledComment]) -> PxtextminingSvc:
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn takes seconds to load; only the baseline needs it
        from sklearn.svm import SVC  # noqa: PLC0415 - scikit-learn takes seconds to load; only the baseline needs it

        self.labels = scored_labels([c.labels for c in train], include_not_possible=True)
        self.vectoriser = TfidfVectorizer()
        matrix = self.vectoriser.fit_transform([c.text for c in train])
        truth = _indicator([c.labels for c in train], self.labels)
        self.models = []
        for column in range(len(self.labels)):
            model = SVC(C=15, kernel="rbf", class_weight="balanced", probability=True, random_state=0)
            with warnings.catch_warnings():
                # scikit-learn 1.9 deprecates probability=True; it is kept here because it
                # is the published configuration being compared with.
                warnings.simplefilter("ignore", FutureWarning)
                model.fit(matrix, truth[:, column])
            self.models.append(model)
        return self

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        test_matrix = self.vectoriser.transform(list(texts))
        probabilities = np.zeros((len(texts), len(self.labels)))
        for column, model in enumerate(self.models):
            probabilities[:, column] = model.predict_proba(test_matrix)[:, 1]
        predicted = []
        for row in probabilities:
            chosen = [self.labels[i] for i in np.flatnonzero(row >= 0.3)]
            predicted.append(chosen or [self.labels[int(np.argmax(row))]])
        return predicted


def pxtextmining_svc(train: list[LabelledComment], test: list[LabelledComment]) -> list[list[str]]:
    return PxtextminingSvc().fit(train).predict([c.text for c in test])


@dataclass
class CategoryScores:
    micro_f1: float
    macro_f1: float
    micro_f1_all: float
    macro_f1_all: float
    per_label_f1: dict[str, float]
    train_seconds: float
    comments_per_second: float
    macro_f1_interval: list[float]


def score_categories(
    train: list[LabelledComment],
    test: list[LabelledComment],
    predicted: list[list[str]],
    *,
    train_seconds: float,
    predict_seconds: float,
) -> CategoryScores:
    train_labels = [c.labels for c in train]
    truth = [c.labels for c in test]
    results: dict[str, float] = {}
    for include, suffix in ((False, ""), (True, "_all")):
        labels = scored_labels(train_labels, include_not_possible=include)
        y_true, y_pred = _indicator(truth, labels), _indicator(predicted, labels)
        results["micro" + suffix] = float(f1_score(y_true, y_pred, average="micro", zero_division=0))
        results["macro" + suffix] = float(f1_score(y_true, y_pred, average="macro", zero_division=0))
        if not include:
            interval = macro_f1_interval(y_true, y_pred)
    labels = scored_labels(train_labels, include_not_possible=True)
    per_label = f1_score(
        _indicator(truth, labels), _indicator(predicted, labels), average=None, zero_division=0
    )
    return CategoryScores(
        micro_f1=results["micro"],
        macro_f1=results["macro"],
        micro_f1_all=results["micro_all"],
        macro_f1_all=results["macro_all"],
        per_label_f1={label: round(float(f1), 4) for label, f1 in zip(labels, per_label, strict=True)},
        train_seconds=train_seconds,
        comments_per_second=len(test) / predict_seconds if predict_seconds > 0 else float("inf"),
        macro_f1_interval=interval,
    )


def evaluate(
    train: list[LabelledComment],
    test: list[LabelledComment],
    *,
    examples: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Train on one labelled set and score another: the figures of
    `engage insight evaluate`."""
    fold = our_fold(train, test, examples=examples)
    predicted, feelings = fold.labels, fold.sentiments or []
    scores = score_categories(
        train, test, predicted, train_seconds=fold.train_seconds, predict_seconds=fold.predict_seconds
    )
    judged = [(c.sentiment, guess) for c, guess in zip(test, feelings, strict=True) if c.sentiment]
    return {
        "micro_f1": round(scores.micro_f1, 4),
        "macro_f1": round(scores.macro_f1, 4),
        "macro_f1_interval": scores.macro_f1_interval,
        "micro_f1_all": round(scores.micro_f1_all, 4),
        "macro_f1_all": round(scores.macro_f1_all, 4),
        "per_label_f1": scores.per_label_f1,
        "sentiment_accuracy": round(float(accuracy_score(*zip(*judged, strict=True))), 4) if judged else None,
        "sentiment_macro_f1": (
            round(float(f1_score(*zip(*judged, strict=True), average="macro")), 4) if judged else None
        ),
        "sentiment_source": fold.sentiment_source,
        "train_seconds": round(fold.train_seconds, 3),
        "comments_per_second": round(len(test) / fold.predict_seconds, 1) if fold.predict_seconds else None,
        "train_comments": len(train),
        "test_comments": len(test),
    }


# ---------------------------------------------------------------------------------------
# Cross-validation on one labelled file (bench/insight_quality.py).


@dataclass
class FoldPredictions:
    labels: list[list[str]]
    sentiments: list[str] | None
    train_seconds: float
    predict_seconds: float
    sentiment_source: str = ""


def our_fold(
    train: list[LabelledComment],
    test: list[LabelledComment],
    *,
    examples: Mapping[str, Sequence[str]] | None = None,
) -> FoldPredictions:
    """Our models trained on `train` (with a framework's `examples` of its categories, as
    the product trains them) and their predictions for `test`."""
    started = time.perf_counter()
    model = train_categories(
        [c.text for c in train],
        [c.labels for c in train],
        [c.rating for c in train],
        [c.question for c in train],
        examples=examples,
    )
    feeling = sentiment_module.train_sentiment(
        [c.text for c in train],
        [c.sentiment for c in train],
        [c.rating for c in train],
        [c.question for c in train],
    )
    trained = time.perf_counter()
    labels = model.predict([c.text for c in test], [c.rating for c in test], [c.question for c in test])
    sentiments = feeling.predict([c.text for c in test], [c.rating for c in test], [c.question for c in test])
    return FoldPredictions(
        labels, sentiments, trained - started, time.perf_counter() - trained, feeling.source
    )


def baseline_fold(train: list[LabelledComment], test: list[LabelledComment]) -> FoldPredictions:
    started = time.perf_counter()
    labels = pxtextmining_svc(train, test)
    return FoldPredictions(labels, None, time.perf_counter() - started, 0.0)


def cross_validate(
    comments: list[LabelledComment],
    *,
    folds: int = 5,
    fold: Callable[[list[LabelledComment], list[LabelledComment]], FoldPredictions] = our_fold,
) -> dict[str, Any]:
    """Out-of-fold predictions for every comment (folds grouped by normalised text),
    scored once over the sub-categories with at least MIN_EXAMPLES training examples in
    every fold."""
    predicted: list[list[str]] = [[] for _ in comments]
    feelings: list[str | None] = [None for _ in comments]
    counts: list[Counter[str]] = []
    train_seconds = predict_seconds = 0.0
    for train_index, test_index in grouped_folds([c.text for c in comments], folds):
        train = [comments[i] for i in train_index]
        test = [comments[i] for i in test_index]
        result = fold(train, test)
        for position, index in enumerate(test_index):
            predicted[index] = result.labels[position]
            if result.sentiments is not None:
                feelings[index] = result.sentiments[position]
        counts.append(label_counts([c.labels for c in train]))
        train_seconds += result.train_seconds
        predict_seconds += result.predict_seconds
    everywhere = sorted(
        label for label in counts[0] if all(count.get(label, 0) >= MIN_EXAMPLES for count in counts)
    )
    truth = [c.labels for c in comments]
    figures: dict[str, Any] = {}
    # "Labelling not possible" is scored in the _all figures whenever the file has
    # enough of it (grouping may put every "Did not answer" in one fold).
    not_possible = sum(NOT_POSSIBLE in labels for labels in (c.labels for c in comments)) >= MIN_EXAMPLES
    for include, suffix in ((False, ""), (True, "_all")):
        labels = [label for label in everywhere if label != NOT_POSSIBLE]
        if include and not_possible:
            labels.append(NOT_POSSIBLE)
        y_true, y_pred = _indicator(truth, labels), _indicator(predicted, labels)
        figures["micro_f1" + suffix] = round(
            float(f1_score(y_true, y_pred, average="micro", zero_division=0)), 4
        )
        figures["macro_f1" + suffix] = round(
            float(f1_score(y_true, y_pred, average="macro", zero_division=0)), 4
        )
        if not include:
            figures["macro_f1_interval"] = macro_f1_interval(y_true, y_pred)
    per_label = f1_score(
        _indicator(truth, everywhere), _indicator(predicted, everywhere), average=None, zero_division=0
    )
    figures["per_label_f1"] = {
        label: round(float(f1), 4) for label, f1 in zip(everywhere, per_label, strict=True)
    }
    judged = [
        (c.sentiment, feeling)
        for c, feeling in zip(comments, feelings, strict=True)
        if c.sentiment and feeling
    ]
    if judged:
        truth_s, guess_s = zip(*judged, strict=True)
        figures["sentiment_accuracy"] = round(float(accuracy_score(truth_s, guess_s)), 4)
        figures["sentiment_macro_f1"] = round(float(f1_score(truth_s, guess_s, average="macro")), 4)
    figures["labels_scored"] = len([label for label in everywhere if label != NOT_POSSIBLE])
    figures["train_seconds"] = round(train_seconds / folds, 3)
    figures["comments_per_second"] = round(len(comments) / predict_seconds, 1) if predict_seconds else None
    return figures
