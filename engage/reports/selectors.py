"""Reading reports: a partner sees its own organisation's reports, drafts included, and
every partner's published ones; the public sees published ones only."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from engage.activities.models import Activity
from engage.partners.models import Organisation
from engage.reports.models import JargonTerm, Pictogram, Report, ReportKind, ReportState
from engage.reports.plain_english import Readability, readability


def report_list(
    *, organisation: Organisation | None, kind: str = "", state: str = "", search: str = ""
) -> QuerySet[Report]:
    reports = Report.objects.filter(
        Q(state=ReportState.PUBLISHED) | Q(organisation_id=getattr(organisation, "pk", None))
    )
    if kind in ReportKind.values:
        reports = reports.filter(kind=kind)
    if state in ReportState.values:
        reports = reports.filter(state=state)
    for word in search.split()[:10]:
        reports = reports.filter(title__icontains=word)
    return reports.select_related("organisation", "activity").order_by("-updated_at", "-pk")


def report_get(*, organisation: Organisation | None, report_id: int) -> Report | None:
    return (
        report_list(organisation=organisation)
        .prefetch_related("narratives", "priorities")
        .filter(pk=report_id)
        .first()
    )


def published_reports(*, kind: str = "", search: str = "") -> QuerySet[Report]:
    reports = Report.objects.filter(
        state=ReportState.PUBLISHED, kind__in=[ReportKind.LOCAL_ACCOUNT, ReportKind.ACTIVITY]
    )
    if kind in ReportKind.values:
        reports = reports.filter(kind=kind)
    for word in search.split()[:10]:
        reports = reports.filter(title__icontains=word)
    return reports.select_related("organisation").order_by("-published_at", "-pk")


def published_report(*, report_id: int) -> Report | None:
    """A published report for the public: the Local Account and activity reports (a board
    paper is published to partners, through the staff pages and the API)."""
    return published_reports().prefetch_related("narratives").filter(pk=report_id).first()


def jargon_list() -> list[JargonTerm]:
    return list(JargonTerm.objects.all())


def jargon_pairs() -> list[tuple[str, str]]:
    return list(JargonTerm.objects.values_list("term", "plain"))


def pictogram_list() -> QuerySet[Pictogram]:
    return Pictogram.objects.select_related("organisation").defer("data")


def pictogram_get(*, pictogram_id: int) -> Pictogram | None:
    return Pictogram.objects.filter(pk=pictogram_id).first()


def section_readability(text: str) -> Readability:
    return readability(text, jargon_pairs())


def ended_activities(
    *, organisation: Organisation | None, today: dt.date, limit: int = 200
) -> list[Activity]:
    """The organisation's activities that have ended, the newest first: what an activity
    report can be about."""
    if organisation is None:
        return []
    return list(
        Activity.objects.filter(lead_organisation=organisation, ends_on__lt=today).order_by(
            "-ends_on", "-pk"
        )[:limit]
    )
