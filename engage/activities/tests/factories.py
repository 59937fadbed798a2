"""Factories for the engagement register."""

from __future__ import annotations

import datetime as dt

import factory

from engage.activities.models import (
    Activity,
    Area,
    AreaKind,
    InvolvementType,
    Level,
    PartnershipPriority,
    Stage,
    Status,
)
from engage.partners.tests.factories import OrganisationFactory
from textkit.keywords import keyword_text


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    kind = AreaKind.WARD


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipPriority

    title = factory.Sequence(lambda n: f"Priority {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Listening event {n}")
    purpose = "Hear what people think."
    topic = "general"
    stage = Stage.PLAN
    involvement_type = InvolvementType.COLLECTIVE
    level = Level.CONSULT
    target_groups = factory.LazyFunction(lambda: ["carers"])
    methods = factory.LazyFunction(lambda: ["survey"])
    starts_on = dt.date(2026, 3, 2)
    ends_on = dt.date(2026, 3, 20)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    status = Status.OPEN
    topic_terms = factory.LazyAttribute(lambda a: keyword_text(f"{a.title} {a.topic} {a.purpose}"))

    @factory.post_generation
    def areas(self, create: bool, extracted: list[Area] | None, **kwargs: object) -> None:
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def priorities(self, create: bool, extracted: list[PartnershipPriority] | None, **kwargs: object) -> None:
        if create and extracted:
            self.priorities.set(extracted)
