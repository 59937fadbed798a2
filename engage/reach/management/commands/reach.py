"""`engage reach`: load the reference data reach is measured against, and say what is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.progress import ProgressBar


class Command(BaseCommand):
    help = "Reach: load the official reference files (deprivation, census, postcodes) and see what is loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imd = actions.add_parser(
            "load-imd",
            help="Load the English Indices of Deprivation File 7 (2025 or 2019 edition, told by its columns).",
        )
        imd.add_argument("file", type=Path, help="File 7, as CSV or Excel (.xlsx).")
        actions.add_parser("status", help="What reference data is loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        from engage.core.errors import DomainError
        from engage.reach import selectors, services

        if options["action"] == "load-imd":
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"There is no file at {path}.")
            bar = ProgressBar(self, noun="areas")
            try:
                load = services.imd_load(actor=None, path=path, file_name=path.name, on_progress=bar.update)
            except DomainError as error:
                raise CommandError(error.message) from error
            finally:
                bar.finish()
            self.stdout.write(f"Loaded {load.get_kind_display()} {load.edition}: {load.note}")
            return
        counts = selectors.deprivation_area_counts()
        in_use = selectors.imd_edition()
        if not counts:
            self.stdout.write("No deprivation data is loaded. Load File 7 with `engage reach load-imd FILE`.")
        for edition, areas in counts.items():
            mark = " (in use)" if edition == in_use else ""
            self.stdout.write(f"Indices of Deprivation {edition}: {areas:,} LSOAs{mark}")
