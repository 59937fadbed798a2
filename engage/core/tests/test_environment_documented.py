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


def engage_settings_declared() -> set[str]:
    return set(
        re.findall(r"^(ENGAGE_[A-Z0-9_]+)\s*=", (ROOT / "config" / "settings.py").read_text(), re.MULTILINE)
    )


def test_code_reads_each_engage_setting_from_settings_with_no_default_of_its_own() -> None:
    """A default written at the place of use drifts from the one in settings.py (and the
    one in .env.example): there is one default, in settings.py."""
    declared = engage_settings_declared()
    with_a_default: list[str] = []
    undeclared: dict[str, str] = {}
    for path in (ROOT / "engage").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        where = str(path.relative_to(ROOT))
        if re.search(r"getattr\(\s*settings\s*,\s*[\"']ENGAGE_", text):
            with_a_default.append(where)
        for name in re.findall(r"settings\.(ENGAGE_[A-Z0-9_]+)", text):
            if name not in declared:
                undeclared.setdefault(name, where)
    assert not with_a_default, f"Read these as settings.ENGAGE_X: {with_a_default}"
    assert not undeclared, f"Declare these in config/settings.py: {undeclared}"


def test_the_defaults_with_nothing_set() -> None:
    """Defaults that other settings follow: the upload cap is the import cap unless set."""
    show = (
        "import config.settings as s; "
        "print(s.ENGAGE_OVERLAP_WINDOW_DAYS, s.ENGAGE_IMPORT_MAX_BYTES, s.ENGAGE_UPLOAD_MAX_BYTES, "
        "s.ENGAGE_IMPORT_DIR == s.VAR_DIR / 'imports')"
    )
    clean = {name: value for name, value in os.environ.items() if not name.startswith("ENGAGE_")}

    def shown(**env: str) -> str:
        return subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", show],
            env={**clean, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert shown() == f"28 {200 * 1024 * 1024} {200 * 1024 * 1024} True"
    assert (
        shown(ENGAGE_IMPORT_MAX_BYTES=str(50 * 1024 * 1024))
        == f"28 {50 * 1024 * 1024} {50 * 1024 * 1024} True"
    )
