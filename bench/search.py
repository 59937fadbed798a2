"""Time conversation search and filtered list pages over 1,000,000 conversations.

Loads realistic short conversations (what people say about waiting times, staff,
parking, appointments, medicines, discharge and more; 5 organisations, 8 channels, 20
questions, two years) into a fresh SQLite file (in a temporary folder) and into a
PostgreSQL database the script creates and drops, each in its own process, then times
`engage.conversations.search.conversation_search` for one organisation: search pages
(random one- or two-word queries, some with a channel or date filter, pages 1 to 5) and
filtered list pages without a query (random channel and date filters, pages 1 to 10).
Never touches the developer's database.

Loading is bulk: SQLite with executemany in one transaction (the FTS5 triggers index as
rows arrive); PostgreSQL with COPY (the stored search vector computed as rows arrive), the GIN
index built after the load.

The baseline is the naive search: `filter(text__icontains=word)` for each word with the
same filters, counted and paginated, newest first (fewer pages: it is slow). The ratio
is the worse p95 / baseline p95, on the database with the worse p95; the budget is
200 ms for the median and the p95.

    .venv/bin/python bench/search.py [--rows 1000000] [--pages 200] [--baseline-pages 20]
        [--database both|sqlite|postgres]
        [--database-url postgres://postgres@127.0.0.1:5432/engage_bench_search]

The last line printed is JSON: `rows`, `sqlite_p95_ms`, `postgres_p95_ms` (each the
worse of search and list on that database), the separate figures, `baseline_p95_ms` and
`ratio`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _databases import bench_database, run_in_child

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_search"
BUDGET_MS = 200.0
FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 730  # two years
ORGANISATIONS = 5
CHANNELS = ["survey", "event", "phone", "web_form", "social_media", "fft", "healthwatch", "other"]
CHANNEL_WEIGHTS = [30, 10, 8, 12, 5, 25, 7, 3]
QUESTIONS = [
    "What was good about your visit?",
    "What could we have done better?",
    "Tell us about your experience of getting a GP appointment.",
    "How was your stay in hospital?",
    "What would make it easier to see a dentist?",
    "Is there anything else you would like to tell us?",
    "How did staff treat you?",
    "What do you think of the new online booking system?",
    "How easy was it to get to your appointment?",
    "What matters most to you about your care?",
    "How was the care your relative received?",
    "What support do you need as a carer?",
    "How long did you wait to be seen?",
    "What did you think of the pharmacy service?",
    "How could mental health services be improved?",
    "Overall, how was your experience of our service?",
    "What stops you from using local health services?",
    "How well were you kept informed?",
    "What happened when you left hospital?",
    "",
]

SLOTS: dict[str, list[str]] = {
    "staff": [
        "nurse",
        "nurses",
        "receptionist",
        "doctor",
        "GP",
        "midwife",
        "pharmacist",
        "porter",
        "consultant",
        "health visitor",
        "paramedic",
        "carer",
        "physio",
        "social worker",
    ],
    "good": [
        "kind",
        "caring",
        "friendly",
        "helpful",
        "patient",
        "reassuring",
        "brilliant",
        "lovely",
        "professional",
    ],
    "bad": ["rude", "dismissive", "rushed", "unhelpful", "abrupt", "short with me", "impatient"],
    "place": [
        "A&E",
        "the urgent treatment centre",
        "the GP surgery",
        "the hospital",
        "outpatients",
        "the walk-in centre",
        "the maternity unit",
        "the pharmacy",
        "the dentist",
        "the memory clinic",
        "the eye clinic",
        "the children's ward",
    ],
    "time": [
        "two hours",
        "four hours",
        "six hours",
        "all day",
        "three weeks",
        "six months",
        "a year",
        "ten days",
    ],
    "who": [
        "my mum",
        "my dad",
        "my son",
        "my daughter",
        "my husband",
        "my wife",
        "my neighbour",
        "my grandad",
    ],
    "way": ["on the phone", "online", "at 8am", "through the app", "at the desk", "by email"],
}
SENTENCES = [
    "I waited {time} in {place} before anyone saw me.",
    "The waiting time at {place} was far too long.",
    "We had to wait {time} for a referral.",
    "The wait for an appointment is {time}, which is not acceptable.",
    "Waiting times have got worse this year.",
    "I was seen quickly and did not have to wait long.",
    "The {staff} was {good} and explained everything.",
    "The {staff} was {bad} and did not listen.",
    "All the staff were {good} to {who}.",
    "The {staff} made {who} feel safe.",
    "Staff were {good} but clearly overworked.",
    "Parking at {place} is expensive and there are never any spaces.",
    "There were no disabled parking spaces near the entrance.",
    "The car park was full so I missed my appointment.",
    "Parking was easy and free.",
    "I could not get a GP appointment {way}.",
    "Trying to book an appointment {way} is impossible.",
    "My appointment was cancelled twice at short notice.",
    "The appointment letter arrived after the appointment date.",
    "Booking {way} was quick and simple.",
    "Nobody told us what was happening with {who}.",
    "Communication between {place} and the GP was poor.",
    "I was kept informed at every step.",
    "The pharmacy had run out of my medication again.",
    "Getting a repeat prescription takes too long.",
    "The pharmacist gave me good advice about my medicines.",
    "I cannot find an NHS dentist anywhere near me.",
    "{who} was discharged from hospital without a care package.",
    "The discharge was delayed for {time} waiting for medication.",
    "Support at home after leaving hospital was excellent.",
    "There is no bus to {place} so I rely on taxis.",
    "Transport to appointments is a real problem for older people.",
    "The ward was clean and the food was good.",
    "The toilets were dirty and the food was cold.",
    "I needed an interpreter but none was booked.",
    "The information was not available in easy read.",
    "Mental health support for young people is very hard to get.",
    "{who} waited {time} for a mental health assessment.",
    "The crisis team was {good} when I needed them.",
    "As a carer I feel forgotten and exhausted.",
    "I did not know a carers assessment existed.",
    "The online system keeps crashing when I try to log in.",
    "Reception staff ask too many personal questions in front of everyone.",
    "The {staff} at {place} went above and beyond.",
    "Thank you to everyone at {place}.",
    "Nothing could have been better.",
    "It felt like nobody cared.",
    "The heating was broken and the waiting room was freezing.",
    "The test results took {time} to come back.",
    "I was sent home and told to come back in {time}.",
]
# Words people search for, in the forms they type them.
SEARCH_WORDS = [
    "waiting",
    "waited",
    "wait",
    "parking",
    "kind",
    "rude",
    "appointment",
    "appointments",
    "receptionist",
    "nurse",
    "pharmacy",
    "prescription",
    "dentist",
    "discharge",
    "discharged",
    "transport",
    "bus",
    "interpreter",
    "carer",
    "mental",
    "crisis",
    "food",
    "clean",
    "dirty",
    "online",
    "phone",
    "cancelled",
    "letter",
    "informed",
    "referral",
    "medication",
    "helpful",
    "listen",
    "safe",
    "overworked",
    "freezing",
    "results",
    "disabled",
    "easy",
    "thank",
    "hospital",
    "staff",
    "young",
    "assessment",
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def conversation_rows(
    count: int, organisation_ids: list[int], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """(organisation_id, channel, text, question, occurred_on, rating, dedupe_key)."""
    slot_names = list(SLOTS)
    days = [FIRST_DAY + dt.timedelta(days=n) for n in range(DAYS)]
    for number in range(count):
        sentences = rng.sample(SENTENCES, rng.choice((1, 2, 2, 3)))
        values = {name: rng.choice(SLOTS[name]) for name in slot_names}
        text = " ".join(sentence.format(**values) for sentence in sentences)
        text = text[0].upper() + text[1:]
        yield (
            organisation_ids[number % len(organisation_ids)],
            rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
            text,
            rng.choice(QUESTIONS),
            rng.choice(days),
            rng.choice((None, 1, 2, 3, 4, 5)),
            hashlib.blake2b(f"{number}".encode(), digest_size=16).hexdigest(),
        )


def load(count: int, seed: int) -> tuple[list[int], float]:
    from django.db import connection, transaction  # noqa: PLC0415 - after django.setup() for the database the run chose
    from django.utils import timezone  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.partners.tests.factories import OrganisationFactory  # noqa: PLC0415 - after django.setup() for the database the run chose

    organisation_ids = [OrganisationFactory(name=f"Bench partner {n}").pk for n in range(ORGANISATIONS)]
    rng = random.Random(seed)
    rows = conversation_rows(count, organisation_ids, rng)
    now = timezone.now()
    columns = (
        "organisation_id, channel, text, question, occurred_on, rating, dedupe_key, respondent_reference, "
        "postcode_district, age_band, sex, ethnic_group, disability, carer, consent_to_quote, "
        "consent_to_contact, lsoa_code, ward_code, created_at"
    )
    tail = ("", "", "", "", "", "", "", False, False, "", "", now)
    began = time.perf_counter()
    if connection.vendor == "sqlite":
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.connection
            raw.execute("PRAGMA cache_size = -400000")
            placeholders = ", ".join(["?"] * (7 + len(tail)))
            statement = f"INSERT INTO conversations_conversation ({columns}) VALUES ({placeholders})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append((*row[:4], row[4].isoformat(), *row[5:], *tail[:-1], now.isoformat()))
                if len(batch) == 50_000:
                    raw.executemany(statement, batch)
                    batch.clear()
            raw.executemany(statement, batch)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS conversation_search_vector")
            with cursor.copy(f"COPY conversations_conversation ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(
                "CREATE INDEX conversation_search_vector ON conversations_conversation USING gin (search_vector)"
            )
        connection.set_autocommit(True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE conversations_conversation")
    return organisation_ids, time.perf_counter() - began


def run_single(options: argparse.Namespace) -> dict[str, Any]:  # noqa: PLR0915 - one linear script
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - after django.setup() for the database the run chose

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - after django.setup() for the database the run chose
    from django.db import connection  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.conversations.models import Conversation  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.conversations.search import conversation_search  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.partners.models import Organisation  # noqa: PLC0415 - after django.setup() for the database the run chose

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    organisation_ids, load_s = load(options.rows, options.seed)
    organisation = Organisation.objects.get(pk=organisation_ids[0])
    rng = random.Random(options.seed + 1)

    def filters() -> dict[str, Any]:
        chosen: dict[str, Any] = {}
        kind = rng.choice(("none", "channel", "date", "both"))
        if kind in ("channel", "both"):
            chosen["channel"] = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        if kind in ("date", "both"):
            start = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS - 30))
            chosen["date_from"] = start
            chosen["date_to"] = start + dt.timedelta(days=rng.choice((30, 90, 180, 365)))
        return chosen

    searches = [
        {
            "query": " ".join(rng.sample(SEARCH_WORDS, rng.choice((1, 2)))),
            "page": rng.randint(1, 5),
            **filters(),
        }
        for _ in range(options.pages)
    ]
    lists = [{"page": rng.randint(1, 10), **filters()} for _ in range(options.pages)]

    def timed(specs: list[dict[str, Any]]) -> tuple[list[float], list[int], int]:
        timings: list[float] = []
        totals: list[int] = []
        capped = 0
        for spec in specs:
            began = time.perf_counter()
            page = conversation_search(organisation=organisation, **spec)
            for result in page.results:
                str(result.snippet)
            timings.append((time.perf_counter() - began) * 1000)
            totals.append(page.total)
            capped += page.total_is_capped
        return timings, totals, capped

    timed(searches[:5])  # warm the connection and the caches
    timed(lists[:5])
    search_ms, search_totals, search_capped = timed(searches)
    list_ms, _, list_capped = timed(lists)

    baseline: list[float] = []
    for spec in searches[: options.baseline_pages]:
        began = time.perf_counter()
        naive = Conversation.objects.for_organisation(organisation)
        for word in spec["query"].split():
            naive = naive.filter(text__icontains=word)
        if "channel" in spec:
            naive = naive.filter(channel=spec["channel"])
        if "date_from" in spec:
            naive = naive.filter(occurred_on__gte=spec["date_from"], occurred_on__lte=spec["date_to"])
        total = naive.count()
        offset = (spec["page"] - 1) * 20
        list(naive.order_by("-occurred_on", "-id")[offset : offset + 20])
        baseline.append((time.perf_counter() - began) * 1000)
        del total

    def figures(samples: list[float]) -> dict[str, float]:
        return {
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(percentile(samples, 0.95), 2),
            "max_ms": round(max(samples), 2),
        }

    search_figures = figures(search_ms)
    list_figures = figures(list_ms)
    with connection.cursor() as cursor:
        version = connection.Database.sqlite_version if connection.vendor == "sqlite" else None
        if version is None:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
    return {
        "database": connection.vendor,
        "version": version,
        "rows": options.rows,
        "pages": options.pages,
        "load_s": round(load_s, 1),
        "load_rows_per_second": round(options.rows / load_s),
        "search_median_ms": search_figures["median_ms"],
        "search_p95_ms": search_figures["p95_ms"],
        "search_max_ms": search_figures["max_ms"],
        "search_matches_median": statistics.median(search_totals),
        "search_capped": search_capped,
        "list_median_ms": list_figures["median_ms"],
        "list_p95_ms": list_figures["p95_ms"],
        "list_max_ms": list_figures["max_ms"],
        "list_capped": list_capped,
        "p95_ms": max(search_figures["p95_ms"], list_figures["p95_ms"]),
        "baseline_pages": len(baseline),
        "baseline_median_ms": round(statistics.median(baseline), 2),
        "baseline_p95_ms": round(percentile(baseline, 0.95), 2),
        "total_s": round(time.perf_counter() - started, 1),
    }


# ---------------------------------------------------------------------------------------
# The parent process: one child per database, then the summary.


def run_child(options: argparse.Namespace, database: str) -> dict[str, Any]:
    arguments = ["--rows", str(options.rows), "--pages", str(options.pages)]
    arguments += ["--baseline-pages", str(options.baseline_pages), "--seed", str(options.seed)]
    return run_in_child(__file__, arguments, database=database, database_url=options.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--baseline-pages", type=int, default=20)
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
    summary: dict[str, Any] = {"rows": options.rows, "pages": options.pages, "budget_ms": BUDGET_MS}
    worst: dict[str, Any] | None = None
    if "postgres" in databases:
        bench_database(options.database_url)  # refuse a database that is not the bench's
    for database in databases:
        figures = run_child(options, database)
        name = "SQLite" if database == "sqlite" else "PostgreSQL"
        print(
            f"{name} {figures['version']}: {options.rows:,} conversations loaded in {figures['load_s']} s "
            f"({figures['load_rows_per_second']:,} rows/s); search median {figures['search_median_ms']} ms, "
            f"p95 {figures['search_p95_ms']} ms ({figures['search_capped']} of {options.pages} capped at 10,000); "
            f"list median {figures['list_median_ms']} ms, p95 {figures['list_p95_ms']} ms; "
            f"naive icontains p95 {figures['baseline_p95_ms']} ms over {figures['baseline_pages']} pages",
            flush=True,
        )
        for key in (
            "p95_ms",
            "search_median_ms",
            "search_p95_ms",
            "list_median_ms",
            "list_p95_ms",
            "baseline_p95_ms",
            "load_s",
            "version",
        ):
            summary[f"{database}_{key}"] = figures[key]
        if worst is None or figures["p95_ms"] > worst["p95_ms"]:
            worst = figures
    if worst is None:
        raise SystemExit("No database was measured.")
    summary["baseline_p95_ms"] = worst["baseline_p95_ms"]
    summary["ratio"] = round(worst["p95_ms"] / worst["baseline_p95_ms"], 4)
    summary["total_s"] = round(time.perf_counter() - began, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
