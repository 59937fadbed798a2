"""What the benchmarks share: the child process each database is measured in, and the
PostgreSQL database a benchmark creates and drops.

Each benchmark gives its own database name in a URL; only names starting
`engage_bench_` are ever created or dropped, so a mistyped URL cannot harm real data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def bench_database(url: str) -> tuple[str, str]:
    """The URL of the server's `postgres` database, and the bench database's name."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("engage_bench_"):
        raise SystemExit(
            f"Refusing to create and drop {name!r}: the bench database's name must start engage_bench_."
        )
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return admin, name


def postgres_admin(url: str, statement: str) -> None:
    """Run `statement` (with `{}` for the bench database's name) on the server."""
    import psycopg  # noqa: PLC0415 - after django.setup() for the database the run chose
    from psycopg import sql  # noqa: PLC0415 - after django.setup() for the database the run chose

    admin, name = bench_database(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


def run_in_child(
    script: str, arguments: list[str], *, database: str, database_url: str, label: str = ""
) -> dict[str, Any]:
    """Run `script --single ARGUMENTS` in its own process against a fresh database —
    SQLite in a temporary folder, or the PostgreSQL bench database, created and dropped
    around it — and return the JSON object its last line prints. Each run gets a
    process of its own so its timings and peak memory are its own."""
    with tempfile.TemporaryDirectory(prefix="engage-bench-") as var:
        env = os.environ | {
            "ENGAGE_VAR_DIR": var,
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENGAGE_BENCH_CHILD": "1",
        }
        env.pop("DATABASE_URL", None)
        if database == "postgres":
            env["DATABASE_URL"] = database_url
            postgres_admin(database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
            postgres_admin(database_url, "CREATE DATABASE {}")
        try:
            command = [sys.executable, script, "--single", *arguments]
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=ROOT)
        finally:
            if database == "postgres":
                postgres_admin(database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
    if result.returncode != 0:
        raise SystemExit(f"The {database} {label + ' ' if label else ''}run failed:\n{result.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures
