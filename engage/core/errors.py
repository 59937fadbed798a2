"""Domain errors. Services raise these; one middleware turns them into HTTP responses.

Messages are full sentences in plain British English, safe to show to the person
who caused them.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. `status` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotPermitted(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class InvalidInput(DomainError):
    """Several things are wrong with what was entered. `errors` maps each field to a
    message, so a form can show each one beside its field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class UnknownId(InvalidInput):
    """The request names a record (by its id) that does not exist or that the actor may
    not use. No page of ours offers such an id, so unlike a slip a person makes on a
    form (`InvalidInput`), it is always refused with a 400, never smoothed over."""
