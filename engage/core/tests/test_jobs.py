"""The parts of a job's heartbeat that need no database: the thread that beats, and
the file whose modification time is the beat (engage/core/jobs.py)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

from django.utils import timezone

from engage.core.jobs import Repeating, file_touch, file_touched_since


def test_a_heartbeat_keeps_beating_while_the_job_works_and_stops_with_it() -> None:
    beats: list[float] = []
    with Repeating(lambda: beats.append(time.monotonic()), every=0.02, name="test heartbeat"):
        time.sleep(0.3)  # the job's own thread is busy
    count = len(beats)
    assert count >= 3
    time.sleep(0.1)
    assert len(beats) == count  # stopped with the block
    assert not [t for t in threading.enumerate() if t.name == "test heartbeat"]


def test_a_beat_that_fails_is_logged_and_the_next_one_still_comes(caplog) -> None:
    turns: list[int] = []

    def flaky() -> None:
        turns.append(1)
        if len(turns) == 1:
            raise OSError("database is locked")

    with Repeating(flaky, every=0.02, name="flaky heartbeat"):
        time.sleep(0.2)
    assert len(turns) >= 2
    assert "flaky heartbeat: this turn failed" in caplog.text


def test_touching_a_file_marks_it_modified_now_and_never_creates_one(tmp_path: Path) -> None:
    progress = tmp_path / "upload.progress"
    file_touch(progress)
    assert not progress.exists()  # the job has ended and removed it: it stays removed
    assert not file_touched_since(progress, timezone.now() - dt.timedelta(hours=1))

    progress.write_text("10")
    old = time.time() - 3600
    os.utime(progress, (old, old))
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    assert not file_touched_since(progress, a_minute_ago)
    file_touch(progress)
    assert file_touched_since(progress, a_minute_ago)
    assert progress.read_text() == "10"
