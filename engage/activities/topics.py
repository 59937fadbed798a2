"""How alike in topic an activity is to those in the register: the one similarity the
overlap warning and "before you ask" (engage/partnership/before_you_ask) both use
(textkit/similar.py; ADR 0050).

Reads only, like a selector. The register's vectors are kept in memory, one copy per
process, and brought up to date at each use from what changed since (one query when
nothing did): an activity registered or edited is transformed on its own, and the
whole space is fitted again only when the register has grown by a fifth since it was
fitted, or lost an activity. So a check costs one small query and a product of sparse
rows, whatever the size of the register.

The analysis's themes (what its model finds in each text) are part of the similarity
where an analysis model exists. Activities sit below insight in the order of apps, so
insight registers its scorer here when the apps are ready (`theme_scorer_register`),
as apps above listen to signals.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from django.db.models import Count, Max

from engage.activities.models import Activity
from textkit.similar import TopicSpace, TopicVectors, centred_themes

REFIT_GROWTH = 1.2  # the register grown by a fifth since the space was fitted


class ThemeScorer(Protocol):
    """The analysis's themes for texts: `key` names the model (a new model means new
    scores), `scores` a row of category scores per text, or None without a model."""

    def key(self) -> object: ...

    def scores(self, texts: list[str]) -> np.ndarray | None: ...


_scorers: list[ThemeScorer] = []


def theme_scorer_register(scorer: ThemeScorer) -> None:
    """Called once by the insight app when the apps are ready."""
    if scorer not in _scorers:
        _scorers.append(scorer)


def _scorer() -> ThemeScorer | None:
    return _scorers[0] if _scorers else None


def activity_text(title: str, topic: str, purpose: str) -> str:
    """What an activity is about, as the similarity reads it."""
    return f"{title}. {topic}. {purpose}"


@dataclass
class _Register:
    state: tuple[Any, ...]  # (count, greatest id, last change, theme model)
    built_at: dt.datetime | None
    fitted_count: int
    space: TopicSpace
    ids: list[int]
    index: dict[int, int]
    vectors: TopicVectors
    centre: np.ndarray | None  # the register's mean theme scores


_kept: _Register | None = None
_lock = threading.Lock()


def _state() -> tuple[Any, ...]:
    found = Activity.objects.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
    scorer = _scorer()
    return found["n"], found["top"], found["changed"], scorer.key() if scorer else None


def _themes(texts: list[str], centre: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Centred theme vectors of the texts, and the centre (the register's mean), where
    a model scores them."""
    scorer = _scorer()
    scores = scorer.scores(texts) if scorer and texts else None
    if scores is None or scores.size == 0:
        return None, None
    if centre is None:
        centre = scores.mean(axis=0)
    return centred_themes(scores, centre), centre


def _fit() -> _Register:
    state = _state()
    rows = list(Activity.objects.order_by("pk").values_list("pk", "title", "topic", "purpose", "updated_at"))
    texts = [activity_text(title, topic, purpose) for _, title, topic, purpose, _ in rows]
    space = TopicSpace.fit(texts)
    themes, centre = _themes(texts, None)
    ids = [row[0] for row in rows]
    return _Register(
        state=state,
        built_at=max((row[4] for row in rows), default=None),
        fitted_count=len(rows),
        space=space,
        ids=ids,
        index={pk: i for i, pk in enumerate(ids)},
        vectors=space.vectors(texts, themes=themes),
        centre=centre,
    )


def _brought_up_to_date(kept: _Register, state: tuple[Any, ...]) -> _Register | None:
    """The register with what changed since transformed into the kept space; None where
    it must be fitted again (an activity gone, the register much grown, a new model)."""
    count, _, _, model = state
    if model != kept.state[3] or count < len(kept.ids) or count > kept.fitted_count * REFIT_GROWTH:
        return None
    changed = Activity.objects.order_by("pk")
    if kept.built_at is not None:
        changed = changed.filter(updated_at__gte=kept.built_at)
    rows = list(changed.values_list("pk", "title", "topic", "purpose", "updated_at"))
    texts = [activity_text(title, topic, purpose) for _, title, topic, purpose, _ in rows]
    themes, _ = _themes(texts, kept.centre) if kept.centre is not None else (None, None)
    fresh = kept.space.vectors(texts, themes=themes)
    ids = list(kept.ids)
    index = dict(kept.index)
    import scipy.sparse as sp  # noqa: PLC0415 - loaded with the space (textkit/similar.py says why)

    words, characters = kept.vectors.words.tolil(), kept.vectors.characters.tolil()
    theme_rows = kept.vectors.themes
    added_words, added_characters, added_themes = [], [], []
    for position, (pk, *_rest) in enumerate(rows):
        if pk in index:
            words[index[pk]] = fresh.words[position]
            characters[index[pk]] = fresh.characters[position]
            if theme_rows is not None and fresh.themes is not None:
                theme_rows[index[pk]] = fresh.themes[position]
        else:
            index[pk] = len(ids)
            ids.append(pk)
            added_words.append(fresh.words[position])
            added_characters.append(fresh.characters[position])
            if fresh.themes is not None:
                added_themes.append(fresh.themes[position])
    if len(ids) != count:
        return None  # one was deleted as another was added: start again
    vectors = TopicVectors(
        words=sp.vstack([words.tocsr(), *added_words]).tocsr(),
        characters=sp.vstack([characters.tocsr(), *added_characters]).tocsr(),
        themes=None
        if theme_rows is None
        else (np.vstack([theme_rows, *added_themes]) if added_themes else theme_rows),
    )
    return _Register(
        state=state,
        built_at=max(
            [kept.built_at, *(row[4] for row in rows)],
            key=lambda d: d or dt.datetime.min.replace(tzinfo=dt.UTC),
        ),
        fitted_count=kept.fitted_count,
        space=kept.space,
        ids=ids,
        index=index,
        vectors=vectors,
        centre=kept.centre,
    )


def register_topics() -> _Register:
    """The register's vectors, up to date."""
    global _kept  # noqa: PLW0603 - the one copy a process keeps, replaced whole under the lock
    with _lock:
        state = _state()
        if _kept is not None and _kept.state == state:
            return _kept
        updated = _brought_up_to_date(_kept, state) if _kept is not None else None
        _kept = updated or _fit()
        return _kept


def register_topics_forget() -> None:
    """Drop the kept copy (tests that change the register under it, a new model)."""
    global _kept  # noqa: PLW0603 - as above
    with _lock:
        _kept = None


def topic_similarities(text: str, *, activity_ids: Iterable[int] | None = None) -> dict[int, float]:
    """How alike `text` is to each activity of the register (or of those named), 0 to 1."""
    register = register_topics()
    themes, _ = _themes([text], register.centre) if register.centre is not None else (None, None)
    probe = register.space.vectors([text], themes=themes)
    if activity_ids is None:
        rows = np.arange(len(register.ids))
    else:
        rows = np.array([register.index[pk] for pk in activity_ids if pk in register.index], dtype=np.int64)
    if rows.size == 0:
        return {}
    those = TopicVectors(
        words=register.vectors.words[rows],
        characters=register.vectors.characters[rows],
        themes=None if register.vectors.themes is None else register.vectors.themes[rows],
    )
    similarity = register.space.similarity(probe, those)[0]
    return {register.ids[row]: float(value) for row, value in zip(rows, similarity, strict=True)}
