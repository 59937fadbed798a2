"""Time `engage insight train` and `engage insight run` end to end on 250,000
conversations, with the product's default settings, reading and writing the database.

In a fresh database of each kind (SQLite in a temporary folder, and a PostgreSQL
database the script creates and drops), each in its own process:

1. the partnership of bench/search.py (5 organisations, their activities and decisions);
2. the 5,724 real Friends and Family Test comments of `fft_v6_dev.csv` as conversations
   carrying the labels their file gave them (`imported_labels`, as an import of a
   pxtextmining file keeps them), and the rest generated comments (bench/insight.py's:
   realistic feedback, one in ten with a planted personal detail), loaded in bulk;
3. `engage insight train` as a command, in its own process: it adopts the imported labels
   as people's labels of the built-in framework and trains model 1 on them (sentiment
   from the ratings, as no person has said how a comment felt);
4. `engage insight run` as a command, in its own process, with the settings a new
   installation has (`ENGAGE_INSIGHT_WORKERS=1`, no Dask): it reads every conversation,
   removes personal details, sorts it into themes, scores its sentiment, and writes the
   insight rows and the model's labels a chunk per transaction. The memory is that of
   the command's whole process tree, sampled every 0.1 s.

Then the figures are checked against the database: every conversation has its insight
row, the run succeeded, and the labels written are counted.

The baseline, in the same process and the same run: the analysis alone, on one process,
with model 1 read back from the database, over the same texts held in memory, with
nothing read or written (bench/insight.py measures the same on a pool). The ratio is the
command's rows a second / the analysis alone's: what reading, writing and starting the
command cost on top of the analysis. The goal set for the analysis (250,000 comments in
30 s, 8,000 a second) was for the pool, on every core; this runs as installed, on one.

    .venv/bin/python bench/insight_run.py [--rows 250000] [--database both|sqlite|postgres]
        [--database-url postgres://postgres@127.0.0.1:5432/engage_bench_insight_run]

The last line printed is JSON: `rows`, and for each database `*_run_seconds`,
`*_run_rows_per_second`, `*_run_peak_mb`, `*_train_seconds`, `*_analysis_rows_per_second`
(the baseline) and `*_ratio`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
from _databases import bench_database, run_in_child
from insight import TreeMemory

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_insight_run"
GOAL_ROWS_PER_SECOND = 8000


def engage_command(*arguments: str) -> tuple[float, float, str]:
    """Run `engage ARGUMENTS` as a user would, in its own process with this one's
    environment (the child's database); its seconds, its process tree's peak MB, and
    what it printed."""
    command = [sys.executable, "-m", "engage.cli", *arguments]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(process=psutil.Process(process.pid)) as memory:
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"`engage {' '.join(arguments)}` failed:\n{err[-4000:]}")
    return seconds, memory.peak_mb(), out


def run_single(options: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - after the child's environment chose the database

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - after django.setup()
    from django.db import connection  # noqa: PLC0415 - after django.setup()
    from django.utils import timezone  # noqa: PLC0415 - after django.setup()
    from insight import LABELLED, chunked, comments  # noqa: PLC0415 - bench/insight.py, beside this
    from search import load  # noqa: PLC0415 - bench/search.py, beside this

    from engage.conversations.models import Channel, Conversation  # noqa: PLC0415 - after django.setup()
    from engage.insight.models import (  # noqa: PLC0415 - after django.setup()
        AnalysisRun,
        ConversationInsight,
        ModelLabel,
        ModelVersion,
        RunStatus,
    )
    from engage.insight.runner import CHUNK, _analyser  # noqa: PLC0415 - after django.setup()
    from textkit.evaluate import read_labelled  # noqa: PLC0415 - after django.setup()

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    labelled = read_labelled(LABELLED)[: options.labelled]
    generated = max(options.rows - len(labelled), 0)
    organisation_ids, _, load_seconds = load(generated, options.seed, comments(generated, options.seed))
    now = timezone.now()
    Conversation.objects.bulk_create(
        (
            Conversation(
                organisation_id=organisation_ids[number % len(organisation_ids)],
                channel=Channel.FRIENDS_AND_FAMILY_TEST,
                text=item.text,
                question=item.question,
                rating=item.rating,
                occurred_on=now.date(),
                imported_labels=list(item.labels),
                dedupe_key=f"labelled-{number}",
            )
            for number, item in enumerate(labelled)
        ),
        batch_size=2000,
    )
    rows = Conversation.objects.count()
    connection.close()
    print(f"loaded {rows:,} conversations ({len(labelled):,} labelled) in {load_seconds:.1f} s", flush=True)

    train_seconds, train_peak_mb, trained = engage_command("insight", "train")
    print(
        f"engage insight train: {train_seconds:.1f} s, peak {train_peak_mb} MB; {trained.strip()}", flush=True
    )
    run_seconds, run_peak_mb, ran = engage_command("insight", "run")
    print(
        f"engage insight run: {run_seconds:.1f} s, peak {run_peak_mb} MB; {ran.strip().splitlines()[-1]}",
        flush=True,
    )

    run = AnalysisRun.objects.get()
    analysed = ConversationInsight.objects.count()
    if run.status != RunStatus.SUCCEEDED or analysed != rows:
        raise SystemExit(f"The run ended {run.status} with {analysed:,} of {rows:,} conversations analysed.")
    labels = ModelLabel.objects.count()
    details_removed = sum(
        sum(found.values())
        for found in ConversationInsight.objects.values_list("redactions", flat=True).iterator()
    )

    # The baseline: the analysis alone, one process, model 1 as the worker reads it.
    analyser = _analyser(ModelVersion.objects.get(number=1))
    texts = list(Conversation.objects.order_by("pk").values_list("text", "rating", "question"))
    connection.close()
    started = time.perf_counter()
    for chunk in chunked(iter(texts), CHUNK):
        analyser.analyse([t for t, _, _ in chunk], [r for _, r, _ in chunk], [q for _, _, q in chunk])
    analysis_seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "labelled": len(labelled),
        "load_s": round(load_seconds, 1),
        "train_seconds": round(train_seconds, 1),
        "train_peak_mb": train_peak_mb,
        "run_seconds": round(run_seconds, 1),
        "run_rows_per_second": round(rows / run_seconds),
        "run_peak_mb": run_peak_mb,
        "labels": labels,
        "details_removed": details_removed,
        "analysis_seconds": round(analysis_seconds, 1),
        "analysis_rows_per_second": round(rows / analysis_seconds),
        "ratio": round((rows / run_seconds) / (rows / analysis_seconds), 2),
        "total_s": round(time.perf_counter() - began, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument(
        "--labelled",
        type=int,
        help="load only the first N labelled comments (the smoke test's); all by default",
    )
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        # Only as the parent's child, whose environment points at a throwaway database.
        if os.environ.get("ENGAGE_BENCH_CHILD") != "1":
            raise SystemExit("--single is for the benchmark's own child processes.")
        print(json.dumps(run_single(options)))
        return

    began = time.perf_counter()
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    if "postgres" in databases:
        bench_database(options.database_url)  # refuse a database that is not the bench's
    summary: dict[str, Any] = {"rows": options.rows, "goal_rows_per_second": GOAL_ROWS_PER_SECOND}
    for database in databases:
        arguments = ["--rows", str(options.rows), "--seed", str(options.seed)]
        arguments += ["--labelled", str(options.labelled)] if options.labelled else []
        figures = run_in_child(
            __file__, arguments, database=database, database_url=options.database_url, label="insight"
        )
        name = "SQLite" if database == "sqlite" else "PostgreSQL"
        print(
            f"{name}: {figures['rows']:,} conversations ({figures['labelled']:,} labelled) loaded in "
            f"{figures['load_s']} s\n"
            f"  engage insight train {figures['train_seconds']} s (peak {figures['train_peak_mb']} MB)\n"
            f"  engage insight run {figures['run_seconds']} s: {figures['run_rows_per_second']:,} a second, "
            f"peak {figures['run_peak_mb']} MB; {figures['labels']:,} labels, "
            f"{figures['details_removed']:,} personal details removed\n"
            f"  the analysis alone, one process: {figures['analysis_seconds']} s, "
            f"{figures['analysis_rows_per_second']:,} a second; the command / the analysis alone "
            f"{figures['ratio']}",
            flush=True,
        )
        for key, value in figures.items():
            if key != "rows":
                summary[f"{database}_{key}"] = value
    summary["total_s"] = round(time.perf_counter() - began, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
