"""Drive the public "You said, we did" pages with concurrent requests, cached against not.

On a fresh SQLite database with the demo partnership (its published activities and
decisions), `engage serve` (gunicorn and the worker) is started, and a second process
sends `--concurrency` requests at a time for `--seconds`: the index, a search of it, and
the first published activities' pages, in turn. Then the same again with the public
page cache off (ENGAGE_PUBLIC_CACHE_SECONDS=0), the baseline, and the ratio of requests
a second is printed.

    .venv/bin/python bench/public.py [--seconds 20] [--concurrency 16] [--port 8766]

The last line printed is JSON: `requests_per_second`, `p99_ms`, `errors` (with the cache,
as served), and `uncached_requests_per_second`, `uncached_p99_ms`, `ratio`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENGAGE = str(ROOT / ".venv" / "bin" / "engage")


def wait_until_up(base: str, deadline: float) -> None:
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not start.")


def drive(base: str, paths: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """Requests from `concurrency` threads for `seconds`; the latencies of those that
    answered 200, and how many did not."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        number = offset
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
    }


def serve_and_drive(env: dict[str, str], port: int, options: argparse.Namespace) -> dict[str, Any]:
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
        index = urllib.request.urlopen(base + "/you-said-we-did/", timeout=30).read().decode()
        pages = sorted(set(re.findall(r'href="(/you-said-we-did/\d+/)"', index)))[:5]
        if not pages:
            raise SystemExit("The demo has no published activities.")
        paths = ["/you-said-we-did/", "/you-said-we-did/?q=appointments", *pages]
        drive(base, paths, 2, options.concurrency)  # warm up, as a live site would be
        # The load comes from a second process, as the issue asks, not from the server's.
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--drive",
                base,
                "--paths",
                ",".join(paths),
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
        return figures
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    parser.add_argument(
        "--conversations", type=int, help="a smaller demo bank than the demo's own (the smoke test's)"
    )
    options = parser.parse_args()
    bank = ["--conversations", str(options.conversations)] if options.conversations else []
    if options.drive:
        print(
            json.dumps(drive(options.drive, options.paths.split(","), options.seconds, options.concurrency))
        )
        return
    with tempfile.TemporaryDirectory() as var:
        env = os.environ | {"ENGAGE_VAR_DIR": var, "DEBUG": "false"}
        env.pop("DATABASE_URL", None)
        subprocess.run([ENGAGE, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([ENGAGE, "demo", "--quiet", *bank], env=env, check=True, stdout=subprocess.DEVNULL)
        cached = serve_and_drive(env, options.port, options)
        uncached = serve_and_drive(env | {"ENGAGE_PUBLIC_CACHE_SECONDS": "0"}, options.port + 1, options)
    ratio = (
        cached["requests_per_second"] / uncached["requests_per_second"]
        if uncached["requests_per_second"]
        else 0
    )
    print(
        f"cached: {cached['requests_per_second']} requests a second, p99 {cached['p99_ms']} ms, "
        f"{cached['errors']} errors; uncached: {uncached['requests_per_second']} a second, "
        f"p99 {uncached['p99_ms']} ms; {ratio:.1f}x"
    )
    print(
        json.dumps(
            {
                "requests_per_second": cached["requests_per_second"],
                "p99_ms": cached["p99_ms"],
                "median_ms": cached["median_ms"],
                "errors": cached["errors"],
                "uncached_requests_per_second": uncached["requests_per_second"],
                "uncached_p99_ms": uncached["p99_ms"],
                "uncached_errors": uncached["errors"],
                "ratio": round(ratio, 1),
                "concurrency": options.concurrency,
                "seconds": options.seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
