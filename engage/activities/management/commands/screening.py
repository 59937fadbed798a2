"""`engage screening check [FILE]`: check a screening rules file before the partnership uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.activities.screening.rules import RulesError, read_rules, rules_path


class Command(BaseCommand):
    help = "Screening a new issue: check a rules file and say what, if anything, is wrong with it."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = actions.add_parser(
            "check",
            help="Check a screening rules file, and list each problem with its line number.",
        )
        check.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="The rules file to check (by default, the one in use: ENGAGE_SCREENING_RULES, "
            "or the rules that ship with the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"] or rules_path()
        try:
            rules = read_rules(path)
        except RulesError as error:
            for problem in error.problems:
                self.stderr.write(problem.message)
            count = len(error.problems)
            raise CommandError(
                f"The rules file {path} has {count} problem{'' if count == 1 else 's'}: "
                f"{'it is' if count == 1 else 'each is'} listed above."
            ) from None
        self.stdout.write(f"The rules file is valid (version {rules.version}, {len(rules.rules)} rules).")
