"""The retention pages: only a partnership administrator sees or changes the rules and
the runs; the dry run is in plain words; a bad rule is shown beside its field and saves
nothing; no page shows anything about a person. The privacy notice says what the rules
now do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of
from engage.conversations.tests.factories import ConversationFactory
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory
from engage.retention import selectors
from engage.retention.models import PeriodUnit, RetentionKind, RetentionRule
from engage.retention.tests.factories import RetentionResultFactory, RetentionRuleFactory, RetentionRunFactory

pytestmark = pytest.mark.django_db

PAGES = ("/staff/retention/", "/staff/retention/runs/", "/staff/retention/rules/conversations/")


@pytest.fixture(autouse=True)
def folders(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Castlebridge ICB")


@pytest.fixture
def admin(organisation, client_for):
    return client_for(member_of(organisation, Role.PARTNERSHIP_ADMIN), organisation)


def test_the_dry_run_says_in_plain_words_what_the_next_run_will_delete(admin, organisation):
    for _ in range(3):
        ConversationFactory(
            organisation=organisation, occurred_on=dt.date(2000, 1, 3), text="Nurse Quillon was rude"
        )
    next_run = selectors.next_run_at()
    cutoff = selectors.cutoffs_on(next_run.date())[RetentionKind.CONVERSATIONS]
    page = admin.get("/staff/retention/").content.decode()
    assert (
        f"3 conversations heard before {selectors.day_text(cutoff)} will be deleted on "
        f"{selectors.day_text(next_run.date())}."
    ) in page
    assert f"The next run is at 02:00 on {selectors.day_text(next_run.date())}." in page
    assert "Kept for <strong>72 months</strong> (the default)." in page
    assert "Quillon" not in page  # counts only, never what anyone said
    assert "There has been no run yet." in page


def test_the_overview_lists_subject_access_downloads_with_what_the_next_run_will_delete(admin):
    page = admin.get("/staff/retention/").content.decode()
    assert "Subject access downloads" in page
    assert "Kept for <strong>30 days</strong> (the default)." in page
    assert "No subject access downloads gathered before" in page
    assert "law gives a month to answer the person" in page
    assert 'href="/staff/retention/rules/subject_access_files/"' in page


def test_a_subject_access_rule_under_a_week_is_refused_with_the_reason(admin):
    response = admin.post("/staff/retention/rules/subject_access_files/", {"amount": "3", "unit": "days"})
    assert response.status_code == 200
    assert (
        "Subject access downloads must be kept for at least 7 days, so there is time to download them "
        "and send them to the person securely."
    ) in response.content.decode()
    assert not RetentionRule.objects.exists()
    response = admin.post("/staff/retention/rules/subject_access_files/", {"amount": "14", "unit": "days"})
    assert response.status_code == 302
    assert (
        "Subject access downloads are now kept for 14 days."
        in admin.get("/staff/retention/").content.decode()
    )


def test_a_partnerships_own_rule_shows_with_its_default(admin):
    RetentionRuleFactory(kind=RetentionKind.SESSIONS, amount=3, unit=PeriodUnit.DAYS)
    page = admin.get("/staff/retention/").content.decode()
    assert "Kept for <strong>3 days</strong> (the partnership's rule; the default is 1 day)." in page


def test_the_overview_warns_when_the_nightly_run_has_stopped_happening(admin):
    run = RetentionRunFactory()
    RetentionRunFactory._meta.model.objects.filter(pk=run.pk).update(
        created_at=dt.datetime(2026, 11, 1, 2, tzinfo=dt.UTC)
    )
    page = admin.get("/staff/retention/").content.decode()
    assert "The nightly run has not happened" in page


def test_changing_a_rule_saves_it_and_goes_back_to_the_overview(admin):
    response = admin.post("/staff/retention/rules/conversations/", {"amount": "60", "unit": "months"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/retention/"
    rule = RetentionRule.objects.get()
    assert (rule.kind, rule.amount, rule.unit) == ("conversations", 60, "months")
    page = admin.get("/staff/retention/").content.decode()
    assert "Conversations are now kept for 60 months." in page


def test_the_rule_page_offers_for_ever_only_where_the_law_allows_it(admin):
    conversations = admin.get("/staff/retention/rules/conversations/").content.decode()
    assert "For ever: never delete them" not in conversations
    # Nor does its hint speak of keeping them for ever.
    assert "Leave it empty to use the default." in conversations
    assert "for ever" not in conversations.split("Leave it empty", 1)[1].split("</div>", 1)[0]
    audit = admin.get("/staff/retention/rules/audit_events/").content.decode()
    assert "For ever: never delete them" in audit
    assert "Leave it empty to keep them for ever or to use the default." in audit
    assert "The default: 72 months" in audit
    response = admin.post("/staff/retention/rules/audit_events/", {"amount": "", "unit": "forever"})
    assert response.status_code == 302
    assert RetentionRule.objects.get().amount is None


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"amount": "", "unit": "months"}, "Enter how many months to keep conversations for"),
        ({"amount": "2", "unit": "days"}, "Conversations must be kept for at least 1 month"),
        ({"amount": "seventy", "unit": "months"}, "Enter the number of days or months as a whole number"),
        ({"amount": "5000", "unit": "months"}, "Conversations can be kept for at most 1,200 months"),
        ({"amount": "12"}, "Choose days, months, or to use the default."),
        ({"amount": "", "unit": "forever"}, "Choose one of the options."),
    ],
)
def test_a_bad_rule_is_shown_beside_its_field_and_nothing_is_saved(admin, form, says):
    response = admin.post("/staff/retention/rules/conversations/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert says in page
    assert not RetentionRule.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="retention_rule").exists()


def test_an_unknown_kind_is_not_found(admin):
    assert admin.get("/staff/retention/rules/people/").status_code == 404
    assert admin.post("/staff/retention/rules/people/", {"amount": "1", "unit": "days"}).status_code == 404


def test_the_runs_page_reports_each_kind_of_each_run(admin):
    result = RetentionResultFactory(deleted=3_214, expected=3_214)
    page = admin.get("/staff/retention/runs/").content.decode()
    assert "Run of 1 December 2026" in page
    assert "Deleted 3,214 conversations heard before 1 December 2020 (kept for 72 months)." in page
    assert result.run.get_status_display() in page


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PARTNERSHIP_ADMIN])
def test_no_other_role_may_see_or_change_the_rules_or_the_runs(organisation, client_for, role):
    client = client_for(member_of(organisation, role), organisation)
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    assert client.post(PAGES[2], {"amount": "1", "unit": "months"}).status_code == 403
    assert not RetentionRule.objects.exists()


def test_the_public_is_sent_to_sign_in():
    for path in PAGES:
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


def test_only_partnership_administrators_have_retention_in_their_menu(organisation, client_for, admin):
    assert 'href="/staff/retention/"' in admin.get("/staff/").content.decode()
    officer = client_for(member_of(organisation, Role.ORGANISATION_ADMIN), organisation)
    assert 'href="/staff/retention/"' not in officer.get("/staff/").content.decode()


def test_the_privacy_notice_says_how_long_each_thing_is_kept_as_the_rules_say_now():
    page = Client().get("/privacy/").content.decode()
    assert "What you told one of our partners is kept for 72 months from the day you told them." in page
    assert "kept for 12 months if no partner has used it to inform a decision" in page
    assert "The record of who looked at or changed your information is kept for 72 months." in page
    assert "the file made for you is deleted 30 days after it was made" in page
    RetentionRuleFactory(kind=RetentionKind.CONVERSATIONS, amount=36)
    RetentionRuleFactory(kind=RetentionKind.SUBJECT_ACCESS_FILES, amount=14, unit=PeriodUnit.DAYS)
    RetentionRuleFactory(kind=RetentionKind.AUDIT_EVENTS, amount=None)
    page = Client().get("/privacy/").content.decode()
    assert "is kept for 36 months from the day you told them" in page
    assert "is kept for as long as the partnership exists." in page
    assert "the file made for you is deleted 14 days after it was made" in page
