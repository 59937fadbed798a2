"""Factories for decisions, what informed them, and telling people."""

from __future__ import annotations

import datetime as dt

import factory

from engage.decisions.models import Decision, DecisionMaker, DecisionStatus
from engage.partners.tests.factories import OrganisationFactory


class DecisionFactory(factory.django.DjangoModelFactory):
    """An agreed decision by a board. Give `activity=` to tie it to what informed it;
    its organisation is then the activity's lead unless given."""

    class Meta:
        model = Decision

    organisation = factory.LazyAttribute(
        lambda decision: decision.activity.lead_organisation if decision.activity else OrganisationFactory()
    )
    activity = None
    title = factory.Sequence(lambda n: f"Evening appointments at surgery {n}")
    summary = "People could not get appointments after work, so the surgery opens until 8pm."
    decided_by = DecisionMaker.BOARD
    decided_by_name = "Castlebridge Health and Wellbeing Board"
    decided_on = dt.date(2026, 6, 1)
    status = DecisionStatus.AGREED
