"""`engage retention run [--dry-run]`: apply the retention rules now, with a progress bar
and a report, or only say what a run now would delete."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.errors import DomainError
from engage.core.models import JobStatus
from engage.core.progress import ProgressBar
from engage.retention import runner, selectors, services
from engage.retention.models import RunTrigger


class Command(BaseCommand):
    help = "Retention: delete what is past the time its rule keeps it, or (--dry-run) say what would go."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser(
            "run",
            help="Apply every rule now, as the nightly run does: each kind's records past their time are "
            "deleted, in chunks, and the run is reported on the Retention page and in the audit trail.",
        )
        run.add_argument(
            "--dry-run",
            action="store_true",
            help="Delete nothing: say how many of each kind a run now would delete.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self._dry_run()
        else:
            self._run()

    def _dry_run(self) -> None:
        day = selectors.today()
        for forecast in selectors.retention_forecast(run_on=day, when="would be deleted by a run today"):
            self.stdout.write(f"{forecast.rule.label} (kept for {forecast.rule.period}): {forecast.sentence}")
        self.stdout.write("Nothing was deleted (--dry-run).")

    def _run(self) -> None:
        try:
            run = services.retention_run_create(actor=None, trigger=RunTrigger.COMMAND)
        except DomainError as error:
            raise CommandError(error.message) from error
        bar = ProgressBar(self, noun="records")
        run = runner.retention_run_execute(run_id=run.pk, on_progress=bar.update)
        bar.finish()
        for result in run.results.all():
            self.stdout.write(f"{result.get_kind_display()}: {selectors.result_sentence(result)}")
        if run.status != JobStatus.SUCCEEDED:
            raise CommandError(run.error or "The run did not finish.")
        records = "record" if run.rows_done == 1 else "records"
        self.stdout.write(f"Deleted {run.rows_done:,} {records} in all (run {run.pk}).")
