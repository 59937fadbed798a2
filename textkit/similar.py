"""How alike two short texts are in topic: an activity being registered and those already
in the register ("before you ask" and the overlap warning, ADR 0050).

Keyword sets alone (the overlap warning before step 12) miss much of what a person sees:
"getting a lift to your hospital appointment" and "non-emergency patient transport
review" share one keyword. A `TopicSpace` compares texts with the same kind of vectors
the analysis classifies comments with (textkit/classify.py):

- **words**: TF-IDF of a text's keywords (stop words out, word forms folded, as
  `textkit.keywords` makes them) and of adjacent pairs of them, so a rare shared word
  ("dementia") counts for more than a common one ("care");
- **character sequences** of four and five letters within words, which match word forms
  the stemmer does not fold ("dentist" and "dental", "disabled" and "disability");

and, where the caller has them, the **themes** the analysis model finds in each text
(its category scores, centred), so that two texts about the same themes in other words
are a little closer. The similarity is their weighted mean, each part a cosine (0 to 1).

Measured on 21 activities registered afresh against the demo register, with a person's
judgement of 200 pairs (bench/before_you_ask_quality.py): this beat latent semantic
analysis learnt from the demo's comments, which pulled unrelated activities together.

No Django here: the same object is fitted in any process and kept by its caller.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from textkit.keywords import STOP_WORDS, stem

if TYPE_CHECKING:
    import scipy.sparse as sp  # classify.py says why SciPy and scikit-learn load late

CHARACTERS_WEIGHT = 0.3  # of the character sequences, against the words
THEMES_WEIGHT = 0.1  # of the analysis's themes, where there are any
_WORD = re.compile(r"[a-z][a-z0-9']+")


def topic_words(text: str) -> list[str]:
    """A text's keywords in order (stop words out, forms folded), and each adjacent
    pair of them: what the words part counts."""
    words = [stem(w.removesuffix("'s").rstrip("'")) for w in _WORD.findall(text.lower())]
    kept = [w for w in words if w and w not in STOP_WORDS and len(w) > 1]
    return kept + [f"{a} {b}" for a, b in itertools.pairwise(kept)]


@dataclass
class TopicVectors:
    """Texts in a space: their rows of each part, each row of unit length (or zeros for a
    text with nothing the space knows). `themes` is None where no model scored them."""

    words: sp.csr_matrix
    characters: sp.csr_matrix
    themes: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.words.shape[0])


def _cosines(these: Any, those: Any) -> np.ndarray:
    product = these @ those.T
    return np.asarray(product.todense() if hasattr(product, "todense") else product)


def centred_themes(scores: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Theme scores less the register's mean, at unit length: what sets a text apart."""
    rows = scores - centre
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


@dataclass
class TopicSpace:
    words: Any  # a fitted TfidfVectorizer over `topic_words`
    characters: Any  # a fitted TfidfVectorizer over character sequences within words

    @classmethod
    def fit(cls, texts: Sequence[str], *, background: Sequence[str] = ()) -> TopicSpace:
        """Learn the vocabularies and how rare each term is from `texts` (those to be
        compared: the register) and a `background` (such as the framework's themes)."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - see classify.py

        corpus = [*texts, *background] or ["topic"]
        words = TfidfVectorizer(analyzer=topic_words, sublinear_tf=True)
        characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True)
        try:
            words.fit(corpus)
        except ValueError:  # not one keyword in the whole corpus
            words.fit([*corpus, "topic"])
        try:
            characters.fit(corpus)
        except ValueError:
            characters.fit([*corpus, "topic"])
        return cls(words=words, characters=characters)

    def vectors(self, texts: Sequence[str], *, themes: np.ndarray | None = None) -> TopicVectors:
        """The texts' vectors; `themes`, their centred theme scores (`centred_themes`)."""
        texts = list(texts)
        if not texts:
            import scipy.sparse as sp  # noqa: PLC0415 - see classify.py

            return TopicVectors(
                words=sp.csr_matrix((0, len(self.words.vocabulary_))),
                characters=sp.csr_matrix((0, len(self.characters.vocabulary_))),
                themes=themes,
            )
        return TopicVectors(
            words=self.words.transform(texts).tocsr(),
            characters=self.characters.transform(texts).tocsr(),
            themes=themes,
        )

    def similarity(self, these: TopicVectors, those: TopicVectors) -> np.ndarray:
        """Each of `these` against each of `those`: a matrix of 0 to 1."""
        lexical = (1 - CHARACTERS_WEIGHT) * _cosines(these.words, those.words) + CHARACTERS_WEIGHT * _cosines(
            these.characters, those.characters
        )
        if these.themes is None or those.themes is None:
            return np.clip(lexical, 0.0, 1.0)
        themed = np.clip(these.themes @ those.themes.T, 0.0, 1.0)
        return np.clip((1 - THEMES_WEIGHT) * lexical + THEMES_WEIGHT * themed, 0.0, 1.0)
