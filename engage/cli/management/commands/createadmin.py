"""`engage createadmin`: the first partnership administrator, who then adds everyone else."""

from __future__ import annotations

import getpass
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from engage.cli.services import partnership_admin_create
from engage.core.errors import DomainError

PASSWORD_ENV = "ENGAGE_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


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
        password = self._password(interactive=options["interactive"])
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

    def _password(self, *, interactive: bool) -> str:
        from_env = os.environ.get(PASSWORD_ENV, "")
        if from_env:
            return from_env
        if not interactive or not sys.stdin.isatty():
            raise CommandError(
                f"Set the password in the environment variable {PASSWORD_ENV}, "
                "or run this command in a terminal to type it."
            )
        password = getpass.getpass("Password (at least 12 characters): ")
        if password != getpass.getpass("The same password again: "):
            raise CommandError("The two passwords were different. Nothing was created.")
        return password
