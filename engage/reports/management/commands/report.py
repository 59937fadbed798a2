"""`engage report`: the reports (newest first), making a Local Account, board paper or
activity report (its figures worked out straight away, with what it is doing said as
it goes), publishing one, and saving its PDF or Word file, or its Easy Read version."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.errors import DomainError, InvalidInput
from engage.partners.models import Organisation
from engage.reports import selectors, services
from engage.reports.files import CONTENT_TYPES, report_file
from engage.reports.models import Report, ReportKind, ReportState


class Command(BaseCommand):
    help = "Reports: list them, make one, publish one, or save its PDF or Word file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="Every report, the newest first.")
        listing.add_argument("--kind", choices=ReportKind.values)
        making = actions.add_parser("make", help="Make a report and work its figures out now.")
        making.add_argument("kind", choices=ReportKind.values)
        making.add_argument("--organisation", required=True, help="The writing organisation's exact name.")
        making.add_argument("--title", required=True)
        making.add_argument("--from", dest="month_from", help="The first month, such as 2025-04.")
        making.add_argument("--to", dest="month_to", help="The last month, such as 2026-03.")
        making.add_argument("--activity", type=int, help="An activity report's activity (its id).")
        publishing = actions.add_parser(
            "publish", help="Draft its Easy Read version if none, and publish it."
        )
        publishing.add_argument("report_id", type=int)
        saving = actions.add_parser("save", help="Save the report as a PDF or Word file.")
        saving.add_argument("report_id", type=int)
        saving.add_argument("path", type=Path, help="Where to write it: its ending (.pdf, .docx) says which.")
        saving.add_argument("--easy-read", action="store_true", help="The Easy Read version.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"])(options)
        except InvalidInput as error:
            raise CommandError(
                " ".join(f"{field}: {message}" for field, message in error.errors.items())
            ) from error
        except DomainError as error:
            raise CommandError(error.message) from error

    def _report(self, report_id: int) -> Report:
        report = Report.objects.filter(pk=report_id).select_related("organisation").first()
        if report is None:
            raise CommandError(f"There is no report {report_id}. `engage report list` shows them.")
        return report

    def _list(self, options: dict[str, Any]) -> None:
        reports = selectors.report_list(organisation=None, kind=options.get("kind") or "")
        drafts = Report.objects.filter(state=ReportState.DRAFT)
        if options.get("kind"):
            drafts = drafts.filter(kind=options["kind"])
        shown = {r.pk: r for r in [*reports, *drafts.select_related("organisation")]}
        if not shown:
            self.stdout.write("No reports yet. `engage report make --help` says how to make one.")
        for report in sorted(shown.values(), key=lambda r: (r.month_to, r.pk), reverse=True):
            self.stdout.write(
                f"{report.pk:>5}  {report.get_state_display():<9}  {report.get_kind_display():<22}  "
                f"{report.month_from:%b %Y} to {report.month_to:%b %Y}  {report.title} ({report.organisation.name})"
            )

    def _make(self, options: dict[str, Any]) -> None:
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation called {options['organisation']!r}.")
        report = services.report_create(
            actor=None,
            organisation=organisation,
            kind=options["kind"],
            title=options["title"],
            month_from=options.get("month_from"),
            month_to=options.get("month_to"),
            activity_id=options.get("activity"),
        )
        self.stdout.write(f"Made report {report.pk}. Working out its figures (a year takes a minute)…")
        started = time.perf_counter()
        services.report_build(report_id=report.pk)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))

    def _publish(self, options: dict[str, Any]) -> None:
        report = self._report(options["report_id"])
        if report.building:
            services.report_build(report_id=report.pk)
        if report.is_public_kind and not report.easy_read_points.exists():
            count = services.easy_read_draft(
                actor=None, organisation=report.organisation, report_id=report.pk
            )
            self.stdout.write(f"Drafted its Easy Read version: {count} points. Check them on its page.")
        services.report_publish(
            actor=None, organisation=report.organisation, report_id=report.pk, manages_partnership=True
        )
        self.stdout.write(self.style.SUCCESS(f"Published report {report.pk}."))

    def _save(self, options: dict[str, Any]) -> None:
        report = self._report(options["report_id"])
        path: Path = options["path"]
        extension = path.suffix.lstrip(".").lower()
        if extension not in CONTENT_TYPES:
            raise CommandError(f"{path}: end the file's name with .pdf or .docx.")
        if not report.figures:
            raise CommandError(
                f"Report {report.pk}'s figures are still being worked out. Try again in a minute."
            )
        content, _ = report_file(
            report, version="easy-read" if options["easy_read"] else "report", extension=extension
        )
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}.") from error
        self.stdout.write(self.style.SUCCESS(f"Saved {path} ({len(content) // 1024:,} KB)."))
