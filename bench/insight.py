"""Time the analysis of many conversations: redact, classify, score sentiment.

Trains the models once on the labelled development file
(`../shared/data/fft-labelled/fft_v6_dev.csv`, benchmarks only), then analyses `--rows`
generated comments, realistic patient feedback about waiting, staff, parking,
appointments and more, with planted personal details in some (bench/_feedback.py, as
bench/import.py uses), streamed in chunks of `--chunk` through `textkit.parallel.map_chunks`
on a pool of `--workers` processes (by default one per core), exactly as
`engage insight run` analyses a chunk. Nothing is written to a database: this measures
the analysis itself.

The baseline, in the same run: the published pxtextmining SVC configuration (TF-IDF,
RBF SVC with C=15, balanced classes, probability estimates, threshold 0.3), trained on
the same file, scoring `--baseline-rows` of the same comments in one process (an RBF
SVC with probabilities is slow, so it gets a sample); `baseline_ratio` is our rows per
second / the baseline's.

    .venv/bin/python bench/insight.py [--rows 250000] [--workers 2] [--chunk 5000]
        [--baseline-rows 2000] [--scheduler tcp://host:8786]

The last line is JSON: `rows`, `seconds`, `rows_per_second`, `peak_rss_mb` (this process
and its workers together, at their peaks), `baseline_ratio`, and more.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _feedback import QUESTIONS, comment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELLED = ROOT.parent / "shared" / "data" / "fft-labelled" / "fft_v6_dev.csv"
GOAL_ROWS_PER_SECOND = 8000

PLANTS = [
    "Ring me on 07700 900{:03d}.",
    "My NHS number is 943 476 5919.",
    "Email me at person{}@example.com.",
    "I live at DY1 {}HF.",
    "Dr Patel{} was lovely.",
]


def comments(rows: int, seed: int) -> Iterator[tuple[str, int | None, str]]:
    """(text, rating, question) for `rows` comments; one in ten carries a personal detail."""
    rng = random.Random(seed)
    for number in range(rows):
        text = comment(rng)
        if number % 10 == 0:
            text = f"{text} {rng.choice(PLANTS).format(number % 1000)}"
        rating = rng.choice((1, 2, 3, 4, 5, 5, 4, None))
        yield text, rating, rng.choice(QUESTIONS)


def chunked(rows: int, size: int, seed: int) -> Iterator[list[tuple[str, int | None, str]]]:
    chunk: list[tuple[str, int | None, str]] = []
    for item in comments(rows, seed):
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyse_chunk(analyser: Any, chunk: list[tuple[str, int | None, str]]) -> tuple[int, int, int]:
    """The work of one chunk; returns (rows, labels given, details removed) to check it ran."""
    results = analyser.analyse([t for t, _, _ in chunk], [r for _, r, _ in chunk], [q for _, _, q in chunk])
    return len(results), sum(len(r.labels) for r in results), sum(sum(r.redactions.values()) for r in results)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def train(limit: int | None = None) -> tuple[Any, list[Any], float]:
    from textkit.classify import train_categories  # noqa: PLC0415 - after django.setup() for the database the run chose
    from textkit.evaluate import read_labelled  # noqa: PLC0415 - after django.setup() for the database the run chose
    from textkit.pipeline import Analyser  # noqa: PLC0415 - after django.setup() for the database the run chose
    from textkit.sentiment import train_sentiment  # noqa: PLC0415 - after django.setup() for the database the run chose

    labelled = read_labelled(LABELLED)[:limit]
    started = time.perf_counter()
    texts = [c.text for c in labelled]
    ratings = [c.rating for c in labelled]
    questions = [c.question for c in labelled]
    categories = train_categories(texts, [c.labels for c in labelled], ratings, questions)
    sentiment = train_sentiment(texts, [c.sentiment for c in labelled], ratings, questions)
    return Analyser(sentiment=sentiment, categories=categories), labelled, time.perf_counter() - started


def baseline(labelled: list[Any], rows: int, seed: int) -> dict[str, float]:
    from textkit.evaluate import PxtextminingSvc  # noqa: PLC0415 - after django.setup() for the database the run chose

    texts = [text for text, _, _ in comments(rows, seed)]
    started = time.perf_counter()
    model = PxtextminingSvc().fit(labelled)
    trained = time.perf_counter()
    model.predict(texts)
    done = time.perf_counter()
    return {
        "rows": rows,
        "train_seconds": round(trained - started, 1),
        "rows_per_second": rows / (done - trained),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--baseline-rows", type=int, default=2000)
    parser.add_argument("--scheduler", default=os.environ.get("ENGAGE_DASK_SCHEDULER", ""))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--labelled", type=int, help="train on only the first N labelled comments (the smoke test's)"
    )
    options = parser.parse_args()
    if not LABELLED.exists():
        raise SystemExit(f"The labelled file is not at {LABELLED}.")
    from textkit.parallel import map_chunks  # noqa: PLC0415 - after django.setup() for the database the run chose

    began = time.perf_counter()
    analyser, labelled, train_seconds = train(options.labelled)
    print(f"trained on {len(labelled):,} labelled comments in {train_seconds:.1f} s", flush=True)
    started = time.perf_counter()
    done = labels = removed = 0
    for rows, given, taken in map_chunks(
        analyse_chunk,
        analyser,
        chunked(options.rows, options.chunk, options.seed),
        workers=options.workers,
        scheduler=options.scheduler,
    ):
        done += rows
        labels += given
        removed += taken
    seconds = time.perf_counter() - started
    rate = done / seconds
    print(
        f"analysed {done:,} comments in {seconds:.1f} s: {rate:,.0f} a second (goal {GOAL_ROWS_PER_SECOND:,}) "
        f"with {options.workers} worker(s); {labels:,} labels, {removed:,} personal details removed; "
        f"peak RSS {peak_rss_mb()} MB",
        flush=True,
    )
    base = baseline(labelled, options.baseline_rows, options.seed)
    print(
        f"baseline (pxtextmining SVC): {base['rows_per_second']:,.0f} a second on {base['rows']:,} comments, "
        f"trained in {base['train_seconds']} s",
        flush=True,
    )
    print(
        json.dumps(
            {
                "rows": done,
                "seconds": round(seconds, 2),
                "rows_per_second": round(rate),
                "peak_rss_mb": peak_rss_mb(),
                "baseline_ratio": round(rate / base["rows_per_second"], 1),
                "baseline_rows_per_second": round(base["rows_per_second"], 1),
                "baseline_rows": base["rows"],
                "workers": options.workers,
                "chunk": options.chunk,
                "train_seconds": round(train_seconds, 1),
                "labels": labels,
                "details_removed": removed,
                "goal_met": rate >= GOAL_ROWS_PER_SECOND,
                "total_s": round(time.perf_counter() - began, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
