"""What the staff dashboard shows a member of staff: for the organisation they act for
and their roles there, what they look after, what waits for them and what is new.

Each part is read through the selectors of the app that owns it, scoped to the
organisation, and only where the person's permissions (engage/core/roles.py) open the
page it summarises; a part they may not see is None, so the page leaves it out rather
than saying there is nothing. Each list is a few rows and how many in all, and every
part costs a fixed number of queries however many rows there are
(engage/staff/tests/test_home.py counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Generic, TypeVar

from engage.accounts.models import User
from engage.activities.models import Activity
from engage.activities.selectors import activity_list_current_and_upcoming, activity_list_looked_after
from engage.conversations.imports.selectors import (
    import_job_list_unfinished,
    import_job_progress,
    import_job_summary,
)
from engage.conversations.models import ImportJob, ImportStatus
from engage.core.pagination import Shortlist
from engage.core.progress import JobProgress
from engage.core.roles import Permission
from engage.decisions.models import Decision
from engage.decisions.selectors import (
    FailedEmails,
    decision_list_proposed,
    decision_list_to_publish,
    failed_emails_by_decision,
    overdue_feedback_list,
)
from engage.evaluation.selectors import evaluation_overdue_list
from engage.insight.models import AnalysisRun, Category
from engage.insight.selectors import (
    analysis_run_current,
    analysis_run_progress,
    analysis_run_summary,
    category_list_added,
)
from engage.partners.models import Organisation
from engage.partners.selectors import (
    OrganisationPeopleSummary,
    PartnershipSummary,
    organisation_people_summary,
    partnership_summary,
)

J = TypeVar("J", ImportJob, AnalysisRun)


@dataclass(frozen=True)
class Underway(Generic[J]):
    """An import or an analysis waiting or running, how far it has got, and that in words."""

    job: J
    progress: JobProgress
    summary: str


@dataclass(frozen=True)
class Analyses:
    """The analysis waiting or running, if any: one at a time for the whole partnership."""

    underway: Underway[AnalysisRun] | None


@dataclass(frozen=True)
class StartPage:
    looked_after: Shortlist[Activity] | None
    current_and_upcoming: Shortlist[Activity] | None
    overdue_feedback: Shortlist[Activity] | None
    overdue_evaluations: Shortlist[Activity] | None
    failed_emails: list[FailedEmails] | None
    imports: Shortlist[Underway[ImportJob]] | None
    analyses: Analyses | None
    new_themes: Shortlist[Category] | None
    to_publish: Shortlist[Decision] | None
    proposed: Shortlist[Decision] | None
    own_people: OrganisationPeopleSummary | None
    partnership: PartnershipSummary

    @property
    def underway(self) -> bool:
        """Whether an import or an analysis is waiting or running, whose progress the page
        keeps up to date."""
        running = (ImportStatus.QUEUED, ImportStatus.RUNNING)
        return any(shown.job.status in running for shown in self.imports or []) or bool(
            self.analyses and self.analyses.underway
        )

    @property
    def held_imports(self) -> list[ImportJob]:
        """Imports stopped until a person checks which end of their ratings is best."""
        return [shown.job for shown in self.imports or [] if shown.job.status == ImportStatus.HELD]


def _imports(organisation: Organisation | None) -> Shortlist[Underway[ImportJob]]:
    jobs = import_job_list_unfinished(organisation=organisation)
    shown = []
    for job in jobs:
        progress = import_job_progress(job=job)
        shown.append(Underway(job=job, progress=progress, summary=import_job_summary(job, progress)))
    return Shortlist(shown, jobs.total)


def _analyses() -> Analyses:
    run = analysis_run_current()
    if run is None:
        return Analyses(underway=None)
    progress = analysis_run_progress(run)
    return Analyses(Underway(job=run, progress=progress, summary=analysis_run_summary(run, progress)))


def start_page(
    *,
    organisation: Organisation | None,
    user: User | None,
    permissions: Collection[str],
    today: dt.date | None = None,
) -> StartPage:
    """The dashboard of a member of staff acting for `organisation` with `permissions`."""

    def may(*needed: Permission) -> bool:
        return any(permission in permissions for permission in needed)

    return StartPage(
        looked_after=activity_list_looked_after(organisation=organisation, user=user)
        if may(Permission.REGISTER_ACTIVITIES)
        else None,
        current_and_upcoming=activity_list_current_and_upcoming(
            organisation=organisation,
            leaving_out_those_of=user if may(Permission.REGISTER_ACTIVITIES) else None,
            today=today,
        )
        if may(Permission.VIEW_REGISTER)
        else None,
        # Telling people what was done is the work of those who record decisions.
        overdue_feedback=overdue_feedback_list(organisation=organisation, today=today)
        if may(Permission.RECORD_DECISIONS)
        else None,
        # Evaluating an activity is the work of the team that ran it.
        overdue_evaluations=evaluation_overdue_list(organisation=organisation, today=today)
        if may(Permission.REGISTER_ACTIVITIES) and organisation is not None
        else None,
        failed_emails=failed_emails_by_decision(organisation=organisation)
        if may(Permission.VIEW_PEOPLE)
        else None,
        imports=_imports(organisation) if may(Permission.IMPORT_CONVERSATIONS) else None,
        # Those who start analyses, and those whose imports an analysis follows.
        analyses=_analyses() if may(Permission.MANAGE_INSIGHT, Permission.IMPORT_CONVERSATIONS) else None,
        new_themes=category_list_added() if may(Permission.VIEW_THEMES) else None,
        to_publish=decision_list_to_publish(organisation=organisation)
        if may(Permission.RECORD_DECISIONS)
        else None,
        proposed=decision_list_proposed(organisation=organisation)
        if may(Permission.RECORD_DECISIONS)
        else None,
        own_people=organisation_people_summary(organisation=organisation)
        if may(Permission.VIEW_PEOPLE)
        else None,
        partnership=partnership_summary(),
    )
