"""What the benchmarks share: the child process each database is measured in, and the
PostgreSQL database a benchmark creates and drops.

Each benchmark gives its own database name in a URL; only names starting
`engage_bench_` are ever created or dropped, so a mistyped URL cannot harm real data.

A benchmark's children each start from a fresh database, but migrating one costs about
5 s, and none of them times the migration: so the first child's database is migrated
once, into a template (a SQLite file, or a PostgreSQL database `<name>_template`), and
every child gets a copy of it. The copy holds exactly what migrating gives; the child's
own `migrate` then finds nothing to do.

The smoke tests (tests/bench/test_benchmarks_run.py) run every benchmark in a row, and
would migrate a template for each: they migrate one before the first and name it in the
environment, ENGAGE_BENCH_SQLITE_TEMPLATE (a migrated SQLite file) or
ENGAGE_BENCH_POSTGRES_TEMPLATE (a migrated database's name, on the bench database's
server), and every benchmark copies that one instead.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
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


def postgres_admin(url: str, statement: str, *names: str) -> None:
    """Run `statement` (with `{}` for the bench database's name, and one more `{}` for
    each of `names`) on the server."""
    import psycopg  # noqa: PLC0415 - after django.setup() for the database the run chose
    from psycopg import sql  # noqa: PLC0415 - after django.setup() for the database the run chose

    admin, name = bench_database(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL(statement).format(*(sql.Identifier(n) for n in (name, *names))))


SQLITE_FILE = "engage.sqlite3"
# The migrated templates made in this process: a folder holding the SQLite file, and the
# PostgreSQL template databases' URLs (dropped when the process ends).
_sqlite_template: tempfile.TemporaryDirectory[str] | None = None
_postgres_templates: set[str] = set()


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def sqlite_copy(env: dict[str, str], var: str) -> None:
    """Put a migrated SQLite database in `var`, migrating the template the first time
    (unless one was given)."""
    global _sqlite_template  # noqa: PLW0603 - one template a process, made on first use
    given = os.environ.get("ENGAGE_BENCH_SQLITE_TEMPLATE")
    if given:
        shutil.copyfile(given, Path(var) / SQLITE_FILE)
        return
    if _sqlite_template is None:
        template = tempfile.TemporaryDirectory(prefix="engage-bench-template-")
        _migrate(env | {"ENGAGE_VAR_DIR": template.name})
        _sqlite_template = template
    shutil.copyfile(Path(_sqlite_template.name) / SQLITE_FILE, Path(var) / SQLITE_FILE)


def postgres_copy(env: dict[str, str], database_url: str) -> None:
    """Create the bench database as a copy of its migrated template (made the first
    time, unless one was given)."""
    given = os.environ.get("ENGAGE_BENCH_POSTGRES_TEMPLATE")
    if given:
        postgres_admin(database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        postgres_admin(database_url, "CREATE DATABASE {} TEMPLATE {}", given)
        return
    parts = urllib.parse.urlsplit(database_url)
    template_url = urllib.parse.urlunsplit(parts._replace(path=parts.path + "_template"))
    if template_url not in _postgres_templates:
        postgres_admin(template_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        postgres_admin(template_url, "CREATE DATABASE {}")
        _postgres_templates.add(template_url)
        atexit.register(postgres_admin, template_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        _migrate(env | {"DATABASE_URL": template_url})
    template = bench_database(template_url)[1]
    postgres_admin(database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
    postgres_admin(database_url, "CREATE DATABASE {} TEMPLATE {}", template)


def run_in_child(
    script: str, arguments: list[str], *, database: str, database_url: str, label: str = ""
) -> dict[str, Any]:
    """Run `script --single ARGUMENTS` in its own process against a fresh database —
    SQLite in a temporary folder, or the PostgreSQL bench database, created and dropped
    around it — and return the JSON object its last line prints. Each run gets a
    process of its own so its timings and peak memory are its own. The database is a
    copy of one migrated once for the whole benchmark (the module's docstring says why)."""
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
            postgres_copy(env, database_url)
        else:
            sqlite_copy(env, var)
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
