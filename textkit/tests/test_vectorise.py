"""The fast transform gives scikit-learn's own numbers, entry for entry."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from textkit import vectorise
from textkit.classify import TextFeatures

TRAINING = [
    "The nurse was kind and caring",
    "waited four hours in A&E, waiting waiting",
    "Parking is a nightmare: £4 an hour!",
    "Receptionist rude on the phone",
    "appointmnet cancelled twice ... no reason given",
    "Café staff lovely; naïve questions answered",
    "I i a an ok OK",
    "Dr Patel explained everything\nthank you",
]
AWKWARD = [
    "",
    " ",
    "a",
    "ok",
    "waited   four\thours\n\nin  A&E",
    "WAITING waited Waits",
    "never seen before zzzqqq",
    "café naïve Ünïcödé ß ﬁ",
    "non\u00a0breaking\u2003spaces\u2028and lines",
    "the the the the",
    "x" * 300,
]


def _identical(fast: sp.csr_matrix, slow: sp.csr_matrix) -> None:
    assert fast.shape == slow.shape
    assert fast.dtype == slow.dtype
    assert np.array_equal(fast.indptr, slow.indptr)
    assert np.array_equal(fast.indices, slow.indices)
    assert np.array_equal(fast.data, slow.data)


def _vectorisers() -> list[TfidfVectorizer]:
    features = TextFeatures(
        words=TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32),
        characters=TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        ),
    )
    features.fit_transform(TRAINING, [None] * len(TRAINING))
    plain_chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(TRAINING)
    no_lowercase = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), lowercase=False).fit(TRAINING)
    accents = TfidfVectorizer(analyzer="char_wb", strip_accents="unicode").fit(TRAINING)
    return [features.words, features.characters, plain_chars, no_lowercase, accents]


@pytest.mark.parametrize("vectorizer", _vectorisers(), ids=lambda v: f"{v.analyzer}{v.ngram_range}")
def test_the_fast_transform_equals_scikit_learns_on_awkward_text(vectorizer: TfidfVectorizer) -> None:
    texts = AWKWARD + TRAINING + AWKWARD  # repeats, as a chunk of feedback has
    _identical(vectorise.transform(vectorizer, texts), vectorizer.transform(texts))
    # A second time, from the words remembered the first time.
    _identical(vectorise.transform(vectorizer, texts), vectorizer.transform(texts))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=12))
def test_the_fast_transform_equals_scikit_learns_on_any_text(texts: list[str]) -> None:
    for vectorizer in _vectorisers()[:3]:
        _identical(vectorise.transform(vectorizer, texts), vectorizer.transform(texts))


def test_the_remembered_words_are_forgotten_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    vectorizer = _vectorisers()[1]
    monkeypatch.setattr(vectorise, "MAX_REMEMBERED_WORDS", 3)
    texts = ["one two three four five six"]
    vectorise.transform(vectorizer, texts)
    vectorise.transform(vectorizer, ["seven"])  # over the limit: emptied, then this word
    assert len(vectorise._word_columns[vectorizer]) == 1
    _identical(vectorise.transform(vectorizer, texts), vectorizer.transform(texts))
