"""How far a running import has got, noted in a small file beside its upload.

The import runs in one transaction (see services), so the job's own row cannot show
progress until it commits, and on SQLite no other connection may write while it runs.
A file the worker rewrites after each batch, and the progress page reads, needs
neither. It lives beside the upload (the web and the worker already share that folder)
and goes when the import ends.

It is also the running import's heartbeat: a thread beside the import touches it every
few seconds, and its modification time tells any process that shares the folder that
the import is alive (engage/core/jobs.py).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from engage.conversations.models import ImportJob
from engage.core.jobs import file_touch, file_touched_since


def _path(job: ImportJob) -> Path:
    return Path(job.stored_path).with_suffix(".progress")


def import_progress_note(job: ImportJob, *, rows_done: int) -> None:
    """Record the rows read so far; written whole (write then rename), so a reader
    never sees half a number."""
    path = _path(job)
    temporary = path.with_suffix(".progress-new")
    try:
        temporary.write_text(str(rows_done), encoding="ascii")
        os.replace(temporary, path)
    except OSError:  # progress is a courtesy: a full disk must not fail the import here
        pass


def import_progress_read(job: ImportJob) -> int | None:
    """The rows read so far by a running import, or None where nothing was noted."""
    try:
        return int(_path(job).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def import_progress_forget(job: ImportJob) -> None:
    _path(job).unlink(missing_ok=True)
    _path(job).with_suffix(".progress-new").unlink(missing_ok=True)


def import_progress_beat(job: ImportJob) -> None:
    """The import is alive: the progress file's modification time becomes now."""
    file_touch(_path(job))


def import_progress_beat_since(job: ImportJob, moment: dt.datetime) -> bool:
    """Whether the running import has shown it is alive since `moment`."""
    return file_touched_since(_path(job), moment)
