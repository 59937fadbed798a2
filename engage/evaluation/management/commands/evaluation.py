"""`engage evaluation`: the evaluations (overdue first), the board's page (worked out
again with --refresh), and the self-assessment's rounds: open one, make its single-use
scoring links for a group, close it, and read the results of the closed ones."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from engage.core.errors import Conflict, InvalidInput
from engage.evaluation import selectors
from engage.evaluation.board import assurance
from engage.evaluation.board.selectors import board_latest
from engage.evaluation.board.services import board_refresh
from engage.evaluation.models import ScorerGroup
from engage.evaluation.self_assessment import selectors as self_assessment
from engage.evaluation.self_assessment import services as rounds


class Command(BaseCommand):
    help = "Evaluations, the self-assessment's rounds and scoring links, and the board's page."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="Evaluations of ended activities, with their state.")
        listing.add_argument(
            "--state", choices=["open", "overdue", "complete"], help="Only those in this state."
        )
        board = actions.add_parser("board", help="The board's page: each question's assurance level and why.")
        board.add_argument(
            "--refresh", action="store_true", help="Work it out again now (reads every conversation)."
        )
        board.add_argument("--json", action="store_true", help="Print the whole page as JSON.")
        actions.add_parser("results", help="The self-assessment's closed rounds, statement by statement.")
        opening = actions.add_parser("open-round", help="Open a round of the self-assessment.")
        opening.add_argument("title", help="Its name, such as 'Spring 2027'.")
        links = actions.add_parser("links", help="Make single-use scoring links for one group (shown once).")
        links.add_argument("--group", required=True, choices=ScorerGroup.values)
        links.add_argument("--count", required=True, type=int)
        actions.add_parser("close-round", help="Close the open round of the self-assessment.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except InvalidInput as error:
            raise CommandError(" ".join(error.errors.values())) from error
        except Conflict as error:
            raise CommandError(error.message) from error

    def _list(self, options: dict[str, Any]) -> None:
        activities = selectors.evaluation_list(state=options.get("state") or "")
        counts = selectors.evaluation_counts()
        self.stdout.write(
            f"Open: {counts.open:,}. Overdue: {counts.overdue:,}. Complete: {counts.complete:,}."
        )
        for activity in activities[:200]:
            self.stdout.write(
                f"{activity.pk:>6}  {selectors.STATE_WORDS[activity.evaluation_state]:<9}  "
                f"{activity.ends_on:%d %b %Y}  {activity.title} ({activity.lead_organisation.name})"
            )

    def _board(self, options: dict[str, Any]) -> None:
        snapshot = board_refresh() if options["refresh"] else board_latest()
        if snapshot is None:
            raise CommandError("The board's page has not been worked out yet: run this with --refresh.")
        figures = snapshot.figures
        if options["json"]:
            self.stdout.write(
                json.dumps({"built_at": snapshot.built_at, **figures}, cls=DjangoJSONEncoder, indent=2)
            )
            return
        self.stdout.write(
            f"{figures['period']['label']}, worked out {snapshot.built_at:%d %b %Y %H:%M} "
            f"(in {snapshot.build_seconds:.1f} s). Overall: {assurance.LEVEL_WORDS[figures['overall']]}."
        )
        for section in figures["sections"]:
            self.stdout.write(
                f"\n{section['question']} {assurance.LEVEL_WORDS[section['level']]}: {section['reason']}"
            )
            self.stdout.write(f"  {section['headline']}")

    def _results(self, options: dict[str, Any]) -> None:
        for scoring in self_assessment.round_list().filter(closed_on__isnull=False):
            results = self_assessment.round_results(scoring)
            self.stdout.write(
                f"\n{scoring.title} (closed {scoring.closed_on:%d %b %Y}): {results.sheets} answered"
            )
            for result in results.statements:
                everyone = f"{result.overall.mean:.1f}" if result.overall else "too few to show"
                self.stdout.write(f"  {everyone:>5}  {result.statement.text}")

    def _open_round(self, options: dict[str, Any]) -> None:
        scoring = rounds.round_open(actor=None, title=options["title"])
        self.stdout.write(
            f"Opened the round “{scoring.title}”. Make links for each group with: engage evaluation links"
        )

    def _links(self, options: dict[str, Any]) -> None:
        current = self_assessment.open_round()
        if current is None:
            raise CommandError("No round is open: open one with engage evaluation open-round.")
        made = rounds.scoring_links_make(
            actor=None, round_id=current.pk, group=options["group"], count=options["count"]
        )
        self.stderr.write(f"{len(made.tokens)} links for {ScorerGroup(made.group).label}, shown this once:")
        for token in made.tokens:
            self.stdout.write(f"{settings.ENGAGE_PUBLIC_URL}{reverse('site:score', kwargs={'token': token})}")

    def _close_round(self, options: dict[str, Any]) -> None:
        current = self_assessment.open_round()
        if current is None:
            raise CommandError("No round is open.")
        rounds.round_close(actor=None, round_id=current.pk)
        self.stdout.write(
            f"Closed the round “{current.title}”. See its results with: engage evaluation results"
        )
