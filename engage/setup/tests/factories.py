"""Factories for the first run: a partnership already set up, and a one-time code."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from engage.core.models import Partnership
from engage.setup.models import FirstRunCode


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("id",)

    id = 1
    name = "Dudley Health and Care Partnership"
    place_code = "E08000027"
    place_name = "Dudley"


class FirstRunCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FirstRunCode

    code_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=24))
