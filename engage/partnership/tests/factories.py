"""Factories for what organisations share with the partnership."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from engage.partners.tests.factories import OrganisationFactory
from engage.partnership.models import OrganisationSharing, SharingChoice, SharingLevel


class OrganisationSharingFactory(factory.django.DjangoModelFactory):
    """An organisation sharing counts under a named, dated agreement."""

    class Meta:
        model = OrganisationSharing

    organisation = factory.SubFactory(OrganisationFactory)
    level = SharingLevel.COUNTS
    agreement_name = "Castlebridge health and care information sharing agreement"
    agreement_dated = dt.date(2026, 1, 15)
    set_at = factory.LazyFunction(timezone.now)


class SharingChoiceFactory(factory.django.DjangoModelFactory):
    """A level for one import (give `activity` and `import_job=None` for an activity)."""

    class Meta:
        model = SharingChoice

    organisation = factory.SubFactory(OrganisationFactory)
    level = SharingLevel.NOTHING
    set_at = factory.LazyFunction(timezone.now)
