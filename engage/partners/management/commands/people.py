"""`engage people import FILE --organisation NAME`: import a contact list (people, their
groups, roles and consent) here and now, with a progress bar, through the same engine
and rules as the website's import (engage.partners.people_imports); then the same report,
and the first rejected rows with their line, column and reason. Exit status 1 when the
file itself is refused or the import fails (nothing is then changed).

`engage people template` prints the ready-made template's headings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from engage.core.errors import DomainError, InvalidInput
from engage.core.progress import ProgressBar
from engage.core.tabular.rejections import rejected_rows_write, rejections_described
from engage.partners.models import ConsentMethod, PeopleImportJob, PeopleImportStatus
from engage.partners.people_imports import runner, selectors, services
from engage.partners.people_imports.columns import CONTACT_LIST, NEW_GROUP_KINDS, TEMPLATE_HEADINGS
from engage.partners.selectors import organisation_list


class Command(BaseCommand):
    help = "Import a contact list (people, groups, roles and consent), or print the template's headings."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="Import a CSV or Excel (.xlsx) contact list.")
        load.add_argument("file", type=Path, help="The CSV (.csv) or Excel (.xlsx) file.")
        load.add_argument("--organisation", required=True, help="The organisation's name (or short name).")
        load.add_argument(
            "--template",
            default=CONTACT_LIST,
            help=f"The mapping of columns: {CONTACT_LIST!r} (the default) or one the organisation saved.",
        )
        load.add_argument(
            "--consent-method",
            choices=ConsentMethod.values,
            help="How consent was given, where the file does not say.",
        )
        load.add_argument(
            "--consent-source", default="", help="Where consent was given, where the file does not say."
        )
        load.add_argument(
            "--group-kind",
            choices=[kind.value for kind in NEW_GROUP_KINDS],
            help="The kind of groups the file names that the organisation does not run yet (default community).",
        )
        load.add_argument(
            "--rejections-csv",
            type=Path,
            help="Write every rejected row to this CSV file: its line, column and reason, then the row itself.",
        )
        actions.add_parser("template", help="Print the headings of the ready-made contact list template.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "template":
            self.stdout.write(",".join(TEMPLATE_HEADINGS))
            return
        path: Path = options["file"]
        name = options["organisation"]
        organisation = organisation_list().filter(Q(name=name) | Q(short_name=name)).first()
        if organisation is None:
            raise CommandError(f"There is no organisation called {name!r}.")
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        try:
            template = services.template_find(organisation=organisation, name=options["template"])
            defaults = dict(template.defaults)
            for key in ("consent_method", "consent_source", "group_kind"):
                if options[key]:
                    defaults[key] = options[key]
            with path.open("rb") as content:
                job = services.people_import_create(
                    actor=None,
                    organisation=organisation,
                    content=content,
                    file_name=path.name,
                    mapping=template.mapping,
                    defaults=defaults,
                    template_name=template.name,
                    start=False,
                )
        except InvalidInput as error:
            raise CommandError("\n".join(error.errors.values())) from error
        except DomainError as error:
            raise CommandError(error.message) from error
        bar = ProgressBar(self)
        try:
            job = runner.people_import_run(job_id=job.pk, on_progress=bar.update)
        finally:
            bar.finish()
        if job.status != PeopleImportStatus.SUCCEEDED:
            raise CommandError(job.error or "The import failed; nothing was changed.")
        self._report(job, options["rejections_csv"])

    def _report(self, job: PeopleImportJob, rejections_csv: Path | None) -> None:
        organisation = job.organisation
        self.stdout.write(f"Imported {job.file_name} in people import {job.pk}: {job.rows:,} rows read.")
        self.stdout.write(job.result)
        rejections = selectors.people_import_rejection_list(organisation=organisation, job_id=job.pk)
        for line in rejections_described(rejections, job.rejected):
            self.stdout.write(line)
        if rejections_csv is not None:
            services.rejections_exported(actor=None, organisation=organisation, job=job)
            rejected_rows_write(rejections, rejections_csv)
            self.stdout.write(f"Wrote {job.rejected:,} rejected rows to {rejections_csv}.")
