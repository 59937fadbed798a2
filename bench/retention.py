"""Time retention's dry run and a run over 1,000,000 conversations.

Loads conversations heard over ten years (so about 40% are past the default 72 months),
from 5 organisations, one in 25 from the public feedback form, with 100 decisions whose
evidence is 2,000 of them (half open), into a fresh SQLite file (in a temporary folder)
and into a PostgreSQL database the script creates and drops, each in its own process.
Then it times:

- the dry run the Retention page shows, `retention_forecast`: a COUNT for every kind,
  the conversations' three (past their time, kept as evidence, unanswered feedback-form
  comments) on the whole bank;
- the same with an extra index on `occurred_on` alone, to see whether one is worth what
  it costs every imported row (the table's own indexes begin with the organisation);
- a run (`retention_run_execute`) with the conversations' rule set so that about 5% of
  the bank is past its time: how fast it deletes (with what cascades), and the longest
  chunk, an upper bound on how long any other writer waits for it on SQLite. The run
  must delete exactly what the dry run counted.

On SQLite the dry run is timed again without the statistics ANALYZE keeps
(`sqlite_forecast_without_statistics_ms`), as on a database nobody has analysed; the run
starts without them too, and the dry run is timed once more after it
(`*_forecast_after_run_ms`), since a run makes them again.

    .venv/bin/python bench/retention.py [--rows 1000000] [--repeats 5]
        [--database both|sqlite|postgres]
        [--database-url postgres://postgres@127.0.0.1:5432/engage_bench_retention]

The last line printed is JSON: `rows`, and for each database its `*_forecast_ms`
(median of the repeats), `*_conversations_count_ms`, `*_forecast_with_date_index_ms`,
`*_run_deleted`, `*_run_seconds`, `*_run_rows_per_second`, `*_counting_and_first_chunk_seconds`
(the run counts every kind before it deletes), `*_longest_chunk_seconds` (of the others,
from one chunk's end to the next's: choosing it, then deleting it in its transaction),
`*_forecast_after_run_ms`;
`budget_met` says whether the dry run took under 1 s on both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _databases import bench_database, run_in_child

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_retention"
BUDGET_MS = 1000.0
RUN_ON = dt.date(2026, 12, 7)
FIRST_DAY = dt.date(2016, 12, 8)  # ten years before RUN_ON
DAYS = 3652
ORGANISATIONS = 5
DECISIONS = 100
EVIDENCE = 2000

COLUMNS = (
    "organisation_id, channel, text, question, occurred_on, respondent_reference, postcode_district, "
    "lsoa_code, ward_code, age_band, sex, ethnic_group, disability, carer, consent_to_quote, "
    "consent_to_contact, dedupe_key, created_at"
)


def _organisation_case(ids: list[int]) -> str:
    return "CASE i % {} {} END".format(len(ids), " ".join(f"WHEN {n} THEN {pk}" for n, pk in enumerate(ids)))


def load(rows: int) -> float:
    """The bank: `rows` conversations in one statement, then decisions and evidence."""
    from django.db import connection, transaction  # noqa: PLC0415 - after django.setup()
    from django.utils import timezone  # noqa: PLC0415 - after django.setup()

    from engage.conversations.models import Conversation  # noqa: PLC0415 - after django.setup()
    from engage.conversations.search_index import indexing_deferred  # noqa: PLC0415 - after django.setup()
    from engage.decisions.models import Decision, DecisionEvidence, DecisionStatus  # noqa: PLC0415
    from engage.partners.models import Organisation  # noqa: PLC0415 - after django.setup()

    started = time.perf_counter()
    ids = [Organisation.objects.create(name=f"Partner {n}", kind="icb").pk for n in range(ORGANISATIONS)]
    now = timezone.now().isoformat()
    values = (
        f"{_organisation_case(ids)}, CASE WHEN i % 25 = 0 THEN 'web_form' ELSE 'survey' END, "
        "'Comment ' || i || ' about the waiting room and the staff', '', {day}, '', '', '', '', '', '', '', '', '', "
        f"false, false, 'bench-' || i, '{now}'"
    )
    if connection.vendor == "sqlite":
        day = f"date('{FIRST_DAY.isoformat()}', '+' || ((i * 7919) % {DAYS}) || ' days')"
        statement = (
            f"INSERT INTO conversations_conversation ({COLUMNS}) "  # noqa: S608 - the script's own constants
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
            f"SELECT {values.format(day=day)} FROM n"
        )
        with transaction.atomic(), indexing_deferred(), connection.cursor() as cursor:
            cursor.execute(statement)
    else:
        day = f"date '{FIRST_DAY.isoformat()}' + ((i::bigint * 7919) % {DAYS})::int"
        statement = (
            f"INSERT INTO conversations_conversation ({COLUMNS}) "  # noqa: S608 - the script's own constants
            f"SELECT {values.format(day=day)} FROM generate_series(1, {rows}) AS i"
        )
        with connection.cursor() as cursor:
            # The search index is built once after the load, as bench/search.py does.
            cursor.execute("DROP INDEX IF EXISTS conversation_search_vector")
            cursor.execute(statement)
            cursor.execute(
                "CREATE INDEX conversation_search_vector ON conversations_conversation USING gin (search_vector)"
            )
    decisions = [
        Decision.objects.create(
            organisation_id=ids[n % len(ids)],
            title=f"Decision {n}",
            summary="What was done.",
            decided_by="board",
            decided_by_name="The board",
            status=DecisionStatus.AGREED if n % 2 else DecisionStatus.DONE,
        )
        for n in range(DECISIONS)
    ]
    step = max(rows // EVIDENCE, 1)
    evidence = Conversation.objects.order_by("pk").values_list("pk", flat=True)[::step][:EVIDENCE]
    DecisionEvidence.objects.bulk_create(
        DecisionEvidence(decision=decisions[n % len(decisions)], conversation_id=pk)
        for n, pk in enumerate(evidence)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def timed(function: Any, repeats: int) -> tuple[float, Any]:
    """The median milliseconds of `repeats` calls, after one to warm the caches."""
    answer = function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        answer = function()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1), answer


def statistics_forget() -> None:
    """On SQLite, forget the statistics ANALYZE keeps, as on a database nobody analysed."""
    from django.db import connection  # noqa: PLC0415 - after django.setup()

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
        connection.close()


def untimed_statistics(forecast: Any, repeats: int) -> float | None:
    """On SQLite, the dry run's milliseconds without the statistics ANALYZE keeps; the
    statistics are then made again."""
    from django.db import connection  # noqa: PLC0415 - after django.setup()

    if connection.vendor != "sqlite":
        return None
    statistics_forget()
    milliseconds, _ = timed(forecast, repeats)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    return milliseconds


def single(arguments: argparse.Namespace) -> None:
    """One database, in this process: load, time the dry run, then a run."""
    import django  # noqa: PLC0415 - the child sets up Django for the database it was given

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - after django.setup()
    from django.db import connection  # noqa: PLC0415 - after django.setup()

    from engage.conversations.models import Conversation  # noqa: PLC0415 - after django.setup()
    from engage.core.models import JobStatus  # noqa: PLC0415 - after django.setup()
    from engage.retention import runner, selectors, services  # noqa: PLC0415 - after django.setup()
    from engage.retention.models import RetentionKind, RetentionRule, RunTrigger  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    load_seconds = load(arguments.rows)
    cutoffs = selectors.cutoffs_on(RUN_ON)

    def forecast() -> list[Any]:
        return selectors.retention_forecast(run_on=RUN_ON)

    forecast_ms, found = timed(forecast, arguments.repeats)
    counts = {f.rule.kind: f.count for f in found}
    count_ms, _ = timed(
        lambda: selectors.expired_count(RetentionKind.CONVERSATIONS, cutoffs), arguments.repeats
    )
    plan = selectors.expired_records(RetentionKind.CONVERSATIONS, cutoffs)[0].order_by().explain()

    without_statistics_ms = untimed_statistics(forecast, arguments.repeats)

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX bench_conversation_occurred_on ON conversations_conversation (occurred_on)"
        )
        cursor.execute("ANALYZE")
    with_index_ms, _ = timed(forecast, arguments.repeats)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX bench_conversation_occurred_on")
        cursor.execute("ANALYZE")

    # The run: about 5% of the bank past its time (a rule of 114 months over ten years).
    RetentionRule.objects.create(kind=RetentionKind.CONVERSATIONS, amount=114, unit="months")
    expected = selectors.retention_forecast(run_on=RUN_ON)
    expected_conversations = next(f.count for f in expected if f.rule.kind == RetentionKind.CONVERSATIONS)
    chunks: list[float] = []
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        chunks.append(now - last[0])
        last[0] = now

    statistics_forget()  # the run makes them again (runner.statistics_refresh)
    run = services.retention_run_create(actor=None, trigger=RunTrigger.COMMAND, run_on=RUN_ON)
    started = time.perf_counter()
    last[0] = started
    run = runner.retention_run_execute(run_id=run.pk, on_progress=progress)
    run_seconds = time.perf_counter() - started
    RetentionRule.objects.all().delete()  # the dry run as before: the default 72 months
    after_run_ms, _ = timed(forecast, arguments.repeats)
    deleted = run.results.get(kind=RetentionKind.CONVERSATIONS).deleted
    if run.status != JobStatus.SUCCEEDED or deleted != expected_conversations:
        raise SystemExit(f"The run deleted {deleted}, the dry run said {expected_conversations}: {run.error}")
    print(
        json.dumps(
            {
                "rows": Conversation.objects.count() + deleted,
                "load_seconds": round(load_seconds, 1),
                "forecast_ms": forecast_ms,
                "conversations_count_ms": count_ms,
                "forecast_with_date_index_ms": with_index_ms,
                "forecast_without_statistics_ms": without_statistics_ms,
                "past_their_time": counts[RetentionKind.CONVERSATIONS],
                "feedback_forms": counts[RetentionKind.FEEDBACK_FORMS],
                "run_deleted": deleted,
                "run_seconds": round(run_seconds, 2),
                "run_rows_per_second": round(deleted / run_seconds) if run_seconds else 0,
                # The first progress comes after the run has counted every kind.
                "counting_and_first_chunk_seconds": round(chunks[0] if chunks else 0.0, 3),
                "longest_chunk_seconds": round(max(chunks[1:], default=0.0), 3),
                "forecast_after_run_ms": after_run_ms,
                "count_plan": " | ".join(line.strip() for line in plan.splitlines())[:400],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.single:
        sys.path.insert(0, str(ROOT))
        single(arguments)
        return
    if arguments.database != "sqlite":
        bench_database(arguments.database_url)  # refuses a name not starting engage_bench_
    databases = ["sqlite", "postgres"] if arguments.database == "both" else [arguments.database]
    figures: dict[str, Any] = {"rows": arguments.rows}
    for database in databases:
        found = run_in_child(
            __file__,
            ["--rows", str(arguments.rows), "--repeats", str(arguments.repeats)],
            database=database,
            database_url=arguments.database_url,
        )
        print(
            f"{database}: loaded in {found['load_seconds']} s; dry run {found['forecast_ms']} ms "
            f"(without statistics {found['forecast_without_statistics_ms']} ms, after the run "
            f"{found['forecast_after_run_ms']} ms) "
            f"(conversations' count {found['conversations_count_ms']} ms; with an index on the date "
            f"{found['forecast_with_date_index_ms']} ms); {found['past_their_time']:,} conversations past 72 months. "
            f"Run: {found['run_deleted']:,} deleted in {found['run_seconds']} s "
            f"({found['run_rows_per_second']:,}/s), longest chunk {found['longest_chunk_seconds']} s."
        )
        print(f"{database}: the conversations past their time are found by: {found['count_plan']}")
        for key, value in found.items():
            if key not in {"rows", "count_plan"}:
                figures[f"{database}_{key}"] = value
    figures["budget_met"] = all(
        figures.get(f"{database}_forecast_ms", 0) < BUDGET_MS for database in databases
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
