"""Reading a file in a thread while the database takes the rows already read.

An import spends about half its time in Python (reading and checking rows) and half
in the database (inserting and indexing them). The database works with Python's
global lock released (SQLite inside one long statement, PostgreSQL in its own
process), so reading the next batch in a thread while the last one is inserted keeps
both busy. The reader runs at most `depth` batches ahead, so memory stays bounded
whatever the size of the file.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_POLL_SECONDS = 0.1
# How long a thread keeps Python's lock before one waiting for it gets a turn: 0.5 ms
# while the reader runs, against Python's usual 5 ms. The thread writing to the
# database needs the lock only briefly between statements (to bind a statement's values)
# while the reader holds it to check rows; with 5 ms it waited most of that each time,
# and 200,000 rows went in at 71-74% of the database's own speed on SQLite, against 85%
# with 0.5 ms (bench/RESULTS.md, 2026-12-06). Set while the reader runs, then put back.
_SWITCH_SECONDS = 0.0005


_switching_lock = threading.Lock()
_readers = 0
_usual_interval = 0.0


def _quick_switching(on: bool) -> None:
    """The interval is the process's, so readers running at once (two imports in one
    process) share it: the first sets it, the last puts back what it found."""
    global _readers, _usual_interval  # noqa: PLW0603 - one setting for the whole process
    with _switching_lock:
        if on:
            if _readers == 0:
                _usual_interval = sys.getswitchinterval()
                sys.setswitchinterval(_SWITCH_SECONDS)
            _readers += 1
        else:
            _readers -= 1
            if _readers == 0:
                sys.setswitchinterval(_usual_interval)


def read_ahead(source: Generator[T, None, None], *, depth: int = 2) -> Iterator[T]:
    """Yield `source`'s items, produced in a thread up to `depth` ahead.

    An exception in `source` is raised here, in the consumer, after the items before
    it. If the consumer stops early (an error while writing, say), the thread is told to
    stop, `source` is closed (so its file is closed) and the thread has ended before
    this generator finishes closing."""
    handoff: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: object, error: BaseException | None = None) -> bool:
        while not stop.is_set():
            try:
                handoff.put((item, error), timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in source:
                if not offer(item):
                    return
            offer(_DONE)
        except BaseException as error:
            offer(_DONE, error)
        finally:
            source.close()

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    _quick_switching(True)
    thread.start()
    try:
        while True:
            item, error = handoff.get()
            if item is _DONE:
                if error is not None:
                    raise error
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
        _quick_switching(False)
