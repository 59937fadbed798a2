"""The reports pages as each role uses them: a team starts a report, edits its words with
their reading age and jargon marked, drafts Easy Read, and an administrator publishes
it; the public reads it in every format; nobody reads another partner's draft."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of, sign_in_as
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory
from engage.reports import services
from engage.reports.models import Report, ReportState
from engage.reports.tests.factories import ReportFactory
from engage.site import views

pytestmark = pytest.mark.django_db


def _client(organisation: Any, *roles: str) -> Client:
    return sign_in_as(Client(), member_of(organisation, *roles))


def test_a_team_writes_a_local_account_and_an_administrator_publishes_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    host = OrganisationFactory()
    officer = _client(host, Role.ENGAGEMENT_OFFICER)
    assert "Local Account" in officer.get("/staff/reports/new/").content.decode()
    suggested = officer.get("/staff/reports/new/?kind=local_account").content.decode()
    # The last financial year, April to March, is suggested.
    assert re.search(r'name="month_from" type="text" value="\d{4}-04"', suggested)
    assert re.search(r'name="month_to" type="text" value="\d{4}-03"', suggested)
    refused = officer.post(
        "/staff/reports/new/?kind=local_account",
        {"title": "", "month_from": "2025-04", "month_to": "2099-03", "sections": ["heard"]},
    )
    assert refused.status_code == 400
    assert "Enter a title" in refused.content.decode()
    assert "must have ended" in refused.content.decode()
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        made = officer.post(
            "/staff/reports/new/?kind=local_account",
            {
                "title": "Our year",
                "month_from": "2025-04",
                "month_to": "2026-03",
                "sections": ["heard", "did"],
            },
        )
    report = Report.objects.get()
    assert made.status_code == 302
    assert made["Location"] == f"/staff/reports/{report.pk}/"
    assert "Working out the figures" in officer.get(made["Location"]).content.decode()
    services.report_build(report_id=report.pk)  # the worker
    page = officer.get(made["Location"]).content.decode()
    assert "Reading age" in page
    assert "What people told us" in page
    assert "How well we did it" not in page
    assert "The partnership's administrators publish" in page

    words = "Our stakeholders told us a lot. " + " ".join(["Many"] + ["people"] * 30) + "."
    saved = officer.post(f"/staff/reports/{report.pk}/sections/summary/", {"text": words})
    assert saved.status_code == 302
    checked = officer.get(saved["Location"]).content.decode()
    assert 'class="engage-jargon"' in checked
    assert 'class="engage-long"' in checked
    assert "“stakeholders”: try “people and groups with an interest”" in checked

    assert officer.post(f"/staff/reports/{report.pk}/publish/").status_code == 403
    assert officer.post(f"/staff/reports/{report.pk}/easy-read/draft/").status_code == 302
    easy = officer.get(f"/staff/reports/{report.pk}/easy-read/").content.decode()
    assert "and groups with an interest told us a lot." in easy
    assert 'class="engage-easy-read__picture"' in easy

    administrator = _client(host, Role.PARTNERSHIP_ADMIN)
    assert administrator.post(f"/staff/reports/{report.pk}/publish/").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert officer.post(f"/staff/reports/{report.pk}/sections/summary/", {"text": "x"}).status_code == 409

    public = Client()
    assert "Our year" in public.get("/reports/").content.decode()
    assert "What people told us" in public.get(f"/reports/{report.pk}/").content.decode()
    assert (
        "and groups with an interest told us a lot."
        in public.get(f"/reports/{report.pk}/easy-read/").content.decode()
    )
    pdf = public.get(f"/reports/{report.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="our-year.pdf"' in pdf["Content-Disposition"]
    word = public.get(f"/reports/{report.pk}/easy-read.docx")
    assert word.status_code == 200
    assert word.content.startswith(b"PK")
    assert public.get(f"/reports/{report.pk}/report.exe").status_code == 404


def test_drafts_and_board_papers_are_not_public_and_a_draft_is_its_organisations_own() -> None:
    draft = ReportFactory(figures={"sections": {}, "period": {"label": ""}})
    paper = ReportFactory(
        kind="board_paper", state=ReportState.PUBLISHED, figures={"sections": {}, "period": {"label": ""}}
    )
    public = Client()
    for report in (draft, paper):
        assert public.get(f"/reports/{report.pk}/").status_code == 404
        assert public.get(f"/reports/{report.pk}/report.pdf").status_code == 404
    assert draft.title not in public.get("/reports/").content.decode()
    other = _client(OrganisationFactory(), Role.ORGANISATION_ADMIN)
    assert other.get(f"/staff/reports/{draft.pk}/").status_code == 404
    assert other.get(f"/staff/reports/{draft.pk}/report.pdf").status_code == 404
    assert other.post(f"/staff/reports/{draft.pk}/delete/").status_code == 404
    assert other.get(f"/staff/reports/{paper.pk}/").status_code == 200  # published to partners
    assert other.post(f"/staff/reports/{paper.pk}/withdraw/").status_code == 404
    assert draft.title not in other.get("/staff/reports/").content.decode()
    board = _client(draft.organisation, Role.BOARD_MEMBER)
    assert board.get(f"/staff/reports/{draft.pk}/").status_code == 200
    assert board.get("/staff/reports/new/").status_code == 403
    assert board.post(f"/staff/reports/{draft.pk}/sections/summary/", {"text": "x"}).status_code == 403


def test_the_public_may_download_only_so_many_files_at_a_time(settings: Any) -> None:
    report = ReportFactory(
        state=ReportState.PUBLISHED, figures={"sections": {}, "period": {"label": "A year"}}
    )
    public = Client()
    for _ in range(views.FILES_LIMIT):
        assert public.get(f"/reports/{report.pk}/report.docx").status_code == 200
    refused = public.get(f"/reports/{report.pk}/report.docx")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_the_jargon_list_is_kept_by_the_administrators_and_read_by_writers() -> None:
    organisation = OrganisationFactory()
    officer = _client(organisation, Role.ENGAGEMENT_OFFICER)
    assert "co-production" in officer.get("/staff/reports/jargon/").content.decode()
    assert (
        officer.post("/staff/reports/jargon/", {"term": "synergy", "plain": "working together"}).status_code
        == 403
    )
    administrator = _client(organisation, Role.PARTNERSHIP_ADMIN)
    assert (
        administrator.post(
            "/staff/reports/jargon/", {"term": "synergy", "plain": "working together"}
        ).status_code
        == 302
    )
    assert "working together" in officer.get("/staff/reports/jargon/?q=syn").content.decode()
    refused = administrator.post("/staff/reports/jargon/", {"term": "", "plain": ""})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
