"""`engage serve`: the web server and the worker start, answer, and stop together.

Each test runs the real console script on a temporary SQLite database, on a free
port, with bounded waits; every process it starts is killed in a `finally`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from engage.cli.management.commands.serve import Command

ENGAGE = Path(sys.executable).with_name("engage")
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path) -> dict[str, str]:
    """The environment for a child `engage`, with its own migrated SQLite database."""
    var = tmp_path_factory.mktemp("serve")
    shutil.copyfile(migrated_sqlite_template, var / "engage.sqlite3")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'engage.sqlite3'}",
        "ENGAGE_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("PORT", None)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local URL
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text()

    def child_pids(self) -> dict[str, int]:
        return {
            name: int(pid) for name, pid in re.findall(r"(web server|worker) process (\d+)", self.output())
        }

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"engage serve stopped:\n{self.output()}"
            if get(f"http://127.0.0.1:{self.port}/healthz") == 200:
                return
            time.sleep(0.2)
        pytest.fail(f"engage serve did not answer within {START_TIMEOUT_S} s:\n{self.output()}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has exited but not been reaped yet is a zombie: not alive.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def serve(sqlite_env: dict[str, str], tmp_path: Path) -> Iterator[Served]:
    """`engage serve` on a free port, as on a developer's machine: ENGAGE_PUBLIC_URL unset."""
    env = {name: value for name, value in sqlite_env.items() if name != "ENGAGE_PUBLIC_URL"}
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [
                str(ENGAGE),
                "serve",
                "--port",
                str(port),
                "--workers",
                "1",
                "--threads",
                "2",
                "--verbosity",
                "2",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    served = Served(process=process, port=port, log=log)
    try:
        yield served
    finally:
        pids = served.child_pids().values()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_serve_answers_healthz_and_stops_both_processes_on_ctrl_c(serve: Served) -> None:
    serve.wait_until_healthy()
    assert f"Serving on http://127.0.0.1:{serve.port} (press Ctrl+C to stop)" in serve.output()
    assert get(f"http://127.0.0.1:{serve.port}/static/vendor/nhsuk/nhsuk-frontend.min.css") == 200
    children = serve.child_pids()
    assert set(children) == {"web server", "worker"}

    serve.process.send_signal(signal.SIGINT)

    assert serve.process.wait(timeout=STOP_TIMEOUT_S) == 0, serve.output()
    assert all(wait_gone(pid, 5) for pid in children.values())
    assert get(f"http://127.0.0.1:{serve.port}/healthz") == 0


def environ_of(pid: int) -> dict[str, str]:
    entries = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode().split("=", 1) for entry in entries if b"=" in entry)


@pytest.mark.skipif(
    not Path("/proc/self/environ").exists(), reason="reads a process's environment from /proc"
)
def test_links_in_emails_start_with_the_address_served_when_none_is_set(serve: Served) -> None:
    """Served on a port other than 8000 with ENGAGE_PUBLIC_URL unset, the web server and
    the worker (which sends the "You said, we did" emails) both build links to this port."""
    serve.wait_until_healthy()
    served = f"http://127.0.0.1:{serve.port}"
    assert f"Links in emails start with {served}" in serve.output()

    for name, pid in serve.child_pids().items():
        assert environ_of(pid).get("ENGAGE_PUBLIC_URL") == served, name


def _public_url(host: str = "127.0.0.1", port: int = 8123) -> dict[str, str]:
    """What serve would tell its children, having said what it says (to sys.stdout and
    sys.stderr, for capsys)."""
    return Command(stdout=sys.stdout, stderr=sys.stderr)._public_url(host, port)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8123"),
        ("0.0.0.0", "http://127.0.0.1:8123"),  # noqa: S104 - every address: this machine is one
        ("::", "http://[::1]:8123"),
        ("::1", "http://[::1]:8123"),
        ("engage.test", "http://engage.test:8123"),
    ],
)
def test_a_developers_unset_public_address_is_the_address_served(
    host: str, url: str, settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.ENGAGE_PRODUCTION = False
    monkeypatch.delenv("ENGAGE_PUBLIC_URL", raising=False)

    assert _public_url(host) == {"ENGAGE_PUBLIC_URL": url}
    assert f"Links in emails start with {url}" in capsys.readouterr().out


def test_a_public_address_on_this_machine_but_another_port_is_warned_about_and_kept(
    settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.ENGAGE_PRODUCTION = False
    settings.ENGAGE_PUBLIC_URL = "http://localhost:8000"
    monkeypatch.setenv("ENGAGE_PUBLIC_URL", "http://localhost:8000")

    assert _public_url() == {}
    said = capsys.readouterr()
    assert "ENGAGE_PUBLIC_URL is http://localhost:8000, but the site is served on port 8123" in said.err
    assert "Set ENGAGE_PUBLIC_URL=http://127.0.0.1:8123 or leave it unset." in said.err


@pytest.mark.parametrize(
    "given", ["http://127.0.0.1:8123", "https://engage.castlebridge-partnership.nhs.uk", "http://engage.test"]
)
def test_a_public_address_set_by_hand_is_used_without_a_word(
    given: str, settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same port, or another machine's name (a proxy in front): nothing to warn about."""
    settings.ENGAGE_PRODUCTION = False
    settings.ENGAGE_PUBLIC_URL = given
    monkeypatch.setenv("ENGAGE_PUBLIC_URL", given)

    assert _public_url() == {}
    said = capsys.readouterr()
    assert said.err == ""
    assert said.out == ""


def test_production_is_never_given_an_address(
    settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Production has none to fall back on: engage.E003 stops serve before this."""
    settings.ENGAGE_PRODUCTION = True
    monkeypatch.delenv("ENGAGE_PUBLIC_URL", raising=False)

    assert _public_url() == {}


def test_serve_stops_the_web_server_and_fails_when_the_worker_dies(serve: Served) -> None:
    serve.wait_until_healthy()
    children = serve.child_pids()

    os.kill(children["worker"], signal.SIGKILL)

    assert serve.process.wait(timeout=STOP_TIMEOUT_S) == 1
    assert "The worker stopped unexpectedly" in serve.output()
    assert wait_gone(children["web server"], 5)


def test_serve_refuses_a_port_in_use(sqlite_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(  # noqa: S603
            [str(ENGAGE), "serve", "--port", str(port)],
            env=sqlite_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert "choose another with --port" in result.stderr


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "ENGAGE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603
        [str(ENGAGE), "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Run 'engage migrate' first" in result.stderr
