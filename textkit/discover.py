"""Themes no framework names: groups of similar comments, with keywords and typical ones.

Comments are turned into TF-IDF vectors of their words (common English words left out)
and grouped by k-means on those vectors reduced to SHAPE dimensions (latent semantic
analysis: truncated SVD, then normalised, so closeness is the cosine of the angle
between them). Each group is labelled by the words that weigh most in the mean TF-IDF
vector of its comments, and shown through the comments nearest that: the most typical.

What would otherwise make one group of nearly everything is dealt with first:
contractions are written out ("doesn't" is "does not", so no keyword is "doesn"); runs
of SHINGLE words that open or fill more than SHARED of the comments (event-note
openings, a form's prompt) are left out; and k-means runs on the reduced vectors, on
which plain k-means on TF-IDF put 98 % of the demo ICB's comments in one group. A group
still holding over half of the comments is split in two until none does.

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
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from textkit.text import normalise_for_model

if TYPE_CHECKING:
    import scipy.sparse as sp  # for the types only: classify.py says why SciPy is loaded late

MAX_CLUSTERS = 20
MIN_COMMENTS = 10
MAX_SPLIT = 6
SHAPE = 50  # dimensions k-means groups in (bench/discovery_quality.py measured 20 to 100)
SHINGLE = 4  # words in a run of shared text
SHARED = 0.02  # share of the comments above which a run of words is shared text, not a theme
SHARED_AT_LEAST = 20  # ... and never fewer comments than this, so a small set keeps its words
MOST = 0.5  # the largest share of the comments one group found may hold

_CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(it|that|there|here|what|who|he|she|where|how)'s\b"), r"\1 is"),
)
_WORD = re.compile(r"\w+")


def expand_contractions(text: str) -> str:
    """The text (lower case) with its contractions written out: "doesn't" is "does not"."""
    text = text.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
    if "'" not in text:
        return text
    for pattern, written in _CONTRACTIONS:
        text = pattern.sub(written, text)
    return text


def without_shared_text(texts: Sequence[str]) -> list[str]:
    """The texts' words, less every run of SHINGLE words found in more than SHARED of
    them (and in SHARED_AT_LEAST or more): the text many comments share whatever they
    are about, such as "at the drop in a resident said" or a survey's question."""
    words = [_WORD.findall(text) for text in texts]
    least = max(SHARED_AT_LEAST, SHARED * len(texts))
    counts: Counter[tuple[str, ...]] = Counter()
    for found in words:
        counts.update({tuple(found[i : i + SHINGLE]) for i in range(len(found) - SHINGLE + 1)})
    shared = {run for run, count in counts.items() if count >= least}
    if not shared:
        return [" ".join(found) for found in words]
    kept = []
    for found in words:
        dropped = [False] * len(found)
        for i in range(len(found) - SHINGLE + 1):
            if tuple(found[i : i + SHINGLE]) in shared:
                dropped[i : i + SHINGLE] = [True] * SHINGLE
        kept.append(" ".join(word for word, drop in zip(found, dropped, strict=True) if not drop))
    return kept


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
        self._shape: np.ndarray | sp.csr_matrix | None = None  # what k-means groups in
        self._words = np.array([], dtype=str)
        if len(texts) < 2:
            return
        prepared = without_shared_text([expand_contractions(normalise_for_model(text)) for text in texts])
        try:
            self.matrix = self._vectoriser.fit_transform(prepared)
        except ValueError:  # no word appears twice, or only common words
            return
        self._words = np.array(self._vectoriser.get_feature_names_out())
        self._shape = _reduced(self.matrix, seed)

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
        assigned = self._assign(rows, count)
        while True:  # split the largest group in two while it holds over MOST of them
            label, size = Counter(assigned.tolist()).most_common(1)[0]
            inside = np.flatnonzero(assigned == label)
            if size <= MOST * len(rows):
                break
            halves = self._assign(rows[inside], 2)
            if np.all(halves == halves[0]):  # all alike: it cannot be split
                break
            assigned[inside[halves == 1]] = assigned.max() + 1
        return self._clusters(rows, assigned)

    def describe(self, members: Sequence[int] | np.ndarray) -> Cluster:
        """One group of these texts, as if found together: the keywords of their centre
        and the texts nearest it. This is how a merged group is shown."""
        rows = np.unique(np.asarray(members, dtype=np.int64))
        if self.matrix is None or len(rows) == 0:
            return Cluster(
                keywords=[], members=[int(i) for i in rows], typical=[int(i) for i in rows[: self.typical]]
            )
        return self._cluster(rows)

    def split(self, members: Sequence[int] | np.ndarray, *, parts: int = 2) -> list[Cluster]:
        """The texts of one group, grouped again into `parts` (2 to MAX_SPLIT), largest
        first. A group too small or too alike to split comes back whole."""
        rows = np.unique(np.asarray(members, dtype=np.int64))
        parts = max(2, min(parts, MAX_SPLIT))
        if self.matrix is None or len(rows) < parts * 2:
            return [self.describe(rows)]
        found = self._clusters(rows, self._assign(rows, parts))
        return found if len(found) > 1 else [self.describe(rows)]

    def _assign(self, rows: np.ndarray, count: int) -> np.ndarray:
        """k-means over these rows of the reduced space: each row's group, 0 to count - 1."""
        from sklearn.cluster import KMeans  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it
        from threadpoolctl import threadpool_limits  # noqa: PLC0415 - scikit-learn's own; loaded with it

        if self._shape is None:
            raise ValueError("These texts share too few words to group.")
        count = min(count, len(rows))
        model = KMeans(n_clusters=count, random_state=self.seed, n_init=3)
        # One thread: a few thousand rows of SHAPE numbers take half a second on one, and
        # many seconds where k-means's threads compete for a busy machine's cores.
        with threadpool_limits(limits=1):
            return np.asarray(model.fit_predict(self._shape[rows]), dtype=np.int64)

    def _clusters(self, rows: np.ndarray, assigned: np.ndarray) -> list[Cluster]:
        found = [self._cluster(rows[assigned == label]) for label in np.unique(assigned)]
        return sorted(found, key=lambda cluster: (-cluster.size, cluster.members[0]))

    def _cluster(self, rows: np.ndarray) -> Cluster:
        """The group of these rows: the heaviest words of their mean TF-IDF vector, the
        rows nearest it first."""
        if self.matrix is None:
            raise ValueError("These texts share too few words to group.")
        whole = self.matrix
        centre = np.asarray(whole[rows].mean(axis=0)).ravel()
        similarity = np.asarray(whole[rows] @ centre).ravel()
        order = rows[np.argsort(-similarity, kind="stable")]
        heaviest = np.argsort(-centre, kind="stable")[: self.keywords]
        top = [str(self._words[i]) for i in heaviest if centre[i] > 0]
        return Cluster(
            keywords=top, members=[int(i) for i in order], typical=[int(i) for i in order[: self.typical]]
        )


def _reduced(matrix: sp.csr_matrix, seed: int) -> np.ndarray | sp.csr_matrix:
    """The TF-IDF rows reduced to SHAPE dimensions by truncated SVD and normalised; the
    rows themselves where there are too few words or texts to reduce."""
    from sklearn.decomposition import TruncatedSVD  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it
    from sklearn.preprocessing import normalize  # noqa: PLC0415 - as above

    dimensions = min(SHAPE, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if dimensions < 2:
        return matrix
    from threadpoolctl import threadpool_limits  # noqa: PLC0415 - as above

    with threadpool_limits(limits=1):  # as in ThemeSpace._assign
        reduced = TruncatedSVD(n_components=dimensions, random_state=seed).fit_transform(matrix)
    return np.asarray(normalize(reduced), dtype=np.float64)


def discover(
    texts: Sequence[str], *, clusters: int | None = None, keywords: int = 6, typical: int = 3, seed: int = 0
) -> list[Cluster]:
    """Groups of similar texts, largest first. Fewer than MIN_COMMENTS texts (or texts
    with no words in common) give no groups."""
    if len(texts) < MIN_COMMENTS:
        return []
    return ThemeSpace(texts, keywords=keywords, typical=typical, seed=seed).discover(clusters=clusters)
