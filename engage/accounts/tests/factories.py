"""Factories for staff users and their roles."""

from __future__ import annotations

from typing import Any

import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from engage.accounts.models import Membership, User
from engage.accounts.sign_in.selectors import second_factor_required
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

PASSWORD = "a-long-test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"staff{n}@partner.example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Staff{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ENGAGEMENT_OFFICER


def member_of(organisation: object, *roles: str, **user_fields: object) -> User:
    """A user holding the given roles in one organisation."""
    user = UserFactory(**user_fields)
    for role in roles:
        MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def sign_in_as(client: Any, user: Any) -> Any:
    """Sign `client` in as `user` as the real sign-in would leave it: administrators,
    who must use a second factor, with an authenticator set up and this session
    verified by it."""
    client.force_login(user)
    if second_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
