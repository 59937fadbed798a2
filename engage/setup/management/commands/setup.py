"""`engage setup`: set the partnership up from nothing, on the command line.

Everything can be given as options (for a script), and whatever is not given is asked
for when the command runs in a terminal. The password is asked for, or read from
ENGAGE_ADMIN_PASSWORD, never taken as an option (it would stay in the shell's history).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from engage.core.errors import DomainError
from engage.core.progress import ProgressBar
from engage.core.selectors import partnership_get
from engage.partners.models import OrganisationKind
from engage.places import selectors as places
from engage.places.services import wards_load
from engage.setup.prompts import PASSWORD_ENV, admin_password
from engage.setup.services import SetUp, first_run_code_issue, partnership_set_up

KINDS = ", ".join(OrganisationKind.values)


class Command(BaseCommand):
    help = (
        "Set the partnership up: its name, its place (a local authority district from the ONS ward "
        "lookup) with the district's wards as its areas, the host organisation and the first "
        "partnership administrator. What is not given is asked for."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--ward-lookup",
            type=Path,
            metavar="FILE",
            help="The ONS Ward to Local Authority District Lookup (CSV) to load first; "
            "not needed if one is loaded.",
        )
        parser.add_argument("--name", default="", help="The partnership's name.")
        parser.add_argument(
            "--place", default="", help="Its local authority district: the name or code, such as E08000027."
        )
        parser.add_argument("--host", default="", metavar="NAME", help="The organisation that hosts it.")
        parser.add_argument(
            "--host-kind",
            default="",
            choices=OrganisationKind.values,
            metavar="KIND",
            help=f"What the host is ({KINDS}); an integrated care board (icb) unless told.",
        )
        parser.add_argument("--admin-email", default="", help="The first partnership administrator's email.")
        parser.add_argument("--admin-first-name", default="", help="Their first name (optional).")
        parser.add_argument("--admin-last-name", default="", help="Their last name (optional).")
        parser.add_argument(
            "--web-code",
            action="store_true",
            help="Set up in the browser instead: print a new one-time code for the first-run page "
            "(as engage serve does), for a site whose web server is run some other way.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"Never ask: every value must be given, the password in {PASSWORD_ENV}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = options["interactive"] and sys.stdin.isatty()
        existing = partnership_get()
        if existing is not None:
            raise CommandError(
                f"The partnership is already set up, as {existing.name} ({existing.place_name}). "
                "Change it from the pages, as a partnership administrator."
            )
        if options["web_code"]:
            code = first_run_code_issue()
            self.stdout.write(
                f"Open {settings.ENGAGE_PUBLIC_URL}/setup/?code={code} to set the partnership up "
                f"(the code {code} lasts a day; a new one replaces it)."
            )
            return
        if options["ward_lookup"] is not None:
            self._load_lookup(options["ward_lookup"])
        if not places.district_list():
            raise CommandError(
                "No ward lookup is loaded. Download 'Ward to Local Authority District Lookup' (CSV) "
                "from the ONS Open Geography Portal and give it: engage setup --ward-lookup FILE"
            )
        ask = _asker(interactive=interactive)
        values = {
            "name": options["name"] or ask("The partnership's name"),
            "place": options["place"] or ask("Its place: a local authority district's name or code"),
            "host_name": options["host"] or ask("The organisation that hosts it"),
            "host_kind": options["host_kind"] or OrganisationKind.ICB,
            "admin_email": options["admin_email"] or ask("The first administrator's email address"),
            "admin_first_name": options["admin_first_name"],
            "admin_last_name": options["admin_last_name"],
        }
        values["admin_password"] = admin_password(interactive=interactive, nothing_done="Nothing was set up.")
        if interactive:
            values["place"] = self._place(values["place"], ask)
        try:
            done = partnership_set_up(**values)
        except DomainError as error:
            raise CommandError(error.message) from error
        self._report(done)

    def _place(self, place: str, ask: Callable[[str], str]) -> str:
        """In a terminal, a place the lookup lacks is asked for again, with the
        districts whose names are like it."""
        for _ in range(3):
            found, alike = places.district_find(place)
            if found is not None:
                self.stdout.write(f"Place: {found.name} ({found.code}), {found.wards} wards.")
                return found.code
            self.stdout.write(f"The ward lookup has no local authority district called {place!r}.")
            if alike:
                self.stdout.write("Like it: " + "; ".join(f"{d.name} ({d.code})" for d in alike))
            place = ask("Its place: a local authority district's name or code")
        return place  # the service says what is wrong with it

    def _load_lookup(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        bar = ProgressBar(self, noun="wards")
        try:
            load = wards_load(actor=None, path=path, file_name=path.name, on_progress=bar.update)
        except DomainError as error:
            raise CommandError(error.message) from error
        finally:
            bar.finish()
        self.stdout.write(f"Loaded the ward lookup: {load.note}")

    def _report(self, done: SetUp) -> None:
        areas = done.areas
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.partnership.name} is set up for {done.partnership.place_name} "
                f"({done.partnership.place_code}), hosted by {done.host.name}."
            )
        )
        self.stdout.write(
            f"Areas: the whole place and {areas.created + areas.renamed + areas.unchanged} wards "
            "(group them into your localities on the Areas page)."
        )
        self.stdout.write(
            f"{done.administrator.email} is a partnership administrator. They sign in at /accounts/sign-in/ "
            "and set up two-step sign-in the first time."
        )


def _asker(*, interactive: bool) -> Callable[[str], str]:
    def ask(question: str) -> str:
        if not interactive:
            raise CommandError(f"{question} is needed: give it as an option (see engage setup --help).")
        answer = input(f"{question}: ").strip()
        if not answer:
            raise CommandError(f"{question} is needed. Nothing was set up.")
        return answer

    return ask
