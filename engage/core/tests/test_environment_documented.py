"""Every environment variable the project reads is in .env.example, and .env.example names
nothing the project does not read: an operator setting up a server learns every knob
from one file, and a setting that was removed (django-axes's) does not linger there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# os.environ.get("X"), os.environ["X"], env_bool("X"), env_list("X"), a NAME_ENV = "X" constant
READ = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|os\.getenv|env_bool|env_int|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|^[A-Z_]*ENV\s*=\s*["']([A-Z][A-Z0-9_]+)["']""",
    re.MULTILINE,
)
DOCUMENTED = re.compile(r"^#?\s?([A-Z][A-Z0-9_]+)=", re.MULTILINE)
# Read only to pass on or choose the settings module, never set by an operator.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def variables_read() -> dict[str, str]:
    found: dict[str, str] = {}
    sources = [*(ROOT / "config").glob("*.py"), *(ROOT / "engage").rglob("*.py")]
    for path in sources:
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in READ.finditer(path.read_text()):
            name = match.group(1) or match.group(2)
            found.setdefault(name, str(path.relative_to(ROOT)))
    return {name: where for name, where in found.items() if name not in NOT_SETTINGS}


def variables_documented() -> set[str]:
    return set(DOCUMENTED.findall((ROOT / ".env.example").read_text()))


def test_the_scan_finds_what_it_should() -> None:
    read = variables_read()
    # One of each way of reading: os.environ.get, env_bool, env_list, a *_ENV constant.
    assert {"DATABASE_URL", "ENGAGE_PRODUCTION", "SECRET_KEY_FALLBACKS", "ENGAGE_ADMIN_PASSWORD"} <= set(read)


def test_every_variable_read_is_documented_in_env_example() -> None:
    missing = {name: where for name, where in variables_read().items() if name not in variables_documented()}
    assert not missing, f"Document these in .env.example (read in): {missing}"


def test_env_example_names_only_variables_that_are_read() -> None:
    stale = variables_documented() - set(variables_read())
    assert not stale, f"Remove these from .env.example: nothing reads them: {sorted(stale)}"


def test_the_feedback_rate_limit_is_read_from_the_environment() -> None:
    """It was documented in .env.example but never read: setting it changed nothing."""
    shown = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.ENGAGE_FEEDBACK_RATE_LIMIT)"],
        env={**os.environ, "ENGAGE_FEEDBACK_RATE_LIMIT": "3"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "3"
