"""A gunicorn configuration file for bench/public.py: in each web server process, it
counts how often a public page was found in the cache and how often it had to be built,
and writes the counts to a file when the process stops. It changes nothing the site
does: the cache's own `get` is wrapped, and answers as before.

bench/public.py passes it to gunicorn through GUNICORN_CMD_ARGS (which `engage serve`
hands on), with the folder for the counts in ENGAGE_BENCH_CACHE_COUNTS. Counts made while
the file `measuring` is in that folder are kept apart, so the bench can tell the hit rate
of its timed run from that of the warm-up before it.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

# The keys engage.decisions.public gives the pages it caches.
PREFIX = "public-page:"
FOLDER = Path(os.environ.get("ENGAGE_BENCH_CACHE_COUNTS", "."))
_counts = {"hits": 0, "misses": 0, "measured_hits": 0, "measured_misses": 0}
_lock = threading.Lock()
_MISSING = object()


def post_worker_init(worker: Any) -> None:
    """Django is set up by now (the WSGI application is loaded): wrap its cache's `get`."""
    from django.core.cache import caches  # noqa: PLC0415 - only once the worker has loaded Django

    backend = type(caches["default"])
    original = backend.get

    def counted_get(self: Any, key: Any, default: Any = None, version: Any = None) -> Any:
        if not (isinstance(key, str) and key.startswith(PREFIX)):
            return original(self, key, default, version)
        value = original(self, key, _MISSING, version)
        outcome = "misses" if value is _MISSING else "hits"
        measured = (FOLDER / "measuring").exists()
        with _lock:
            _counts[outcome] += 1
            if measured:
                _counts[f"measured_{outcome}"] += 1
        return default if value is _MISSING else value

    backend.get = counted_get


def worker_exit(server: Any, worker: Any) -> None:
    """In the worker, as it stops: its counts, in a file named after the process."""
    (FOLDER / f"{os.getpid()}.json").write_text(json.dumps(_counts), encoding="utf-8")
