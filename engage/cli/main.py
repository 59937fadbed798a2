"""The `engage` command: the project's own subcommands in front of Django's.

Every subcommand is a Django management command, so `engage SUBCOMMAND --help` works
for all of them. What this module adds is the front page: `engage`, `engage --help`
and `engage help` print a short list of the commands people actually use, in plain
English, instead of Django's list of fifty.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import PackageNotFoundError, version

# The commands a person running the service needs, in the order they meet them.
# Only those that exist are listed (`demo` lives in engage.demo).
PROJECT_COMMANDS: dict[str, str] = {
    "serve": "Run the website with a background worker beside it (Ctrl+C stops both).",
    "worker": "Run only the background worker that carries out imports and analyses.",
    "migrate": "Create or update the database tables. Run it after every upgrade.",
    "setup": "Set a new partnership up: its name, place and wards, host organisation and first administrator.",
    "organisations": "Load organisations from NHS ODS files, the Charity Commission's extract or a CSV.",
    "people": "Import an organisation's contact list: its people, their groups, roles and consent.",
    "demo": "Load a realistic demo partnership, with staff accounts to sign in as.",
    "createadmin": "Create the first partnership administrator, who can then add everyone else.",
    "activities": "The engagement register: list, show, export, overlaps, or add from a JSON file.",
    "screening": "Check a screening rules file before the partnership uses it.",
    "import": "Import conversations from a CSV or Excel file, with a progress bar and a report.",
    "insight": "Themes and sentiment: evaluate the models, train them, analyse the conversations.",
    "reach": "Reach: load the official reference files, and see who took part against who lives here.",
    "decisions": "You said, we did: list, show and record the partnership's decisions.",
    "picture": "The partnership's shared picture: rebuild it now, or list what each organisation shares.",
    "evaluation": "Evaluations, the self-assessment's rounds and scoring links, and the board's page.",
    "report": "Reports: list them, make a Local Account or board paper, publish one, or save its PDF or Word file.",
    "retention": "Delete what is past the time its retention rule keeps it (--dry-run: only count).",
    "check": "Check the configuration for problems (add --deploy before going live).",
}

# Django's own commands that are still useful here, listed after the project's.
DJANGO_COMMANDS: dict[str, str] = {
    "changepassword": "Set a new password for a user.",
    "unlock": "Unlock an account paused after too many wrong tries at signing in.",
    "showmigrations": "List database changes and whether each has been applied.",
    "makemigrations": "Write a migration after changing a model (for developers).",
    "dbshell": "Open the database's own command line.",
    "shell": "Open a Python shell with the project loaded.",
    "clearsessions": "Remove expired sign-in sessions from the database.",
    "prune_db_task_results": "Remove old results of finished background jobs.",
}

HELP_FLAGS = {"-h", "--help"}


def _version() -> str:
    try:
        return version("engaging-together")
    except PackageNotFoundError:  # pragma: no cover - only when run from a bare checkout
        return "unknown"


def _available() -> set[str]:
    from django.core.management import get_commands  # noqa: PLC0415 - Django is loaded only once the command needs it, so `engage --help` answers at once

    return set(get_commands())


def _format(commands: dict[str, str], available: set[str]) -> list[str]:
    width = max(len(name) for name in commands)
    return [f"  {name.ljust(width)}  {text}" for name, text in commands.items() if name in available]


def help_text() -> str:
    """The front page of `engage`: what each of the project's commands is for."""
    available = _available()
    lines = [
        "Engaging Together: hear people, show what was done with what they said.",
        "",
        "Usage: engage COMMAND [OPTIONS]",
        "",
        "Commands:",
        *_format(PROJECT_COMMANDS, available),
        "",
        "Also useful:",
        *_format(DJANGO_COMMANDS, available),
        "",
        "Type 'engage COMMAND --help' for what a command does and its options.",
        "Type 'engage help --all' for every command, including the rest of Django's.",
        "",
    ]
    return "\n".join(lines)


def listed_commands() -> list[str]:
    """Every command the front page lists (the tests check that each answers --help)."""
    available = _available()
    return [name for name in (*PROJECT_COMMANDS, *DJANGO_COMMANDS) if name in available]


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - Django is loaded only once the command needs it, so `engage --help` answers at once
    from django.core.management import ManagementUtility, execute_from_command_line  # noqa: PLC0415 - Django is loaded only once the command needs it, so `engage --help` answers at once

    args = list(sys.argv[1:] if argv is None else argv)
    first = args[0] if args else "help"

    if first in HELP_FLAGS or (first == "help" and len(args) <= 1):
        django.setup()
        sys.stdout.write(help_text())
        return
    if first == "help" and args[1:] == ["--all"]:
        django.setup()
        sys.stdout.write(ManagementUtility(["engage"]).main_help_text() + "\n")
        return
    if first == "--version":
        sys.stdout.write(f"engage {_version()} (Django {django.get_version()})\n")
        return
    execute_from_command_line(["engage", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
