"""`engage activities`: the engagement register from the command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.activities import exports, overlap, selectors, services
from engage.activities.models import Activity
from engage.core.errors import DomainError, InvalidInput
from engage.partners.selectors import organisation_list


def _row(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "title": activity.title,
        "topic": activity.topic,
        "lead_organisation": activity.lead_organisation.name,
        "starts_on": activity.starts_on.isoformat(),
        "ends_on": activity.ends_on.isoformat(),
        "status": activity.status,
        "level": activity.level,
        "stage": activity.stage,
        "target_groups": activity.target_groups,
        "methods": activity.methods,
        "areas": [a.name for a in activity.areas.all()],
        "priorities": [p.title for p in activity.priorities.all()],
        "feedback_promised_on": activity.feedback_promised_on.isoformat()
        if activity.feedback_promised_on
        else None,
        "feedback_given_on": activity.feedback_given_on.isoformat() if activity.feedback_given_on else None,
    }


class Command(BaseCommand):
    help = (
        "The engagement register: list, show or export activities, see what overlaps one, "
        "or register one from a JSON file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = commands.add_parser("list", help="List activities, newest first.")
        for flag, text in [
            ("--search", "words in the title, topic or purpose"),
            ("--status", "planned, open, analysing, feedback_due or closed"),
            ("--stage", "analyse, plan, do or review"),
            ("--level", "inform, consult, involve, collaborate or empower"),
            ("--group", "a target group, such as carers"),
        ]:
            listing.add_argument(flag, default="", help=f"Only those matching {text}.")
        listing.add_argument(
            "--organisation", type=int, help="Only those this organisation (id) leads or partners."
        )
        listing.add_argument("--priority", type=int, help="Only those serving this priority (id).")
        listing.add_argument(
            "--area", type=int, help="Only those in this area (id), its wards or the whole place."
        )
        listing.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        show = commands.add_parser("show", help="Show one activity.")
        show.add_argument("id", type=int)
        overlaps = commands.add_parser("overlaps", help="Show the activities that overlap one, and why.")
        overlaps.add_argument("id", type=int)
        overlaps.add_argument("--json", action="store_true", help="Print JSON.")
        export = commands.add_parser("export", help="Export the whole register.")
        export.add_argument(
            "--format", choices=["csv", "ics"], default="csv", help="CSV or iCalendar (default CSV)."
        )
        export.add_argument("--output", type=Path, help="Write to this file instead of the screen.")
        add = commands.add_parser("add", help="Register an activity described in a JSON file.")
        add.add_argument("file", type=Path, help="A JSON object with the fields of the API's activity input.")
        add.add_argument("--organisation", required=True, help="The lead organisation's exact name.")
        add.add_argument("--force", action="store_true", help="Register it even if it overlaps others.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except InvalidInput as error:
            raise CommandError(
                "\n".join(f"{field}: {message}" for field, message in error.errors.items())
            ) from error
        except DomainError as error:
            raise CommandError(error.message) from error

    def _list(self, options: dict[str, Any]) -> None:
        activities = selectors.activity_list(
            search=options["search"],
            status=options["status"],
            stage=options["stage"],
            level=options["level"],
            target_group=options["group"],
            organisation_id=options["organisation"],
            priority_id=options["priority"],
            area_id=options["area"],
        )
        if options["json"]:
            self.stdout.write(json.dumps([_row(a) for a in activities], indent=2))
            return
        for a in activities:
            self.stdout.write(
                f"{a.pk:>6}  {a.starts_on}  {a.get_status_display():<12}  {a.title}  ({a.lead_organisation.display_name})"
            )
        self.stdout.write(f"{activities.count()} activities.")

    def _get(self, activity_id: int) -> Activity:
        activity = selectors.activity_get(activity_id=activity_id)
        if activity is None:
            raise CommandError(f"There is no activity numbered {activity_id}.")
        return activity

    def _show(self, options: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(_row(self._get(options["id"])), indent=2))

    def _overlaps(self, options: dict[str, Any]) -> None:
        activity = self._get(options["id"])
        found = overlap.overlap_list(probe=overlap.ActivityProbe.from_activity(activity))
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {"activity": _row(o.other), "explanation": o.explanation(), "score": o.score}
                        for o in found
                    ],
                    indent=2,
                )
            )
            return
        if not found:
            self.stdout.write("No other activity overlaps this one.")
        for o in found:
            self.stdout.write(f"{o.other.pk:>6}  {o.other.title}  ({o.other.lead_organisation.name})")
            for sentence in o.explanation():
                self.stdout.write(f"        {sentence}")

    def _export(self, options: dict[str, Any]) -> None:
        activities = selectors.activity_list()
        if options["format"] == "csv":
            content: bytes = exports.activities_csv(activities).encode("utf-8")
        else:
            content = exports.activities_ical(activities, host="engage.local")
        if options["output"]:
            options["output"].write_bytes(content)
            self.stdout.write(f"Wrote {activities.count()} activities to {options['output']}.")
        else:
            sys.stdout.buffer.write(content)

    def _add(self, options: dict[str, Any]) -> None:
        try:
            raw = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"{options['file']} could not be read as JSON: {error}") from error
        organisation = organisation_list().filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation called {options['organisation']!r}.")
        try:
            for name in ("starts_on", "ends_on", "feedback_promised_on", "feedback_given_on"):
                if raw.get(name):
                    raw[name] = date.fromisoformat(raw[name])
            data = services.ActivityInput(**raw)
        except (TypeError, ValueError) as error:
            raise CommandError(f"{options['file']}: {error}") from error
        try:
            activity = services.activity_create(
                actor=None, organisation=organisation, data=data, overlaps_seen=options["force"]
            )
        except services.OverlapsToConfirm as found:
            for o in found.overlaps:
                self.stderr.write(f"Overlaps {o.other.pk} {o.other.title}: {' '.join(o.explanation())}")
            raise CommandError(
                "Nothing was registered: it overlaps the activities above. Add --force to register it anyway."
            ) from None
        self.stdout.write(f"Registered activity {activity.pk}: {activity.title}")
