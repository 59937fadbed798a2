# ruff: noqa: N999 - the command is `engage import`, so the module is import.py
"""`engage import FILE --template NAME --organisation NAME`: import conversations from a file.

It runs here and now (not through the background worker), with a progress bar on the
error stream, then prints the same report as the website: how many rows were added,
skipped as duplicates or rejected, and the first rejections with their line, column
and reason. Exit status 1 when the file itself is refused or the import fails.

Ratings are read as the template says (the Friends and Family Test's order, 1 the best,
where it says nothing); `--best highest` reads the highest number as the best. Where the
comments and ratings disagree so much that the ratings look upside down, nothing is
added: the command says so with examples and exits with status 1, and the file can be
imported again with `--best` the other way, or with `--ratings-checked` if the ratings
are right as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import selectors as import_selectors
from engage.conversations.imports import services as import_services
from engage.conversations.imports.mapping import BUILT_IN_TEMPLATES, GENERIC
from engage.conversations.imports.ratings import BEST_ENDS, HIGHEST, LOWEST, RatingScale
from engage.conversations.models import ImportJob, ImportStatus
from engage.core.errors import DomainError, InvalidInput
from engage.core.progress import ProgressBar
from engage.core.tabular.rejections import rejected_rows_write, rejections_described
from engage.partners.selectors import organisation_list


class Command(BaseCommand):
    help = "Import conversations from a CSV or Excel (.xlsx) file, with a progress bar and a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV (.csv) or Excel (.xlsx) file.")
        names = ", ".join(repr(t.name) for t in BUILT_IN_TEMPLATES)
        parser.add_argument(
            "--template",
            default=GENERIC,
            help=f"The mapping of columns to use: {names}, or one the organisation saved (default {GENERIC!r}).",
        )
        parser.add_argument(
            "--organisation", required=True, help="The collecting organisation's name (or short name)."
        )
        parser.add_argument("--activity", type=int, help="The activity (id) the conversations came from.")
        parser.add_argument(
            "--best",
            choices=BEST_ENDS,
            help="Which end of the rating scale is best: lowest (1 very good, as in the Friends and Family "
            "Test) or highest (such as 5 out of 5). Default: what the template says, else lowest.",
        )
        parser.add_argument(
            "--ratings-checked",
            action="store_true",
            help="Import even where the comments and ratings disagree: you have checked the ratings are "
            "read the right way round.",
        )
        parser.add_argument(
            "--rejections-csv",
            type=Path,
            help="Write every rejected row to this CSV file: its line, column and reason, then the row itself.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        name = options["organisation"]
        organisation = organisation_list().filter(Q(name=name) | Q(short_name=name)).first()
        if organisation is None:
            raise CommandError(f"There is no organisation called {name!r}.")
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        try:
            with path.open("rb") as content:
                job = import_services.import_job_create(
                    actor=None,
                    organisation=organisation,
                    content=content,
                    file_name=path.name,
                    template=options["template"],
                    defaults={"rating_best": options["best"]} if options["best"] else None,
                    activity_id=options["activity"],
                    ratings_confirmed=options["ratings_checked"],
                    start=False,
                )
        except InvalidInput as error:
            raise CommandError("\n".join(error.errors.values())) from error
        except DomainError as error:
            raise CommandError(error.message) from error
        bar = ProgressBar(self)
        job = import_pipeline.import_job_run(job_id=job.pk, on_progress=bar.update)
        bar.finish()
        if job.status == ImportStatus.HELD:
            raise CommandError(self._held(job))
        if job.status != ImportStatus.SUCCEEDED:
            raise CommandError(job.error or "The import failed; nothing was added.")
        self._report(job, options["rejections_csv"])

    def _held(self, job: ImportJob) -> str:
        """Cancel the held import (the file stays where it was, so nothing is lost) and
        say why, with examples and what to do."""
        check = import_selectors.import_job_rating_check(job=job)
        import_services.import_job_cancel(actor=None, organisation=job.organisation, job_id=job.pk)
        scale = RatingScale(low=job.rating_low, high=job.rating_high, best=job.rating_best)
        other = HIGHEST if scale.best == LOWEST else LOWEST
        lines = [
            f"Nothing was imported: the comments and ratings of {job.file_name} disagree, so the ratings "
            f"look upside down. They were read from {scale.describe()}; "
            + (check.summary() if check else ""),
        ]
        if check is not None:
            lines.append("For example:")
            lines += [
                f"  line {e.line}: {e.text!r}, rated {e.given}, read as {e.read_as.lower()}"
                for e in check.examples()
            ]
        lines.append(
            f"If the best rating is {scale.flipped().best_value}, import it again with --best {other}; "
            "if the ratings are right as they are, import it again with --ratings-checked."
        )
        return "\n".join(lines)

    def _report(self, job: Any, rejections_csv: Path | None) -> None:
        progress = import_selectors.import_job_progress(job=job)
        self.stdout.write(
            f"Imported {job.file_name} in import {job.pk}: {job.rows_total:,} rows read "
            f"({progress.rows_per_second:,.0f} rows a second)."
        )
        self.stdout.write(f"  added:      {job.added:,}")
        self.stdout.write(f"  duplicates: {job.duplicates:,}")
        self.stdout.write(f"  rejected:   {job.rejected:,}")
        rejections = import_selectors.import_rejection_list(organisation=job.organisation, job_id=job.pk)
        for line in rejections_described(rejections, job.rejected):
            self.stdout.write(line)
        if rejections_csv is not None:
            import_services.import_rejections_exported(actor=None, organisation=job.organisation, job=job)
            rejected_rows_write(rejections, rejections_csv)
            self.stdout.write(f"Wrote {job.rejected:,} rejected rows to {rejections_csv}.")
