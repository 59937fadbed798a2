"""`engage decisions`: "You said, we did" from the command line: list, show and record
decisions. Counts of people are shown through disclosure control, as to any partner."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.disclosure import DisclosureRule
from engage.core.errors import DomainError, InvalidInput
from engage.decisions import selectors, services
from engage.decisions.models import Decision, DecisionMaker, DecisionStatus
from engage.partners.selectors import organisation_list


def _row(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "title": decision.title,
        "status": decision.status,
        "decided_by_name": decision.decided_by_name,
        "decided_on": decision.decided_on.isoformat() if decision.decided_on else None,
        "activity_id": decision.activity_id,
        "organisation": decision.organisation.name,
    }


class Command(BaseCommand):
    help = "You said, we did: list, show and record the partnership's decisions."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="The decisions, newest first.")
        listing.add_argument("--status", choices=DecisionStatus.values)
        listing.add_argument("--activity", type=int)
        listing.add_argument("--priority", type=int)
        listing.add_argument("--json", action="store_true", help="One JSON object per line.")
        show = actions.add_parser("show", help="One decision, the people behind it and its history.")
        show.add_argument("id", type=int)
        add = actions.add_parser("add", help="Record a decision for an organisation.")
        add.add_argument("--organisation", required=True, help="The recording organisation's name.")
        add.add_argument("--title", required=True)
        add.add_argument("--summary", required=True)
        add.add_argument("--decided-by", required=True, choices=DecisionMaker.values)
        add.add_argument("--decided-by-name", required=True)
        add.add_argument("--decided-on", help="YYYY-MM-DD")
        add.add_argument("--status", default=DecisionStatus.AGREED, choices=DecisionStatus.values)
        add.add_argument("--reason-not-taken", default="")
        add.add_argument("--activity", type=int)
        add.add_argument("--priority", type=int, action="append", default=[])

    def handle(self, *args: Any, **options: Any) -> None:
        steps: dict[str, Callable[[dict[str, Any]], None]] = {
            "list": self._list,
            "show": self._show,
            "add": self._add,
        }
        try:
            steps[options["action"]](options)
        except InvalidInput as error:
            raise CommandError(
                "Nothing was saved: "
                + " ".join(f"{name}: {message}" for name, message in error.errors.items())
            ) from error
        except DomainError as error:
            raise CommandError(error.message) from error

    def _list(self, options: dict[str, Any]) -> None:
        decisions = selectors.decision_list(
            status=options["status"] or "", activity_id=options["activity"], priority_id=options["priority"]
        )
        for decision in decisions:
            if options["json"]:
                self.stdout.write(json.dumps(_row(decision)))
            else:
                when = decision.decided_on.isoformat() if decision.decided_on else "not yet"
                self.stdout.write(
                    f"{decision.pk:>5}  {decision.get_status_display():<12} {when:<10}  {decision.title}"
                )

    def _show(self, options: dict[str, Any]) -> None:
        trail = selectors.decision_trail(
            decision_id=options["id"], organisation=None, rule=DisclosureRule.from_settings()
        )
        decision = trail.decision
        self.stdout.write(f"{decision.title} ({decision.get_status_display()})")
        self.stdout.write(decision.summary)
        self.stdout.write(f"Decided by {decision.decided_by_name}, {decision.decided_on or 'not yet'}.")
        self.stdout.write(f"People whose words informed it: {trail.people.text}")
        for theme in trail.themes:
            self.stdout.write(f"  Theme: {theme.parent.name + ': ' if theme.parent else ''}{theme.name}")
        for amendment in trail.amendments:
            changed = ", ".join(
                f"{name} {before!r} to {after!r}" for name, (before, after) in amendment.changes.items()
            )
            self.stdout.write(
                f"  {amendment.changed_at:%Y-%m-%d}: {changed or 'links'}. {amendment.note}".rstrip()
            )

    def _add(self, options: dict[str, Any]) -> None:
        organisation = organisation_list().filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation called {options['organisation']!r}.")
        try:
            decided_on = dt.date.fromisoformat(options["decided_on"]) if options["decided_on"] else None
        except ValueError as error:
            raise CommandError(
                f"--decided-on {options['decided_on']!r} is not a date such as 2026-06-01."
            ) from error
        decision = services.decision_record(
            actor=None,
            organisation=organisation,
            data=services.DecisionInput(
                title=options["title"],
                summary=options["summary"],
                decided_by=options["decided_by"],
                decided_by_name=options["decided_by_name"],
                decided_on=decided_on,
                status=options["status"],
                reason_not_taken=options["reason_not_taken"],
                activity_id=options["activity"],
                priority_ids=tuple(options["priority"]),
            ),
        )
        self.stdout.write(f"Recorded decision {decision.pk}: {decision.title}")
