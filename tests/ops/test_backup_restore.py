"""The operations guide's backups restore: a partnership's database backed up with the
commands the guide gives, restored into a new database, serves the same pages and holds
the same records. On SQLite (the SQLite pass) with `sqlite3 ... ".backup ..."`; on
PostgreSQL (the PostgreSQL pass) with `pg_dump --format=custom` and `pg_restore` into a
database made for it. Each side runs in child `engage` processes, as an operator would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest

ENGAGE = Path(sys.executable).with_name("engage")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
TIMEOUT_S = 300

# What the child prints: a digest of the public pages (what is made new on each request,
# the CSRF token and the scripts' nonce, left out) and the rows of the tables that matter.
DIGEST = """
import hashlib, json, re
from django.test import Client
from engage.accounts.models import User
from engage.conversations.models import Conversation
from engage.core.models import AuditEvent
from engage.partners.models import Consent, Organisation, Person
pages = {}
client = Client()
for path in ["/", "/partners/", "/you-said-we-did/", "/open-data/activities.csv", "/open-data/themes.csv",
             "/open-data/decisions.csv"]:
    response = client.get(path)
    body = re.sub(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', b"", response.content)
    pages[path] = [response.status_code, hashlib.sha256(body).hexdigest()]
counts = {model.__name__: model.objects.count() for model in (Organisation, Person, Consent, Conversation, User, AuditEvent)}
print(json.dumps({"pages": pages, "counts": counts}))
"""


def _engage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - the project's own command, fixed arguments
        [str(ENGAGE), *args], env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _digest(env: dict[str, str]) -> dict[str, object]:
    printed = _engage(env, "shell", "--no-imports", "-c", DIGEST).strip().splitlines()[-1]
    return dict(json.loads(printed))


def _env(var: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "ENGAGE_VAR_DIR": str(var)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.pop("ENGAGE_PRODUCTION", None)
    return env


def _check(digest: dict[str, object], restored: dict[str, object]) -> None:
    counts = digest["counts"]
    assert isinstance(counts, dict)
    assert counts["Conversation"] > 0
    assert counts["Person"] > 0
    assert restored == digest


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL pass restores with pg_restore instead")
def test_a_sqlite_backup_restored_serves_the_same_pages(
    tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    live = tmp_path / "live" / "engage.sqlite3"
    live.parent.mkdir()
    shutil.copyfile(migrated_sqlite_template, live)
    env = _env(live.parent, f"sqlite:///{live}")
    _engage(env, "demo", "--conversations", "300")
    before = _digest(env)

    backup = tmp_path / "engage-backup.sqlite3"
    if shutil.which("sqlite3") is not None:  # the guide's command
        _run("sqlite3", str(live), f".backup '{backup}'")
    else:  # the same online backup, through Python's own SQLite
        subprocess.run(  # noqa: S603 - this Python, fixed arguments
            [
                sys.executable,
                "-c",
                f"import sqlite3; sqlite3.connect({str(live)!r}).backup(sqlite3.connect({str(backup)!r}))",
            ],
            check=True,
            timeout=TIMEOUT_S,
        )
    restored = tmp_path / "restored" / "engage.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)  # "put the copy in place as var/engage.sqlite3"

    _check(before, _digest(_env(restored.parent, f"sqlite:///{restored}")))


def _run(tool: str, *args: str, check: bool = True) -> None:
    """One of the database's own tools, as the guide runs it."""
    found = shutil.which(tool)
    assert found is not None, f"{tool} is not installed"
    subprocess.run([found, *args], check=check, timeout=TIMEOUT_S, capture_output=True)  # noqa: S603 - fixed arguments


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the PostgreSQL pass's server")
def test_a_postgresql_backup_restored_into_a_new_database_serves_the_same_pages(tmp_path: Path) -> None:
    server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    names = [f"engage_restore_{uuid.uuid4().hex[:8]}_{side}" for side in ("live", "copy")]
    urls = [urllib.parse.urlunsplit(server._replace(path=f"/{name}")) for name in names]
    admin = urllib.parse.urlunsplit(server._replace(path="/postgres"))
    for name in names:
        _run("psql", admin, "-qc", f'CREATE DATABASE "{name}"')
    try:
        env = _env(tmp_path, urls[0])
        _engage(env, "migrate", "--no-input", "--verbosity", "0")
        _engage(env, "demo", "--conversations", "300")
        before = _digest(env)
        dump = tmp_path / "engage.dump"
        _run("pg_dump", "--format=custom", f"--file={dump}", urls[0])
        _run("pg_restore", "--no-owner", f"--dbname={urls[1]}", str(dump))
        _check(before, _digest(_env(tmp_path, urls[1])))
    finally:
        for name in names:
            _run("psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', check=False)
