"""Time the import of a large conversation file, against saving one row at a time.

Generates a realistic survey export as CSV (streamed to a temporary file): respondent
ids, dates over two years written day/month/year, ratings 1-5, channels, questions, full
postcodes, demographics and comments of varied length about waiting, staff, parking,
appointments, medicines, discharge and more. It is imported with the built-in template
"Generic survey export", as the product does it (`import_job_create(start=False)` then
`import_job_run`), into SQLite (a file in a temporary folder) and into PostgreSQL (a
database the script creates and drops), each import in its own process on a fresh
database. Never touches the developer's database.

Rows per second are rows added / seconds from the job's creation (the file copied and
checked) to the job finished (SUCCEEDED). On SQLite every insert also indexes the text
through the FTS5 triggers (migration 0002); on PostgreSQL the GIN full-text index is
kept up as rows arrive. Both are part of the real cost and are not switched off.

Memory: the peak resident set (ru_maxrss) of the importing process, for the whole file
and for a file a quarter its size (its first quarter), each in its own process, so the
two can be compared: memory that does not grow with the file gives about the same peak.

The naive way, in the same run: `csv.DictReader` over the same file and one
`Conversation(...).save()` per row (autocommit, as a simple script would), on the first
`--naive-rows` rows of a fresh database; its rows per second are extrapolated from
those. `naive_ratio` is ours / naive on the database where that ratio is smaller.

The floor, in the same run: the whole file read and checked into memory first (not
timed), then only the import's own insert statements timed, in one transaction, on a
fresh database: what the database allows for this table and its indexes, which no
importer written in Python can beat (`<database>_floor_rows_per_second`).

    .venv/bin/python bench/import.py [--rows 1000000] [--naive-rows 20000]
        [--database both|sqlite|postgres]
        [--database-url postgres://postgres@127.0.0.1:5432/engage_bench_import]
        [--profile FOLDER]

The last line printed is JSON: `rows`, `sqlite_rows_per_second`,
`postgres_rows_per_second`, `naive_ratio`, `peak_rss_mb` (the larger of the databases'),
then the per-database figures (naive rows per second, ratios, peak RSS for the whole
and the quarter file, seconds for the stages).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _databases import bench_database, run_in_child
from _feedback import QUESTIONS, comment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_import"
GOAL_ROWS_PER_SECOND = 50_000
GOAL_RATIO = 20
TEMPLATE = "Generic survey export"
FIRST_DAY = dt.date(2024, 11, 1)
DAYS = 730  # two years

HEADINGS = [
    "Respondent ID",
    "Date submitted",
    "Channel",
    "Question",
    "Rating",
    "Comment",
    "Postcode",
    "Age group",
    "Gender",
    "Ethnicity",
    "Disability",
    "Are you a carer?",
    "Can we quote you?",
    "Can we contact you?",
]
CHANNELS = ["Survey", "Event", "Phone call", "Web form", "Social media", "Healthwatch", "Telephone", "Other"]
CHANNEL_WEIGHTS = [40, 10, 8, 15, 6, 10, 4, 7]
OUTWARD = [
    "DY1",
    "DY2",
    "DY4",
    "DY5",
    "DY8",
    "B63",
    "B64",
    "B65",
    "B69",
    "WV14",
    "WS10",
    "DY9",
    "B62",
    "WV10",
]
AGE_BANDS = [
    "Under 16",
    "16-24",
    "25-34",
    "35-44",
    "45-54",
    "55-64",
    "65-74",
    "75-84",
    "85+",
    "Prefer not to say",
]
SEXES = ["Female", "Male", "Prefer not to say", "Non-binary", ""]
ETHNIC_GROUPS = [
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Any other White background",
    "Asian or Asian British: Indian",
    "Asian or Asian British: Pakistani",
    "Asian or Asian British: Bangladeshi",
    "Black, Black British, Caribbean or African: Caribbean",
    "Black, Black British, Caribbean or African: African",
    "Mixed or multiple ethnic groups: White and Black Caribbean",
    "Other ethnic group: Arab",
    "Prefer not to say",
    "",
]
YES_NO = ["Yes", "No", "Prefer not to say", ""]


def write_csv(path: Path, quarter_path: Path, rows: int, seed: int) -> None:
    """`rows` rows to `path`, and its first quarter to `quarter_path`, streamed."""
    rng = random.Random(seed)
    days = [(FIRST_DAY + dt.timedelta(days=n)).strftime("%d/%m/%Y") for n in range(DAYS)]
    quarter = max(1, rows // 4)
    with (
        path.open("w", newline="", encoding="utf-8") as whole,
        quarter_path.open("w", newline="", encoding="utf-8") as part,
    ):
        writers = [csv.writer(whole), csv.writer(part)]
        for writer in writers:
            writer.writerow(HEADINGS)
        for number in range(rows):
            postcode = f"{rng.choice(OUTWARD)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            row = [
                # One in eight rows has no respondent id: its key is then a hash of its content.
                f"R{number + 100_000:07d}" if number % 8 else "",
                rng.choice(days),
                rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
                rng.choice(QUESTIONS),
                rng.choice(("1", "2", "3", "4", "5", "5", "4", "")),
                comment(rng),
                postcode if rng.random() < 0.7 else "",
                rng.choice(AGE_BANDS),
                rng.choice(SEXES),
                rng.choice(ETHNIC_GROUPS),
                rng.choice(YES_NO),
                rng.choice(YES_NO),
                rng.choice(("Yes", "No", "")),
                rng.choice(("Yes", "No", "")),
            ]
            writers[0].writerow(row)
            if number < quarter:
                writers[1].writerow(row)


# ---------------------------------------------------------------------------------------
# The child process: one database, set up by the environment the parent gave it.


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def setup() -> Any:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - after django.setup() for the database the run chose

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - after django.setup() for the database the run chose

    call_command("migrate", verbosity=0)
    from engage.partners.models import Organisation, OrganisationKind  # noqa: PLC0415 - after django.setup() for the database the run chose

    return Organisation.objects.create(name="Bench partner", kind=OrganisationKind.VCSE)


def run_import(options: argparse.Namespace) -> dict[str, Any]:
    began = time.perf_counter()
    organisation = setup()
    from django.conf import settings  # noqa: PLC0415 - after django.setup() for the database the run chose
    from django.db import connection  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.conversations.imports.pipeline import import_job_run  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.conversations.imports.services import import_job_create  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.conversations.models import Conversation, ImportStatus  # noqa: PLC0415 - after django.setup() for the database the run chose

    path = Path(options.csv)
    # The product refuses files over 200 MB by default; a 1,000,000-row export is larger.
    settings.ENGAGE_IMPORT_MAX_BYTES = max(
        getattr(settings, "ENGAGE_IMPORT_MAX_BYTES", 0), path.stat().st_size + 1
    )
    ready = time.perf_counter()
    rss_before = peak_rss_mb()
    profiler = None
    if options.profile:
        import cProfile  # noqa: PLC0415 - after django.setup() for the database the run chose

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    with path.open("rb") as content:
        job = import_job_create(
            actor=None,
            organisation=organisation,
            content=content,
            file_name="survey-export.csv",
            template=TEMPLATE,
            start=False,
        )
    created = time.perf_counter()
    stages: list[tuple[int, float]] = []
    job = import_job_run(
        job_id=job.pk, on_progress=lambda done, total: stages.append((done, time.perf_counter()))
    )
    finished = time.perf_counter()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(options.profile)
    if job.status != ImportStatus.SUCCEEDED:
        raise SystemExit(f"The import did not succeed: {job.status}: {job.error}")
    read_at = stages[-1][1] if stages else created  # every row read, checked and inserted
    seconds = finished - started
    return {
        "database": connection.vendor,
        "rows": job.rows_total,
        "added": job.added,
        "duplicates": job.duplicates,
        "rejected": job.rejected,
        "in_bank": Conversation.objects.filter(organisation=organisation).count(),
        "seconds": round(seconds, 2),
        "rows_per_second": round(job.added / seconds),
        "create_s": round(created - started, 2),
        "read_s": round(read_at - created, 2),
        "finish_s": round(finished - read_at, 2),
        "setup_s": round(ready - began, 2),
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "file_mb": round(path.stat().st_size / 1_048_576, 1),
    }


def run_naive(options: argparse.Namespace) -> dict[str, Any]:
    """One ORM save per row, as a first script would: parse each cell, save, next."""
    organisation = setup()
    from django.db import connection  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.conversations.imports.keys import dedupe_key  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.conversations.models import Channel, Conversation  # noqa: PLC0415 - after django.setup() for the database the run chose

    channels = {str(label).casefold(): value for value, label in Channel.choices} | {"telephone": "phone"}
    saved = 0
    started = time.perf_counter()
    with open(options.csv, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if saved >= options.naive_rows:
                break
            day, month, year = (int(part) for part in row["Date submitted"].split("/"))
            channel = channels.get(row["Channel"].casefold(), "other")
            text = row["Comment"].strip()
            occurred_on = dt.date(year, month, day)
            Conversation(
                organisation=organisation,
                channel=channel,
                text=text,
                question=row["Question"],
                occurred_on=occurred_on,
                rating=int(row["Rating"]) if row["Rating"] else None,
                respondent_reference=row["Respondent ID"],
                postcode_district=row["Postcode"].split()[0] if row["Postcode"] else "",
                age_band=row["Age group"],
                sex=row["Gender"],
                ethnic_group=row["Ethnicity"],
                disability=row["Disability"],
                carer=row["Are you a carer?"],
                consent_to_quote=row["Can we quote you?"] == "Yes",
                consent_to_contact=row["Can we contact you?"] == "Yes",
                dedupe_key=dedupe_key(
                    text=text,
                    question=row["Question"],
                    occurred_on=occurred_on.isoformat(),
                    channel=channel,
                    respondent_reference=row["Respondent ID"],
                ),
            ).save()
            saved += 1
    seconds = time.perf_counter() - started
    return {
        "database": connection.vendor,
        "rows": saved,
        "seconds": round(seconds, 2),
        "rows_per_second": round(saved / seconds),
    }


def run_floor(options: argparse.Namespace) -> dict[str, Any]:
    """The database's own cost: the file read and checked into memory first (not timed),
    then only the product's insert statements timed, in one transaction, as the import
    runs them (SQLite: multi-row INSERT with the FTS5 trigger dropped, then the index
    filled once; PostgreSQL: COPY to a temporary table, then INSERT … SELECT … ON
    CONFLICT). No importer written in Python can be faster than this."""
    organisation = setup()
    from django.conf import settings  # noqa: PLC0415 - after django.setup() for the database the run chose
    from django.db import connection, transaction  # noqa: PLC0415 - after django.setup() for the database the run chose
    from django.utils import timezone  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.conversations.imports import pipeline as import_pipeline  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.conversations.imports import services as import_services  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.conversations.search_index import indexing_deferred  # noqa: PLC0415 - after django.setup() for the database the run chose

    path = Path(options.csv)
    settings.ENGAGE_IMPORT_MAX_BYTES = max(
        getattr(settings, "ENGAGE_IMPORT_MAX_BYTES", 0), path.stat().st_size + 1
    )
    with path.open("rb") as content:
        job = import_services.import_job_create(
            actor=None,
            organisation=organisation,
            content=content,
            file_name="survey-export.csv",
            template=TEMPLATE,
            start=False,
        )
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    fixed = (job.organisation_id, job.activity_id, job.pk, created_at)
    # As the import does, each row with its place (none here: no postcode lookup).
    batches = [
        import_pipeline._placed(batch, lookup=False)
        for batch in import_pipeline._checked_batches(job, fixed=fixed)
    ]
    rows = sum(len(batch) for batch in batches)
    started = time.perf_counter()
    with transaction.atomic(), indexing_deferred():
        added = sum(import_pipeline._insert_new(batch) for batch in batches)
        inserted = time.perf_counter()
    finished = time.perf_counter()
    seconds = finished - started
    return {
        "database": connection.vendor,
        "rows": rows,
        "added": added,
        "seconds": round(seconds, 2),
        "insert_us_per_row": round((inserted - started) / rows * 1e6, 1),
        "index_and_commit_us_per_row": round((finished - inserted) / rows * 1e6, 1),
        "rows_per_second": round(added / seconds),
    }


# ---------------------------------------------------------------------------------------
# The parent process: the file, then one child per database and job, then the summary.


def run_child(
    options: argparse.Namespace, database: str, mode: str, csv_path: Path, profile: str = ""
) -> dict[str, Any]:
    """One job in its own process on a fresh database, so its peak memory is its own."""
    arguments = [mode, "--csv", str(csv_path), "--naive-rows", str(options.naive_rows)]
    if profile:
        arguments += ["--profile", profile]
    return run_in_child(__file__, arguments, database=database, database_url=options.database_url, label=mode)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=20_000)
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile", default="", help="a folder for cProfile output of the whole-file imports"
    )
    parser.add_argument("--single", choices=["import", "naive", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        # Only as the parent's child, whose environment points at a throwaway database.
        if os.environ.get("ENGAGE_BENCH_CHILD") != "1":
            raise SystemExit("--single is for the benchmark's own child processes.")
        run = {"import": run_import, "naive": run_naive, "floor": run_floor}[options.single]
        print(json.dumps(run(options)))
        return

    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    if "postgres" in databases:
        bench_database(options.database_url)  # refuse a database that is not the bench's
    options.naive_rows = min(options.naive_rows, options.rows)
    if options.profile:
        Path(options.profile).mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="engage-bench-import-file-") as folder:
        whole, quarter = Path(folder) / "survey-export.csv", Path(folder) / "survey-export-quarter.csv"
        began = time.perf_counter()
        write_csv(whole, quarter, options.rows, options.seed)
        print(
            f"file: {options.rows:,} rows, {whole.stat().st_size / 1_048_576:,.1f} MB "
            f"(quarter: {options.rows // 4:,} rows), written in {time.perf_counter() - began:.1f} s"
        )
        for database in databases:
            profile = (
                str(Path(options.profile).resolve() / f"import-{database}.prof") if options.profile else ""
            )
            ours = run_child(options, database, "import", whole, profile)
            small = run_child(options, database, "import", quarter)
            naive = run_child(options, database, "naive", whole)
            floor = run_child(options, database, "floor", whole)
            ratio = ours["rows_per_second"] / naive["rows_per_second"]
            results[database] = {
                "ours": ours,
                "quarter": small,
                "naive": naive,
                "floor": floor,
                "ratio": ratio,
            }
            print(
                f"{database:>8}: {ours['added']:,} of {ours['rows']:,} rows added "
                f"({ours['duplicates']:,} duplicates, {ours['rejected']:,} rejected) in {ours['seconds']} s: "
                f"{ours['rows_per_second']:,} rows/s (goal {GOAL_ROWS_PER_SECOND:,}); "
                f"copy and check {ours['create_s']} s, read and insert {ours['read_s']} s, index and commit {ours['finish_s']} s; "
                f"peak RSS {ours['peak_rss_mb']} MB (before the import {ours['rss_before_mb']} MB), "
                f"quarter file {small['peak_rss_mb']} MB ({small['rows_per_second']:,} rows/s); "
                f"naive: {naive['rows']:,} rows in {naive['seconds']} s, {naive['rows_per_second']:,} rows/s; "
                f"ours / naive {ratio:.1f}x (goal {GOAL_RATIO}x); "
                f"the database alone (rows already checked, in memory): {floor['rows_per_second']:,} rows/s "
                f"(insert {floor['insert_us_per_row']} µs a row, index and commit "
                f"{floor['index_and_commit_us_per_row']} µs), so ours is "
                f"{ours['rows_per_second'] / floor['rows_per_second']:.0%} of what the database allows"
            )

    worst = min(results, key=lambda name: results[name]["ratio"])
    summary: dict[str, Any] = {
        "rows": options.rows,
        "sqlite_rows_per_second": results.get("sqlite", {}).get("ours", {}).get("rows_per_second"),
        "postgres_rows_per_second": results.get("postgres", {}).get("ours", {}).get("rows_per_second"),
        "naive_ratio": round(results[worst]["ratio"], 1),
        "peak_rss_mb": max(figures["ours"]["peak_rss_mb"] for figures in results.values()),
    }
    for name, figures in results.items():
        summary[f"{name}_added"] = figures["ours"]["added"]
        summary[f"{name}_seconds"] = figures["ours"]["seconds"]
        summary[f"{name}_read_s"] = figures["ours"]["read_s"]
        summary[f"{name}_finish_s"] = figures["ours"]["finish_s"]
        summary[f"{name}_naive_rows_per_second"] = figures["naive"]["rows_per_second"]
        summary[f"{name}_naive_ratio"] = round(figures["ratio"], 1)
        summary[f"{name}_floor_rows_per_second"] = figures["floor"]["rows_per_second"]
        summary[f"{name}_peak_rss_mb"] = figures["ours"]["peak_rss_mb"]
        summary[f"{name}_quarter_peak_rss_mb"] = figures["quarter"]["peak_rss_mb"]
        summary[f"{name}_rss_before_mb"] = figures["ours"]["rss_before_mb"]
    summary["naive_rows"] = options.naive_rows
    summary["goals_met"] = all(
        figures["ours"]["rows_per_second"] >= GOAL_ROWS_PER_SECOND and figures["ratio"] >= GOAL_RATIO
        for figures in results.values()
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
