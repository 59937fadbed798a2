"""Fixtures shared across the apps' tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.tests.factories import sign_in_as
from engage.activities.topics import register_topics_forget
from engage.core.selectors import partnership_name_forget


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> Iterator[None]:
    """Passwords hashed by Argon2 at its least cost (quick_hashing.py says why)."""
    with override_settings(PASSWORD_HASHERS=["engage.core.tests.quick_hashing.QuickArgon2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _partnership_name_read_afresh() -> Iterator[None]:
    """Each process keeps the partnership's name for a while (core.selectors); a test's
    database is rolled back after it, so the next test must not see a name it set."""
    partnership_name_forget()
    yield
    partnership_name_forget()


@pytest.fixture(autouse=True)
def _register_topics_read_afresh() -> Iterator[None]:
    """Each process keeps the register's topic vectors (activities.topics), brought up to
    date from the database; a test's database is rolled back after it, so the next test
    starts from none."""
    register_topics_forget()
    yield
    register_topics_forget()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated by the `engage` command, once for the test process:
    the tests that start `engage` in a child process (serve, the deployment checks, a
    worker killed mid-import) each copy the file rather than migrate their own (7 s each)."""
    path = tmp_path_factory.mktemp("migrated") / "engage.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("ENGAGE_PRODUCTION", None)
    result = subprocess.run(  # noqa: S603 - the project's own command, fixed arguments
        [str(Path(sys.executable).with_name("engage")), "migrate", "--no-input", "--verbosity", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"engage migrate failed:\n{result.stderr}")
    return path


@pytest.fixture
def client_for(db: Any) -> Callable[..., Client]:
    """A test client signed in as `user`, acting for `organisation`."""

    def make(user: Any, organisation: Any = None) -> Client:
        client = sign_in_as(Client(), user)
        if organisation is not None:
            session = client.session
            session[SESSION_KEY] = organisation.pk
            session.save()
        return client

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line CI reads to check that no test was lost: however the suite is spread over
    processes, the count of tests run is printed the same way (`.ci/run` compares it with
    `.ci/tests-floor`)."""
    if hasattr(terminalreporter.config, "workerinput"):
        return  # an xdist worker: the controller counts for everyone
    outcomes = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
    counts = {outcome: len(terminalreporter.stats.get(outcome, [])) for outcome in outcomes}
    ran = sum(counts.values()) - counts["skipped"]
    detail = ", ".join(f"{count} {outcome}" for outcome, count in counts.items() if count)
    terminalreporter.write_line(f"Tests run: {ran} ({detail})")
