"""Drive every public "You said, we did" page with concurrent requests, cached against not.

On a fresh SQLite database with the demo partnership (its published activities and
decisions), `engage serve` (gunicorn and the worker) is started and, before any page is
asked for, the script waits until the worker has finished the analysis that loading the
demo queued (bench/_demo.py): until then the pages show no themes, and are cheap. Then a
second process sends `--concurrency` requests at a time for `--seconds`, in a shuffled
mix over all the published pages: the public home page, the "You said, we did" list
(each of its pages, searches with words from the activities and words that match
nothing, each topic and area filter and some together) and every published activity's
page, after a warm-up over the same mix (`--warm-up`, 2 seconds). Then the same again with the public
page cache off (ENGAGE_PUBLIC_CACHE_SECONDS=0), the baseline, and the ratio of requests a
second is printed.

The product caches an activity's public page (`engage.decisions.public.public_page`, in
Django's cache, which is each web server process's own memory) and nothing else, so the
script also reports the cache's hit rate: gunicorn is given bench/_public_cache_counts.py,
which counts, in each process, the activity pages found in the cache and those built.

    .venv/bin/python bench/public.py [--seconds 20] [--concurrency 16] [--port 8766]

The last line printed is JSON: `requests_per_second`, `p99_ms`, `errors` (with the cache,
as served), `cache_hit_rate` (of the activity pages asked for in the timed run),
`served_from_cache` (the share of all requests in it), `urls`, and
`uncached_requests_per_second`, `uncached_p99_ms`, `ratio`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from _databases import sqlite_copy
from _demo import wait_for_analysis

ROOT = Path(__file__).resolve().parent.parent
ENGAGE = str(ROOT / ".venv" / "bin" / "engage")
COUNTING = ROOT / "bench" / "_public_cache_counts.py"
# Words that match no activity: a search that finds nothing still costs a query.
UNMATCHED = ["zebra", "quantum", "xylophone"]


def wait_until_up(base: str, deadline: float) -> None:
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not start.")


def url_mix(seed: int) -> list[str]:
    """Every published page, as the product's own selectors list them (run with Django
    set up, in a process of its own, on the bench's database), shuffled."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - in the process that lists the pages, on the bench's database

    django.setup()
    from engage.decisions import public  # noqa: PLC0415 - after django.setup()

    rng = random.Random(seed)
    activities = list(public.published_activities())
    if not activities:
        raise SystemExit("The demo has no published activities.")
    topics = public.published_topics()
    areas = [area.pk for area in public.published_areas()]
    words = sorted(
        {word.strip(".,:;'\"()").lower() for activity in activities for word in activity.title.split()} - {""}
    )
    words = [word for word in words if len(word) > 3]
    lists: list[dict[str, Any]] = [{}]
    lists += [{"page": number} for number in range(2, math.ceil(len(activities) / 20) + 1)]
    lists += [{"q": word} for word in rng.sample(words, min(12, len(words)))]
    lists += [{"q": word} for word in UNMATCHED]
    lists += [{"q": " ".join(rng.sample(words, 2))} for _ in range(4) if len(words) > 1]
    lists += [{"topic": topic} for topic in topics]
    lists += [{"area": area} for area in areas]
    for _ in range(6):
        together: dict[str, Any] = {"topic": rng.choice(topics)} if topics else {}
        if areas and rng.random() < 0.5:
            together["area"] = rng.choice(areas)
        if words and rng.random() < 0.5:
            together["q"] = rng.choice(words)
        lists.append(together)
    paths = ["/"]
    paths += ["/you-said-we-did/" + (f"?{urllib.parse.urlencode(query)}" if query else "") for query in lists]
    paths += [f"/you-said-we-did/{activity.pk}/" for activity in activities]
    rng.shuffle(paths)
    return paths


def drive(base: str, paths: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """Requests from `concurrency` threads for `seconds`; the latencies of those that
    answered 200, and how many did not."""
    latencies: list[float] = []
    asked: list[str] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        # Each thread starts at its own place in the mix, so all of it is asked for.
        number = offset * max(1, len(paths) // concurrency)
        while time.perf_counter() < stop:
            path = paths[number % len(paths)]
            number += 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            took = time.perf_counter() - started
            with lock:
                asked.append(path)
                if ok:
                    latencies.append(took)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0.0
    return {
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p99_ms": round(p99 * 1000, 1),
        "median_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else 0.0,
        "errors": errors[0],
        "activity_pages": sum(1 for path in asked if path.rstrip("/").split("/")[-1].isdigit()),
        "distinct_urls": len(set(asked)),
    }


def cache_counts(folder: Path) -> dict[str, int]:
    """The web server processes' counts, added up (bench/_public_cache_counts.py)."""
    total = {"hits": 0, "misses": 0, "measured_hits": 0, "measured_misses": 0, "processes": 0}
    for path in folder.glob("*.json"):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            total[key] += value
        total["processes"] += 1
    return total


def serve_and_drive(env: dict[str, str], var: str, port: int, options: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="engage-bench-cache-") as counts:
        env = env | {
            "ENGAGE_BENCH_CACHE_COUNTS": counts,
            "GUNICORN_CMD_ARGS": f"--config {shlex.quote(str(COUNTING))}",
        }
        server = subprocess.Popen(
            [ENGAGE, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, time.perf_counter() + 60)
            waited = time.perf_counter()
            analysis = wait_for_analysis(Path(var) / "engage.sqlite3", waited + options.analysis_timeout)
            if analysis["analysis_status"] not in (None, "succeeded"):
                raise SystemExit(f"The demo's analysis did not succeed: {analysis['analysis_status']}.")
            waited = time.perf_counter() - waited
            paths = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--list-urls", "--seed", str(options.seed)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            drive(base, paths, options.warm_up, options.concurrency)  # warm up, as a live site would be
            (Path(counts) / "measuring").touch()
            # The load comes from a second process, as the issue asks, not from the server's.
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--drive",
                    base,
                    "--paths",
                    json.dumps(paths),
                    "--seconds",
                    str(options.seconds),
                    "--concurrency",
                    str(options.concurrency),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        counted = cache_counts(Path(counts))
    looked_up = counted["measured_hits"] + counted["measured_misses"]
    return figures | {
        "urls": len(paths),
        "analysis_wait_seconds": round(waited, 1),
        "cache_processes": counted["processes"],
        "cache_hits": counted["measured_hits"],
        "cache_misses": counted["measured_misses"],
        "cache_hit_rate": round(counted["measured_hits"] / looked_up, 3) if looked_up else None,
        "served_from_cache": round(counted["measured_hits"] / figures["requests"], 3)
        if figures["requests"]
        else None,
        "warm_up_cache_hits": counted["hits"] - counted["measured_hits"],
        "warm_up_cache_misses": counted["misses"] - counted["measured_misses"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--warm-up", type=float, default=2, help="seconds of requests before the timed run")
    parser.add_argument(
        "--analysis-timeout", type=float, default=600, help="seconds to wait for the analysis"
    )
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    parser.add_argument("--list-urls", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--conversations", type=int, help="a smaller demo bank than the demo's own (the smoke test's)"
    )
    options = parser.parse_args()
    bank = ["--conversations", str(options.conversations)] if options.conversations else []
    if options.list_urls:
        print(json.dumps(url_mix(options.seed)))
        return
    if options.drive:
        print(
            json.dumps(drive(options.drive, json.loads(options.paths), options.seconds, options.concurrency))
        )
        return
    with tempfile.TemporaryDirectory() as var:
        env = os.environ | {"ENGAGE_VAR_DIR": var, "DEBUG": "false"}
        env.pop("DATABASE_URL", None)
        sqlite_copy(env, var)  # a migrated database: what `engage migrate` makes
        subprocess.run([ENGAGE, "demo", "--quiet", *bank], env=env, check=True, stdout=subprocess.DEVNULL)
        cached = serve_and_drive(env, var, options.port, options)
        uncached = serve_and_drive(env | {"ENGAGE_PUBLIC_CACHE_SECONDS": "0"}, var, options.port + 1, options)
    ratio = (
        cached["requests_per_second"] / uncached["requests_per_second"]
        if uncached["requests_per_second"]
        else 0
    )
    print(
        f"{cached['urls']} URLs, after waiting {cached['analysis_wait_seconds']} s for the demo's analysis; "
        f"cached: {cached['requests_per_second']} requests a second, median {cached['median_ms']} ms, "
        f"p99 {cached['p99_ms']} ms, {cached['errors']} errors; activity pages from the cache "
        f"{cached['cache_hits']} of {cached['cache_hits'] + cached['cache_misses']} "
        f"(hit rate {cached['cache_hit_rate']}, {cached['cache_processes']} web server processes), "
        f"{cached['served_from_cache']} of all requests; "
        f"uncached: {uncached['requests_per_second']} a second, median {uncached['median_ms']} ms, "
        f"p99 {uncached['p99_ms']} ms; {ratio:.1f}x"
    )
    print(
        json.dumps(
            {
                "requests_per_second": cached["requests_per_second"],
                "p99_ms": cached["p99_ms"],
                "median_ms": cached["median_ms"],
                "errors": cached["errors"],
                "requests": cached["requests"],
                "cache_hit_rate": cached["cache_hit_rate"],
                "cache_hits": cached["cache_hits"],
                "cache_misses": cached["cache_misses"],
                "served_from_cache": cached["served_from_cache"],
                "warm_up_cache_hits": cached["warm_up_cache_hits"],
                "warm_up_cache_misses": cached["warm_up_cache_misses"],
                "cache_processes": cached["cache_processes"],
                "urls": cached["urls"],
                "distinct_urls_asked": cached["distinct_urls"],
                "activity_pages_asked": cached["activity_pages"],
                "analysis_wait_seconds": cached["analysis_wait_seconds"],
                "uncached_requests_per_second": uncached["requests_per_second"],
                "uncached_p99_ms": uncached["p99_ms"],
                "uncached_median_ms": uncached["median_ms"],
                "uncached_errors": uncached["errors"],
                "ratio": round(ratio, 1),
                "concurrency": options.concurrency,
                "seconds": options.seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
