"""A progress bar for long commands (`engage import`, `engage insight run`)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

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
