"""Themes no framework names: groups of similar comments, with keywords and typical ones.

Comments are turned into TF-IDF vectors of their words (common English words left out)
and grouped by k-means on those vectors (normalised, so closeness is the cosine of the
angle between them). Each group is labelled by the words that weigh most in its
centre, and shown through the comments nearest its centre: the most typical.

A person then shapes the groups: two that are one theme are merged (the merged group is
described afresh from the centre of all its comments), and one that mixes two themes is
split (k-means again, on its comments alone). All of this happens in one `ThemeSpace`,
the vectors of one set of comments, so keywords and typicality mean the same for the
groups found, merged and split.

The number of groups grows with the square root of the number of comments, between 3
and MAX_CLUSTERS, unless it is given. A fixed seed makes the result repeatable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from textkit.text import normalise_for_model

MAX_CLUSTERS = 20
MIN_COMMENTS = 10
MAX_SPLIT = 6


@dataclass(frozen=True)
class Cluster:
    keywords: list[str]
    members: list[int]  # indices into the texts given, nearest the centre first
    typical: list[int]  # the few nearest the centre

    @property
    def size(self) -> int:
        return len(self.members)


class ThemeSpace:
    """The TF-IDF vectors of one set of texts, in which groups are found, described,
    merged and split. `usable` is False when the texts share too few words."""

    def __init__(self, texts: Sequence[str], *, keywords: int = 6, typical: int = 3, seed: int = 0) -> None:
        self.keywords = keywords
        self.typical = typical
        self.seed = seed
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

        self._vectoriser = TfidfVectorizer(
            stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True, ngram_range=(1, 2)
        )
        self.matrix: sp.csr_matrix | None = None
        self._words = np.array([], dtype=str)
        if len(texts) < 2:
            return
        try:
            self.matrix = self._vectoriser.fit_transform([normalise_for_model(text) for text in texts])
        except ValueError:  # no word appears twice, or only common words
            return
        self._words = np.array(self._vectoriser.get_feature_names_out())

    @property
    def usable(self) -> bool:
        return self.matrix is not None

    def discover(self, *, clusters: int | None = None) -> list[Cluster]:
        """Groups of similar texts among all of them, largest first. Fewer than
        MIN_COMMENTS texts give no groups."""
        if self.matrix is None or self.matrix.shape[0] < MIN_COMMENTS:
            return []
        rows = np.arange(self.matrix.shape[0])
        count = clusters or min(MAX_CLUSTERS, max(3, round(math.sqrt(len(rows) / 2))))
        return self._group(self.matrix, rows, count)

    def describe(self, members: Sequence[int] | np.ndarray) -> Cluster:
        """One group of these texts, as if found together: the keywords of their centre
        and the texts nearest it. This is how a merged group is shown."""
        rows = np.unique(np.asarray(members, dtype=np.int64))
        if self.matrix is None or len(rows) == 0:
            return Cluster(
                keywords=[], members=[int(i) for i in rows], typical=[int(i) for i in rows[: self.typical]]
            )
        centre = np.asarray(self.matrix[rows].mean(axis=0)).ravel()
        return self._cluster(self.matrix, rows, centre)

    def split(self, members: Sequence[int] | np.ndarray, *, parts: int = 2) -> list[Cluster]:
        """The texts of one group, grouped again into `parts` (2 to MAX_SPLIT), largest
        first. A group too small or too alike to split comes back whole."""
        rows = np.unique(np.asarray(members, dtype=np.int64))
        parts = max(2, min(parts, MAX_SPLIT))
        if self.matrix is None or len(rows) < parts * 2:
            return [self.describe(rows)]
        found = self._group(self.matrix, rows, parts)
        return found if len(found) > 1 else [self.describe(rows)]

    def _group(self, whole: sp.csr_matrix, rows: np.ndarray, count: int) -> list[Cluster]:
        """k-means over these rows of the space, `count` groups at most."""
        from sklearn.cluster import MiniBatchKMeans  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

        count = min(count, len(rows))
        model = MiniBatchKMeans(n_clusters=count, random_state=self.seed, n_init=3, batch_size=2048)
        assigned = model.fit_predict(whole[rows])
        found = [
            self._cluster(whole, rows[assigned == index], model.cluster_centers_[index])
            for index in range(count)
            if np.any(assigned == index)
        ]
        return sorted(found, key=lambda cluster: -cluster.size)

    def _cluster(self, whole: sp.csr_matrix, rows: np.ndarray, centre: np.ndarray) -> Cluster:
        """The group of these rows around `centre`: its heaviest words, nearest rows first."""
        similarity = np.asarray(whole[rows] @ centre).ravel()
        order = rows[np.argsort(-similarity, kind="stable")]
        heaviest = np.argsort(-centre, kind="stable")[: self.keywords]
        top = [str(self._words[i]) for i in heaviest if centre[i] > 0]
        return Cluster(
            keywords=top, members=[int(i) for i in order], typical=[int(i) for i in order[: self.typical]]
        )


def discover(
    texts: Sequence[str], *, clusters: int | None = None, keywords: int = 6, typical: int = 3, seed: int = 0
) -> list[Cluster]:
    """Groups of similar texts, largest first. Fewer than MIN_COMMENTS texts (or texts
    with no words in common) give no groups."""
    if len(texts) < MIN_COMMENTS:
        return []
    return ThemeSpace(texts, keywords=keywords, typical=typical, seed=seed).discover(clusters=clusters)
