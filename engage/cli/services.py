"""Writes the `engage` command makes that no signed-in user can make for it.

The first partnership administrator has no one to create them: `user_create` in
accounts needs an acting administrator. So the bootstrap writes the user and their
role directly, in one transaction, with an audit record whose actor is the system.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from engage.accounts.models import Membership, User
from engage.core.errors import Conflict, DomainError
from engage.core.models import AuditAction
from engage.core.roles import Role
from engage.core.services import audit_record
from engage.partners.models import Organisation, OrganisationKind


def partnership_admin_create(
    *,
    email: str,
    password: str,
    organisation_name: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """A new user who is a partnership administrator of the named organisation.

    The organisation is created as an integrated care board if there is none of that
    name (the partnership is usually hosted by one)."""
    email = email.strip().lower()
    organisation_name = organisation_name.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(f"{email!r} is not an email address.") from error
    if not organisation_name:
        raise DomainError("Give the name of the organisation the administrator works for.")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"There is already a user with the email address {email}.")
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error

    with transaction.atomic():
        organisation = Organisation.objects.filter(name__iexact=organisation_name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=organisation_name, kind=OrganisationKind.ICB)
            audit_record(
                actor=None,
                organisation=organisation,
                action=AuditAction.CREATED,
                subject_type="organisation",
                subject_id=organisation.pk,
                summary="Created the organisation from the command line.",
            )
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.PARTNERSHIP_ADMIN)
        audit_record(
            actor=None,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Created a user account from the command line.",
        )
        audit_record(
            actor=None,
            organisation=organisation,
            action=AuditAction.ROLE_GRANTED,
            subject_type="user",
            subject_id=user.pk,
            summary=f"Gave the role {Role.PARTNERSHIP_ADMIN.label}.",
        )
    return user
