"""Factories for subject access requests."""

from __future__ import annotations

import factory

from engage.partners.tests.factories import OrganisationFactory, PersonFactory
from engage.subject_access.models import SubjectAccessRequest


class SubjectAccessRequestFactory(factory.django.DjangoModelFactory):
    """A request waiting for the worker."""

    class Meta:
        model = SubjectAccessRequest

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
