"""Reads about users and memberships."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from engage.accounts.models import Membership, User
from engage.partners.models import Organisation


@dataclass(frozen=True)
class OrganisationScope:
    organisation: Organisation | None = None
    roles: frozenset[str] = frozenset()
    choices: tuple[Organisation, ...] = field(default_factory=tuple)


def organisation_in_scope_resolve(*, user: Any, wanted_id: object) -> OrganisationScope:
    """The organisation the user acts for: the one they chose if they belong to it,
    otherwise the first of theirs by name."""
    if not getattr(user, "is_authenticated", False):
        return OrganisationScope()
    memberships = list(
        Membership.objects.filter(user=user, organisation__is_active=True).select_related("organisation")
    )
    if not memberships:
        return OrganisationScope()
    organisations = {m.organisation_id: m.organisation for m in memberships}
    choices = tuple(sorted(organisations.values(), key=lambda o: o.name))
    try:
        chosen_id = int(str(wanted_id)) if wanted_id is not None else None
    except ValueError:
        chosen_id = None
    chosen = organisations.get(chosen_id) if chosen_id is not None else None
    if chosen is None:
        chosen = choices[0]
    roles = frozenset(m.role for m in memberships if m.organisation_id == chosen.pk)
    return OrganisationScope(organisation=chosen, roles=roles, choices=choices)


def user_list(*, search: str = "", organisation: Organisation | None = None) -> QuerySet[User]:
    """Users, with their memberships. With `organisation`, only that organisation's."""
    users = User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    if organisation is not None:
        users = users.filter(memberships__organisation=organisation).distinct()
    for word in search.split():
        users = users.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return users.order_by("email")


def user_get(*, user_id: int, organisation: Organisation | None = None) -> User | None:
    return user_list(organisation=organisation).filter(pk=user_id).first()


def membership_list(*, user: User, organisation: Organisation | None = None) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships
