"""The same chunks give the same analysis in-process, on a process pool and on Dask."""

from __future__ import annotations

import pytest

from textkit.classify import train_categories
from textkit.parallel import map_chunks
from textkit.pipeline import Analyser
from textkit.sentiment import train_sentiment

KIND = [
    "kind caring nurse",
    "lovely friendly staff",
    "polite helpful receptionist",
    "caring doctor thank you",
]
SLOW = ["waited four hours", "long wait for appointment", "waited weeks for referral", "delays in a&e"]


def analyser() -> Analyser:
    texts = [f"{t} {n}" for n in range(6) for t in KIND + SLOW]
    labels = [["Staff"] if t.split(" ")[0] in {k.split(" ")[0] for k in KIND} else ["Waiting"] for t in texts]
    ratings = [1 if label == ["Staff"] else 5 for label in labels]
    return Analyser(
        sentiment=train_sentiment(texts, [None] * len(texts), ratings),
        categories=train_categories(texts, labels, ratings, min_examples=3),
    )


def analyse(model: Analyser, chunk: list[str]) -> list[tuple[str, list[tuple[str, float]], str]]:
    return [(r.redacted, r.labels, r.sentiment) for r in model.analyse(chunk, [None] * len(chunk))]


CHUNKS = [
    ["The nurse was kind, ring 07700 900123", "We waited four hours"],
    ["Lovely staff", "Long wait, email me at a@b.com"],
    ["Did not answer"],
]


def test_a_process_pool_gives_the_same_answers_in_the_same_order() -> None:
    model = analyser()
    here = list(map_chunks(analyse, model, CHUNKS))
    pooled = list(map_chunks(analyse, model, CHUNKS, workers=2, ahead=1))
    assert pooled == here
    assert "[phone number]" in here[0][0][0]


def test_a_dask_cluster_gives_the_same_answers_in_the_same_order() -> None:
    distributed = pytest.importorskip("dask.distributed")
    model = analyser()
    here = list(map_chunks(analyse, model, CHUNKS))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = list(map_chunks(analyse, model, CHUNKS, scheduler=cluster.scheduler_address, ahead=1))
    assert on_dask == here
