"""Writes about users and their roles. Each checks who may do it, changes the data and
records the audit event in one transaction."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from engage.accounts.models import Membership, User
from engage.core.errors import Conflict, DomainError, NotPermitted
from engage.core.models import AuditAction
from engage.core.roles import Permission, Role, permissions_for
from engage.core.services import audit_record
from engage.partners.models import Organisation


def _roles_of(user: User, organisation: Organisation) -> frozenset[str]:
    return frozenset(
        Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
    )


def _may_manage_roles(actor: User, actor_organisation: Organisation, target: Organisation) -> bool:
    granted = permissions_for(_roles_of(actor, actor_organisation))
    if Permission.MANAGE_PARTNERSHIP in granted:
        return True
    return Permission.MANAGE_ORGANISATION_USERS in granted and actor_organisation.pk == target.pk


def user_create(
    *,
    actor: User,
    actor_organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    organisation: Organisation,
    role: str,
) -> User:
    """A new user with a first role. Organisation administrators may add users only
    to their own organisation."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"There is already a user with the email address {email}.")
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        membership_grant(
            actor=actor,
            actor_organisation=actor_organisation,
            user=user,
            organisation=organisation,
            role=role,
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Created a user account.",
        )
    return user


def _check_may_manage_user(actor: User, actor_organisation: Organisation, user: User) -> None:
    partnership_wide = Permission.MANAGE_PARTNERSHIP in permissions_for(_roles_of(actor, actor_organisation))
    if not partnership_wide and not any(
        _may_manage_roles(actor, actor_organisation, m.organisation)
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ):
        raise NotPermitted("You may change only the users of your own organisation.")


def user_password_set(*, actor: User, actor_organisation: Organisation, user: User, password: str) -> None:
    """An administrator sets a new password for someone who has forgotten theirs, which
    also lifts any lockout from wrong tries."""
    _check_may_manage_user(actor, actor_organisation, user)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        axes_reset(username=user.email)
        audit_record(
            actor=actor,
            organisation=actor_organisation,
            action=AuditAction.UPDATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Set a new password and lifted any lockout.",
        )


def user_update(
    *,
    actor: User,
    actor_organisation: Organisation,
    user: User,
    first_name: str,
    last_name: str,
    is_active: bool,
) -> User:
    partnership_wide = Permission.MANAGE_PARTNERSHIP in permissions_for(_roles_of(actor, actor_organisation))
    if not partnership_wide and not any(
        _may_manage_roles(actor, actor_organisation, m.organisation)
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ):
        raise NotPermitted("You may change only the users of your own organisation.")
    if user.pk == actor.pk and not is_active:
        raise DomainError("You cannot switch off your own account.")
    with transaction.atomic():
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
    if role not in Role.values:
        raise DomainError(f"{role!r} is not a role.")
    if not _may_manage_roles(actor, actor_organisation, organisation):
        raise NotPermitted("You may give roles only in your own organisation.")
    if role == Role.PARTNERSHIP_ADMIN and Permission.MANAGE_PARTNERSHIP not in permissions_for(
        _roles_of(actor, actor_organisation)
    ):
        raise NotPermitted("Only a partnership administrator may make another.")
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
    if not _may_manage_roles(actor, actor_organisation, membership.organisation):
        raise NotPermitted("You may remove roles only in your own organisation.")
    if (
        membership.role == Role.PARTNERSHIP_ADMIN
        and Membership.objects.filter(role=Role.PARTNERSHIP_ADMIN, user__is_active=True).count() <= 1
    ):
        raise DomainError("The partnership must keep at least one partnership administrator.")
    with transaction.atomic():
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


def sign_in_record(*, actor: User) -> None:
    audit_record(
        actor=actor,
        organisation=None,
        action=AuditAction.SIGNED_IN,
        subject_type="user",
        subject_id=actor.pk,
        summary="Signed in.",
    )
