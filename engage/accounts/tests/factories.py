"""Factories for staff users and their roles."""

from __future__ import annotations

import factory

from engage.accounts.models import Membership, User
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
