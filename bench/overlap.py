"""Time one overlap ("fatigue") check against a register of 10,000 activities.

Builds a throwaway register (two years of activities across a place, 8 localities and
their wards, 6 partnership priorities, a realistic vocabulary of topics), then times
`engage.activities.overlap.overlap_list` for random new activities, on SQLite (a file in
a temporary folder) and on PostgreSQL (a database it creates and drops), each in its
own process. Never touches the developer's database.

The baseline is the obvious first implementation: load every activity with its areas
and priorities and compare each in Python, with no database filter. It runs on fewer
probes (it is slow) and its answers are checked against overlap_list's on the same
probes, so both are timed doing the same job. overlap_list is timed as a page calls it
(the default criteria: the closest 50 overlaps) and again returning every overlap. The ratio is p95 / baseline p95, on the
database with the worse p95; below 1 is faster than the baseline. The budget is 200 ms.

    .venv/bin/python bench/overlap.py [--activities 10000] [--checks 200]
        [--baseline-checks 20] [--database both|sqlite|postgres]
        [--database-url postgres://postgres@127.0.0.1:5432/engage_bench_overlap]

The last line printed is JSON: `activities`, `p95_ms` (the worse database),
`sqlite_p95_ms`, `postgres_p95_ms`, `baseline_p95_ms`, `ratio` and the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _databases import bench_database, run_in_child

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_overlap"
BUDGET_MS = 200.0
FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 730  # two years

PLACE = "Castlebridge"
LOCALITIES: dict[str, list[str]] = {
    "Castlebridge Central": ["Castle and Priory", "St James's", "Foundry", "Tanhouse"],
    "Harrowmere": ["Harrowmere North", "Harrowmere South", "Kingsmead", "Cedars"],
    "Ambley Cross": ["Ambley Cross East", "Ambley Cross West", "Canal Side", "Malthouse"],
    "Wyrebrook": ["Wyrebrook Central", "High Oak", "Netherwood", "Glassworks"],
    "Stonehale": ["Stonehale East", "Stonehale West", "Greenacres", "Lime Kiln"],
    "Ridgeford": ["Ridgeford Park", "Quarry Hill", "Brookside"],
    "Oldbury Green": ["Oldbury Green North", "Oldbury Green South", "Meadowbank", "Chapel End"],
    "Lowmoor": ["Lowmoor Vale", "Furnace Lane", "Saltwells"],
}
PRIORITIES = [
    "Giving every child the best start in life",
    "Mental health and wellbeing",
    "Ageing well",
    "Urgent and emergency care that works together",
    "Tackling health inequalities",
    "Living well with long-term conditions",
]
GROUPS = [
    "general_public",
    "seldom_heard",
    "children_young_people",
    "carers",
    "older_people",
    "disabled_people",
    "ethnic_minorities",
    "most_deprived",
    "patients",
    "lgbtq",
    "learning_disabilities",
    "staff",
]
# topic: (titles, purposes, priority positions)
TOPICS: dict[str, tuple[list[str], list[str], list[int]]] = {
    "Urgent care": (
        [
            "Waiting times at the urgent treatment centre",
            "Urgent care waits",
            "Experiences of A&E and NHS 111",
            "When you needed urgent care",
        ],
        [
            "Hear how long people waited for urgent care and what would have helped.",
            "Understand why people go to A&E instead of the urgent treatment centre.",
        ],
        [3],
    ),
    "Mental health": (
        [
            "Adult mental health services review",
            "Talking therapies feedback",
            "Crisis support for mental health",
        ],
        [
            "Hear from adults who used mental health services about waiting and support.",
            "Find out what crisis support people want when their mental health is at its worst.",
        ],
        [1],
    ),
    "GP access": (
        [
            "Getting a GP appointment",
            "GP access survey",
            "Online booking at GP practices",
            "Phoning the surgery at 8am",
        ],
        [
            "Understand how patients get GP appointments and what gets in the way.",
            "Hear what patients think of online booking and telephone triage at GP practices.",
        ],
        [5, 4],
    ),
    "Carers support": (
        [
            "Carers' breaks and respite",
            "Support for unpaid carers",
            "Carers' assessments",
            "Young carers' voices",
        ],
        [
            "Understand what short breaks and support unpaid carers need.",
            "Hear from carers about assessments and the help that followed.",
        ],
        [2, 4],
    ),
    "Maternity": (
        ["Maternity services feedback", "Antenatal care experiences", "Birth centre listening event"],
        [
            "Hear from parents about antenatal appointments, birth and postnatal care.",
            "Find out how the maternity unit could be more welcoming.",
        ],
        [0],
    ),
    "Diabetes": (
        ["Living with diabetes", "Diabetes education sessions", "Type 2 diabetes prevention"],
        [
            "Understand what helps people manage diabetes day to day.",
            "Hear why people do or do not take up diabetes prevention courses.",
        ],
        [5, 4],
    ),
    "Young people's mental health": (
        ["Young people's mental health", "School wellbeing survey", "Children's mental health waiting lists"],
        [
            "Hear from young people about anxiety, school and getting help for their mental health.",
            "Understand what would help children waiting for mental health support.",
        ],
        [0, 1],
    ),
    "Dementia": (
        ["Dementia diagnosis and support", "Dementia-friendly communities", "Memory clinic experiences"],
        [
            "Hear from people living with dementia and their families about diagnosis and support.",
            "Find out what makes a community dementia friendly.",
        ],
        [2],
    ),
    "Community pharmacy": (
        ["Community pharmacy services", "Pharmacy First awareness", "Pharmacy opening hours"],
        ["Understand how people use their community pharmacy and what they know of Pharmacy First."],
        [3, 5],
    ),
    "Dentistry": (
        ["NHS dentistry access", "Finding an NHS dentist", "Children's dental health"],
        ["Hear how hard it is to find an NHS dentist and what people do instead."],
        [4],
    ),
    "Hospital discharge": (
        ["Leaving hospital", "Hospital discharge experiences", "Home from hospital support"],
        ["Understand what happens when people leave hospital and go home or into care."],
        [2, 3],
    ),
    "Healthy weight": (
        ["Healthy weight services", "Family healthy eating", "Weight management support"],
        ["Hear what would help families eat well and stay active."],
        [0, 4],
    ),
    "Cancer screening": (
        ["Cancer screening uptake", "Breast screening barriers", "Bowel screening awareness"],
        ["Understand why some people do not take up cancer screening invitations."],
        [4, 5],
    ),
    "Social prescribing": (
        ["Social prescribing review", "Link workers and community activities"],
        ["Hear how social prescribing and link workers helped people with loneliness and wellbeing."],
        [1, 2],
    ),
    "Learning disability health checks": (
        ["Annual health checks for people with a learning disability", "Easy read health information"],
        ["Find out what makes annual health checks work for people with a learning disability."],
        [4],
    ),
    "Digital inclusion": (
        ["Digital health access", "Using the NHS App", "Online services and digital exclusion"],
        ["Understand who cannot use online health services and what support they need."],
        [4, 5],
    ),
    "End of life care": (
        ["End of life care experiences", "Planning ahead for end of life", "Hospice at home feedback"],
        ["Hear from families about care in the last months of life."],
        [2],
    ),
    "Sexual health": (
        ["Sexual health clinic feedback", "Young people's sexual health services"],
        ["Understand how young people find sexual health services and advice."],
        [0, 4],
    ),
}


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: the value at or below which `share` of samples fall."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------
# The child process: one database, set up by the environment the parent gave it.


def build_register(count: int, rng: random.Random) -> dict[str, Any]:
    """Areas, priorities, organisations and `count` activities, in bulk."""
    from engage.activities.models import Activity, Area, AreaKind, PartnershipPriority  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.partners.models import Organisation, OrganisationKind  # noqa: PLC0415 - after django.setup() for the database the run chose
    from textkit.keywords import keyword_text  # noqa: PLC0415 - after django.setup() for the database the run chose

    place = Area.objects.create(name=PLACE, kind=AreaKind.PLACE)
    wards_by_locality: dict[int, list[int]] = {}
    for name, ward_names in LOCALITIES.items():
        locality = Area.objects.create(name=name, kind=AreaKind.LOCALITY, parent=place)
        wards = Area.objects.bulk_create(
            [Area(name=ward, kind=AreaKind.WARD, parent=locality) for ward in ward_names]
        )
        wards_by_locality[locality.pk] = [w.pk for w in wards]
    priorities = [
        PartnershipPriority.objects.create(title=title, position=i).pk for i, title in enumerate(PRIORITIES)
    ]
    organisations = [
        o.pk
        for o in Organisation.objects.bulk_create(
            [Organisation(name=f"Bench partner {i}", kind=OrganisationKind.VCSE) for i in range(12)]
        )
    ]
    world = {"place": place.pk, "wards": wards_by_locality, "priorities": priorities}

    activities: list[Activity] = []
    links: list[tuple[list[int], list[int]]] = []
    for _ in range(count):
        spec = random_activity(rng, world)
        activities.append(
            Activity(
                title=spec["title"],
                purpose=spec["purpose"],
                topic=spec["topic"],
                stage="analyse",
                involvement_type="collective",
                level="consult",
                methods=["survey"],
                target_groups=spec["groups"],
                starts_on=spec["starts_on"],
                ends_on=spec["ends_on"],
                lead_organisation_id=rng.choice(organisations),
                status="planned",
                topic_terms=keyword_text(f"{spec['title']} {spec['topic']} {spec['purpose']}"),
            )
        )
        links.append((spec["area_ids"], spec["priority_ids"]))
    Activity.objects.bulk_create(activities, batch_size=500)
    area_link, priority_link = Activity.areas.through, Activity.priorities.through
    area_link._default_manager.bulk_create(
        [
            area_link(activity_id=a.pk, area_id=area)
            for a, (areas, _) in zip(activities, links, strict=True)
            for area in areas
        ],
        batch_size=2000,
    )
    priority_link._default_manager.bulk_create(
        [
            priority_link(activity_id=a.pk, partnershippriority_id=p)
            for a, (_, prios) in zip(activities, links, strict=True)
            for p in prios
        ],
        batch_size=2000,
    )
    return world


def random_activity(rng: random.Random, world: dict[str, Any]) -> dict[str, Any]:
    """One plausible activity: a topic's title and purpose, 1-3 groups, an area, dates."""
    topic = rng.choice(list(TOPICS))
    titles, purposes, priority_positions = TOPICS[topic]
    roll = rng.random()
    if roll < 0.15:
        area_ids = [world["place"]]
    elif roll < 0.45:
        area_ids = [rng.choice(list(world["wards"]))]
    else:
        wards = world["wards"][rng.choice(list(world["wards"]))]
        area_ids = rng.sample(wards, rng.randint(1, min(3, len(wards))))
    groups = rng.sample(GROUPS[1:], rng.randint(1, 3))
    if rng.random() < 0.2:
        groups[0] = "general_public"
    starts_on = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    length = rng.choice([0, 0, 0, rng.randint(7, 28), rng.randint(7, 28), rng.randint(30, 90)])
    priority_ids = {
        world["priorities"][p] for p in priority_positions[: rng.randint(1, len(priority_positions))]
    }
    if rng.random() < 0.2:
        priority_ids.add(rng.choice(world["priorities"]))
    return {
        "topic": topic,
        "title": rng.choice(titles),
        "purpose": rng.choice(purposes),
        "groups": sorted(set(groups)),
        "area_ids": area_ids,
        "priority_ids": sorted(priority_ids),
        "starts_on": starts_on,
        "ends_on": starts_on + dt.timedelta(days=length),
    }


def naive_overlap_ids(probe: Any, window_days: int, threshold: float) -> set[int]:
    """The obvious first implementation: every activity loaded, every test in Python."""
    from engage.activities.models import Activity  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.activities.selectors import area_with_related  # noqa: PLC0415 - after django.setup() for the database the run chose
    from textkit.keywords import jaccard  # noqa: PLC0415 - after django.setup() for the database the run chose

    related = area_with_related(list(probe.area_ids))
    found: set[int] = set()
    everything = Activity.objects.select_related("lead_organisation", "contact").prefetch_related(
        "areas", "priorities"
    )
    for activity in everything:
        if activity.pk == probe.exclude_activity_id:
            continue
        gap = max((activity.starts_on - probe.ends_on).days, (probe.starts_on - activity.ends_on).days)
        if gap > window_days or not {a.pk for a in activity.areas.all()} & related:
            continue
        terms = frozenset(activity.topic_terms.split())
        topic = bool(terms & probe.topic_terms) and jaccard(terms, probe.topic_terms) >= threshold
        theirs, ours = set(activity.target_groups), set(probe.target_groups)
        groups = bool(theirs & ours) or bool(
            ("general_public" in theirs and ours) or ("general_public" in ours and theirs)
        )
        priority = bool({p.pk for p in activity.priorities.all()} & probe.priority_ids)
        if topic or (groups and priority):
            found.add(activity.pk)
    return found


def run_single(options: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - after django.setup() for the database the run chose

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - after django.setup() for the database the run chose
    from django.db import connection  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.activities.overlap import ActivityProbe, OverlapCriteria, overlap_list  # noqa: PLC0415 - after django.setup() for the database the run chose
    from textkit.keywords import keywords  # noqa: PLC0415 - after django.setup() for the database the run chose

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    rng = random.Random(options.seed)
    world = build_register(options.activities, rng)
    built = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    criteria = OverlapCriteria()

    def probe_of(spec: dict[str, Any]) -> ActivityProbe:
        return ActivityProbe(
            topic_terms=keywords(f"{spec['title']} {spec['topic']} {spec['purpose']}"),
            target_groups=frozenset(spec["groups"]),
            area_ids=frozenset(spec["area_ids"]),
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            priority_ids=frozenset(spec["priority_ids"]),
        )

    probes = [probe_of(random_activity(rng, world)) for _ in range(options.checks)]
    for probe in probes[:5]:  # warm the connection and the caches
        overlap_list(probe=probe, criteria=criteria)

    def timed(criteria: OverlapCriteria) -> tuple[list[float], list[int]]:
        timings: list[float] = []
        found: list[int] = []
        for probe in probes:
            began = time.perf_counter()
            overlaps = overlap_list(probe=probe, criteria=criteria)
            for overlap in overlaps:
                overlap.explanation()
            timings.append((time.perf_counter() - began) * 1000)
            found.append(len(overlaps))
        return timings, found

    # As a page asks (the closest `limit`), then every overlap however many there are.
    timings, _ = timed(criteria)
    every = OverlapCriteria(limit=None)
    timings_all, found = timed(every)

    baseline: list[float] = []
    disagreements = 0
    for probe in probes[: options.baseline_checks]:
        began = time.perf_counter()
        expected = naive_overlap_ids(probe, criteria.window_days, criteria.topic_threshold)
        baseline.append((time.perf_counter() - began) * 1000)
        if expected != {o.other.pk for o in overlap_list(probe=probe, criteria=every)}:
            disagreements += 1
    return {
        "database": connection.vendor,
        "activities": options.activities,
        "checks": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "limit": criteria.limit,
        "all_median_ms": round(statistics.median(timings_all), 2),
        "all_p95_ms": round(percentile(timings_all, 0.95), 2),
        "all_max_ms": round(max(timings_all), 2),
        "overlaps_median": statistics.median(found),
        "overlaps_max": max(found),
        "baseline_checks": len(baseline),
        "baseline_median_ms": round(statistics.median(baseline), 2) if baseline else None,
        "baseline_p95_ms": round(percentile(baseline, 0.95), 2) if baseline else None,
        "disagreements": disagreements,
        "migrate_s": round(migrated - started, 2),
        "build_s": round(built - migrated, 2),
    }


# ---------------------------------------------------------------------------------------
# The parent process: one child per database, then the summary.


def run_child(options: argparse.Namespace, database: str) -> dict[str, Any]:
    arguments = ["--activities", str(options.activities), "--checks", str(options.checks)]
    arguments += ["--baseline-checks", str(options.baseline_checks), "--seed", str(options.seed)]
    return run_in_child(__file__, arguments, database=database, database_url=options.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--baseline-checks", type=int, default=20)
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

    results: dict[str, dict[str, Any]] = {}
    for database in ["sqlite", "postgres"] if options.database == "both" else [options.database]:
        if database == "postgres":
            bench_database(options.database_url)  # refuse a database that is not the bench's
        figures = run_child(options, database)
        results[database] = figures
        speedup = figures["baseline_p95_ms"] / figures["p95_ms"] if figures["p95_ms"] else float("inf")
        print(
            f"{database:>8}: {figures['activities']} activities, {figures['checks']} checks: "
            f"median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms "
            f"(budget {BUDGET_MS:.0f} ms, closest {figures['limit']}); "
            f"every overlap: median {figures['all_median_ms']} ms, p95 {figures['all_p95_ms']} ms, "
            f"max {figures['all_max_ms']} ms, {figures['overlaps_median']} overlaps per check "
            f"(most {figures['overlaps_max']}); "
            f"baseline p95 {figures['baseline_p95_ms']} ms over {figures['baseline_checks']} checks, "
            f"{speedup:.0f}x slower; answers differ on {figures['disagreements']} probes; "
            f"migrate {figures['migrate_s']} s, build {figures['build_s']} s"
        )
    worst = max(results, key=lambda name: results[name]["p95_ms"])
    summary: dict[str, Any] = {
        "activities": options.activities,
        "checks": options.checks,
        "p95_ms": results[worst]["p95_ms"],
        "median_ms": results[worst]["median_ms"],
        "database": worst,
        "budget_ms": BUDGET_MS,
    }
    for name in ("sqlite", "postgres"):
        figures = results.get(name, {})
        summary[f"{name}_p95_ms"] = figures.get("p95_ms")
        summary[f"{name}_median_ms"] = figures.get("median_ms")
        summary[f"{name}_all_p95_ms"] = figures.get("all_p95_ms")
        summary[f"{name}_baseline_p95_ms"] = figures.get("baseline_p95_ms")
    summary["baseline_p95_ms"] = results[worst]["baseline_p95_ms"]
    summary["ratio"] = round(results[worst]["p95_ms"] / results[worst]["baseline_p95_ms"], 4)
    summary["disagreements"] = sum(figures["disagreements"] for figures in results.values())
    print(json.dumps(summary))
    if summary["disagreements"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
