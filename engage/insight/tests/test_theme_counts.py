"""Analysts' data out: themes counted by a grouping (the themes page's set, in long form,
as CSV, Excel and the API; people's labels over the model's), and the organisation's own
conversations with their themes, for those who may read them, each taking audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.conversations.models import Channel, Conversation
from engage.conversations.tests.factories import ConversationFactory
from engage.core.models import AuditAction, AuditEvent, AuditEventSubject
from engage.core.roles import Role
from engage.insight.counts import GROUPINGS, theme_counts
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category, PersonLabel, Review
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STAFF = "Staff manner & personal attributes"
WAITING = "Timeliness of care"


def _said(organisation: Any, *, label: str, sentiment: str, **fields: Any) -> Conversation:
    said = ConversationFactory(organisation=organisation, **fields)
    Review.objects.create(conversation=said, sentiment=sentiment)
    PersonLabel.objects.create(
        conversation=said, category=Category.objects.get(name=label, parent__isnull=False)
    )
    return said


@pytest.fixture
def bank() -> dict[str, Any]:
    framework_built_in()
    own = OrganisationFactory(name="Dudley Healthwatch")
    other = OrganisationFactory(name="Sandwell Council")
    ageing, carers = PriorityFactory(title="Healthy ageing"), PriorityFactory(title="Carers")
    evenings = ActivityFactory(lead_organisation=own, title="Carers' evenings", priorities=[ageing, carers])
    march, april = dt.date(2026, 3, 4), dt.date(2026, 4, 9)
    _said(own, label=STAFF, sentiment="positive", occurred_on=march, age_band="65-74", activity=evenings)
    _said(own, label=STAFF, sentiment="negative", occurred_on=april, age_band="65-74", imd_decile=1)
    _said(own, label=WAITING, sentiment="negative", occurred_on=april, age_band="", channel=Channel.EVENT)
    _said(other, label=STAFF, sentiment="positive", occurred_on=march, age_band="25-34")
    return {"own": own, "other": other, "evenings": evenings}


def _rows(own: Any, by: str) -> dict[tuple[str, str, str], tuple[int, int, int, int]]:
    framework = framework_built_in()
    counted = theme_counts(Conversation.objects.for_organisation(own), framework=framework, by=by)
    return {
        (r.theme, r.sub_theme, r.group): (r.conversations, r.positive, r.neutral, r.negative) for r in counted
    }


def test_each_theme_and_sub_theme_is_counted_by_month_with_its_sentiment(bank: dict[str, Any]) -> None:
    rows = _rows(bank["own"], "month")
    staff = Category.objects.get(name=STAFF, parent__isnull=False)
    theme = staff.parent.name if staff.parent else ""
    assert rows[(theme, STAFF, "2026-03")] == (1, 1, 0, 0)
    assert rows[(theme, STAFF, "2026-04")] == (1, 0, 0, 1)
    assert rows[(theme, "", "2026-04")][0] >= 1  # the theme as a whole
    assert all(
        group != "25-34" for _, _, group in _rows(bank["own"], "age_band")
    )  # the other's is not counted


def test_the_other_groupings(bank: dict[str, Any]) -> None:
    assert {group for _, sub, group in _rows(bank["own"], "age_band") if sub == STAFF} == {"65-74"}
    assert "Not recorded" in {group for _, sub, group in _rows(bank["own"], "age_band") if sub == WAITING}
    priorities = {group for _, sub, group in _rows(bank["own"], "priority") if sub == STAFF}
    assert priorities == {"Carers", "Healthy ageing", "No priority"}  # one conversation under two priorities
    activities = {group for _, sub, group in _rows(bank["own"], "activity") if sub == STAFF}
    assert activities == {"Carers' evenings", "Not part of an activity"}
    assert {group for _, sub, group in _rows(bank["own"], "channel") if sub == WAITING} == {"Event"}
    deprivation = {group for _, sub, group in _rows(bank["own"], "deprivation") if sub == STAFF}
    assert deprivation == {"1 (most deprived fifth)", "Not known"}
    assert set(GROUPINGS) == {
        "month", "channel", "activity", "priority", "age_band", "sex", "ethnic_group", "disability", "carer", "deprivation",
    }  # fmt: skip


def test_an_analyst_downloads_the_counts_as_csv_and_excel(bank: dict[str, Any], client_for: Any) -> None:
    analyst = client_for(member_of(bank["own"], Role.ANALYST), bank["own"])
    response = analyst.get("/staff/themes/themes.csv?by=month&from=2026-04-01")
    assert response["Content-Disposition"] == 'attachment; filename="themes-by-month.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == [
        "Theme",
        "Sub-theme",
        "Month",
        "Conversations",
        "Positive",
        "Neutral or mixed",
        "Negative",
    ]
    assert {row[2] for row in table[1:]} == {"2026-04"}  # the page's filters apply
    assert [STAFF, "2026-04", "1", "0", "0", "1"] in [row[1:] for row in table]
    workbook = analyst.get("/staff/themes/themes.xlsx?by=age_band")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert [cell.value for cell in sheet[1]][2] == "Age band"
    assert any(
        row[1] == STAFF and row[2] == "65-74" and row[3] == 2 for row in sheet.iter_rows(values_only=True)
    )
    assert analyst.get("/staff/themes/themes.csv?by=postcode").status_code == 400
    assert analyst.get("/staff/themes/themes.pdf").status_code == 404
    assert "Download the counts" in analyst.get("/staff/themes/").content.decode()


def test_the_api_gives_the_same_counts_to_a_token_or_a_session(bank: dict[str, Any], client_for: Any) -> None:
    analyst = client_for(member_of(bank["own"], Role.ANALYST), bank["own"])
    body = analyst.get("/api/v1/themes/?by=activity").json()
    assert body["by"] == "activity"
    staff = [row for row in body["rows"] if row["sub_theme"] == STAFF]
    assert {row["group"]: row["conversations"] for row in staff} == {
        "Carers' evenings": 1,
        "Not part of an activity": 1,
    }
    assert analyst.get("/api/v1/themes/?by=nonsense").status_code == 400
    assert (
        client_for(member_of(bank["other"], Role.ANALYST), bank["other"])
        .get("/api/v1/themes/")
        .json()["rows"]
    )


def test_search_words_for_those_who_may_not_read_conversations_look_only_in_redacted_text(
    bank: dict[str, Any], client_for: Any
) -> None:
    """A count must not tell an analyst whether a word (a name) is in what someone said."""
    said = Conversation.objects.filter(organisation=bank["own"]).first()
    assert said is not None
    said.text = "Nurse Priyanka was kind"
    said.save()
    analyst = client_for(member_of(bank["own"], Role.ANALYST), bank["own"])
    assert analyst.get("/api/v1/themes/?q=Priyanka").json()["rows"] == []


def test_an_officer_downloads_the_organisations_conversations_with_their_themes(
    bank: dict[str, Any], client_for: Any
) -> None:
    officer = client_for(member_of(bank["own"], Role.ENGAGEMENT_OFFICER), bank["own"])
    response = officer.get("/staff/conversations/conversations.csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:9] == [
        "Id", "Date", "Channel", "Activity", "Question", "What was said",
        "Rating (1 very good to 5 very poor)", "Sentiment", "Themes",
    ]  # fmt: skip
    assert len(table) == 4  # the organisation's three, not the other's
    first = table[1]
    assert (first[1], first[3], first[7], first[8]) == ("2026-03-04", "Carers' evenings", "positive", STAFF)
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED, subject_type="conversation")
    assert event.organisation == bank["own"]
    assert AuditEventSubject.objects.filter(event=event).count() == 3
    workbook = officer.get("/staff/conversations/conversations.xlsx?from=2026-04-01")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 3  # the header and April's two
    assert "conversations.csv" in officer.get("/staff/conversations/").content.decode()


def test_the_conversations_api_gives_pages_of_the_organisations_own_and_records_each(
    bank: dict[str, Any], client_for: Any
) -> None:
    officer = client_for(member_of(bank["own"], Role.ENGAGEMENT_OFFICER), bank["own"])
    body = officer.get("/api/v1/conversations/?channel=event").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["themes"], row["sentiment"], row["age_band"]) == ([WAITING], "negative", "")
    assert set(row) >= {"text", "ward_code", "deprivation_decile", "consent_to_quote"}
    assert "respondent_reference" not in row
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1


def test_those_who_may_not_read_conversations_cannot_take_them_away(
    bank: dict[str, Any], client_for: Any
) -> None:
    for role in (Role.ANALYST, Role.BOARD_MEMBER, Role.PARTNERSHIP_ADMIN):
        client = client_for(member_of(bank["own"], role), bank["own"])
        assert client.get("/staff/conversations/conversations.csv").status_code == 403
        assert client.get("/api/v1/conversations/").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()
