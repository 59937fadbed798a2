"""The front page of the `engage` command, and --help for every command it lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engage.cli.main import PROJECT_COMMANDS, listed_commands, main

ENGAGE = Path(sys.executable).with_name("engage")


def test_engage_help_lists_the_projects_commands_in_plain_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--help"])
    out = capsys.readouterr().out
    for name in ("serve", "worker", "migrate", "demo", "createadmin", "check"):
        assert f"  {name} " in out
    assert PROJECT_COMMANDS["serve"] in out
    assert "engage COMMAND --help" in out


@pytest.mark.parametrize("argv", [[], ["help"], ["-h"]])
def test_engage_with_no_command_prints_the_same_front_page(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--help"])
    expected = capsys.readouterr().out
    main(argv)
    assert capsys.readouterr().out == expected


def test_help_all_lists_djangos_commands_too(capsys: pytest.CaptureFixture[str]) -> None:
    main(["help", "--all"])
    out = capsys.readouterr().out
    assert "collectstatic" in out
    assert "db_worker" in out


def test_version_names_the_project(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--version"])
    assert capsys.readouterr().out.startswith("engage ")


@pytest.mark.parametrize("command", listed_commands())
def test_every_listed_command_answers_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code in (0, None)
    assert f"usage: engage {command}" in capsys.readouterr().out


def test_the_installed_console_script_prints_the_front_page() -> None:
    result = subprocess.run(  # noqa: S603
        [str(ENGAGE), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "createadmin" in result.stdout


def test_an_unknown_command_fails_and_points_to_help() -> None:
    result = subprocess.run(  # noqa: S603
        [str(ENGAGE), "no-such-command"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "engage help" in result.stderr


def test_starting_the_product_does_not_load_scikit_learn_or_scipy() -> None:
    """Every page, command and worker pays for what start-up imports: scikit-learn took a
    second of the `engage` command's two, and SciPy a fifth of a second of what was left
    (1.2 s), and only training and analysing need them."""
    script = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import engage.insight.tasks, engage.insight.runner, engage.insight.discovery.services; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'joblib', 'scipy'}))"
    )
    started = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert started.stdout.strip() == "[]", started.stdout
