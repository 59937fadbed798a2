"""A soak: the site under steady load on PostgreSQL while an import and an analysis run
and the worker is killed twice.

On a fresh PostgreSQL database with the demo partnership, the website is started with
`engage serve --without-worker` (gunicorn) and the worker with `engage worker`, each as
in production. A second process sends requests from `--clients` threads for
`--minutes`: public pages, staff searches (signed in through the real sign-in form),
API reads and writes (with personal access tokens). Meanwhile this process uploads a CSV
through the import page and, once it is running, kills the worker (SIGKILL) and starts a
new one; waits for the import to be marked failed (its heartbeat stopped), uploads the
file again and waits for it to finish; then starts an analysis, kills the worker while it
runs, and starts it again once it is marked failed, until it finishes.

At the end it checks, and fails unless: no request answered 5xx or failed to connect;
the first import was stopped by the kill (failed, nothing of it kept); every row of the
file is in the bank exactly once; every analysis started has finished
(the killed ones failed with their message, the last succeeded). It prints requests a
second and the 99th percentile, overall and by kind, and a JSON line.

    .venv/bin/python bench/soak.py [--minutes 10] [--clients 32] [--rows 60000]
        [--database-url postgres://postgres@127.0.0.1:5432/engage_bench_soak]
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _databases import postgres_admin, postgres_copy

ROOT = Path(__file__).resolve().parent.parent
ENGAGE = str(ROOT / ".venv" / "bin" / "engage")
PASSWORD = "castlebridge-demo-2026"  # the demo's published password  # noqa: S105
OFFICER = "officer@icb.example.org"
ANALYST = "analyst@icb.example.org"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_soak"


# --- Talking to the site ---------------------------------------------------------------------


class Browser:
    """A person's browser: cookies kept, CSRF tokens read from the page before a form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(
        self, method: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        self.request("GET", path)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request(
            "POST",
            path,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path},
        )

    def sign_in(self, email: str) -> None:
        status, _, headers = self.form("/accounts/sign-in/", {"username": email, "password": PASSWORD})
        if status != 302 or "/accounts/" in headers.get("Location", ""):
            raise SystemExit(f"Could not sign in as {email}: {status} {headers.get('Location')}")

    def upload(
        self, path: str, fields: dict[str, str], file_name: str, content: bytes
    ) -> tuple[int, str, dict[str, str]]:
        self.request("GET", path)
        boundary = f"----soak{random.randrange(10**12)}"
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            data=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The website did not start.")


# --- The load --------------------------------------------------------------------------------


def drive(base: str, seconds: float, clients: int, token: str, pages: list[str]) -> dict[str, Any]:
    """Requests from `clients` threads for `seconds`, a mix of what people do; latencies
    by kind, and every answer that was a 5xx or no answer at all."""
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    searches = ["waiting", "appointment", "parking", "kind staff", "GP", "pharmacy"]

    def worker(number: int) -> None:
        rng = random.Random(number)
        browser = Browser(base)
        browser.sign_in(OFFICER)
        api = {"Authorization": f"Bearer {token}"}
        while time.monotonic() < stop:
            choice = rng.random()
            if choice < 0.35:
                kind, method, path, data, headers = "public", "GET", rng.choice(pages), None, {}
            elif choice < 0.65:
                word = urllib.parse.quote(rng.choice(searches))
                path = rng.choice(
                    [
                        f"/staff/conversations/?q={word}",
                        "/staff/activities/",
                        f"/staff/themes/?q={word}",
                        "/staff/decisions/",
                        "/staff/reach/",
                    ]
                )
                kind, method, data, headers = "staff", "GET", None, {}
            elif choice < 0.93:
                path = rng.choice(
                    ["/api/v1/activities/", "/api/v1/decisions/", "/api/v1/reach/", "/api/v1/people/"]
                )
                kind, method, data, headers = "api read", "GET", None, api
            else:
                body = {
                    "title": f"Soak decision {number}-{rng.randrange(10**6)}",
                    "summary": "Recorded under load.",
                    "decided_by": "organisation",
                    "decided_by_name": "Castlebridge ICB",
                }
                kind, method, path = "api write", "POST", "/api/v1/decisions/"
                data, headers = json.dumps(body).encode(), {**api, "Content-Type": "application/json"}
            started = time.monotonic()
            try:
                status, _, _ = browser.request(method, path, data=data, headers=headers)
            except OSError as error:
                status, note = 0, f"{type(error).__name__}: {error}"
            else:
                note = ""
            took = time.monotonic() - started
            with lock:
                if status >= 500 or status == 0:
                    failures.append(f"{method} {path}: {status or note}")
                else:
                    latencies[kind].append(took)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    def figures(values: list[float]) -> dict[str, float]:
        values = sorted(values)
        if not values:
            return {"requests": 0, "per_second": 0.0, "p99_ms": 0.0, "median_ms": 0.0}
        return {
            "requests": len(values),
            "per_second": round(len(values) / elapsed, 1),
            "p99_ms": round(1000 * values[min(len(values) - 1, int(0.99 * len(values)))], 1),
            "median_ms": round(1000 * values[len(values) // 2], 1),
        }

    everything = [t for values in latencies.values() for t in values]
    return {
        "seconds": round(elapsed, 1),
        "all": figures(everything),
        "by_kind": {kind: figures(values) for kind, values in sorted(latencies.items())},
        "failures": failures[:50],
        "failure_count": len(failures),
    }


# --- The jobs, and killing the worker ---------------------------------------------------------


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([ENGAGE, "worker"], env=self.env, stdout=out, stderr=out)

    def kill(self) -> None:
        if self.process is None:
            raise SystemExit("There is no worker to kill.")
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


def shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [ENGAGE, "shell", "--no-imports", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    # The last line is the answer; anything before it is the shell's own chatter.
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def job_state(env: dict[str, str], model: str, pk: int) -> tuple[str, str]:
    found = shell(
        env,
        f"from {model.rsplit('.', 1)[0]} import {model.rsplit('.', 1)[1]} as M; "
        f"j = M.objects.get(pk={pk}); print(j.status + '|' + (getattr(j, 'error', '') or '').replace(chr(10), ' '))",
    )
    status, _, error = found.partition("|")
    return status, error


def wait_for(env: dict[str, str], model: str, pk: int, wanted: set[str], timeout: float) -> tuple[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, error = job_state(env, model, pk)
        if status in wanted:
            return status, error
        time.sleep(1)
    raise SystemExit(f"{model} {pk} did not reach {sorted(wanted)} in {timeout:.0f} s")


def import_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Respondent ID", "Comment", "Date"])
    phrases = ["waited a long time", "kind staff", "parking was hard", "could not get through on the phone"]
    for n in range(rows):
        writer.writerow(
            [f"SOAK-{n:07d}", f"Row {n}: {phrases[n % len(phrases)]}.", "2026-11-0" + str(1 + n % 9)]
        )
    return out.getvalue().encode()


def upload_import(browser: Browser, content: bytes) -> int:
    status, _, headers = browser.upload(
        "/staff/conversations/imports/new/",
        {"template": "Generic survey export", "activity_id": ""},
        "soak.csv",
        content,
    )
    found = re.search(r"/imports/(\d+)/", headers.get("Location", ""))
    if status != 302 or not found:
        raise SystemExit(f"The upload was not queued: {status} {headers.get('Location')}")
    return int(found.group(1))


FINISHED = {"failed", "succeeded"}


def jobs_with_kills(
    env: dict[str, str], base: str, worker: Worker, rows: int, report: dict[str, Any]
) -> None:
    """The import and the analysis, each killed once mid-run and then run to the end.
    A thread's exception would vanish silently, so it is kept in the report."""
    try:
        _jobs_with_kills(env, base, worker, rows, report)
    except BaseException as error:  # reported, and the soak fails on it
        report["jobs_error"] = repr(error)


def _jobs_with_kills(
    env: dict[str, str], base: str, worker: Worker, rows: int, report: dict[str, Any]
) -> None:
    officer, analyst = Browser(base), Browser(base)
    officer.sign_in(OFFICER)
    analyst.sign_in(ANALYST)
    content = import_file(rows)
    model = "engage.conversations.models.ImportJob"
    first = upload_import(officer, content)
    # Killed as soon as it is seen running: an import of tens of thousands of rows
    # takes longer than that on any machine, and the check below says if it did not.
    if wait_for(env, model, first, {"running", *FINISHED}, 300)[0] == "running":
        worker.kill()
        worker.start()
    status, error = wait_for(env, model, first, FINISHED, 600)
    report["import_killed"] = {"job": first, "status": status, "error": error}
    again = upload_import(officer, content) if status == "failed" else first
    status, error = wait_for(env, model, again, FINISHED, 900)
    report["import_again"] = {"job": again, "status": status, "error": error}

    run_model = "engage.insight.models.AnalysisRun"
    runs = []
    for attempt in range(3):
        code, _, _ = analyst.form("/staff/themes/runs/new/", {})
        run = int(
            shell(
                env,
                "from engage.insight.models import AnalysisRun as R; print(R.objects.order_by('-pk').first().pk)",
            )
        )
        runs.append(run)
        if attempt == 0 and wait_for(env, run_model, run, {"running", *FINISHED}, 300)[0] == "running":
            time.sleep(5)
            worker.kill()
            worker.start()
        status, error = wait_for(env, run_model, run, FINISHED, 1200)
        report.setdefault("analyses", []).append(
            {"run": run, "status": status, "error": error, "start": code}
        )
        if status == "succeeded":
            break


def main() -> None:  # noqa: PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--conversations", type=int, default=20_000, help="the demo's bank")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--pages", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.drive:
        figures = drive(
            options.drive, options.minutes * 60, options.clients, options.token, options.pages.split(",")
        )
        print(json.dumps(figures))
        return

    var = Path(tempfile.mkdtemp(prefix="engage-soak-"))
    env = os.environ | {
        "DATABASE_URL": options.database_url,
        "ENGAGE_VAR_DIR": str(var),
        "DEBUG": "false",
        # A dead worker's job is found after 30 s rather than 2 minutes, to keep the soak short.
        "ENGAGE_JOB_HEARTBEAT_SECONDS": "5",
        "ENGAGE_JOB_STALE_SECONDS": "30",
        "ENGAGE_DISCLOSURE_SMALLEST_SHOWN": "8",
    }
    base = f"http://127.0.0.1:{options.port}"
    website: subprocess.Popen[bytes] | None = None
    worker = Worker(env, var / "worker.log")
    report: dict[str, Any] = {}
    try:
        started = time.monotonic()
        postgres_copy(env, options.database_url)  # a migrated database: what `engage migrate` makes
        subprocess.run(
            [ENGAGE, "demo", "--quiet", "--conversations", str(options.conversations)], env=env, check=True
        )
        report["setup_seconds"] = round(time.monotonic() - started, 1)
        token = shell(
            env,
            "from engage.accounts.models import User; from engage.accounts.tokens.services import token_create; "
            f"u = User.objects.get(email='{OFFICER}'); "
            "print(token_create(actor=u, organisation=u.memberships.first().organisation, name='soak', "
            "access='read_write', days=1).key)",
        )
        with (var / "website.log").open("ab") as out:
            website = subprocess.Popen(
                [ENGAGE, "serve", "--without-worker", "--port", str(options.port), "--workers", "4"],
                env=env,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        worker.start()
        wait_until_up(base, time.monotonic() + 120)
        index = urllib.request.urlopen(base + "/you-said-we-did/", timeout=30).read().decode()
        pages = [
            "/",
            "/you-said-we-did/",
            *sorted(set(re.findall(r'href="(/you-said-we-did/\d+/)"', index)))[:5],
        ]
        load = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--drive",
                base,
                "--minutes",
                str(options.minutes),
                "--clients",
                str(options.clients),
                "--token",
                token,
                "--pages",
                ",".join(pages),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        jobs = threading.Thread(target=jobs_with_kills, args=(env, base, worker, options.rows, report))
        jobs.start()
        output, _ = load.communicate()
        jobs.join()
        report["load"] = json.loads(output.strip().splitlines()[-1])
        report["worker_kills"] = worker.kills
        present = shell(
            env,
            "from engage.conversations.models import Conversation as C; "
            "rows = C.objects.filter(respondent_reference__startswith='SOAK-'); "
            "print(rows.count(), rows.values('respondent_reference').distinct().count())",
        ).split()
        report["imported_rows"] = {
            "expected": options.rows,
            "present": int(present[0]),
            "distinct": int(present[1]),
        }
    finally:
        worker.stop()
        if website is not None:
            os.killpg(website.pid, signal.SIGTERM)
            website.wait(timeout=60)
        postgres_admin(options.database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")

    load = report["load"]
    problems = []
    if load["failure_count"]:
        problems.append(
            f"{load['failure_count']} requests answered 5xx or not at all: {load['failures'][:5]}"
        )
    rows = report["imported_rows"]
    if not rows["expected"] == rows["present"] == rows["distinct"]:
        problems.append(f"imported rows: {rows}")
    analyses = report.get("analyses", [])
    if (
        not analyses
        or analyses[-1]["status"] != "succeeded"
        or any(a["status"] not in ("succeeded", "failed") for a in analyses)
    ):
        problems.append(f"analyses: {analyses}")
    if report.get("import_killed", {}).get("status") != "failed":
        problems.append(
            f"the first import was not stopped by the kill ({report.get('import_killed')}): give it more --rows"
        )
    if "jobs_error" in report:
        problems.append(f"the import and analysis thread stopped: {report['jobs_error']}")
    if worker.kills != 2:
        problems.append(f"the worker was killed {worker.kills} times, not 2")
    print(
        f"{load['all']['per_second']} requests a second, p99 {load['all']['p99_ms']} ms, "
        f"{load['failure_count']} server errors, over {load['seconds']} s with {options.clients} clients; "
        f"worker killed {worker.kills} times; {rows['present']:,} of {rows['expected']:,} rows, each once; "
        f"analyses: {[a['status'] for a in analyses]}"
    )
    for kind, figures in load["by_kind"].items():
        print(
            f"  {kind:<10} {figures['per_second']:>7} a second, median {figures['median_ms']} ms, p99 {figures['p99_ms']} ms"
        )
    print(json.dumps(report))
    if problems:
        raise SystemExit("The soak failed:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
