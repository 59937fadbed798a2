"""Every benchmark still runs: each on a few rows, on the database of this pass, so none
rots unnoticed between the days it is run in earnest (bench/search.py did: its loader
lacked the place columns added since). This checks that a benchmark runs to the end and
prints its JSON line, not its figures: those are for bench/RESULTS.md, never for tests.

A benchmark with a choice of database runs on SQLite in the SQLite pass and on
PostgreSQL in the PostgreSQL pass, in a database of its own whose name starts
`engage_bench_smoke_` (bench/_databases.py creates and drops only `engage_bench_` ones).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

# A benchmark's arguments for a few rows; DATABASE marks where the pass's database goes.
DATABASE = "{database}"
SMALL: dict[str, list[str]] = {
    "first_page.py": ["--port", "{port}", "--conversations", "300"],
    "discovery_quality.py": ["--labelled", "600", "--seeds", "1"],
    "hostile_xlsx.py": [
        "--size-mb",
        "0.1",
        "--timeout",
        "3",
        "--only",
        "zip bomb",
        "--only",
        "ordinary (control)",
    ],
    "before_you_ask_quality.py": ["--conversations", "1500"],
    "board.py": ["--rows", "2000", "--activities", "150", "--repeats", "1", "--naive-repeats", "1", DATABASE],
    "reports.py": [
        "--rows",
        "2000",
        "--activities",
        "150",
        "--repeats",
        "1",
        "--naive-repeats",
        "1",
        DATABASE,
    ],
    "import.py": ["--rows", "500", "--naive-rows", "100", DATABASE],
    "insight.py": [
        "--rows",
        "400",
        "--workers",
        "1",
        "--chunk",
        "200",
        "--per-core-rows",
        "200",
        "--baseline-rows",
        "40",
        "--real-rows",
        "200",
        "--labelled",
        "800",
    ],
    "insight_run.py": ["--rows", "600", "--labelled", "200", DATABASE],
    "insight_quality.py": ["--folds", "2", "--no-baseline", "--labelled", "600"],
    "overlap.py": ["--activities", "200", "--checks", "5", "--baseline-checks", "2", DATABASE],
    "partnership.py": [
        "--rows",
        "2000",
        "--activities",
        "150",
        "--repeats",
        "1",
        "--probes",
        "3",
        "--naive-probes",
        "1",
        DATABASE,
    ],
    "postcodes.py": ["--rows", "2000", "--naive-rows", "100", DATABASE],
    "public.py": [
        "--seconds",
        "1",
        "--warm-up",
        "0.5",
        "--concurrency",
        "2",
        "--port",
        "{port}",
        "--conversations",
        "300",
    ],
    "ratings_check.py": ["--rows", "2000", "--repeats", "1"],
    "reach.py": ["--rows", "2000", "--repeats", "1", DATABASE],
    "retention.py": ["--rows", "3000", "--repeats", "1", DATABASE],
    "search.py": ["--rows", "2000", "--pages", "3", "--baseline-pages", "2", DATABASE],
    "setup.py": ["--wards", "300", "--practices", "300", "--people", "300", "--naive-rows", "20", DATABASE],
    "soak.py": [
        "--minutes",
        "0.1",
        "--clients",
        "2",
        "--rows",
        "300",
        "--conversations",
        "300",
        "--port",
        "{port}",
    ],
}
# Benchmarks that need PostgreSQL whatever the pass: run once, in the PostgreSQL pass.
POSTGRES_ONLY = {"soak.py"}
# Benchmarks with a choice of database whose few rows still cost a migration and commands
# in processes of their own (15 s a pass): run once, in the PostgreSQL pass, to keep CI
# inside its 15 minutes. What they time is tested on both databases by the app's tests
# (insight_run.py: engage/insight/tests/test_services.py).
ONCE_ON_POSTGRES = {"insight_run.py"}
# Benchmarks that make their own SQLite database or none: the same run in either pass, so
# run once, in the SQLite pass.
SQLITE_ONLY = {
    "before_you_ask_quality.py",
    "discovery_quality.py",
    "first_page.py",
    "hostile_xlsx.py",
    "insight.py",
    "insight_quality.py",
    "public.py",
    "ratings_check.py",
}
# Benchmarks whose exit status is a verdict on their figures, which a few rows on a loaded
# machine need not meet: first_page.py's minute, soak.py's kill landing mid-import (a few
# hundred rows may be imported before the kill). They must still get to their JSON line.
EXIT_IS_A_VERDICT = {"first_page.py", "soak.py"}


def test_every_benchmark_has_its_small_run() -> None:
    scripts = {path.name for path in BENCH.glob("[!_]*.py")}
    assert scripts == set(SMALL), "Give each benchmark its arguments for a few rows in SMALL"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def arguments(script: str) -> list[str]:
    database_url = ""
    if ON_POSTGRES:
        server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        name = f"engage_bench_smoke_{Path(script).stem}"
        database_url = urllib.parse.urlunsplit(server._replace(path=f"/{name}"))
    # The port's neighbour is taken too (public.py serves the uncached run on port + 1).
    port = str(free_port())
    chosen: list[str] = []
    for argument in SMALL[script]:
        if argument == DATABASE:
            chosen += (
                ["--database", "postgres", "--database-url", database_url]
                if ON_POSTGRES
                else ["--database", "sqlite"]
            )
        else:
            chosen.append(argument.replace("{port}", port))
    if script in POSTGRES_ONLY:
        chosen += ["--database-url", database_url]
    return chosen


SMOKE_TEMPLATE = "engage_bench_smoke_template"


def _postgres(statement: str) -> None:
    """Run `statement` ({} for the smoke runs' template's name) on the pass's server."""
    import psycopg  # noqa: PLC0415 - only the PostgreSQL pass has the driver in use
    from psycopg import sql  # noqa: PLC0415 - only the PostgreSQL pass has the driver in use

    server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin = urllib.parse.urlunsplit(server._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(SMOKE_TEMPLATE)))


@pytest.fixture(scope="module")
def migrated(migrated_sqlite_template: Path) -> Iterator[dict[str, str]]:
    """One migrated database that every benchmark copies, rather than each migrating a
    template of its own (bench/_databases.py): migrating costs 7 s on SQLite and more
    on PostgreSQL, a dozen times a pass. The copy holds what migrating gives."""
    if not ON_POSTGRES:
        yield {"ENGAGE_BENCH_SQLITE_TEMPLATE": str(migrated_sqlite_template)}
        return
    server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    _postgres("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    _postgres("CREATE DATABASE {}")
    try:
        subprocess.run(  # noqa: S603 - this interpreter, the project's manage.py
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
            env=os.environ
            | {"DATABASE_URL": urllib.parse.urlunsplit(server._replace(path=f"/{SMOKE_TEMPLATE}"))},
            cwd=ROOT,
            check=True,
            timeout=600,
        )
        yield {"ENGAGE_BENCH_POSTGRES_TEMPLATE": SMOKE_TEMPLATE}
    finally:
        _postgres("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.mark.parametrize("script", sorted(SMALL))
def test_the_benchmark_runs_on_a_few_rows(script: str, tmp_path: Path, migrated: dict[str, str]) -> None:
    if script in POSTGRES_ONLY and not ON_POSTGRES:
        pytest.skip("it needs PostgreSQL: it runs in the PostgreSQL pass")
    if script in ONCE_ON_POSTGRES and not ON_POSTGRES:
        pytest.skip("it runs once, in the PostgreSQL pass")
    if script in SQLITE_ONLY and ON_POSTGRES:
        pytest.skip("it does not use the pass's database: it runs in the SQLite pass")
    env = os.environ | migrated | {"ENGAGE_VAR_DIR": str(tmp_path)}
    finished = subprocess.run(  # noqa: S603 - this interpreter, a script of the repository
        [sys.executable, str(BENCH / script), *arguments(script)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = finished.stdout.strip().splitlines()
    assert lines, f"{script} printed nothing; exit {finished.returncode}:\n{finished.stderr[-3000:]}"
    try:
        figures = json.loads(lines[-1])
    except json.JSONDecodeError:
        pytest.fail(
            f"{script}'s last line is not JSON; exit {finished.returncode}:\n{finished.stderr[-3000:]}"
        )
    assert isinstance(figures, dict)
    assert finished.returncode == 0 or script in EXIT_IS_A_VERDICT, finished.stderr[-3000:]
