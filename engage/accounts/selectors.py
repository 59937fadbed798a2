"""Reads about users and memberships."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from engage.accounts.models import Membership, User
from engage.core.roles import Permission, Role, permissions_for
from engage.core.types import Actor
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


# Who may change whom. One rule, read by every service that changes a user and by the
# pages that offer the forms (ADR 0025):
#
# - a partnership administrator (acting for an organisation where they hold that role)
#   may manage any membership, in any organisation, of any role;
# - an organisation administrator may manage the memberships of the organisation they
#   act for, except partnership administrator;
# - an actor may change a user (password, name, whether active, second factor, roles)
#   only if they may manage *every* one of that user's memberships. So an organisation
#   administrator cannot take over a colleague who also holds a role elsewhere, or one
#   who is a partnership administrator, and through them reach another partner's data.
#   A user with no memberships left belongs to no organisation: only a partnership
#   administrator may change them.


CANNOT_CHANGE_USER = (
    "You may change a user only if you may manage every role they hold. This user holds a "
    "role you cannot manage: ask a partnership administrator."
)


def actor_permissions(*, actor: Actor, actor_organisation: Organisation | None) -> frozenset[Permission]:
    """What the actor's roles in the organisation they act for allow."""
    user_id = getattr(actor, "pk", None)
    if actor_organisation is None or user_id is None:
        return frozenset()
    roles = Membership.objects.filter(user_id=user_id, organisation=actor_organisation).values_list(
        "role", flat=True
    )
    return permissions_for(frozenset(roles))


def _may_manage(
    granted: frozenset[Permission], actor_organisation_id: int, organisation_id: int, role: str
) -> bool:
    if Permission.MANAGE_PARTNERSHIP in granted:
        return True
    return (
        Permission.MANAGE_ORGANISATION_USERS in granted
        and organisation_id == actor_organisation_id
        and role != Role.PARTNERSHIP_ADMIN
    )


def membership_manageable(
    *, actor: Actor, actor_organisation: Organisation | None, organisation: Organisation, role: str
) -> bool:
    """Whether the actor may give or take away `role` in `organisation`."""
    if actor_organisation is None:
        return False
    granted = actor_permissions(actor=actor, actor_organisation=actor_organisation)
    return _may_manage(granted, actor_organisation.pk, organisation.pk, role)


def user_manageable(*, actor: Actor, actor_organisation: Organisation | None, user: User) -> bool:
    """Whether the actor may change `user`: they may manage every one of the user's
    memberships (see the rule above)."""
    if actor_organisation is None:
        return False
    granted = actor_permissions(actor=actor, actor_organisation=actor_organisation)
    held = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    if not held:
        return Permission.MANAGE_PARTNERSHIP in granted
    return all(_may_manage(granted, actor_organisation.pk, org_id, role) for org_id, role in held)


def active_partnership_admin_ids() -> set[int]:
    """The active users who hold the partnership administrator role somewhere."""
    return set(
        Membership.objects.filter(role=Role.PARTNERSHIP_ADMIN, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
