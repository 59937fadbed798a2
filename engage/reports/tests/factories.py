"""Factories for reports: a draft Local Account of the year to March 2026, its figures
worked out by the test that needs them (services.report_build)."""

from __future__ import annotations

import datetime as dt

import factory

from engage.partners.tests.factories import OrganisationFactory
from engage.reports.models import EasyReadPoint, JargonTerm, Pictogram, Report, ReportKind, ReportSection
from engage.reports.sections import section_specs


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = ReportKind.LOCAL_ACCOUNT
    title = factory.Sequence(lambda n: f"Local Account {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    month_from = dt.date(2025, 4, 1)
    month_to = dt.date(2026, 3, 1)
    sections = factory.LazyAttribute(lambda report: [spec.key for spec in section_specs(report.kind)])


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(ReportFactory)
    key = "summary"
    text = "We listened to people all year."


class EasyReadPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EasyReadPoint

    report = factory.SubFactory(ReportFactory)
    section_key = "summary"
    text = "We **listened** to people."
    picture = "listen"


class JargonTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JargonTerm
        django_get_or_create = ("term",)

    term = factory.Sequence(lambda n: f"synergy{n}")
    plain = "working together"


class PictogramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pictogram

    name = factory.Sequence(lambda n: f"Our picture {n}")
    description = "The front of the community hub"
    content_type = "image/png"
    data = b"\x89PNG\r\n\x1a\n"
    organisation = factory.SubFactory(OrganisationFactory)
