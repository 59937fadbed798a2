"""`engage reach`: load the reference data reach is measured against, and say what is loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.errors import DomainError
from engage.core.progress import ProgressBar
from engage.places import selectors, services
from engage.places.loaders.postcodes import filter_postcode_file
from engage.places.models import BoundaryKind
from engage.reach import exports
from engage.reach.place_report import place_report
from engage.reach.report import reach_area, reach_report
from engage.reach.scope import reach_scope


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"There is no file at {path}.")
    return path


class Command(BaseCommand):
    help = "Reach: load the official reference files (deprivation, census, postcodes) and see what is loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imd = actions.add_parser(
            "load-imd",
            help="Load the English Indices of Deprivation File 7 (2025 or 2019 edition, told by its columns).",
        )
        imd.add_argument("file", type=Path, help="File 7, as CSV or Excel (.xlsx).")
        census = actions.add_parser(
            "load-census",
            help="Load Census 2021 bulk tables (TS009, TS021, TS022, TS038, TS039): the CSVs inside their zips.",
        )
        census.add_argument(
            "files", type=Path, nargs="+", help="One or more of the CSVs, for LSOAs or local authorities."
        )
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
        boundaries = actions.add_parser(
            "load-boundaries",
            help="Load ward or LSOA boundaries (GeoJSON from the ONS Open Geography Portal).",
        )
        boundaries.add_argument("file", type=Path, help="The GeoJSON file.")
        wards = actions.add_parser(
            "load-wards",
            help="Load the ONS Ward to Local Authority District Lookup (CSV): the wards areas are taken from.",
        )
        wards.add_argument("file", type=Path, help="The lookup, as CSV.")
        actions.add_parser("status", help="What reference data is loaded.")
        show = actions.add_parser(
            "show", help="Reach of a set of conversations, as the reach page shows it to other partners."
        )
        show.add_argument("--activity", type=int, help="An activity's id.")
        show.add_argument("--priority", type=int, help="A partnership priority's id.")
        show.add_argument("--organisation", type=int, help="An organisation's id.")
        show.add_argument("--from", dest="date_from", help="From this date (YYYY-MM-DD).")
        show.add_argument("--to", dest="date_to", help="To this date (YYYY-MM-DD).")
        show.add_argument("--csv", action="store_true", help="Write the figures as CSV instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        steps: dict[str, Callable[[dict[str, Any]], None]] = {
            "load-imd": self._load_imd,
            "load-census": self._load_census,
            "load-postcodes": self._load_postcodes,
            "filter-postcodes": self._filter_postcodes,
            "load-boundaries": self._load_boundaries,
            "load-wards": self._load_wards,
            "status": self._status,
            "show": self._show,
        }
        try:
            steps[options["action"]](options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _load_imd(self, options: dict[str, Any]) -> None:

        path = _existing(options["file"])
        bar = ProgressBar(self, noun="areas")
        try:
            load = services.imd_load(actor=None, path=path, file_name=path.name, on_progress=bar.update)
        finally:
            bar.finish()
        self.stdout.write(f"Loaded {load.get_kind_display()} {load.edition}: {load.note}")

    def _load_census(self, options: dict[str, Any]) -> None:

        paths = [_existing(path) for path in options["files"]]
        for path in paths:
            load = services.census_load(actor=None, path=path, file_name=path.name)
            self.stdout.write(f"Loaded Census 2021 {load.edition} from {path.name}: {load.note}")

    def _load_postcodes(self, options: dict[str, Any]) -> None:

        path = _existing(options["file"])
        bar = ProgressBar(self, noun="rows")
        try:
            load = services.postcodes_load(actor=None, path=path, file_name=path.name, on_progress=bar.update)
        finally:
            bar.finish()
        self.stdout.write(f"Loaded the postcode lookup: {load.note}")

    def _filter_postcodes(self, options: dict[str, Any]) -> None:

        path = _existing(options["file"])
        read, kept = filter_postcode_file(
            path, options["out"], local_authorities=set(options["local_authority"]), file_name=path.name
        )
        self.stdout.write(f"Kept {kept:,} of {read:,} postcodes, written to {options['out']}.")

    def _load_boundaries(self, options: dict[str, Any]) -> None:

        path = _existing(options["file"])
        load = services.boundaries_load(actor=None, path=path, file_name=path.name)
        self.stdout.write(f"Loaded {load.note}")

    def _load_wards(self, options: dict[str, Any]) -> None:
        path = _existing(options["file"])
        bar = ProgressBar(self, noun="wards")
        try:
            load = services.wards_load(actor=None, path=path, file_name=path.name, on_progress=bar.update)
        finally:
            bar.finish()
        self.stdout.write(f"Loaded the ward lookup: {load.note}")

    def _show(self, options: dict[str, Any]) -> None:
        """Always with disclosure control: a terminal is not the staff area."""

        params = {
            "activity": str(options["activity"] or ""),
            "priority": str(options["priority"] or ""),
            "organisation": str(options["organisation"] or ""),
            "from": options["date_from"] or "",
            "to": options["date_to"] or "",
        }
        # A terminal acts for no organisation: always the published figures, so whole months.
        scope = reach_scope(params, organisation=None, permissions=frozenset())
        reach_set, rule = scope.reach_set, scope.rule
        if scope.widened:
            self.stderr.write(scope.widened)
        area = reach_area()
        report = reach_report(reach_set, rule=rule, area=area)
        if options["csv"]:
            wards = place_report(reach_set, area=area, kind=BoundaryKind.WARD, rule=rule)
            self.stdout.write(exports.reach_csv(exports.reach_rows(report, wards)), ending="")
            return
        self.stdout.write(f"{report.conversations.text} conversations.")
        if area is None:
            self.stdout.write(
                "No population is loaded: load the census with `engage reach load-census FILE...`."
            )
        elif area.illustrative:
            self.stdout.write("Measured against the demo's illustrative population: not real census figures.")
        for dimension in report.dimensions:
            self.stdout.write(f"\n{dimension.dimension.title}")
            for row in dimension.rows:
                ratio = (
                    f"ratio {row.ratio:.2f} ({row.ratio_low:.2f} to {row.ratio_high:.2f})"
                    if row.ratio is not None and row.ratio_low is not None and row.ratio_high is not None
                    else (row.hidden_reason or "ratio not known").lower()
                )
                mark = "  UNDER-REPRESENTED" if row.under_represented else ""
                self.stdout.write(f"  {row.name:<24} {row.participants.text:>8}  {ratio}{mark}")
            self.stdout.write(f"  {'Not known':<24} {dimension.unknown.text:>8}")
            if dimension.unmapped_sentence:
                self.stdout.write(f"  {dimension.unmapped_sentence}")
        missing = report.under_represented
        if missing:
            self.stdout.write("\nWho we may be missing:")
            for row in missing:
                self.stdout.write(f"  {row.sentence}")

    def _status(self, options: dict[str, Any]) -> None:

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
        census = selectors.census_area_counts()
        if not census:
            self.stdout.write(
                "No census tables are loaded. Load them with `engage reach load-census FILE...`."
            )
        for dimension, areas in census.items():
            self.stdout.write(f"Census 2021, {dimension}: {areas:,} areas")
        status = selectors.reference_status()
        for kind, areas in status.boundaries.items():
            self.stdout.write(f"Boundaries: {areas:,} {'wards' if kind == 'ward' else 'LSOAs'}")
        if not status.boundaries:
            self.stdout.write("No boundaries are loaded. Load them with `engage reach load-boundaries FILE`.")
        self.stdout.write(
            f"Ward lookup: {status.wards:,} wards"
            if status.wards
            else "No ward lookup is loaded. Load it with `engage reach load-wards FILE`."
        )
        if status.illustrative:
            self.stdout.write("The demo's illustrative population is loaded: its figures are made up.")
