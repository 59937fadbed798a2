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
from engage.decisions.feedback import runner as feedback_runner
from engage.decisions.feedback import services as feedback_services
from engage.decisions.loop import loop_measures
from engage.decisions.models import Decision, DecisionMaker, DecisionStatus, MessageStatus
from engage.partners.models import Organisation
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
        evidence = actions.add_parser("evidence", help="Link an organisation's conversations to a decision.")
        evidence.add_argument("id", type=int)
        evidence.add_argument("--organisation", required=True, help="The organisation that heard them.")
        evidence.add_argument("--conversation", type=int, action="append", required=True)
        publish = actions.add_parser(
            "publish", help="Publish an activity's public page and decisions; email those who took part."
        )
        publish.add_argument("activity", type=int)
        publish.add_argument("--organisation", required=True, help="The activity's lead organisation.")
        publish.add_argument("--decision", type=int, action="append", default=[])
        publish.add_argument("--easy-read", default="", help="An Easy Read summary, one idea to a line.")
        people = actions.add_parser(
            "participants", help="An organisation's people who took part in an activity."
        )
        people.add_argument("activity", type=int)
        people.add_argument("--organisation", required=True)
        people.add_argument("--add", type=int, action="append", default=[], metavar="PERSON_ID")
        people.add_argument("--group", type=int, help="Add every member of one of the organisation's groups.")
        emails = actions.add_parser("emails", help="What became of the emails about a decision.")
        emails.add_argument("id", type=int)
        emails.add_argument("--organisation", help="Also list the emails to this organisation's people.")
        actions.add_parser(
            "send-emails", help="Send the emails that are due now, without waiting for the worker."
        )
        loop = actions.add_parser("loop", help="Closing the loop: feedback given, how long it took, overdue.")
        loop.add_argument("--organisation", help="Only the activities this organisation leads.")
        loop.add_argument("--json", action="store_true")
        actions.add_parser("remind-overdue", help="Email this week's reminders of overdue feedback now.")

    def handle(self, *args: Any, **options: Any) -> None:
        steps: dict[str, Callable[[dict[str, Any]], None]] = {
            "list": self._list,
            "show": self._show,
            "add": self._add,
            "evidence": self._evidence,
            "publish": self._publish,
            "participants": self._participants,
            "emails": self._emails,
            "send-emails": self._send_emails,
            "loop": self._loop,
            "remind-overdue": self._remind_overdue,
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
        organisation = self._organisation(options["organisation"])
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

    def _organisation(self, name: str) -> Organisation:
        organisation = organisation_list().filter(name=name).first()
        if organisation is None:
            raise CommandError(f"There is no organisation called {name!r}.")
        return organisation

    def _evidence(self, options: dict[str, Any]) -> None:
        added = services.decision_evidence_add(
            actor=None,
            organisation=self._organisation(options["organisation"]),
            decision_id=options["id"],
            conversation_ids=options["conversation"],
        )
        self.stdout.write(f"Linked {added} new conversation{'' if added == 1 else 's'} as evidence.")

    def _publish(self, options: dict[str, Any]) -> None:
        result = services.activity_publish(
            actor=None,
            organisation=self._organisation(options["organisation"]),
            activity_id=options["activity"],
            easy_read=options["easy_read"],
            decision_ids=options["decision"],
        )
        self.stdout.write(
            f"Published the page of activity {options['activity']}: {result.decisions} new decision"
            f"{'' if result.decisions == 1 else 's'}, {result.messages} email{'' if result.messages == 1 else 's'}"
            " queued to people who took part."
        )

    def _participants(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        if options["add"] or options["group"]:
            added = feedback_services.participation_add(
                actor=None,
                organisation=organisation,
                activity_id=options["activity"],
                person_ids=options["add"],
                group_id=options["group"],
            )
            self.stdout.write(f"Added {added} {'person' if added == 1 else 'people'}.")
        for participant in selectors.participant_list(
            organisation=organisation, activity_id=options["activity"]
        ):
            told = "can be told" if not participant.why_not else participant.why_not.lower()
            self.stdout.write(f"{participant.person.pk:>6}  {participant.person.full_name:<32} {told}")

    def _emails(self, options: dict[str, Any]) -> None:
        selectors.decision_get(decision_id=options["id"])
        # A terminal acts for the organisation named, if any: its own people exactly, the
        # partners' through disclosure control, as on the pages.
        organisation = self._organisation(options["organisation"]) if options["organisation"] else None
        counts = selectors.email_counts(
            decision_id=options["id"], rule=DisclosureRule.from_settings(), viewer_organisation=organisation
        )
        if counts.own is not None:
            own = ", ".join(f"{MessageStatus(status).label}: {n}" for status, n in counts.own.items())
            self.stdout.write(f"To {organisation}'s people: {own}")
        partners = ", ".join(
            f"{MessageStatus(status).label}: {shown.text}" for status, shown in counts.partners.items()
        )
        self.stdout.write(f"To {'partners' if organisation else 'everyone'}'s people: {partners}")
        if organisation is not None:
            for message in selectors.feedback_message_list(
                organisation=organisation, decision_id=options["id"]
            ):
                self.stdout.write(
                    f"{message.person_id:>6}  {message.get_status_display():<26} {message.sent_to} {message.last_error}".rstrip()
                )

    def _send_emails(self, options: dict[str, Any]) -> None:
        sent = 0
        for decision_id in selectors.decisions_with_emails_due():
            sent += feedback_runner.feedback_send(decision_id=decision_id).sent
        self.stdout.write(f"Sent {sent} email{'' if sent == 1 else 's'}.")

    def _loop(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"]) if options["organisation"] else None
        measures = loop_measures(organisation_id=organisation.pk if organisation else None)
        figures = {
            "ended": measures.ended,
            "feedback_given": measures.feedback_given,
            "share_given": measures.share_given,
            "median_days_to_feedback": measures.median_days_to_feedback,
            "decisions_per_activity": measures.decisions_per_activity,
            "overdue": len(measures.overdue),
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        share = f"{100 * measures.share_given:.0f}%" if measures.share_given is not None else "none ended"
        self.stdout.write(
            f"Feedback given for {measures.feedback_given} of {measures.ended} ended activities ({share})."
        )
        if measures.median_days_to_feedback is not None:
            self.stdout.write(f"Median days from close to feedback: {measures.median_days_to_feedback:g}")
        if measures.decisions_per_activity is not None:
            self.stdout.write(f"Decisions per ended activity: {measures.decisions_per_activity:.2f}")
        self.stdout.write(f"Overdue: {len(measures.overdue)}")
        for activity in measures.overdue:
            self.stdout.write(
                f"  {activity.pk:>5}  promised {activity.feedback_promised_on}  {activity.title}"
            )

    def _remind_overdue(self, options: dict[str, Any]) -> None:
        report = feedback_runner.overdue_reminders_send()
        self.stdout.write(
            f"Sent {report.sent} reminder{'' if report.sent == 1 else 's'}; {report.already_sent} already sent this "
            f"week; {report.without_contact} overdue activit{'y' if report.without_contact == 1 else 'ies'} with no "
            f"contact address; {report.failed} failed (tried again next run)."
        )
