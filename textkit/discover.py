"""Themes no framework names: groups of similar comments, with keywords and typical ones.

Comments are turned into TF-IDF vectors of their words (common English words left out)
and grouped by k-means on those vectors (normalised, so closeness is the cosine of the
angle between them). Each group is labelled by the words that weigh most in its
centre, and shown through the comments nearest its centre: the most typical.

The number of groups grows with the square root of the number of comments, between 3
and MAX_CLUSTERS, unless it is given. A fixed seed makes the result repeatable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from textkit.text import normalise_for_model

MAX_CLUSTERS = 20
MIN_COMMENTS = 10


@dataclass(frozen=True)
class Cluster:
    keywords: list[str]
    members: list[int]  # indices into the texts given, nearest the centre first
    typical: list[int]  # the few nearest the centre

    @property
    def size(self) -> int:
        return len(self.members)


def discover(
    texts: Sequence[str], *, clusters: int | None = None, keywords: int = 6, typical: int = 3, seed: int = 0
) -> list[Cluster]:
    """Groups of similar texts, largest first. Fewer than MIN_COMMENTS texts (or texts
    with no words in common) give no groups."""
    if len(texts) < MIN_COMMENTS:
        return []
    vectoriser = TfidfVectorizer(
        stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True, ngram_range=(1, 2)
    )
    try:
        matrix = vectoriser.fit_transform([normalise_for_model(text) for text in texts])
    except ValueError:  # no word appears twice
        return []
    count = clusters or min(MAX_CLUSTERS, max(3, round(math.sqrt(len(texts) / 2))))
    count = min(count, matrix.shape[0])
    model = MiniBatchKMeans(n_clusters=count, random_state=seed, n_init=3, batch_size=2048)
    assigned = model.fit_predict(matrix)
    centres = model.cluster_centers_
    words = np.array(vectoriser.get_feature_names_out())
    similarity = np.asarray(matrix @ centres.T)
    found = []
    for index in range(count):
        members = np.flatnonzero(assigned == index)
        if len(members) == 0:
            continue
        order = members[np.argsort(-similarity[members, index])]
        heaviest = np.argsort(-centres[index])[:keywords]
        top = [str(words[i]) for i in heaviest if centres[index][i] > 0]
        found.append(
            Cluster(keywords=top, members=[int(i) for i in order], typical=[int(i) for i in order[:typical]])
        )
    return sorted(found, key=lambda cluster: -cluster.size)
