"""`engage serve`: the website (gunicorn) and the background worker, together.

Both run as child processes in their own process group, so Ctrl+C reaches only this
command, which stops both gracefully (SIGTERM: gunicorn finishes the requests in hand,
the worker the job in hand). If either child dies, the other is stopped too and the
command exits non-zero, so a supervisor (systemd, a container runtime) restarts the
pair rather than leaving a website whose jobs never run.

Before starting either, it refuses to start with a configuration that is not safe:
Django's system checks, the production ones included (engage/core/checks.py), run
first without the database and then, once the database is known to be up to date,
with it (the demo partnership in production, engage/demo/checks.py); any error stops
the command with its message and hint.

Links in emails start with ENGAGE_PUBLIC_URL. On a developer's machine, where it is
often left unset, both children are given the address this command serves on, so a link
in an invitation or a "You said, we did" email opens this site whatever the port; one set
by hand to this machine on another port is warned about. Production must set it
(engage.E003).

Static files need no collectstatic: WhiteNoise serves them from the apps
(WHITENOISE_USE_FINDERS). Gunicorn reads extra options from GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Callable
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from engage.core.checks import local_host
from engage.core.database_state import database_problem
from engage.setup.services import first_run_code_issue

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
POLL_S = 0.2


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError as error:
        raise ArgumentTypeError(f"{value!r} is not a port number.") from error
    if not 1 <= port <= 65535:
        raise ArgumentTypeError("A port number is between 1 and 65535.")
    return port


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError("It must be 1 or more.")
    return number


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine opens the site at, served on host:port."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, ask the kernel to stop a child if this command is killed outright
    (kill -9), so no orphaned web server keeps the port."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # noqa: PLC0415 - Linux only

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def preexec() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)

    return preexec


class Command(BaseCommand):
    help = (
        "Run the website with a background worker beside it. Ctrl+C stops both. "
        "If either stops unexpectedly, the other is stopped too."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="The address to listen on (default: %(default)s; 0.0.0.0 for every address).",
        )
        parser.add_argument(
            "--port",
            type=_port,
            default=os.environ.get("PORT", "8000"),
            help="The port to listen on (default: the PORT environment variable, or 8000).",
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=os.environ.get("WEB_CONCURRENCY", "2"),
            help="Web server processes (default: WEB_CONCURRENCY, or 2).",
        )
        parser.add_argument(
            "--threads",
            type=_positive,
            default=4,
            help="Threads in each web server process (default: %(default)s).",
        )
        parser.add_argument(
            "--without-worker",
            action="store_true",
            help="Run only the website; run `engage worker` elsewhere.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = int(options["port"])
        verbosity: int = options["verbosity"]
        self._check_database()
        # The checks that need the database (the others ran before handle, as for every
        # command): a SystemCheckError stops here, before gunicorn or the worker starts.
        self.check(databases=[DEFAULT_DB_ALIAS], tags=[Tags.database])
        self._check_assets()
        self._check_port_free(host, port)
        public_url = self._public_url(host, port)
        given = settings.ENGAGE_PRODUCTION or "ENGAGE_PUBLIC_URL" in os.environ
        self._first_run_notice(str(settings.ENGAGE_PUBLIC_URL) if given else served_url(host, port))
        # The children open their own connections; don't share this one with them.
        connections.close_all()

        children: dict[str, subprocess.Popen[bytes]] = {}
        received: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            received.append(signum)

        previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            children["web server"] = self._start(self._web_command(host, port, options), public_url)
            if not options["without_worker"]:
                children["worker"] = self._start(self._worker_command(verbosity), public_url)
            if verbosity >= 2:
                self.stdout.write(
                    ", ".join(f"{name} process {child.pid}" for name, child in children.items())
                )
            self._supervise(children, received, host, port)
        finally:
            self._stop(children, received)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    # Before starting: refuse early, with a sentence that says what to do.

    def _check_database(self) -> None:
        if problem := database_problem():
            raise CommandError(problem)

    def _check_assets(self) -> None:
        if finders.find("vendor/nhsuk/nhsuk-frontend.min.css") is None:
            self.stderr.write(
                "The NHS.UK frontend files are missing, so pages will look unstyled. "
                "Run 'make assets' to copy them in."
            )

    def _check_port_free(self, host: str, port: int) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                raise CommandError(
                    f"Cannot listen on {host}:{port} ({error.strerror}). "
                    "Another program may be using the port: choose another with --port."
                ) from error

    def _first_run_notice(self, site: str) -> None:
        """Until the partnership is set up, the first-run page's one-time code: only
        whoever can see this console can open that page (engage/setup/views.py)."""
        code = first_run_code_issue()
        if code is None:
            return
        self.stdout.write(
            self.style.WARNING(
                f"The partnership is not set up yet. Set it up at {site}/setup/?code={code} "
                f"(the code {code} lasts a day; restarting prints a new one), or run engage setup."
            )
        )

    def _public_url(self, host: str, port: int) -> dict[str, str]:
        """What the children are told of the address links in emails start with: on a
        developer's machine with ENGAGE_PUBLIC_URL unset, the address served here."""
        if settings.ENGAGE_PRODUCTION:
            return {}  # set, and to an https:// address: engage.E003 saw to it
        if "ENGAGE_PUBLIC_URL" in os.environ:
            given = urlsplit(str(settings.ENGAGE_PUBLIC_URL))
            given_port = given.port or {"http": 80, "https": 443}.get(given.scheme)
            if given.hostname and local_host(given.hostname) and given_port != port:
                self.stderr.write(
                    f"ENGAGE_PUBLIC_URL is {settings.ENGAGE_PUBLIC_URL}, but the site is served on port "
                    f"{port}, so links in emails will not open it. Set ENGAGE_PUBLIC_URL={served_url(host, port)} "
                    "or leave it unset."
                )
            return {}
        url = served_url(host, port)
        self.stdout.write(f"Links in emails start with {url} (set ENGAGE_PUBLIC_URL to change it).")
        return {"ENGAGE_PUBLIC_URL": url}

    # The children.

    def _web_command(self, host: str, port: int, options: dict[str, Any]) -> list[str]:
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return [
            sys.executable,
            "-m",
            "gunicorn",
            ":".join(settings.WSGI_APPLICATION.rsplit(".", 1)),
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
        ]  # No --access-logfile: the access log stays off (gunicorn's default).

    def _worker_command(self, verbosity: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "engage.cli",
            "worker",
            "--no-reload",
            "--verbosity",
            str(verbosity),
        ]

    def _start(self, command: list[str], public_url: dict[str, str]) -> subprocess.Popen[bytes]:
        environment = {
            **os.environ,
            **public_url,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
            "PYTHONUNBUFFERED": "1",
        }
        return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command,
            env=environment,
            process_group=0,
            preexec_fn=_die_with_parent(),  # noqa: PLW1509
        )

    def _supervise(
        self, children: dict[str, subprocess.Popen[bytes]], received: list[int], host: str, port: int
    ) -> None:
        ready_by = time.monotonic() + READY_TIMEOUT_S
        announced = False
        while not received:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    raise CommandError(
                        f"The {name} stopped unexpectedly (exit code {code}), "
                        "so everything has been stopped.",
                        returncode=1,
                    )
            if not announced:
                if self._answers(host, port):
                    announced = True
                    url_host = f"[{host}]" if ":" in host else host
                    self.stdout.write(f"Serving on http://{url_host}:{port} (press Ctrl+C to stop)")
                    self.stdout.flush()
                elif time.monotonic() > ready_by:
                    raise CommandError(
                        f"The web server did not start listening within {READY_TIMEOUT_S:.0f} "
                        "seconds, so everything has been stopped.",
                        returncode=1,
                    )
            time.sleep(POLL_S)
        self.stdout.write("Stopping…")
        self.stdout.flush()

    def _answers(self, host: str, port: int) -> bool:
        target = urlsplit(served_url(host, port)).hostname or host
        try:
            with socket.create_connection((target, port), timeout=0.5):
                return True
        except OSError:
            return False

    def _stop(self, children: dict[str, subprocess.Popen[bytes]], received: list[int]) -> None:
        """Graceful first (SIGTERM); forceful (SIGKILL) for any child still running
        after STOP_TIMEOUT_S, or at once if another Ctrl+C arrives while waiting."""
        running = [child for child in children.values() if child.poll() is None]
        for child in running:
            child.send_signal(signal.SIGTERM)
        signals_before = len(received)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while any(child.poll() is None for child in running):
            if time.monotonic() > deadline or len(received) > signals_before:
                for child in running:
                    if child.poll() is None:
                        child.kill()
                for child in running:
                    child.wait()
                return
            time.sleep(POLL_S / 2)
