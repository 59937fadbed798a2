"""Time the board's page at a million conversations and ten thousand activities, against
working the page out on each request.

Each database (SQLite in a temporary folder, PostgreSQL in a database the script creates
and drops) gets, in its own process, the partnership of bench/partnership.py (its
organisations, sharing, priorities, wards, `--activities` activities and `--rows`
analysed conversations over 24 months) with the census counts of bench/reach.py, the
shared picture built, and then evaluation's own records: every ended activity's
evaluation opened, `--answers` participants' answers to each (four in five closed),
the teams' accounts and principles, a decision for one activity in three and feedback
given by half, and four closed rounds of the self-assessment.

Measured, in the same run:

- the page: `GET /staff/board/` as a board member, through Django's test client (the
  view, the latest snapshot and the template), `--repeats` times; its 95th percentile;
- the page's work done by the worker (`board_refresh`: every figure worked out and
  kept), once after one not timed;
- the baseline: the page worked out on each request (`board_figures`, as a view that
  computed it would), `--naive-repeats` times; its median.

The goal (issue 20) is the board page over 1,000,000 conversations and 10,000
activities in 1 second or less, on either database.

    .venv/bin/python bench/board.py [--rows 1000000] [--activities 10000] [--database both|sqlite|postgres]

The last line printed is JSON: per database `<db>_page_p95`, `<db>_refresh_seconds`,
`<db>_naive_median`, the ratio, and `goal_met`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _databases import bench_database, run_in_child  # noqa: E402 - the bench's own helpers, beside it

GOAL_SECONDS = 1.0
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_board"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _evaluations(options: argparse.Namespace, rng: random.Random) -> int:
    """Evaluation's records, in bulk: answers, accounts, principles, decisions, rounds."""
    from decimal import Decimal  # noqa: PLC0415 - one use

    from django.utils import timezone  # noqa: PLC0415 - after setup

    from engage.activities.models import Activity  # noqa: PLC0415 - after setup
    from engage.core.bulk import rows_insert  # noqa: PLC0415 - after setup
    from engage.decisions.models import Decision  # noqa: PLC0415 - after setup
    from engage.evaluation.models import (  # noqa: PLC0415 - after setup
        AssessmentRound,
        Evaluation,
        ParticipantAnswer,
        Principle,
        PrincipleAssessment,
        Score,
        ScoreSheet,
        Statement,
    )
    from engage.evaluation.services import evaluations_open_ended  # noqa: PLC0415 - after setup

    today = timezone.localdate()
    opened = evaluations_open_ended(today=today)
    evaluations = list(Evaluation.objects.select_related("activity").order_by("pk"))
    closed_at = timezone.now()
    closing = []
    for number, evaluation in enumerate(evaluations):
        if number % 5:
            evaluation.participants_closed_at = closed_at
            evaluation.staff_hours, evaluation.volunteer_hours = Decimal(rng.randint(4, 80)), Decimal(0)
            evaluation.cost_pounds = Decimal(rng.choice([0, 200, 900]))
            evaluation.what_worked, evaluation.what_did_not = "Going to where people were.", "Too short."
            closing.append(evaluation)
    Evaluation.objects.bulk_update(
        closing,
        [
            "participants_closed_at",
            "staff_hours",
            "volunteer_hours",
            "cost_pounds",
            "what_worked",
            "what_did_not",
        ],
        batch_size=1000,
    )
    rows = [
        (
            evaluation.pk, rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5), "",
            "online", min(evaluation.activity.ends_on + dt.timedelta(days=rng.randrange(14)), today),
        )
        for evaluation in evaluations
        for _ in range(options.answers)
    ]  # fmt: skip
    rows_insert(
        ParticipantAnswer,
        (
            "evaluation_id",
            "listened",
            "accessible",
            "know_next",
            "take_part_again",
            "comment",
            "source",
            "answered_on",
        ),
        rows,
    )
    principles = list(Principle.objects.values_list("pk", flat=True))
    rows_insert(
        PrincipleAssessment,
        ("evaluation_id", "principle_id", "met", "note"),
        [(e.pk, p, rng.choice(["met", "partly", "not_met"]), "") for e in closing for p in principles],
    )
    activities = list(Activity.objects.order_by("pk").values_list("pk", "lead_organisation_id", "ends_on"))
    Decision.objects.bulk_create(
        (
            Decision(
                organisation_id=organisation, title=f"Decision {pk}", summary="What was done.", decided_by="board",
                decided_by_name="The board", decided_on=min(ends + dt.timedelta(days=40), today), status="agreed",
                activity_id=pk,
            )
            for pk, organisation, ends in activities[::3]
        ),
        batch_size=2000,
    )  # fmt: skip
    priority_of = dict(
        Activity.priorities.through.objects.values_list("activity_id", "partnershippriority_id")
    )
    rows_insert(
        Decision.priorities.through,
        ("decision_id", "partnershippriority_id"),
        [
            (pk, priority_of[activity])
            for pk, activity in Decision.objects.values_list("pk", "activity_id")
            if activity in priority_of
        ],
    )
    Activity.objects.filter(pk__in=[pk for pk, _, _ in activities[::2]], ends_on__lt=today).update(
        feedback_given_on=today
    )
    statements = list(Statement.objects.all())
    for number in range(4):
        scoring = AssessmentRound.objects.create(
            title=f"Round {number}", opened_on=today - dt.timedelta(days=700 - 200 * number),
            closed_on=today - dt.timedelta(days=680 - 200 * number),
        )  # fmt: skip
        scoring.statements.set(statements)
        sheets = ScoreSheet.objects.bulk_create(
            ScoreSheet(round=scoring, group=["statutory", "nhs", "vcse", "healthwatch", "public"][n % 5])
            for n in range(40)
        )
        Score.objects.bulk_create(
            Score(sheet=sheet, statement=statement, score=min(10, rng.randint(2, 6) + number))
            for sheet in sheets
            for statement in statements
        )
    return opened


def run(options: argparse.Namespace) -> dict[str, Any]:
    import partnership  # noqa: PLC0415 - bench/partnership.py, beside this one: its partnership and bank
    import reach  # noqa: PLC0415 - bench/reach.py, beside this one: its census counts

    partnership.setup()
    from django.db import connection  # noqa: PLC0415 - after setup
    from django.test import Client  # noqa: PLC0415 - after setup

    from engage.accounts.models import Membership, User  # noqa: PLC0415 - after setup
    from engage.core.roles import Role  # noqa: PLC0415 - after setup
    from engage.evaluation.board.selectors import board_figures  # noqa: PLC0415 - after setup
    from engage.evaluation.board.services import board_refresh  # noqa: PLC0415 - after setup
    from engage.partners.models import Organisation  # noqa: PLC0415 - after setup
    from engage.partnership.services import picture_refresh_all  # noqa: PLC0415 - after setup

    rng = random.Random(options.seed)
    made = partnership._partnership(options, rng)
    began = time.perf_counter()
    partnership._conversations(options, rng, made)
    reach._reference_data(rng)
    picture_refresh_all()
    opened = _evaluations(options, rng)
    loaded = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    board_refresh()  # not timed: caches warmed, as a worker that ran before
    _, refresh_seconds = partnership._timed(board_refresh)
    user = User.objects.create_user(
        email="board@bench.example.org", password=None
    )  # signed in by force_login
    Membership.objects.create(
        user=user, organisation=Organisation.objects.order_by("pk").first(), role=Role.BOARD_MEMBER
    )
    client = Client()
    client.force_login(user)
    client.get("/staff/board/")  # a page visited before
    page_seconds = []
    for _ in range(options.repeats):
        response, seconds = partnership._timed(lambda: client.get("/staff/board/"))
        if response.status_code != 200 or b"Overall assurance" not in response.content:
            raise SystemExit(f"The board page answered {response.status_code} without its figures.")
        page_seconds.append(seconds)
    naive = [partnership._timed(board_figures)[1] for _ in range(options.naive_repeats)]
    return {
        "conversations": options.rows,
        "activities": options.activities,
        "evaluations": opened,
        "loaded_seconds": round(loaded, 1),
        "page_p95": round(_p95(page_seconds), 3),
        "page_median": round(statistics.median(page_seconds), 3),
        "refresh_seconds": round(refresh_seconds, 2),
        "naive_median": round(statistics.median(naive), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=10, help="participants' answers to each evaluation")
    parser.add_argument("--repeats", type=int, default=20, help="requests of the page")
    parser.add_argument("--naive-repeats", type=int, default=3)
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        if os.environ.get("ENGAGE_BENCH_CHILD") != "1":
            raise SystemExit("--single is for the benchmark's own child processes.")
        print(json.dumps(run(options)))
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    if "postgres" in databases:
        bench_database(options.database_url)
    summary: dict[str, Any] = {"conversations": options.rows, "activities": options.activities}
    arguments = [
        "--rows", str(options.rows), "--activities", str(options.activities), "--answers", str(options.answers),
        "--repeats", str(options.repeats), "--naive-repeats", str(options.naive_repeats), "--seed", str(options.seed),
    ]  # fmt: skip
    worst = 0.0
    for database in databases:
        figures = run_in_child(__file__, arguments, database=database, database_url=options.database_url)
        worst = max(worst, figures["page_p95"])
        print(
            f"{database:>8}: {figures['conversations']:,} conversations, {figures['activities']:,} activities, "
            f"{figures['evaluations']:,} evaluations, loaded in {figures['loaded_seconds']} s\n"
            f"  the board page: p95 {figures['page_p95']} s (median {figures['page_median']} s)\n"
            f"  worked out by the worker: {figures['refresh_seconds']} s\n"
            f"  worked out on each request instead: median {figures['naive_median']} s "
            f"({figures['naive_median'] / max(figures['page_p95'], 1e-6):.0f}x the page's p95)",
            flush=True,
        )
        summary |= {
            f"{database}_{k}": v for k, v in figures.items() if k not in {"conversations", "activities"}
        }
    summary["worst_page_p95"] = worst
    summary["goal_met"] = worst <= GOAL_SECONDS
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
