"""Writes about users and their roles. Each checks who may do it, changes the data and
records the audit event in one transaction."""

from __future__ import annotations

from django.db import transaction

from engage.accounts.models import Membership, User
from engage.accounts.selectors import (
    CANNOT_CHANGE_USER,
    active_partnership_admin_ids,
    membership_manageable,
    user_manageable,
)
from engage.accounts.sign_in.services import invitation_send
from engage.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from engage.core.models import AuditAction
from engage.core.roles import Role
from engage.core.services import audit_record
from engage.partners.models import Organisation


def _check_may_change(actor: User, actor_organisation: Organisation, user: User) -> None:
    if not user_manageable(actor=actor, actor_organisation=actor_organisation, user=user):
        raise NotPermitted(CANNOT_CHANGE_USER)


def _check_may_manage(
    actor: User, actor_organisation: Organisation, organisation: Organisation, role: str
) -> None:
    if role not in Role.values:
        raise InvalidInput({"role": f"{role!r} is not a role."})
    if membership_manageable(
        actor=actor, actor_organisation=actor_organisation, organisation=organisation, role=role
    ):
        return
    if role == Role.PARTNERSHIP_ADMIN:
        raise NotPermitted("Only a partnership administrator may make or remove another.")
    raise NotPermitted("You may give or remove roles only in your own organisation.")


def _check_keeps_a_partnership_admin(user: User) -> None:
    """Refuse a change that would leave the partnership with no active administrator.

    Called inside the change's transaction. The administrators' memberships are locked
    first (on PostgreSQL; SQLite's write lock already serialises writers), so two
    administrators removing each other at the same moment cannot both succeed."""
    list(Membership.objects.select_for_update().filter(role=Role.PARTNERSHIP_ADMIN).values_list("pk"))
    if active_partnership_admin_ids() <= {user.pk}:
        raise DomainError(
            "The partnership must keep at least one active partnership administrator. "
            "Make someone else a partnership administrator first."
        )


def user_create(
    *,
    actor: User,
    actor_organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str,
) -> User:
    """A new user with a first role, which the actor must be allowed to give. Nobody
    types a password for them: they are emailed an invitation to choose their own."""
    _check_may_manage(actor, actor_organisation, organisation, role)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"There is already a user with the email address {email}.")
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
        # A new user has no other roles, so giving this first one (checked above) is all
        # the power over them it takes.
        _membership_add(actor=actor, user=user, organisation=organisation, role=role)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Created a user account.",
        )
        invitation_send(actor=actor, organisation=organisation, user=user)
    return user


def invitation_resend(*, actor: User, actor_organisation: Organisation, user: User) -> None:
    """Send a user who has not yet chosen a password their invitation again."""
    _check_may_change(actor, actor_organisation, user)
    if user.has_usable_password():
        raise DomainError("This user has chosen a password already: send a link to set a new one instead.")
    with transaction.atomic():
        invitation_send(actor=actor, organisation=actor_organisation, user=user)


def user_update(
    *,
    actor: User,
    actor_organisation: Organisation,
    user: User,
    first_name: str,
    last_name: str,
    is_active: bool,
) -> User:
    _check_may_change(actor, actor_organisation, user)
    if user.pk == actor.pk and not is_active:
        raise DomainError("You cannot switch off your own account.")
    with transaction.atomic():
        if user.is_active and not is_active:
            _check_keeps_a_partnership_admin(user)
        user.first_name, user.last_name, user.is_active = first_name, last_name, is_active
        user.save(update_fields=["first_name", "last_name", "is_active"])
        audit_record(
            actor=actor,
            organisation=actor_organisation,
            action=AuditAction.UPDATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Changed a user's name or whether their account is active.",
        )
    return user


def membership_grant(
    *, actor: User, actor_organisation: Organisation, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give `user` a role. The actor must be allowed to give it, and to change the user:
    a role added to someone you could not otherwise change is still a change to them."""
    _check_may_manage(actor, actor_organisation, organisation, role)
    _check_may_change(actor, actor_organisation, user)
    return _membership_add(actor=actor, user=user, organisation=organisation, role=role)


def _membership_add(*, actor: User, user: User, organisation: Organisation, role: str) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if created:
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.ROLE_GRANTED,
                subject_type="user",
                subject_id=user.pk,
                summary=f"Gave the role {Role(role).label}.",
            )
    return membership


def membership_revoke(*, actor: User, actor_organisation: Organisation, membership: Membership) -> None:
    """Take a role away: the same power as giving it, and power over the whole user."""
    _check_may_manage(actor, actor_organisation, membership.organisation, membership.role)
    _check_may_change(actor, actor_organisation, membership.user)
    with transaction.atomic():
        if membership.role == Role.PARTNERSHIP_ADMIN and not (
            Membership.objects.filter(user_id=membership.user_id, role=Role.PARTNERSHIP_ADMIN)
            .exclude(pk=membership.pk)
            .exists()
        ):
            _check_keeps_a_partnership_admin(membership.user)
        audit_record(
            actor=actor,
            organisation=membership.organisation,
            action=AuditAction.ROLE_REMOVED,
            subject_type="user",
            subject_id=membership.user_id,
            summary=f"Removed the role {Role(membership.role).label}.",
        )
        membership.delete()


def organisation_switch_record(*, actor: User, organisation: Organisation) -> None:
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.SWITCHED_ORGANISATION,
        subject_type="user",
        subject_id=actor.pk,
        summary="Started acting for this organisation.",
    )
