"""The staff dashboard is each person's start page: for the organisation they act for,
the activities they look after and its current ones, feedback overdue, imports and
analyses under way, new themes and decisions to publish, each part only where their
role's permissions allow, never another organisation's, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engage.accounts.tests.factories import UserFactory, member_of
from engage.activities.models import Status
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import ImportJob, ImportStatus
from engage.conversations.tests.factories import ImportJobFactory
from engage.core.roles import Role
from engage.decisions.models import DecisionStatus, FeedbackMessage, MessageStatus
from engage.decisions.tests.factories import DecisionFactory
from engage.insight.framework import services as framework_services
from engage.insight.models import AnalysisRun, Category, RunStatus
from engage.insight.tests.factories import AnalysisRunFactory
from engage.partners.models import OrganisationKind
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PARTS = ("activities", "feedback", "decisions", "work", "themes")


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> dt.date:
    return _today() + dt.timedelta(days=n)


def _import(organisation: Any, file_name: str, status: str) -> ImportJob:
    return ImportJobFactory(
        organisation=organisation,
        file_name=file_name,
        status=status,
        file_sha256=f"{ImportJob.objects.count():064d}",
        stored_path="/nonexistent/upload.csv",
        started_at=timezone.now() if status == ImportStatus.HELD else None,
    )


def _work_of(organisation: Any, label: str, contact: Any = None) -> None:
    """An organisation's work in every part, each named after `label`."""
    ActivityFactory(
        lead_organisation=organisation,
        title=f"{label} listening event",
        starts_on=_days(-3),
        ends_on=_days(10),
        contact=contact,
    )
    ActivityFactory(
        lead_organisation=organisation, title=f"{label} forum to come", starts_on=_days(20), ends_on=_days(21)
    )
    ActivityFactory(
        lead_organisation=organisation,
        title=f"{label} old survey",
        starts_on=_days(-90),
        ends_on=_days(-60),
        status=Status.CLOSED,
    )
    overdue = ActivityFactory(
        lead_organisation=organisation,
        title=f"{label} dementia cafe review",
        starts_on=_days(-60),
        ends_on=_days(-40),
        feedback_promised_on=_days(-12),
        status=Status.FEEDBACK_DUE,
    )
    _import(organisation, f"{label.lower()}-waiting-survey.csv", ImportStatus.QUEUED)
    _import(organisation, f"{label.lower()}-upside-down.csv", ImportStatus.HELD)
    _import(organisation, f"{label.lower()}-finished.csv", ImportStatus.SUCCEEDED)
    ready = DecisionFactory(activity=overdue, title=f"{label} evening opening")
    DecisionFactory(
        organisation=organisation, title=f"{label} weekend clinic", status=DecisionStatus.PROPOSED
    )
    DecisionFactory(activity=overdue, title=f"{label} already public", published_at=timezone.now())
    FeedbackMessage.objects.create(
        decision=ready, person=PersonFactory(organisation=organisation), status=MessageStatus.FAILED
    )


@pytest.fixture
def icb() -> Any:
    return OrganisationFactory(name="Castlebridge ICB", kind=OrganisationKind.ICB)


@pytest.fixture
def healthwatch() -> Any:
    return OrganisationFactory(name="Healthwatch Castlebridge", kind=OrganisationKind.HEALTHWATCH)


@pytest.fixture
def officer_user(icb: Any) -> Any:
    return member_of(icb, Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def partnership(icb: Any, healthwatch: Any, officer_user: Any) -> None:
    """Both partners at work; an analysis waiting; a theme added last week."""
    _work_of(icb, "Riverside", contact=officer_user)
    _work_of(healthwatch, "Quillon")
    AnalysisRunFactory(status=RunStatus.QUEUED, rows_total=0)
    framework = framework_services.framework_built_in()
    parent = Category.objects.filter(framework=framework, parent__isnull=True).first()
    framework_services.category_add(
        actor=None, organisation=icb, name="Parking at the hospital", parent_id=parent.pk
    )


def _page(client: Any) -> str:
    response = client.get("/staff/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def _part(page: str, name: str) -> str | None:
    """The text of one part of the page (its card), or None where it is not shown."""
    found = re.search(
        rf'<section class="nhsuk-card" aria-labelledby="{name}-heading">(.*?)</section>', page, re.S
    )
    if found is None:
        return None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))
    return re.sub(r" ([:.,])", r"\1", text)


def _shown(page: str) -> set[str]:
    return {name for name in PARTS if _part(page, name) is not None}


def test_an_officer_starts_from_their_activities_overdue_feedback_imports_themes_and_decisions(
    partnership: None, icb: Any, officer_user: Any, client_for: Any
) -> None:
    page = _page(client_for(officer_user, icb))
    assert _shown(page) == set(PARTS)

    activities = _part(page, "activities")
    yours, _, others = activities.partition("Also at Castlebridge ICB, now and coming up")
    assert "Riverside listening event" in yours
    assert "Riverside forum to come" in others
    assert "Riverside listening event" not in others  # listed once, as theirs
    assert "Riverside old survey" not in activities

    feedback = _part(page, "feedback")
    assert "Riverside dementia cafe review" in feedback
    assert "12 days overdue" in feedback
    assert "Riverside evening opening: 1 person not reached." in feedback  # its email failed

    work = _part(page, "work")
    assert "riverside-waiting-survey.csv" in work
    assert "Waiting for the background worker to start the import." in work
    assert "riverside-upside-down.csv" in work
    assert "riverside-finished.csv" not in work
    assert "Waiting for the background worker to start the analysis." in work
    # The import held for its ratings is asked about at the top of the page too.
    assert "Check the ratings of riverside-upside-down.csv" in page

    assert "Parking at the hospital" in _part(page, "themes")

    decisions = _part(page, "decisions")
    ready, _, drafts = decisions.partition("Drafts")
    assert "Riverside evening opening" in ready
    assert "Riverside already public" not in decisions
    assert "Riverside weekend clinic" in drafts


def test_an_analyst_sees_the_activities_the_analysis_and_new_themes_and_no_personal_work(
    partnership: None, icb: Any, client_for: Any
) -> None:
    page = _page(client_for(member_of(icb, Role.ANALYST), icb))
    assert _shown(page) == {"activities", "work", "themes"}
    activities = _part(page, "activities")
    assert "Activities you look after" not in activities
    assert "Riverside listening event" in activities  # the organisation's, all together
    work = _part(page, "work")
    assert "Waiting for the background worker to start the analysis." in work
    assert "All imports" not in work
    assert "riverside-waiting-survey.csv" not in page
    assert "riverside-upside-down.csv" not in page
    assert "Parking at the hospital" in _part(page, "themes")
    assert "Your organisation's records" not in page  # no counts of people


def test_an_organisation_administrator_sees_every_part(partnership: None, icb: Any, client_for: Any) -> None:
    page = _page(client_for(member_of(icb, Role.ORGANISATION_ADMIN), icb))
    assert _shown(page) == set(PARTS)
    assert "You are not the contact for any activity that is still open." in _part(page, "activities")
    assert "Riverside listening event" in _part(page, "activities")
    assert "Riverside dementia cafe review" in _part(page, "feedback")
    assert "riverside-waiting-survey.csv" in _part(page, "work")
    assert "Riverside evening opening" in _part(page, "decisions")
    assert "Your organisation's records" in page


def test_a_board_member_sees_the_activities_and_new_themes_only(
    partnership: None, icb: Any, client_for: Any
) -> None:
    page = _page(client_for(member_of(icb, Role.BOARD_MEMBER), icb))
    assert _shown(page) == {"activities", "themes"}


@pytest.mark.parametrize("role", Role.values)
def test_another_organisations_activities_imports_and_decisions_never_appear(
    partnership: None, icb: Any, client_for: Any, role: str
) -> None:
    page = _page(client_for(member_of(icb, role), icb))
    assert "Quillon" not in page
    assert "quillon" not in page


def test_each_part_says_plainly_when_there_is_nothing(client_for: Any) -> None:
    quiet = OrganisationFactory(name="Quiet Trust")
    page = _page(client_for(member_of(quiet, Role.ORGANISATION_ADMIN), quiet))
    for sentence in (
        "You are not the contact for any activity that is still open.",
        "No current or upcoming activities.",
        "No overdue feedback.",
        "No imports waiting or running.",
        "No analysis waiting or running.",
        "No new themes in the last 30 days.",
        "No decisions waiting to be published.",
        "No draft decisions.",
    ):
        assert sentence in page, sentence
    assert "Emails that did not reach people" not in page
    assert "waiting for you to check the ratings" not in page


def _more_of_everything(organisation: Any, contact: Any, n: int, label: str) -> None:
    for i in range(n):
        _work_of(organisation, f"{label}{i}", contact=contact)
    framework = framework_services.framework_built_in()
    parent = Category.objects.filter(framework=framework, parent__isnull=True).first()
    for i in range(n):
        framework_services.category_add(
            actor=None, organisation=organisation, name=f"{label} theme {i}", parent_id=parent.pk
        )


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    return len(queries)


# Every part is a fixed number of queries: 30 in all when this was written, for an
# administrator, who sees every part, with every list longer than the page shows (so
# each is counted too), signing in and the counts at the foot included.
MOST_QUERIES = 32


def test_the_page_costs_the_same_queries_for_ten_rows_as_for_sixty(
    partnership: None, icb: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    """No part reads row by row (N+1): more of everything, the same queries."""
    admin = member_of(icb, Role.ORGANISATION_ADMIN)
    client = client_for(admin, icb)
    _more_of_everything(icb, admin, 7, "Some")  # every list now longer than the page shows
    _page(client)  # sessions and caches settle
    fewer = _queries(client)
    _more_of_everything(icb, admin, 20, "More")
    assert _queries(client) == fewer
    with django_assert_max_num_queries(MOST_QUERIES):
        _page(client)
    assert AnalysisRun.objects.count() == 1


def test_someone_with_no_organisation_is_told_how_to_get_a_role(partnership: None, client_for: Any) -> None:
    page = _page(client_for(UserFactory()))
    assert "You do not belong to an organisation yet." in page
    assert _shown(page) == set()
    assert "Riverside" not in page
    assert "The partnership" in page
