"""Factories for what the core keeps: the audit trail."""

from __future__ import annotations

import factory

from engage.core.models import AuditAction, AuditEvent
from engage.partners.tests.factories import OrganisationFactory


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    organisation = factory.SubFactory(OrganisationFactory)
    action = AuditAction.CREATED
    subject_type = "activity"
    subject_id = factory.Sequence(str)
    summary = "Added an activity."
