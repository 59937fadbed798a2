"""Checking every id a client sends against what the actor may use, in the service.

A page, the API and the command line all send ids (a contact, a series, areas,
priorities, partner organisations, themes, decisions, people, groups...). The service
that receives them checks each one here against a queryset of what the actor may use,
so the three interfaces share one check and none can forget it. An id that does not
exist and an id that belongs to someone else get the same answer, so the message tells
nobody what another partner holds:

    ids = IdCheck()
    contact = ids.one(User.objects.filter(memberships__organisation=org), data.contact_id,
                      field="contact_id", what="member of your organisation's staff")
    priorities = ids.many(PartnershipPriority.objects.filter(is_active=True), data.priority_ids,
                          field="priority_ids", what="current partnership priority")
    ids.raise_if_any()   # InvalidInput naming each field, a 400 everywhere

Checks collect their problems, so a form shows every wrong field at once; `errors` can
be merged into a service's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet

from engage.core.errors import InvalidInput, UnknownId
from engage.core.numbers import parse_id, parse_ids

M = TypeVar("M", bound=Model)


class IdCheck:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def one(
        self, allowed: QuerySet[M], value: object, *, field: str, what: str, required: bool = False
    ) -> M | None:
        """The record `value` names, if the actor may use it; None (and an error) if not."""
        try:
            number = parse_id(value, field=field)
        except InvalidInput as error:
            self.errors.update(error.errors)
            return None
        if number is None:
            if required:
                self.errors[field] = f"Choose the {what}."
            return None
        found = allowed.filter(pk=number).first()
        if found is None:
            self.errors[field] = f"There is no {what} with the number {number}."
        return found

    def many(self, allowed: QuerySet[M], values: Iterable[object], *, field: str, what: str) -> list[M]:
        """The records `values` name, in the order given; an error names those the
        actor may not use."""
        try:
            numbers = parse_ids(values, field=field)
        except InvalidInput as error:
            self.errors.update(error.errors)
            return []
        if not numbers:
            return []
        found = allowed.in_bulk(numbers)
        missing = [n for n in numbers if n not in found]
        if missing:
            listed = ", ".join(str(n) for n in missing[:10]) + (" and more" if len(missing) > 10 else "")
            self.errors[field] = f"There is no {what} with the number {listed}."
        return [found[n] for n in numbers if n in found]

    def raise_if_any(self) -> None:
        if self.errors:
            raise UnknownId(dict(self.errors))


def checked_one(allowed: QuerySet[M], value: object, *, field: str, what: str) -> M:
    """One required record, or InvalidInput naming `field`."""
    check = IdCheck()
    found = check.one(allowed, value, field=field, what=what, required=True)
    check.raise_if_any()
    if found is None:  # for the type checker: raise_if_any raised
        raise UnknownId(check.errors)
    return found


def checked_many(allowed: QuerySet[M], values: Iterable[object], *, field: str, what: str) -> list[M]:
    """Records, each of which the actor may use, or InvalidInput naming `field`."""
    check = IdCheck()
    found = check.many(allowed, values, field=field, what=what)
    check.raise_if_any()
    return found
