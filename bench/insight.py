"""Time the analysis of many conversations: redact, classify, score sentiment.

Trains the models once on the labelled development file
(`../shared/data/fft-labelled/fft_v6_dev.csv`, benchmarks only), then analyses `--rows`
generated comments, realistic patient feedback about waiting, staff, parking,
appointments and more, with planted personal details in some (bench/_feedback.py, as
bench/import.py uses), streamed in chunks of `--chunk` through `textkit.parallel.map_chunks`
on a pool of `--workers` processes (by default one per core), exactly as
`engage insight run` analyses a chunk. Nothing is written to a database: this measures
the analysis itself.

Generated comments reuse a small vocabulary, which flatters the analysis (each word's
features are worked out once and remembered, textkit/vectorise.py), and a pool of two
processes is measured against a baseline on one. So the run also measures, per core, on
one process each: ours on `--per-core-rows` of the generated comments, and ours on the
real Friends and Family Test comments of the labelled file (all 5,724, each once), each
time with a fresh copy of the models (as a worker loads them: nothing remembered), and
the baseline on a sample of each.

The baseline, in the same run: the published pxtextmining SVC configuration (TF-IDF,
RBF SVC with C=15, balanced classes, probability estimates, threshold 0.3), trained on
the same file, scoring `--baseline-rows` of the generated comments, and as many of the
real ones, in one process (an RBF SVC with probabilities is slow, so it gets a sample).
`per_core_ratio` is ours on one process / the baseline on one process (generated
comments), `real_per_core_ratio` the same on the real ones; `baseline_ratio` is the
pool's rows per second / the baseline's.

Memory is that of the whole process tree while it runs: the resident memory of this
process and of all its children, added up, sampled every 0.1 s (pages the workers share
with this process after fork count in each, so this is an upper bound).

    .venv/bin/python bench/insight.py [--rows 250000] [--workers 2] [--chunk 5000]
        [--per-core-rows 50000] [--baseline-rows 2000] [--scheduler tcp://host:8786]

The last line is JSON: `rows`, `seconds`, `rows_per_second` (the pool), `per_core_rows_per_second`,
`real_rows_per_second`, `per_core_ratio`, `real_per_core_ratio`, `peak_rss_mb` (the
process tree, the whole run), `analysis_peak_rss_mb` (while the pool analysed),
`baseline_ratio`, and more.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import random
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
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

Row = tuple[str, int | None, str]


def comments(rows: int, seed: int) -> Iterator[Row]:
    """(text, rating, question) for `rows` comments; one in ten carries a personal detail."""
    rng = random.Random(seed)
    for number in range(rows):
        text = comment(rng)
        if number % 10 == 0:
            text = f"{text} {rng.choice(PLANTS).format(number % 1000)}"
        rating = rng.choice((1, 2, 3, 4, 5, 5, 4, None))
        yield text, rating, rng.choice(QUESTIONS)


def chunked(items: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyse_chunk(analyser: Any, chunk: list[Row]) -> tuple[int, int, int]:
    """The work of one chunk; returns (rows, labels given, details removed) to check it ran."""
    results = analyser.analyse([t for t, _, _ in chunk], [r for _, r, _ in chunk], [q for _, _, q in chunk])
    return len(results), sum(len(r.labels) for r in results), sum(sum(r.redactions.values()) for r in results)


class TreeMemory:
    """The resident memory of a process (this one unless another is given) and all its
    children, added up, sampled every `every` seconds in a thread: the peak of the whole
    run, and of each phase named."""

    def __init__(self, every: float = 0.1, process: psutil.Process | None = None) -> None:
        self.every = every
        self.process = process or psutil.Process()
        self.phase = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            total = 0
            with contextlib.suppress(psutil.Error):  # a process may end while it is listed
                for process in [self.process, *self.process.children(recursive=True)]:
                    # A worker may end between the listing and the reading.
                    with contextlib.suppress(psutil.Error):
                        total += process.memory_info().rss
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), total)
            if self._stop.wait(self.every):
                return

    def peak_mb(self, phase: str | None = None) -> float:
        peak = self.peaks.get(phase, 0) if phase else max(self.peaks.values(), default=0)
        return round(peak / 1024 / 1024, 1)


def train(limit: int | None = None) -> tuple[Any, list[Any], float]:
    from textkit.classify import train_categories  # noqa: PLC0415 - after the labelled file is checked
    from textkit.evaluate import read_labelled  # noqa: PLC0415 - after the labelled file is checked
    from textkit.pipeline import Analyser  # noqa: PLC0415 - after the labelled file is checked
    from textkit.sentiment import train_sentiment  # noqa: PLC0415 - after the labelled file is checked

    labelled = read_labelled(LABELLED)[:limit]
    started = time.perf_counter()
    texts = [c.text for c in labelled]
    ratings = [c.rating for c in labelled]
    questions = [c.question for c in labelled]
    categories = train_categories(texts, [c.labels for c in labelled], ratings, questions)
    sentiment = train_sentiment(texts, [c.sentiment for c in labelled], ratings, questions)
    return Analyser(sentiment=sentiment, categories=categories), labelled, time.perf_counter() - started


def real_comments(limit: int | None) -> list[Row]:
    """The comments of the labelled file (the first `limit`), with their ratings and
    questions: real Friends and Family Test answers, with their spelling, length and
    long tail of words."""
    from textkit.evaluate import read_labelled  # noqa: PLC0415 - after the labelled file is checked

    return [(c.text, c.rating, c.question) for c in read_labelled(LABELLED)[:limit]]


def one_process(analyser: Any, rows: list[Row], chunk: int) -> float:
    """Rows a second on one process, as one worker of the pool would analyse them, with a
    fresh copy of the models: a worker loads them with nothing remembered."""
    fresh = pickle.loads(pickle.dumps(analyser))  # noqa: S301 - our own object, just made
    started = time.perf_counter()
    done = sum(analyse_chunk(fresh, part)[0] for part in chunked(iter(rows), chunk))
    return done / (time.perf_counter() - started)


def baseline(labelled: list[Any], samples: dict[str, list[str]]) -> dict[str, float]:
    """The pxtextmining SVC, trained once, then each sample's rows a second."""
    from textkit.evaluate import PxtextminingSvc  # noqa: PLC0415 - after the labelled file is checked

    started = time.perf_counter()
    model = PxtextminingSvc().fit(labelled)
    figures = {"train_seconds": round(time.perf_counter() - started, 1)}
    for name, texts in samples.items():
        began = time.perf_counter()
        model.predict(texts)
        figures[name] = len(texts) / (time.perf_counter() - began)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--per-core-rows", type=int, default=50_000)
    parser.add_argument("--baseline-rows", type=int, default=2000)
    parser.add_argument(
        "--real-rows",
        type=int,
        help="analyse only the first N real comments (the smoke test's); all by default",
    )
    parser.add_argument("--scheduler", default=os.environ.get("ENGAGE_DASK_SCHEDULER", ""))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--labelled", type=int, help="train on only the first N labelled comments (the smoke test's)"
    )
    options = parser.parse_args()
    if not LABELLED.exists():
        raise SystemExit(f"The labelled file is not at {LABELLED}.")
    from textkit.parallel import map_chunks  # noqa: PLC0415 - after the labelled file is checked

    began = time.perf_counter()
    with TreeMemory() as memory:
        memory.phase = "training"
        analyser, labelled, train_seconds = train(options.labelled)
        print(f"trained on {len(labelled):,} labelled comments in {train_seconds:.1f} s", flush=True)
        memory.phase = "pool"
        started = time.perf_counter()
        done = labels = removed = 0
        for rows, given, taken in map_chunks(
            analyse_chunk,
            analyser,
            chunked(comments(options.rows, options.seed), options.chunk),
            workers=options.workers,
            scheduler=options.scheduler,
        ):
            done += rows
            labels += given
            removed += taken
        seconds = time.perf_counter() - started
        rate = done / seconds
        print(
            f"analysed {done:,} generated comments in {seconds:.1f} s: {rate:,.0f} a second "
            f"(goal {GOAL_ROWS_PER_SECOND:,}) with {options.workers} worker(s); {labels:,} labels, "
            f"{removed:,} personal details removed; process tree's peak {memory.peak_mb('pool')} MB",
            flush=True,
        )
        memory.phase = "one process"
        generated = list(comments(options.per_core_rows, options.seed + 1))
        per_core = one_process(analyser, generated, options.chunk)
        real = real_comments(options.real_rows)
        # Three cold passes over the real comments, the median kept: each is short.
        real_rate = statistics.median(one_process(analyser, real, options.chunk) for _ in range(3))
        print(
            f"on one process: {per_core:,.0f} generated comments a second ({len(generated):,}), "
            f"{real_rate:,.0f} real ones a second ({len(real):,} from {LABELLED.name})",
            flush=True,
        )
        memory.phase = "baseline"
        samples = {
            "generated": [text for text, _, _ in generated[: options.baseline_rows]],
            "real": [
                text
                for text, _, _ in random.Random(options.seed).sample(
                    real, min(options.baseline_rows, len(real))
                )
            ],
        }
        base = baseline(labelled, samples)
    print(
        f"baseline (pxtextmining SVC) on one process: {base['generated']:,.0f} generated comments a second, "
        f"{base['real']:,.0f} real ones ({len(samples['generated']):,} and {len(samples['real']):,}); trained in {base['train_seconds']} s",
        flush=True,
    )
    print(
        f"per core, ours / the baseline: {per_core / base['generated']:.1f}x on generated comments, "
        f"{real_rate / base['real']:.1f}x on real ones; the process tree's peak {memory.peak_mb()} MB",
        flush=True,
    )
    print(
        json.dumps(
            {
                "rows": done,
                "seconds": round(seconds, 2),
                "rows_per_second": round(rate),
                "per_core_rows_per_second": round(per_core),
                "per_core_rows": len(generated),
                "real_rows_per_second": round(real_rate),
                "real_rows": len(real),
                "per_core_ratio": round(per_core / base["generated"], 1),
                "real_per_core_ratio": round(real_rate / base["real"], 1),
                "peak_rss_mb": memory.peak_mb(),
                "analysis_peak_rss_mb": memory.peak_mb("pool"),
                "training_peak_rss_mb": memory.peak_mb("training"),
                "baseline_ratio": round(rate / base["generated"], 1),
                "baseline_rows_per_second": round(base["generated"], 1),
                "baseline_real_rows_per_second": round(base["real"], 1),
                "baseline_rows": len(samples["generated"]),
                "baseline_real_rows": len(samples["real"]),
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
