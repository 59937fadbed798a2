"""One pass over a chunk of comments: personal details removed, categories, sentiment.

`Analyser.analyse` is a plain function of its inputs (the texts, their ratings and the
trained models), so the same chunk gives the same answer whether it runs in the web
worker, in a process pool or on a Dask cluster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from textkit.classify import CategoryModel, is_non_answer
from textkit.redact import redact
from textkit.sentiment import CLASSES, SentimentModel, lexicon_sentiment


@dataclass(frozen=True)
class Analysis:
    redacted: str
    redactions: dict[str, int]
    labels: list[tuple[str, float]]  # (sub-category, score), most likely first
    sentiment: str
    uncertainty: float  # 0 sure ... 1 unsure


@dataclass
class Analyser:
    """The trained models a run applies; `categories` is None until people have
    labelled enough conversations to learn from."""

    sentiment: SentimentModel
    categories: CategoryModel | None = None
    framework: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def analyse(
        self,
        texts: Sequence[str],
        ratings: Sequence[int | None],
        questions: Sequence[str] | None = None,
        *,
        today: dt.date | None = None,
    ) -> list[Analysis]:
        redactions = [redact(text, today=today) for text in texts]
        redacted = [r.text for r in redactions]
        if self.sentiment.model is None:
            feelings = [lexicon_sentiment(text) for text in redacted]
            feeling_doubt = [0.5] * len(texts)
        else:
            probabilities = self.sentiment.probabilities(redacted, ratings, questions)
            feelings = [CLASSES[int(i)] for i in np.argmax(probabilities, axis=1)]
            # 1 - (best - second best): an even split between two classes is unsure.
            ordered = np.sort(probabilities, axis=1)
            feeling_doubt = list(1.0 - (ordered[:, -1] - ordered[:, -2]))
        labels: list[list[tuple[str, float]]] = [[] for _ in texts]
        label_doubt = [0.0] * len(texts)
        if self.categories is not None and self.categories.labels:
            scores = self.categories.scores(redacted, ratings, questions)
            names = self.categories.labels
            thresholds = self.categories.thresholds
            # Worked out for the whole chunk at once: above each threshold or not, and
            # how far from it, as a share of the distance it could be.
            above = scores >= thresholds
            nearest = np.argmax(scores - thresholds, axis=1)  # the label given when none clears
            margins = np.abs(scores - thresholds) / np.maximum(thresholds, 1 - thresholds)
            for row, text in enumerate(redacted):
                if is_non_answer(text):
                    continue
                chosen = np.flatnonzero(above[row])
                if len(chosen) == 0:
                    chosen = nearest[row : row + 1]
                labels[row] = sorted(
                    ((names[i], float(scores[row, i])) for i in chosen), key=lambda pair: -pair[1]
                )
                # The decision nearest its threshold, among the labels given and the
                # best of the rest.
                rest = np.where(above[row], -np.inf, scores[row] - thresholds)
                rest[chosen] = -np.inf
                considered: list[int] = [int(i) for i in chosen]
                if np.isfinite(rest).any():
                    considered.append(int(np.argmax(rest)))
                label_doubt[row] = float(1.0 - min(1.0, float(np.min(margins[row, considered]))))
        return [
            Analysis(
                redacted=redactions[row].text,
                redactions=dict(redactions[row].found),
                labels=labels[row],
                sentiment=feelings[row],
                uncertainty=round(max(label_doubt[row], float(feeling_doubt[row])), 4),
            )
            for row in range(len(texts))
        ]
