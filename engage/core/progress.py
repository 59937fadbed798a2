"""How far a long job has got: a bar for long commands (`engage import`, `engage insight
run`), and the figures and plain words a page shows while an import or an analysis runs."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.utils import timezone


@dataclass(frozen=True)
class JobProgress:
    rows_done: int
    rows_total: int
    percent: int
    rows_per_second: float
    seconds_left: int | None  # None until there is a rate to go by
    finished: bool


def job_progress(
    *,
    rows_done: int,
    rows_total: int,
    started_at: dt.datetime | None,
    finished_at: dt.datetime | None,
    finished: bool,
    succeeded: bool,
    now: dt.datetime | None = None,
) -> JobProgress:
    """A job's progress, speed and about how long it has left, from its counts and times.
    A total that was an estimate never shows less than what is done."""
    total = max(rows_total, rows_done)
    end = finished_at if finished and finished_at else (now or timezone.now())
    elapsed = (end - started_at).total_seconds() if started_at else 0.0
    rate = rows_done / elapsed if elapsed > 0 and rows_done else 0.0
    seconds_left: int | None = None
    if finished:
        seconds_left = 0
    elif rate > 0:
        seconds_left = round((total - rows_done) / rate)
    if succeeded:
        percent = 100
    elif total:
        percent = min(99, int(100 * rows_done / total))
    else:
        percent = 0
    return JobProgress(
        rows_done=rows_done,
        rows_total=total,
        percent=percent,
        rows_per_second=round(rate, 1),
        seconds_left=seconds_left,
        finished=finished,
    )


def job_progress_json(
    progress: JobProgress, *, status: str, status_label: str, summary: str
) -> dict[str, object]:
    """What a page's script (job-progress.mjs) reads from a job's status URL."""
    return {
        "status": status,
        "status_label": status_label,
        "finished": progress.finished,
        "rows_done": progress.rows_done,
        "rows_total": progress.rows_total,
        "percent": progress.percent,
        "rows_per_second": progress.rows_per_second,
        "seconds_left": progress.seconds_left,
        "summary": summary,
    }


def time_left_text(seconds: int | None) -> str:
    if seconds is None:
        return "working out the time left"
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'' if minutes == 1 else 's'} left"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} hour{'' if hours == 1 else 's'} {minutes} minute{'' if minutes == 1 else 's'} left"


BAR_WIDTH = 30


class ProgressBar:
    """`[#####.....] 12,000 / 50,000 rows  25,000 rows/s` on the error stream, redrawn
    at most a few times a second, so the report on the output stream stays clean."""

    def __init__(self, command: BaseCommand, *, noun: str = "rows") -> None:
        self.command = command
        self.noun = noun
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last_drawn < 0.25 and done < total:
            return
        self.last_drawn = now
        elapsed = max(now - self.started, 1e-6)
        total = max(total, done, 1)
        filled = int(BAR_WIDTH * done / total)
        self.command.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,} / {total:,} {self.noun}  "
            f"{done / elapsed:,.0f} {self.noun}/s",
            ending="",
        )
        self.command.stderr.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.command.stderr.write("")
