"""Safe to deploy: with ENGAGE_PRODUCTION on, the documented production settings pass
Django's own deployment checks, and the server refuses to start with anything only fit
for a developer's machine (engage/core/checks.py, engage/demo/checks.py); the secret key
can be changed without breaking links already sent; and the worker marks failed the
jobs whose worker died (engage/core/jobs.py).

The settings are read when a process starts, so each case runs the real `engage`
command in a child process with its own environment.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.utils import timezone

from engage.cli.management.commands.worker import stale_jobs_fail_everywhere
from engage.conversations.models import ImportJob, ImportStatus
from engage.decisions.feedback.emails import stop_token, stop_token_person_id
from engage.demo.organisations import MARKER_ORGANISATION
from engage.insight.models import AnalysisRun, RunStatus
from engage.partners.tests.factories import OrganisationFactory
from engage.places.models import ReferenceJobStatus, ReferenceKind
from engage.places.tests.factories import ReferenceJobFactory
from engage.subject_access.models import RequestStatus
from engage.subject_access.tests.factories import SubjectAccessRequestFactory

ENGAGE = Path(sys.executable).with_name("engage")
SITE = "https://engage.castlebridge-partnership.nhs.uk"
KEY = secrets.token_urlsafe(60)
OLD_KEY = secrets.token_urlsafe(60)
BUILT_IN_KEY = "local-development-only-not-a-secret"

# What the operations guide documents for a partnership's server (besides DATABASE_URL).
PRODUCTION = {
    "ENGAGE_PRODUCTION": "true",
    "SECRET_KEY": KEY,
    "SECRET_KEY_FALLBACKS": OLD_KEY,
    "ALLOWED_HOSTS": "engage.castlebridge-partnership.nhs.uk",
    "CSRF_TRUSTED_ORIGINS": SITE,
    "BEHIND_PROXY": "true",
    "ENGAGE_TRUSTED_PROXY_COUNT": "1",
    "ENGAGE_PUBLIC_URL": SITE,
    "ENGAGE_PARTNERSHIP_NAME": "Castlebridge Health and Care Partnership",
    "DEFAULT_FROM_EMAIL": "Castlebridge Partnership <engage@castlebridge-partnership.nhs.uk>",
}
SMTP = {
    "ENGAGE_EMAIL": "smtp",
    "EMAIL_HOST": "smtp.castlebridge-partnership.nhs.uk",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "true",
    "EMAIL_HOST_USER": "engage@castlebridge-partnership.nhs.uk",
    "EMAIL_HOST_PASSWORD": "not-a-real-password",
}
NOTIFY = {
    "ENGAGE_EMAIL": "notify",
    "ENGAGE_NOTIFY_API_KEY": "engage_live-7e5b0bbc-1c4c-4a0f-9c2a-1d2e3f4a5b6c-0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "ENGAGE_NOTIFY_TEMPLATE_ID": "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8",
}
# The HTTPS settings production gives by default, spelled out.
HTTPS_SPELLED_OUT = {
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
}
# Set here, so nothing of the environment the tests run in leaks into a child.
CLEARED = ("DEBUG", "EMAIL_BACKEND", "SILENCED_SYSTEM_CHECKS", "ENGAGE_NOTIFY_BASE_URL")


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deploy")


def environment(var: Path, database: Path, **changes: str | None) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in CLEARED and not name.startswith(("ENGAGE_", "EMAIL_", "SECURE_", "SECRET_KEY"))
    }
    env.update(
        PRODUCTION,
        DATABASE_URL=f"sqlite:///{database}",
        ENGAGE_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(SMTP)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def engage(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(ENGAGE), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def database(var: Path, migrated_sqlite_template: Path) -> Path:
    """A migrated SQLite database, so the database checks have tables to look in."""
    path = var / "production.sqlite3"
    shutil.copyfile(migrated_sqlite_template, path)
    return path


@pytest.mark.parametrize(
    "email",
    [pytest.param(SMTP, id="smtp"), pytest.param({**NOTIFY, **HTTPS_SPELLED_OUT}, id="notify")],
)
def test_the_documented_production_settings_pass_djangos_deployment_checks(
    var: Path, database: Path, email: dict[str, str]
) -> None:
    env = environment(var, database, **{**dict.fromkeys(SMTP), **email})
    result = engage(env, "check", "--deploy", "--fail-level", "WARNING", "--database", "default")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


REFUSALS = [
    pytest.param({"DEBUG": "true"}, "engage.E001", "DEBUG is on, and ENGAGE_PRODUCTION is on.", id="debug"),
    pytest.param(
        {"ENGAGE_EMAIL": "file"},
        "engage.E002",
        "Email is not sent to anyone: EMAIL_BACKEND is django.core.mail.backends.filebased.EmailBackend",
        id="file-email",
    ),
    pytest.param(
        {"ENGAGE_EMAIL": "console"},
        "engage.E002",
        "Email is not sent to anyone: EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend",
        id="console-email",
    ),
    pytest.param(
        {"ENGAGE_EMAIL": None, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
        "engage.E002",
        "Email is not sent to anyone",
        id="console-email-by-backend",
    ),
    pytest.param(
        {"ENGAGE_PUBLIC_URL": "http://engage.castlebridge-partnership.nhs.uk"},
        "engage.E003",
        "ENGAGE_PUBLIC_URL is 'http://engage.castlebridge-partnership.nhs.uk', which does not start with https://",
        id="http-url",
    ),
    pytest.param(
        {"ENGAGE_PUBLIC_URL": "https://localhost:8000"},
        "engage.E003",
        "which is this machine's own address, which no one else can reach",
        id="localhost-url",
    ),
    pytest.param(
        {"ENGAGE_PUBLIC_URL": "https://127.0.0.1"},
        "engage.E003",
        "ENGAGE_PUBLIC_URL is 'https://127.0.0.1', which is this machine's own address",
        id="loopback-url",
    ),
    pytest.param(
        {"ENGAGE_PUBLIC_URL": None},
        "engage.E003",
        "ENGAGE_PUBLIC_URL is not set, and ENGAGE_PRODUCTION is on.",
        id="url-left-unset",
    ),
    pytest.param(
        {**dict.fromkeys(SMTP), "ENGAGE_EMAIL": "notify"},
        "engage.E005",
        "The email settings are not complete: Set ENGAGE_NOTIFY_API_KEY",
        id="notify-without-its-key",
    ),
    pytest.param(
        {"SECRET_KEY": None},
        "ImproperlyConfigured",
        "Set SECRET_KEY: ENGAGE_PRODUCTION is on.",
        id="built-in-key",
    ),
    pytest.param(
        {"SECRET_KEY_FALLBACKS": f"{OLD_KEY},{BUILT_IN_KEY}"},
        "ImproperlyConfigured",
        "Remove the built-in key from SECRET_KEY_FALLBACKS: ENGAGE_PRODUCTION is on.",
        id="built-in-key-as-fallback",
    ),
]


@pytest.mark.parametrize(("changes", "code", "message"), REFUSALS)
def test_production_refuses_each_setting_only_fit_for_a_developers_machine(
    var: Path, database: Path, changes: dict[str, str | None], code: str, message: str
) -> None:
    result = engage(environment(var, database, **changes), "check")
    assert result.returncode != 0
    assert code in result.stderr
    assert message in result.stderr


def test_the_same_settings_are_fine_on_a_developers_machine(var: Path, database: Path) -> None:
    env = environment(
        var,
        database,
        ENGAGE_PRODUCTION="false",
        SECRET_KEY=None,
        SECRET_KEY_FALLBACKS=None,
        DEBUG="true",
        ENGAGE_EMAIL="console",
        ENGAGE_PUBLIC_URL="http://127.0.0.1:8000",
    )
    result = engage(env, "check", "--database", "default")
    assert result.returncode == 0, result.stderr


def test_serve_stops_before_starting_anything_when_a_check_fails(var: Path, database: Path) -> None:
    result = engage(environment(var, database, DEBUG="true"), "serve", "--port", "8765", timeout=60)
    assert result.returncode == 1
    assert "engage.E001" in result.stderr
    assert "Set DEBUG=false" in result.stderr
    assert "Serving on" not in result.stdout


def test_serve_refuses_to_start_in_production_without_the_public_address(var: Path, database: Path) -> None:
    """Links in emails would otherwise lead to a developer's machine: production has no
    default address to fall back on."""
    result = engage(environment(var, database, ENGAGE_PUBLIC_URL=None), "serve", "--port", "8767", timeout=60)
    assert result.returncode == 1
    assert "engage.E003" in result.stderr
    assert "ENGAGE_PUBLIC_URL is not set, and ENGAGE_PRODUCTION is on." in result.stderr
    assert "Serving on" not in result.stdout


def test_gunicorn_started_by_hand_refuses_to_start_as_serve_does(var: Path, database: Path) -> None:
    """config/wsgi.py runs the same checks, so starting gunicorn without `engage serve`
    is no way round them."""
    python = ENGAGE.parent / "python"
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [str(python), "-c", "import config.wsgi"],
        env=environment(var, database, DEBUG="true"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "The site will not start" in result.stderr
    assert "engage.E001" in result.stderr
    fine = subprocess.run(  # noqa: S603
        [str(python), "-c", "import config.wsgi"],
        env=environment(var, database),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert fine.returncode == 0, fine.stderr


def test_migrate_serve_and_check_refuse_a_production_database_with_the_demo_loaded(
    var: Path, tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    path = tmp_path / "with-demo.sqlite3"
    shutil.copyfile(migrated_sqlite_template, path)
    developer = environment(var, path, ENGAGE_PRODUCTION="false", SECRET_KEY_FALLBACKS=None)
    marker = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            (
                "import django; django.setup()\n"
                "from engage.partners.tests.factories import OrganisationFactory\n"
                f"OrganisationFactory(name={MARKER_ORGANISATION!r})"
            ),
        ],
        env=developer,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert marker.returncode == 0, marker.stderr
    production = environment(var, path)
    message = "The demo partnership is loaded in this database, and ENGAGE_PRODUCTION is on."

    for command in (
        ["migrate", "--no-input"],
        ["serve", "--port", "8766"],
        ["check", "--database", "default"],
    ):
        result = engage(production, *command, timeout=60)
        assert result.returncode == 1, command
        assert "engage.E004" in result.stderr, command
        assert message in result.stderr, command
        assert "Serving on" not in result.stdout
    # It is a database check: without the database, nothing to say.
    assert engage(production, "check").returncode == 0


@pytest.mark.django_db
def test_the_demo_check_speaks_only_in_production_and_with_the_database(settings) -> None:
    OrganisationFactory(name=MARKER_ORGANISATION)
    assert not [m for m in checks.run_checks(databases=["default"]) if m.id == "engage.E004"]
    settings.ENGAGE_PRODUCTION = True
    assert [m.id for m in checks.run_checks(databases=["default"], tags=["database"])] == ["engage.E004"]
    assert not [m for m in checks.run_checks() if m.id == "engage.E004"]


def test_secret_key_fallbacks_are_read_from_the_environment(var: Path, database: Path) -> None:
    env = environment(var, database, SECRET_KEY_FALLBACKS=f" {OLD_KEY} , second-old-key-{KEY} ,")
    result = engage(
        env, "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str([OLD_KEY, f"second-old-key-{KEY}"])


def test_a_stop_link_sent_before_the_key_was_changed_still_works_while_the_old_key_is_a_fallback(
    settings,
) -> None:
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    sent = stop_token(42)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY, [OLD_KEY]
    assert stop_token_person_id(sent) == 42
    assert stop_token(42) != sent  # new links are signed with the new key
    assert stop_token_person_id(stop_token(42)) == 42

    settings.SECRET_KEY_FALLBACKS = []  # once the old key is removed, its links stop working
    assert stop_token_person_id(sent) is None


@pytest.mark.django_db
def test_the_worker_marks_failed_every_kind_of_job_whose_worker_died(settings, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path
    then = timezone.now() - dt.timedelta(minutes=10)
    upload = tmp_path / "a.csv"
    upload.write_text("Comment\nGood\n")
    dead_import = ImportJob.objects.create(
        organisation=OrganisationFactory(),
        file_name="a.csv",
        stored_path=str(upload),
        file_sha256="0" * 64,
        mapping={},
        status=ImportStatus.RUNNING,
        started_at=then,
        heartbeat_at=then,
    )
    dead_run = AnalysisRun.objects.create(status=RunStatus.RUNNING, started_at=then, heartbeat_at=then)
    dead_load = ReferenceJobFactory(
        kind=ReferenceKind.CENSUS,
        file_name="census.csv",
        stored_path=str(tmp_path / "census.csv"),
        status=ReferenceJobStatus.RUNNING,
        started_at=then,
    )
    dead_gathering = SubjectAccessRequestFactory(
        status=RequestStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    alive_run_elsewhere = AnalysisRun.objects.create(status=RunStatus.SUCCEEDED)

    assert stale_jobs_fail_everywhere() == 4

    for job in (dead_import, dead_run, dead_load, dead_gathering, alive_run_elsewhere):
        job.refresh_from_db()
    assert (dead_import.status, dead_run.status, dead_load.status, dead_gathering.status) == (
        "failed",
        "failed",
        "failed",
        "failed",
    )
    assert alive_run_elsewhere.status == RunStatus.SUCCEEDED
    assert stale_jobs_fail_everywhere() == 0


def test_a_heartbeat_that_does_not_fit_the_limit_is_refused(settings) -> None:
    settings.ENGAGE_JOB_HEARTBEAT_SECONDS, settings.ENGAGE_JOB_STALE_SECONDS = 10, 120
    assert not [m for m in checks.run_checks() if m.id == "engage.E006"]
    settings.ENGAGE_JOB_STALE_SECONDS = 20
    (refused,) = [m for m in checks.run_checks() if m.id == "engage.E006"]
    assert refused.msg.startswith("ENGAGE_JOB_STALE_SECONDS is 20 and ENGAGE_JOB_HEARTBEAT_SECONDS is 10")
