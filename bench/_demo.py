"""What the benchmarks that start the demo partnership share: waiting for the analysis
that loading the demo queues, which the worker beside `engage serve` runs once the
server has started (until it has finished, the insight pages and the public pages show
no themes).

The state is the product's own record of analyses, its AnalysisRun rows, read from the
SQLite file read-only, so the bench never holds a lock the worker or the site waits for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any


def analysis_runs(database: Path) -> list[tuple[str, str | None, str | None, int]]:
    """(status, started_at, finished_at, rows_total) of each analysis recorded, oldest first."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        return db.execute(
            "SELECT status, started_at, finished_at, rows_total FROM insight_analysisrun ORDER BY id"
        ).fetchall()


def wait_for_analysis(database: Path, deadline: float) -> dict[str, Any]:
    """Poll until no analysis is waiting or running, or `deadline` (perf_counter) passes;
    the last analysis's status, conversations and seconds running (status None where none
    was queued, "still running" or "still queued" where the deadline passed first)."""
    while True:
        runs = analysis_runs(database)
        if not runs:
            return {"analysis_status": None}
        if all(status not in ("queued", "running") for status, _, _, _ in runs):
            break
        if time.perf_counter() > deadline:
            return {"analysis_status": "still " + runs[-1][0]}
        time.sleep(0.25)
    status, started_at, finished_at, rows = runs[-1]
    ran = (
        (dt.datetime.fromisoformat(finished_at) - dt.datetime.fromisoformat(started_at)).total_seconds()
        if started_at and finished_at
        else None
    )
    return {
        "analysis_status": status,
        "analysis_rows": rows,
        "analysis_run_seconds": round(ran, 2) if ran else ran,
    }
