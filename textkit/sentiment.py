"""Sentiment on three points: positive, neutral or mixed, negative.

Learnt, in order of preference, from:
1. people's sentiment labels, where there are enough of them;
2. otherwise the rating given with each comment, as a weak label (a Friends and Family
   Test answer of very good or good is positive, neither or don't know neutral, poor or
   very poor negative): people mostly write in the tone of the score they gave;
3. otherwise, with no labels and no ratings, a small lexicon of positive and negative
   words, as the last resort.

The model is a multinomial logistic regression over words, the rating and the question
(docs/adr/0016-insight-models.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from textkit.classify import TextFeatures

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression  # loaded where a model is made (classify.py says why)

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"
CLASSES = (POSITIVE, NEUTRAL, NEGATIVE)
MIN_PER_CLASS = 5


def from_score(score: int | None) -> str | None:
    """A five-point sentiment score (1 very positive ... 5 very negative, 3 mixed) on three points."""
    if score is None:
        return None
    if score <= 2:
        return POSITIVE
    if score == 3:
        return NEUTRAL
    return NEGATIVE


def from_rating(rating: int | None) -> str | None:
    """A Friends and Family Test rating (1 very good ... 5 very poor) as a weak label."""
    if rating is None or not 1 <= rating <= 5:
        return None
    return from_score(rating)


_POSITIVE_WORDS = frozenset(
    [
        "good",
        "great",
        "excellent",
        "brilliant",
        "fantastic",
        "kind",
        "caring",
        "helpful",
        "friendly",
        "lovely",
        "amazing",
        "professional",
        "thank",
        "thanks",
        "grateful",
        "outstanding",
        "wonderful",
        "pleased",
        "happy",
        "quick",
        "polite",
        "supportive",
        "reassuring",
        "efficient",
        "compassionate",
        "respectful",
        "clean",
        "best",
        "superb",
    ]
)
_NEGATIVE_WORDS = frozenset(
    [
        "bad",
        "poor",
        "rude",
        "terrible",
        "awful",
        "waited",
        "wait",
        "waiting",
        "delay",
        "delayed",
        "late",
        "cancelled",
        "ignored",
        "dirty",
        "unhelpful",
        "slow",
        "worst",
        "disgusting",
        "upset",
        "angry",
        "frustrated",
        "never",
        "nobody",
        "disappointed",
        "complaint",
        "unacceptable",
        "lost",
        "wrong",
        "pain",
        "unsafe",
        "shocking",
        "dismissive",
    ]
)
_WORD = re.compile(r"[a-z']+")


def lexicon_sentiment(text: str) -> str:
    words = _WORD.findall(text.casefold())
    positive = sum(word in _POSITIVE_WORDS for word in words)
    negative = sum(word in _NEGATIVE_WORDS for word in words)
    if positive and negative:
        return NEUTRAL
    if positive:
        return POSITIVE
    if negative:
        return NEGATIVE
    return NEUTRAL


@dataclass
class SentimentModel:
    """`source` says what it learnt from: "labels", "ratings" or "lexicon"."""

    source: str
    features: TextFeatures | None = None
    model: LogisticRegression | None = None

    def probabilities(
        self, texts: Sequence[str], ratings: Sequence[int | None], questions: Sequence[str] | None = None
    ) -> np.ndarray:
        """One row per text: the probability of each of CLASSES."""
        if self.model is None or self.features is None:
            table = {name: index for index, name in enumerate(CLASSES)}
            result = np.zeros((len(texts), len(CLASSES)))
            for row, text in enumerate(texts):
                result[row, table[lexicon_sentiment(text)]] = 1.0
            return result
        raw = self.model.predict_proba(self.features.transform(texts, ratings, questions))
        # The model's classes may be fewer or in another order than CLASSES.
        result = np.zeros((len(texts), len(CLASSES)))
        for column, name in enumerate(self.model.classes_):
            result[:, CLASSES.index(str(name))] = raw[:, column]
        return result

    def predict(
        self, texts: Sequence[str], ratings: Sequence[int | None], questions: Sequence[str] | None = None
    ) -> list[str]:
        return [CLASSES[int(i)] for i in np.argmax(self.probabilities(texts, ratings, questions), axis=1)]


def train_sentiment(
    texts: Sequence[str],
    labels: Sequence[str | None],
    ratings: Sequence[int | None] | None = None,
    questions: Sequence[str] | None = None,
    *,
    c: float = 8.0,
    features: TextFeatures | None = None,
) -> SentimentModel:
    """Learn sentiment from `labels` (one of CLASSES or None per text), falling back to
    the ratings and then the lexicon; see the module's notes."""
    ratings = list(ratings) if ratings is not None else [None] * len(texts)
    source, targets = "labels", list(labels)
    if not _enough(targets):
        source, targets = "ratings", [from_rating(rating) for rating in ratings]
    if not _enough(targets):
        return SentimentModel(source="lexicon")
    chosen = [i for i, target in enumerate(targets) if target is not None]
    # Words, rating, question, and short answers' words keyed by their question:
    # character sequences added nothing here but time (ADR 0016).
    features = features or TextFeatures(use_characters=False, use_answers_to_questions=True)
    asked = [questions[i] for i in chosen] if questions is not None else None
    matrix = features.fit_transform([texts[i] for i in chosen], [ratings[i] for i in chosen], asked)
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    model = LogisticRegression(C=c, max_iter=3000, class_weight=None)
    model.fit(matrix, [targets[i] for i in chosen])
    return SentimentModel(source=source, features=features, model=model)


def _enough(targets: Sequence[str | None]) -> bool:
    present = [target for target in targets if target is not None]
    return len({*present}) >= 2 and all(present.count(name) >= MIN_PER_CLASS for name in set(present))
