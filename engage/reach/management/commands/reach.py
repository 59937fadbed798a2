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
        postcodes = actions.add_parser(
            "load-postcodes",
            help="Load a postcode lookup (ONS Postcode Directory, NSPL, or the ONS postcode to OA/LSOA/MSOA/LAD lookup).",
        )
        postcodes.add_argument(
            "file", type=Path, help="The lookup, as CSV: whole, or filtered with filter-postcodes."
        )
        keep = actions.add_parser(
            "filter-postcodes",
            help="Copy a postcode lookup's rows for some local authorities only, to load a smaller file.",
        )
        keep.add_argument("file", type=Path, help="The whole lookup, as CSV.")
        keep.add_argument(
            "--local-authority",
            action="append",
            required=True,
            metavar="CODE",
            help="A local authority code such as E08000027; give it once for each.",
        )
        keep.add_argument("--out", type=Path, required=True, help="Where to write the filtered CSV.")
        actions.add_parser("status", help="What reference data is loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        from engage.core.errors import DomainError
        from engage.reach import selectors, services

        action = options["action"]
        if action in ("load-postcodes", "filter-postcodes") and not options["file"].is_file():
            raise CommandError(f"There is no file at {options['file']}.")
        if action == "filter-postcodes":
            from engage.reach.loaders.postcodes import filter_postcode_file

            try:
                read, kept = filter_postcode_file(
                    options["file"],
                    options["out"],
                    local_authorities=set(options["local_authority"]),
                    file_name=options["file"].name,
                )
            except DomainError as error:
                raise CommandError(error.message) from error
            self.stdout.write(f"Kept {kept:,} of {read:,} postcodes, written to {options['out']}.")
            return
        if action == "load-postcodes":
            bar = ProgressBar(self, noun="rows")
            try:
                load = services.postcodes_load(
                    actor=None, path=options["file"], file_name=options["file"].name, on_progress=bar.update
                )
            except DomainError as error:
                raise CommandError(error.message) from error
            finally:
                bar.finish()
            self.stdout.write(f"Loaded the postcode lookup: {load.note}")
            return
        if action == "load-imd":
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
        postcodes = selectors.postcode_count()
        self.stdout.write(
            f"Postcodes: {postcodes:,}"
            if postcodes
            else "No postcodes are loaded. Load a lookup with `engage reach load-postcodes FILE`."
        )
        counts = selectors.deprivation_area_counts()
        in_use = selectors.imd_edition()
        if not counts:
            self.stdout.write("No deprivation data is loaded. Load File 7 with `engage reach load-imd FILE`.")
        for edition, areas in counts.items():
            mark = " (in use)" if edition == in_use else ""
            self.stdout.write(f"Indices of Deprivation {edition}: {areas:,} LSOAs{mark}")
