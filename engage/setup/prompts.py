"""Asking for the first administrator's password on the command line (`engage setup`,
`engage createadmin`): from ENGAGE_ADMIN_PASSWORD, or typed twice in a terminal, never
as an option, which would stay in the shell's history."""

from __future__ import annotations

import getpass
import os
import sys

from django.core.management.base import CommandError

PASSWORD_ENV = "ENGAGE_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


def admin_password(*, interactive: bool, nothing_done: str) -> str:
    """The password, or CommandError saying how to give it. `nothing_done` ends the
    message when the two typed passwords differ ("Nothing was created.")."""
    from_env = os.environ.get(PASSWORD_ENV, "")
    if from_env:
        return from_env
    if not interactive or not sys.stdin.isatty():
        raise CommandError(
            f"Set the administrator's password in the environment variable {PASSWORD_ENV}, "
            "or run this command in a terminal to type it."
        )
    password = getpass.getpass("The administrator's password (at least 12 characters): ")
    if password != getpass.getpass("The same password again: "):
        raise CommandError(f"The two passwords were different. {nothing_done}")
    return password
