"""Factories for the bank of conversations and its imports."""

from __future__ import annotations

import datetime as dt

import factory

from engage.conversations.models import Channel, Conversation, ImportJob
from engage.partners.tests.factories import OrganisationFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    """One conversation as an import would leave it: a survey comment, consented to
    quote. Its record key is drawn by the database, as in use."""

    class Meta:
        model = Conversation

    organisation = factory.SubFactory(OrganisationFactory)
    channel = Channel.SURVEY
    text = factory.Sequence(lambda n: f"The reception staff were kind, visit {n}.")
    occurred_on = dt.date(2026, 3, 1)
    consent_to_quote = True
    dedupe_key = factory.Sequence(lambda n: f"factory-{n}")


class ImportJobFactory(factory.django.DjangoModelFactory):
    """An import waiting for the worker (no file behind it: for pages and lists)."""

    class Meta:
        model = ImportJob

    organisation = factory.SubFactory(OrganisationFactory)
    file_name = factory.Sequence(lambda n: f"survey-{n}.csv")
    mapping = factory.LazyFunction(lambda: {"text": "Comment"})
