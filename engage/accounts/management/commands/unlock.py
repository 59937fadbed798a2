"""`engage unlock EMAIL`: let an account sign in again at once after too many wrong tries."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from engage.accounts.sign_in.services import sign_in_limits_forget


class Command(BaseCommand):
    help = (
        "Unlock an account paused after too many wrong tries at signing in, from every "
        "address and browser. (Tries counted against an address alone still count.)"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The email address the account signs in with.")

    def handle(self, *args: Any, **options: Any) -> None:
        sign_in_limits_forget(email=options["email"])
        self.stdout.write(f"{options['email']} may sign in again.")
