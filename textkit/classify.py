"""Which categories a comment is about: a multi-label classifier that learns from people.

A comment may be about several sub-categories of the framework at once ("the staff were
kind but the wait was four hours"), so each category gets its own yes/no model over the
same features, and its own threshold, chosen on held-out predictions of the training
set (between the F1-best cut-off and the one that gives the category as often as people
did). A comment that clears no threshold gets its
single most likely category: almost every comment is about something, and a person
labelling it would say what.

Features: TF-IDF of words (and pairs of words) and of character sequences within words
(which catch misspellings and word forms: "appointmnet", "waited"), the rating given
with the comment where there is one, the question it answers, and the words of a short
answer keyed by its question ("Nothing" to "What was good?" is not "Nothing" to "How
could we improve?"). Each category has two models, blended: a logistic regression with
balanced class weights, and a word-ratio model (NB-SVM: the same regression over which
features a text has, each weighted by how much likelier it is in the category's texts).
Both are fast to apply, calibrated enough to rank a review queue by uncertainty, and
small to store; training takes tens of seconds. ADR 0016 records what else was tried
and why this was chosen.

No Django here: the same object trains in a web worker, a process pool or a cluster.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from textkit import vectorise
from textkit.text import normalise_for_grouping, normalise_for_model

if TYPE_CHECKING:
    # scikit-learn is imported where a model is made, not here: loading it takes about a
    # second, which every web page, command and worker paid at start-up (textkit is
    # imported by the product's insight app) though only training needs it. SciPy too:
    # a fifth of a second, paid by every `engage` command and web server process.
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

# Ratings are 1 (very good) to 5 (very poor); anything else is "no rating".
RATING_LEVELS = (1, 2, 3, 4, 5)
MIN_EXAMPLES = 5  # a category with fewer labelled comments is not learnt
THRESHOLD_FOLDS = 3
# Thresholds below this let rare sub-categories flood the results (ADR 0016).
THRESHOLD_FLOOR = 0.25
# The framework's category for blanks and non-answers. These are told by a rule, not
# learnt: a non-answer is the same whatever its category, and a model trained without
# one in view (a new partnership's first labels, say) would give it a real category.
NOT_POSSIBLE = "Labelling not possible"
_NON_ANSWERS = frozenset(
    {
        "",
        "did not answer",
        "no answer",
        "not answered",
        "no response",
        "none given",
        "blank",
        "no comment given",
    }
)


def label_counts(label_sets: Sequence[Sequence[str]]) -> Counter[str]:
    """How many texts carry each label."""
    return Counter(label for labels in label_sets for label in set(labels))


def examples_by_label(framework: Mapping[str, Any]) -> dict[str, list[str]]:
    """A framework file's examples of each sub-category (the file as read from TOML, in the
    shape of engage/insight/framework/files/), under its own name and under each version
    6 column name mapped to it (`[v6_mapping]`), as pxtextmining files name them."""
    examples: dict[str, list[str]] = {}
    for category in framework.get("categories", []):
        for sub in category.get("subcategories", []):
            examples[sub["name"]] = list(sub.get("examples", []))
    for column, name in framework.get("v6_mapping", {}).items():
        if name in examples:
            examples.setdefault(column, examples[name])
    return examples


def is_non_answer(text: str) -> bool:
    """A blank or a non-answer such as "Did not answer" or "-"."""
    normal = normalise_for_grouping(text)
    return normal in _NON_ANSWERS or not any(character.isalnum() for character in normal)


def _features_for_rating(ratings: Sequence[int | None]) -> sp.csr_matrix:
    """One column per rating level, plus one for "no rating"."""
    rows = len(ratings)
    columns = [RATING_LEVELS.index(r) if r in RATING_LEVELS else len(RATING_LEVELS) for r in ratings]
    data = np.ones(rows, dtype=np.float32)
    import scipy.sparse as sp  # noqa: PLC0415 - SciPy takes a fifth of a second to load; only models need it

    return sp.csr_matrix((data, (np.arange(rows), columns)), shape=(rows, len(RATING_LEVELS) + 1))


def _words() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    return TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=1,
        sublinear_tf=True,
        max_features=60_000,
        dtype=np.float32,
    )


def _characters() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    # Character sequences within words catch misspellings and word forms.
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=3,
        sublinear_tf=True,
        max_features=120_000,
        dtype=np.float32,
    )


def _questions() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    # The question asked changes what an answer means: "Nothing" to "What could we do
    # better?" is praise; to "What did we do well?" it is not.
    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, binary=True, use_idf=False, dtype=np.float32)


def _answers() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    # Tokens are already cut and keyed by the question (see _keyed_by_question). The
    # cap bounds the models' size on a large bank (5,724 comments give about 9,000).
    return TfidfVectorizer(
        token_pattern=r"\S+",  # noqa: S106 - a pattern, not a password
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
        max_features=30_000,
        dtype=np.float32,
    )


# A short answer's words mean what the question makes them mean: "Nothing" to "What
# was good?" is a complaint, to "How could we improve?" praise; "Don't know" to "Why?"
# neither. So the words of answers this short are also counted keyed by their question.
# Longer answers say what they mean in their own words (ADR 0016 records the measures).
SHORT_ANSWER_WORDS = 10
_ANSWER_WORD = re.compile(r"[^\W_]+")


def _keyed_by_question(text: str, question: str) -> str:
    """A short answer's words, each joined to a key for the question it answers ("" for
    a longer answer, which gets no keyed words)."""
    words = _ANSWER_WORD.findall(text)
    if len(words) > SHORT_ANSWER_WORDS:
        return ""
    key = _question_key(question)
    return " ".join(f"{key}:{word}" for word in words)


@functools.lru_cache(maxsize=1024)
def _question_key(question: str) -> str:
    """A short key for a question, the same in every process (Python's own hash() of a
    string is not); a bank holds a few dozen questions, each worked out once."""
    return f"{zlib.crc32(question.encode()):08x}"


@dataclass
class TextFeatures:
    """TF-IDF of words and of characters, the question asked and the rating, as one
    sparse matrix; optionally also the words of short answers keyed by their question."""

    words: TfidfVectorizer = field(default_factory=_words)
    characters: TfidfVectorizer = field(default_factory=_characters)
    questions: TfidfVectorizer = field(default_factory=_questions)
    answers: TfidfVectorizer = field(default_factory=_answers)
    rating_weight: float = 1.0
    use_characters: bool = True
    question_weight: float = 0.5
    has_questions: bool = False
    use_answers_to_questions: bool = False

    def fit_transform(
        self, texts: Sequence[str], ratings: Sequence[int | None], questions: Sequence[str] | None = None
    ) -> sp.csr_matrix:
        cleaned = [normalise_for_model(text) for text in texts]
        asked = [normalise_for_model(q) for q in questions] if questions is not None else None
        self.has_questions = asked is not None and any(asked) and self.question_weight > 0
        parts = [self.words.fit_transform(cleaned), _features_for_rating(ratings) * self.rating_weight]
        if self.use_characters:
            parts.append(self.characters.fit_transform(cleaned))
        if self.has_questions and asked is not None:
            try:
                parts.append(self.questions.fit_transform(asked) * self.question_weight)
            except ValueError:  # no question word appears twice: nothing to learn from
                self.has_questions = False
        if self.use_answers_to_questions:
            try:
                parts.append(self.answers.fit_transform(self._answered(cleaned, asked)))
            except ValueError:  # no short answers: nothing to learn from
                self.use_answers_to_questions = False
        import scipy.sparse as sp  # noqa: PLC0415 - SciPy takes a fifth of a second to load; only models need it

        return sp.hstack(parts, format="csr")

    def transform(
        self, texts: Sequence[str], ratings: Sequence[int | None], questions: Sequence[str] | None = None
    ) -> sp.csr_matrix:
        # vectorise.transform gives what each vectoriser's own transform would, faster.
        cleaned = [normalise_for_model(text) for text in texts]
        parts = [vectorise.transform(self.words, cleaned), _features_for_rating(ratings) * self.rating_weight]
        if self.use_characters:
            parts.append(vectorise.transform(self.characters, cleaned))
        # A model pickled before answers were keyed by question has no such attribute.
        keyed_answers = getattr(self, "use_answers_to_questions", False)
        if self.has_questions or keyed_answers:
            asked = (
                [normalise_for_model(q) for q in questions] if questions is not None else [""] * len(texts)
            )
            if self.has_questions:
                parts.append(vectorise.transform(self.questions, asked) * self.question_weight)
            if keyed_answers:
                parts.append(vectorise.transform(self.answers, self._answered(cleaned, asked)))
        import scipy.sparse as sp  # noqa: PLC0415 - SciPy takes a fifth of a second to load; only models need it

        return sp.hstack(parts, format="csr")

    @staticmethod
    def _answered(cleaned: Sequence[str], asked: Sequence[str] | None) -> list[str]:
        questions = asked if asked is not None else [""] * len(cleaned)
        return [_keyed_by_question(text, question) for text, question in zip(cleaned, questions, strict=True)]


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The probability cut-off that gives the best F1 on these held-out scores."""
    order = np.argsort(-scores)
    sorted_truth = truth[order]
    true_positives = np.cumsum(sorted_truth)
    predicted = np.arange(1, len(scores) + 1)
    positives = max(int(truth.sum()), 1)
    f1 = 2 * true_positives / (predicted + positives)
    best = int(np.argmax(f1))
    # Halfway to the next score, so a new comment scoring like this one counts.
    upper = scores[order[best]]
    lower = scores[order[best + 1]] if best + 1 < len(scores) else 0.0
    return float((upper + lower) / 2)


@dataclass
class CategoryModel:
    """A trained multi-label classifier; `labels` are the categories it knows."""

    labels: list[str]
    features: TextFeatures
    models: list[LogisticRegression]
    thresholds: np.ndarray
    # Each label's F1 on texts its model did not see (the folds that chose its cut-off),
    # where it had enough examples to hold some back.
    held_out_f1: dict[str, float] = field(default_factory=dict)
    # A second model per label, over which features a text has, each weighted by how much
    # likelier it is in the label's texts than in the rest; scores are blended.
    by_ratio: WordRatioModels | None = None

    @property
    def held_out_macro_f1(self) -> float | None:
        """The mean of the labels' held-out F1, to compare one model with the next
        (None for a model trained before this was kept, or with nothing held out)."""
        scores = getattr(self, "held_out_f1", {})
        return round(float(np.mean(list(scores.values()))), 4) if scores else None

    def scores(
        self, texts: Sequence[str], ratings: Sequence[int | None], questions: Sequence[str] | None = None
    ) -> np.ndarray:
        """Probability-like scores, one row per text and one column per label."""
        matrix = self.features.transform(texts, ratings, questions)
        return self._scores(matrix)

    def _scores(self, matrix: sp.csr_matrix) -> np.ndarray:
        if not self.models:
            return np.zeros((matrix.shape[0], 0))
        weights = np.vstack([model.coef_[0] for model in self.models]).T
        intercepts = np.array([model.intercept_[0] for model in self.models])
        scores = _sigmoid(matrix @ weights + intercepts)
        # A model pickled before the word-ratio models were added has none.
        by_ratio: WordRatioModels | None = getattr(self, "by_ratio", None)
        if by_ratio is None:
            return scores
        return (1 - by_ratio.share) * scores + by_ratio.share * by_ratio.scores(matrix)

    def predict(
        self, texts: Sequence[str], ratings: Sequence[int | None], questions: Sequence[str] | None = None
    ) -> list[list[str]]:
        return [
            [NOT_POSSIBLE] if is_non_answer(text) else self.labels_of(row)
            for text, row in zip(texts, self.scores(texts, ratings, questions), strict=True)
        ]

    def labels_of(self, row: np.ndarray) -> list[str]:
        """The labels whose score clears their threshold, or else the nearest one."""
        if not self.labels:
            return []
        chosen = [self.labels[i] for i in np.flatnonzero(row >= self.thresholds)]
        return chosen or [self.labels[int(np.argmax(row - self.thresholds))]]


def _sigmoid(values: np.ndarray) -> np.ndarray:
    # scipy's expit gives 0 or 1 for scores far out, where 1 / (1 + exp(-x)) overflows.
    from scipy.special import expit  # noqa: PLC0415 - SciPy takes a fifth of a second to load; only models need it

    return expit(np.asarray(values))


# The word-ratio models' share of a label's score. On the development set's folds the
# blend beat either model alone, most of all for rare sub-categories (ADR 0016).
WORD_RATIO_SHARE = 0.7


def _present(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """1 where a text has the feature, 0 where not (every feature value is positive)."""
    present = matrix.copy()
    present.eliminate_zeros()
    present.data = np.ones_like(present.data)
    return present


# How much each feature's count is smoothed by in the word-ratio model: a half was a
# little better than one on the development set's folds (ADR 0016).
RATIO_SMOOTHING = 0.5


def _log_ratios(present: sp.csr_matrix, target: np.ndarray) -> np.ndarray:
    """Each feature's log ratio of how often it is in the label's texts to how often in
    the rest, smoothed (Wang and Manning's NB-SVM, "Baselines and bigrams", 2012)."""
    inside = np.asarray(present[target == 1].sum(axis=0)).ravel() + RATIO_SMOOTHING
    outside = np.asarray(present[target == 0].sum(axis=0)).ravel() + RATIO_SMOOTHING
    return np.log((inside / inside.sum()) / (outside / outside.sum())).astype(np.float32)


def _fit_by_ratio(present: sp.csr_matrix, target: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """A logistic regression over the present features scaled by their log ratios, folded
    into one weight per feature (ratio times coefficient) and an intercept."""
    ratios = _log_ratios(present, target)
    # liblinear, as the first model: L-BFGS was quicker here but 0.01 worse in macro-F1.
    model = _model(c).fit(present.multiply(ratios).tocsr(), target)
    return (ratios * model.coef_[0]).astype(np.float32), float(model.intercept_[0])


@dataclass
class WordRatioModels:
    """One word-ratio model per label, as weights over present features."""

    weights: np.ndarray  # features x labels
    intercepts: np.ndarray
    share: float = WORD_RATIO_SHARE

    def scores(self, matrix: sp.csr_matrix) -> np.ndarray:
        return _sigmoid(_present(matrix) @ self.weights + self.intercepts)


def _model(c: float) -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")


def train_categories(
    texts: Sequence[str],
    label_sets: Sequence[Sequence[str]],
    ratings: Sequence[int | None] | None = None,
    questions: Sequence[str] | None = None,
    *,
    c: float = 4.0,
    min_examples: int = MIN_EXAMPLES,
    seed: int = 0,
    partial: Sequence[bool] | None = None,
    on_progress: Callable[[int, int], object] | None = None,
    examples: Mapping[str, Sequence[str]] | None = None,
) -> CategoryModel:
    """Learn the categories people gave these texts (each text's list of labels; an
    empty list is "none of them"). Categories with fewer than `min_examples` texts are
    left out: there is too little to learn from.

    A text marked `partial` was labelled with some categories but not checked against
    the rest (a theme promoted from its typical comments, say): it is an example of its
    labels and is left out of the others' training, rather than counted against them.

    `on_progress(done, total)` is told as each category is learnt: with tens of
    thousands of labels, training takes a minute or more.

    `examples` are a framework's own examples of its categories ("left in agony" for
    pain management): each is added as a partial example of its category, where that
    category has enough labelled texts to be learnt (they never make a category learnt).
    Rare categories gain most: a handful of labels says little on its own (ADR 0016)."""
    ratings = list(ratings) if ratings is not None else [None] * len(texts)
    partial = list(partial) if partial is not None else [False] * len(texts)
    # Non-answers are told by is_non_answer, so they teach the models nothing.
    kept = [i for i, text in enumerate(texts) if not is_non_answer(text)]
    texts = [texts[i] for i in kept]
    label_sets = [[label for label in label_sets[i] if label != NOT_POSSIBLE] for i in kept]
    ratings = [ratings[i] for i in kept]
    only_some = np.array([partial[i] for i in kept], dtype=bool)
    asked = [questions[i] for i in kept] if questions is not None else None
    learnt = sorted(label for label, count in label_counts(label_sets).items() if count >= min_examples)
    labelled_by_people = len(texts)
    if examples:
        added = [
            (text, label) for label in learnt for text in examples.get(label, ()) if not is_non_answer(text)
        ]
        texts = [*texts, *(text for text, _ in added)]
        label_sets = [*label_sets, *([label] for _, label in added)]
        ratings = [*ratings, *([None] * len(added))]
        only_some = np.concatenate([only_some, np.ones(len(added), dtype=bool)])
        asked = [*asked, *([""] * len(added))] if asked is not None else None
    features = TextFeatures(use_answers_to_questions=True)
    matrix = features.fit_transform(texts, ratings, asked)
    truth = np.array([[label in set(labels) for label in learnt] for labels in label_sets], dtype=bool)
    if truth.size == 0:
        truth = truth.reshape(len(texts), len(learnt))
    present = _present(matrix)
    models: list[LogisticRegression] = []
    ratio_weights = np.zeros((matrix.shape[1], len(learnt)), dtype=np.float32)
    ratio_intercepts = np.zeros(len(learnt))
    thresholds = np.full(len(learnt), 0.5)
    held_out_f1: dict[str, float] = {}
    for column, label in enumerate(learnt):
        rows = np.flatnonzero(~only_some | truth[:, column])
        target = truth[rows, column].astype(int)
        models.append(_model(c).fit(matrix[rows], target))
        ratio_weights[:, column], ratio_intercepts[column] = _fit_by_ratio(present[rows], target, c)
        thresholds[column], f1 = _held_out_threshold(
            matrix[rows], present[rows], target, c=c, seed=seed, scored=rows < labelled_by_people
        )
        if f1 is not None:
            held_out_f1[label] = f1
        if on_progress is not None:
            on_progress(column + 1, len(learnt))
    return CategoryModel(
        labels=learnt,
        features=features,
        models=models,
        thresholds=thresholds,
        held_out_f1=held_out_f1,
        by_ratio=WordRatioModels(weights=ratio_weights, intercepts=ratio_intercepts),
    )


def _held_out_threshold(
    matrix: sp.csr_matrix,
    present: sp.csr_matrix,
    target: np.ndarray,
    *,
    c: float,
    seed: int,
    scored: np.ndarray,
) -> tuple[float, float | None]:
    """A cut-off chosen on the blended scores of both models for texts they did not see
    (the features are shared, which is close enough for choosing a cut-off), and the F1
    those predictions score at it on the `scored` texts, people's (a framework's examples
    are easy and would flatter it), or None where too few examples to hold any back."""
    from sklearn.model_selection import StratifiedKFold  # noqa: PLC0415 - scikit-learn takes a second to load; only training and transforming need it

    positives = int(target.sum())
    folds = min(THRESHOLD_FOLDS, positives)
    if folds < 2:
        return 0.5, None
    scores = np.zeros(len(target))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(matrix, target):
        model = _model(c).fit(matrix[train], target[train])
        weights, intercept = _fit_by_ratio(present[train], target[train], c)
        by_ratio = _sigmoid(present[test] @ weights + intercept)
        first = model.predict_proba(matrix[test])[:, 1]
        scores[test] = (1 - WORD_RATIO_SHARE) * first + WORD_RATIO_SHARE * by_ratio
    # Halfway between the F1-best cut-off and the one that gives the label as often as
    # people did: F1 alone was noisy for rare sub-categories (ADR 0016).
    best = _best_threshold(scores, target.astype(bool))
    as_often = float(np.sort(scores)[::-1][max(positives, 1) - 1])
    threshold = (best + as_often) / 2
    threshold = min(max(threshold, THRESHOLD_FLOOR), 0.95) if math.isfinite(threshold) else 0.5
    chosen, truth = (scores >= threshold)[scored], target.astype(bool)[scored]
    found = int((chosen & truth).sum())
    f1 = 2 * found / (int(chosen.sum()) + int(truth.sum())) if found else 0.0
    return threshold, round(f1, 4)
