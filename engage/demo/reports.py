"""The demo's reports (engage/reports): last financial year's Local Account and a report
to the people who took part in the activity that heard most, both published with their
Easy Read versions, and a draft board paper for the last twelve months, so every kind
shows.

The shared picture is worked out first (the worker would otherwise do it after the
demo loads), as the Local Account's themes come from it. The drafts follow the demo's
analysis when it lands; the published ones keep the figures they were published with.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from engage.decisions.models import ActivityPublication
from engage.partners.models import Organisation
from engage.partnership.filters import last_whole_month, months_back
from engage.partnership.services import picture_refresh_all
from engage.reports.models import Report
from engage.reports.services import (
    easy_read_draft,
    report_build,
    report_create,
    report_publish,
    report_section_save,
)

HOST = "NHS Castlebridge Integrated Care Board"

NEXT_YEAR = (
    "Next year we will go to the places where the groups we heard from less already meet. "
    "We will ask young people and people from Black and mixed ethnic backgrounds first.\n"
    "We will tell everyone who took part what changed, within three months of each activity ending."
)


def _built(report: Report) -> Report:
    built = report_build(report_id=report.pk)
    if built is None:  # only if the report were deleted meanwhile
        raise RuntimeError(f"The demo's report {report.pk} has gone.")
    return built


def build_reports(today: dt.date) -> int:
    """Answers how many reports were made."""
    picture_refresh_all()
    host = Organisation.objects.get(name=HOST)
    last_march = dt.date(today.year if today.month > 3 else today.year - 1, 3, 1)
    local_account = _built(
        report_create(
            actor=None, organisation=host, kind="local_account",
            title=f"Our Local Account {last_march.year - 1} to {last_march.year}",
            month_from=f"{months_back(last_march, 11):%Y-%m}", month_to=f"{last_march:%Y-%m}", today=today,
        )
    )  # fmt: skip
    report_section_save(actor=None, organisation=host, report_id=local_account.pk, key="next", text=NEXT_YEAR)
    easy_read_draft(actor=None, organisation=host, report_id=local_account.pk)
    report_publish(actor=None, organisation=host, report_id=local_account.pk, manages_partnership=True)
    month_to = last_whole_month(today)
    _built(
        report_create(
            actor=None, organisation=host, kind="board_paper",
            title=f"Engagement assurance for the board, {month_to:%B %Y}",
            month_from=f"{months_back(month_to, 11):%Y-%m}", month_to=f"{month_to:%Y-%m}", today=today,
        )
    )  # fmt: skip
    made = 2
    publication = (
        ActivityPublication.objects.select_related("activity", "activity__lead_organisation")
        .filter(activity__ends_on__lt=today)
        .annotate(heard=Count("activity__conversations"))
        .order_by("-heard", "pk")
        .first()
    )
    if publication is not None:
        activity = publication.activity
        lead = activity.lead_organisation
        report = _built(
            report_create(
                actor=None, organisation=lead, kind="activity",
                title=f"{activity.title}: what you told us and what we did",
                month_from=None, month_to=None, activity_id=activity.pk, today=today,
            )
        )  # fmt: skip
        easy_read_draft(actor=None, organisation=lead, report_id=report.pk)
        report_publish(actor=None, organisation=lead, report_id=report.pk, manages_partnership=False)
        made += 1
    return made
