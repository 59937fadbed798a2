"""`engage organisations`: load the partnership's organisations from the registers it
already uses (NHS ODS files, the Charity Commission's extract, our CSV template)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.errors import DomainError
from engage.core.progress import ProgressBar
from engage.partners.models import Register
from engage.partners.registers.readers import TEMPLATE_COLUMNS
from engage.partners.registers.services import organisations_load


class Command(BaseCommand):
    help = (
        "Load organisations from a register: NHS ODS files of GP practices, trusts and ICBs, the Charity "
        "Commission's register extract, or our CSV template. Loading again updates, matched by their codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="Load a register's file.")
        load.add_argument("file", type=Path, help="The file, as the register publishes it.")
        load.add_argument(
            "--register",
            required=True,
            choices=Register.values,
            help="; ".join(f"{register.value}: {register.label}" for register in Register),
        )
        load.add_argument(
            "--postcode-area",
            action="append",
            default=[],
            metavar="PREFIX",
            help="Only organisations with postcodes in this area or district (DY, B62); give it once for each.",
        )
        load.add_argument(
            "--commissioner",
            action="append",
            default=[],
            metavar="CODE",
            help="GP practices only: those of this commissioner (a sub-ICB location's code); once for each.",
        )
        actions.add_parser("template", help="Print the headings of our CSV template.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "template":
            self.stdout.write(",".join(TEMPLATE_COLUMNS))
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        bar = ProgressBar(self, noun="rows")
        try:
            load = organisations_load(
                actor=None,
                path=path,
                file_name=path.name,
                register=options["register"],
                postcode_prefixes=options["postcode_area"],
                commissioners=options["commissioner"],
                on_progress=bar.update,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        finally:
            bar.finish()
        self.stdout.write(f"Loaded {Register(options['register']).label} from {path.name}: {load.sentence()}")
