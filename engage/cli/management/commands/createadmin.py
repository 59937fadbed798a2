"""`engage createadmin`: the first partnership administrator, who then adds everyone else."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from engage.core.errors import DomainError
from engage.setup.prompts import PASSWORD_ENV, admin_password
from engage.setup.services import partnership_admin_create


class Command(BaseCommand):
    help = (
        "Create a partnership administrator: someone who can add organisations and users "
        "and give them roles. The password is asked for, or read from the environment "
        f"variable {PASSWORD_ENV}."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="Their email address; they sign in with it.")
        parser.add_argument(
            "--organisation",
            required=True,
            metavar="NAME",
            help="The organisation they work for. Created as an integrated care board if "
            "there is none of that name.",
        )
        parser.add_argument("--first-name", default="", help="Their first name (optional).")
        parser.add_argument("--last-name", default="", help="Their last name (optional).")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"Never ask for anything: the password must be in {PASSWORD_ENV}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = admin_password(interactive=options["interactive"], nothing_done="Nothing was created.")
        try:
            user = partnership_admin_create(
                email=options["email"],
                password=password,
                organisation_name=options["organisation"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        organisation = user.memberships.get().organisation
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.email} is now a partnership administrator at {organisation.name}. "
                "They can sign in at /accounts/sign-in/."
            )
        )
