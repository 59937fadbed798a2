"""`manage.py demo` (and `engage demo`): load the Castlebridge demo partnership."""

from __future__ import annotations

import base64
import os
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from engage.core.database_state import database_problem
from engage.core.errors import DomainError
from engage.demo.services import (
    DEFAULT_CONVERSATIONS,
    DEFAULT_SEED,
    DemoInsight,
    DemoSummary,
    demo_authenticator_code,
    demo_insight_start,
    demo_partnership_load,
    demo_partnership_reset,
)
from engage.demo.staff import DEMO_AUTHENTICATOR_KEY


class Command(BaseCommand):
    help = (
        "Load a made-up health and care partnership, the borough of Castlebridge, so you "
        "can try Engaging Together out: its council, ICB, NHS trusts, Healthwatch, police, "
        "voluntary groups and GP practices, a few thousand invented people with their "
        "consent, a staff account for every role, two years of the partners' "
        "engagement activities and some 50,000 conversations they heard, a few per cent "
        "of them labelled by the demo's analyst; a model is trained on those labels and "
        "an analysis of every conversation queued for the worker. Running it "
        "again changes nothing; use --reset to delete the demo and build it afresh. Never "
        "load it on a server that others can reach: every demo account shares a "
        "published password."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Build a different set of people (default {DEFAULT_SEED}). The same seed "
            "always builds the same people.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo partnership, if it is loaded, and build it again.",
        )
        parser.add_argument(
            "--conversations",
            type=int,
            default=None,
            help=f"How many conversations to build (default {DEFAULT_CONVERSATIONS:,}).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless it fails.")
        parser.add_argument(
            "--code",
            metavar="EMAIL",
            help="Print the code a demo administrator enters after their password (the code an "
            "authenticator app with the demo's published key would show now), and stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if problem := database_problem():
            raise CommandError(problem)
        if options["code"]:
            try:
                self.stdout.write(demo_authenticator_code(email=options["code"]))
            except DomainError as error:
                raise CommandError(error.message) from error
            return
        started = time.perf_counter()
        try:
            if options["conversations"] is not None and options["conversations"] < 0:
                raise CommandError("--conversations must be 0 or more.")
            build = demo_partnership_reset if options["reset"] else demo_partnership_load
            summary = build(seed=options["seed"], conversations=options["conversations"])
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        # The insight pages need a model and an analysis; the worker runs the analysis
        # once the site is up, so the demo does not wait for it.
        insight = demo_insight_start() if summary.created and summary.conversations else None
        if not options["quiet"]:
            self._report(summary, seconds, insight)

    def _report(self, summary: DemoSummary, seconds: float, insight: DemoInsight | None) -> None:
        write = self.stdout.write
        if summary.created:
            write(self.style.SUCCESS(f"Built the Castlebridge demo partnership in {seconds:.1f} seconds."))
        else:
            write(
                "The Castlebridge demo partnership is already loaded, so nothing was changed. "
                "Use --reset to delete it and build it again."
            )
        write("")
        organisations_note = (
            f"{summary.gp_practices} GP practices, {summary.vcse_organisations} voluntary and community"
        )
        rows = [
            ("Organisations", summary.organisations, organisations_note),
            ("Groups", summary.groups, ""),
            ("People", summary.people, f"{summary.people_without_consent:,} never gave consent"),
            ("Roles people hold", summary.person_roles, ""),
            ("Group memberships", summary.group_memberships, ""),
            ("Consent records", summary.consents, f"{summary.consents_withdrawn:,} withdrawn"),
            (
                "Areas",
                summary.areas,
                f"the whole place, {summary.localities} localities, {summary.wards} wards",
            ),
            (
                "Priorities",
                summary.priorities,
                f"{summary.priorities_without_activity} with no engagement yet",
            ),
            ("Activity series", summary.activity_series, ""),
            (
                "Activities",
                summary.activities,
                (
                    f"{summary.activities_planned} planned, {summary.activities_open} open, "
                    f"{summary.activities_feedback_due} awaiting feedback"
                ),
            ),
            (
                "Conversations",
                summary.conversations,
                f"{summary.conversations_from_activities:,} from activities",
            ),
        ]
        if summary.conversations_labelled:
            rows.append(
                ("Labelled by people", summary.conversations_labelled, "as if the analyst reviewed them")
            )
        for label, count, note in rows:
            write(f"  {label:<20}{count:>7,}" + (f"   ({note})" if note else ""))
        write("")
        if insight is not None:
            analysis = (
                "queued an analysis of every conversation, which the worker runs once the site is up"
                if insight.analysis_run_id is not None
                else "the analysis already waiting or running will take in the new conversations"
            )
            trained = (
                f"Trained model {insight.model_number} on {insight.labelled_conversations:,} labelled "
                f"conversations in {insight.train_seconds:.1f} seconds"
                if insight.model_number is not None
                else "Too few conversations are labelled to train a model"
            )
            write(f"{trained}; {analysis}.")
            write("")
        port = os.environ.get("PORT", "8000")
        write(f"Sign in at http://127.0.0.1:{port}{reverse('accounts:sign-in')}")
        write(f"Every demo account has the password: {summary.password}")
        write(
            "Administrators then enter a code from an authenticator app. For the demo, get it with: "
            ".venv/bin/engage demo --code EMAIL"
        )
        write(f"  (or add the published key {_readable_demo_key()} to any authenticator app)")
        write("")
        table = [("Email", "Organisation", "Role")]
        table += [(a.email, a.organisation, a.role) for a in summary.accounts]
        widths = [max(len(row[column]) for row in table) + 2 for column in (0, 1)]
        for email, organisation, role in table:
            write(f"  {email:<{widths[0]}}{organisation:<{widths[1]}}{role}")
        write("")
        write(
            "These accounts share a published password. Use the demo only to try the "
            "software out, never on a server that others can reach."
        )


def _readable_demo_key() -> str:
    key = base64.b32encode(DEMO_AUTHENTICATOR_KEY).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
