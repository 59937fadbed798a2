"""TF-IDF features for many comments at once: the same numbers as scikit-learn's
`TfidfVectorizer.transform`, worked out with far fewer dictionary look-ups.

Profiling the analysis of a chunk showed four fifths of its time in the vectorisers'
`transform`, and most of that in looking up each character sequence of each comment in
the vocabulary: a comment of 150 characters has about 450 of them. Two facts make most
of that work repeat itself:

- Character sequences "within words" (`analyzer="char_wb"`) never cross a space, so a
  comment's counts are the sum of its words' counts, and the words of patient feedback
  repeat endlessly ("the", "staff", "waiting"). Each word's vocabulary columns are
  worked out once and remembered.
- The question a comment answers is one of a few dozen, so each distinct question is
  transformed once and its row repeated.

Anything else (word n-grams, or a vectoriser set up in a way this module does not
know) goes to scikit-learn's own `transform`. The result is the matrix scikit-learn
would give, entry for entry; a test compares the two on awkward text.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import (
        TfidfVectorizer,
    )  # loaded where a model is made (classify.py says why)

# Words remembered per vectoriser before the memory is emptied and started again: more
# than a year of one area's feedback uses, and a few tens of MB at most.
MAX_REMEMBERED_WORDS = 200_000

_word_columns: weakref.WeakKeyDictionary[TfidfVectorizer, dict[str, tuple[int, ...]]] = (
    weakref.WeakKeyDictionary()
)


def transform(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """`vectorizer.transform(texts)`, faster where the texts repeat themselves."""
    if _is_plain_char_wb(vectorizer):
        return _char_wb_transform(vectorizer, texts)
    return _distinct_transform(vectorizer, texts)


def _is_plain_char_wb(vectorizer: TfidfVectorizer) -> bool:
    """A char_wb vectoriser with nothing that would change how words are cut."""
    return (
        vectorizer.analyzer == "char_wb"
        and vectorizer.input == "content"
        and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None
        and not vectorizer.binary
        and isinstance(getattr(vectorizer, "vocabulary_", None), dict)
    )


def _char_wb_transform(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    low, high = vectorizer.ngram_range
    remembered = _word_columns.setdefault(vectorizer, {})
    if len(remembered) > MAX_REMEMBERED_WORDS:
        remembered.clear()
    lowercase = vectorizer.lowercase
    columns: list[int] = []
    ends = np.zeros(len(texts) + 1, dtype=np.int64)
    for row, text in enumerate(texts):
        for word in (text.lower() if lowercase else text).split():
            found = remembered.get(word)
            if found is None:
                found = remembered[word] = _columns_of(word, vocabulary, low, high)
            columns.extend(found)
        ends[row + 1] = len(columns)
    import scipy.sparse as sp  # noqa: PLC0415 - SciPy takes a fifth of a second to load; only models need it

    counts = sp.csr_matrix(
        (np.ones(len(columns), dtype=vectorizer.dtype), np.asarray(columns, dtype=np.int32), ends),
        shape=(len(texts), len(vocabulary)),
    )
    counts.sum_duplicates()  # a sequence seen twice counts 2, and columns are sorted, as scikit-learn's
    transformed: sp.csr_matrix = vectorizer._tfidf.transform(counts, copy=False)
    return transformed


def _columns_of(word: str, vocabulary: dict[str, int], low: int, high: int) -> tuple[int, ...]:
    """The vocabulary columns of one word's character sequences, padded with a space at
    each end, as scikit-learn's `_char_wb_ngrams` cuts them (a repeat appears twice)."""
    padded = f" {word} "
    length = len(padded)
    found: list[int] = []
    for n in range(low, high + 1):
        offset = 0
        while True:
            column = vocabulary.get(padded[offset : offset + n])
            if column is not None:
                found.append(column)
            if offset + n >= length:
                break
            offset += 1
        if offset == 0:  # a word shorter than n is counted once, not for every longer n
            break
    return tuple(found)


def _distinct_transform(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """Each distinct text transformed once, its row repeated for every copy."""
    first: dict[str, int] = {}
    rows = np.fromiter(
        (first.setdefault(text, len(first)) for text in texts), dtype=np.int64, count=len(texts)
    )
    if len(first) == len(texts):
        return vectorizer.transform(texts)
    distinct: sp.csr_matrix = vectorizer.transform(list(first))
    repeated: sp.csr_matrix = distinct[rows]
    return repeated
