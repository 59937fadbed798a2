"""`manage.py demo`: what it prints and what its options do."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engage.activities.models import Activity
from engage.demo.organisations import MARKER_ORGANISATION
from engage.demo.staff import DEMO_PASSWORD, DEMO_USER_EMAILS
from engage.partners.models import Organisation, OrganisationKind, Person

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_command_prints_counts_and_the_sign_in_details(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8123")
    output = _run()
    assert "Built the Castlebridge demo partnership" in output
    assert f"{Person.objects.count():,}" in output
    assert re.search(rf"Activities\s+{Activity.objects.count()}\s+\(\d+ planned, \d+ open", output)
    assert "1 with no engagement yet" in output
    assert "http://127.0.0.1:8123/accounts/sign-in/" in output
    assert DEMO_PASSWORD in output
    for email in DEMO_USER_EMAILS:
        assert email in output
    assert "Partnership administrator" in output
    assert "Board member" in output


def test_command_uses_port_8000_when_none_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)
    assert "http://127.0.0.1:8000/accounts/sign-in/" in _run()


def test_command_says_so_when_the_demo_is_already_loaded() -> None:
    _run("--quiet")
    people = Person.objects.count()
    output = _run()
    assert "already loaded" in output
    assert "--reset" in output
    assert Person.objects.count() == people


def test_quiet_command_prints_nothing() -> None:
    assert _run("--quiet") == ""
    assert Organisation.objects.filter(name=MARKER_ORGANISATION).exists()


def test_reset_option_builds_the_demo_afresh() -> None:
    _run("--quiet", "--seed", "1")
    first = list(Person.objects.order_by("pk").values_list("given_name", "family_name"))
    output = _run("--reset", "--seed", "2")
    assert "Built the Castlebridge demo partnership" in output
    assert list(Person.objects.order_by("pk").values_list("given_name", "family_name")) != first


def test_command_fails_with_a_plain_message_when_demo_names_are_taken() -> None:
    Organisation.objects.create(name="Healthwatch Castlebridge", kind=OrganisationKind.HEALTHWATCH)
    with pytest.raises(CommandError, match="Healthwatch Castlebridge"):
        _run()


@pytest.mark.parametrize("args", [[], ["--code", "admin@icb.example.org"]], ids=["build", "code"])
def test_a_database_not_yet_migrated_is_refused_with_what_to_do(tmp_path: Path, args: list[str]) -> None:
    """After an upgrade, before `engage migrate`: one sentence, not a traceback about a
    missing column, and nothing written."""
    database = tmp_path / "new.sqlite3"
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(Path(sys.executable).with_name("engage")), "demo", *args],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "ENGAGE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Run 'engage migrate' first" in result.stderr
    assert "Traceback" not in result.stderr
