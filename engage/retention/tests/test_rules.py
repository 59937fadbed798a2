"""The rules: periods as people write them, the defaults from settings, and changing a
kind's rule, which only a partnership administrator may do and which saves nothing
unless every part is right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.checks import run_checks

from engage.accounts.tests.factories import member_of
from engage.core.errors import InvalidInput, NotFound, NotPermitted
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory
from engage.retention.models import (
    Period,
    PeriodUnit,
    RetentionKind,
    RetentionRule,
    months_before,
    period_parse,
    period_problem,
)
from engage.retention.selectors import retention_rule_get, retention_rule_list
from engage.retention.services import DEFAULT, FOREVER, retention_rule_set
from engage.retention.tests.factories import RetentionRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Castlebridge ICB")


@pytest.fixture
def admin(organisation):
    return member_of(organisation, Role.PARTNERSHIP_ADMIN)


def test_a_period_is_written_in_days_or_months_or_for_ever():
    assert period_parse("72 months") == Period(72, PeriodUnit.MONTHS)
    assert period_parse(" 1  Day ") == Period(1, PeriodUnit.DAYS)
    assert period_parse("30days") == Period(30, PeriodUnit.DAYS)
    assert period_parse("for ever").forever
    assert period_parse("forever").forever
    for wrong in ("", "72", "six months", "72 weeks", "-1 days", "1.5 months"):
        with pytest.raises(ValueError, match="is not a period"):
            period_parse(wrong)


def test_months_are_counted_back_by_the_calendar():
    assert months_before(dt.date(2026, 12, 7), 72) == dt.date(2020, 12, 7)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
    assert Period(30, PeriodUnit.DAYS).cutoff(dt.date(2026, 12, 7)) == dt.date(2026, 11, 7)
    assert Period(None).cutoff(dt.date(2026, 12, 7)) is None
    assert str(Period(1, PeriodUnit.DAYS)) == "1 day"
    assert str(Period(72, PeriodUnit.MONTHS)) == "72 months"


def test_only_audit_events_may_be_kept_for_ever_and_each_kind_has_a_shortest_period():
    assert period_problem(RetentionKind.AUDIT_EVENTS, Period(None)) is None
    for kind in RetentionKind.values:
        if kind != RetentionKind.AUDIT_EVENTS:
            assert "cannot be kept for ever" in (period_problem(kind, Period(None)) or "")
    assert "at least 1 month" in (period_problem(RetentionKind.CONVERSATIONS, Period(30, "days")) or "")
    assert period_problem(RetentionKind.CONVERSATIONS, Period(31, "days")) is None
    assert "at least 12 months" in (period_problem(RetentionKind.AUDIT_EVENTS, Period(11, "months")) or "")
    assert "at most 1,200 months" in (
        period_problem(RetentionKind.CONVERSATIONS, Period(1201, "months")) or ""
    )


def test_subject_access_downloads_are_kept_30_days_by_default_and_never_under_a_week():
    rule = retention_rule_get(RetentionKind.SUBJECT_ACCESS_FILES)
    assert (rule.period, rule.own_rule) == (Period(30, PeriodUnit.DAYS), False)
    assert rule.policy.setting == "ENGAGE_RETENTION_SUBJECT_ACCESS_FILES"
    assert period_problem(RetentionKind.SUBJECT_ACCESS_FILES, Period(6, PeriodUnit.DAYS)) == (
        "Subject access downloads must be kept for at least 7 days, so there is time to download "
        "them and send them to the person securely."
    )
    assert period_problem(RetentionKind.SUBJECT_ACCESS_FILES, Period(7, PeriodUnit.DAYS)) is None
    assert "cannot be kept for ever" in (
        period_problem(RetentionKind.SUBJECT_ACCESS_FILES, Period(None)) or ""
    )
    assert "a month to answer the person" in rule.policy.why


def test_a_kind_with_no_rule_of_its_own_follows_its_default_from_settings(settings):
    settings.ENGAGE_RETENTION_CONVERSATIONS = "60 months"
    rule = retention_rule_get(RetentionKind.CONVERSATIONS)
    assert rule.period == Period(60, PeriodUnit.MONTHS)
    assert not rule.own_rule
    RetentionRuleFactory(kind=RetentionKind.CONVERSATIONS, amount=36)
    rule = retention_rule_get(RetentionKind.CONVERSATIONS)
    assert rule.period == Period(36, PeriodUnit.MONTHS)
    assert rule.own_rule
    assert rule.default == Period(60, PeriodUnit.MONTHS)
    assert [r.kind for r in retention_rule_list()] == RetentionKind.values


def test_a_bad_default_in_the_environment_stops_the_start_with_a_sentence(settings):
    settings.ENGAGE_RETENTION_CONVERSATIONS = "2 days"
    settings.ENGAGE_RETENTION_SESSIONS = "a while"
    settings.ENGAGE_RETENTION_HOUR = 25
    settings.ENGAGE_RETENTION_SUBJECT_ACCESS_FILES = "3 days"
    messages = [m.msg for m in run_checks() if m.id and m.id.startswith("retention.")]
    assert any(
        "ENGAGE_RETENTION_CONVERSATIONS is '2 days'" in m and "at least 1 month" in m for m in messages
    )
    assert any("ENGAGE_RETENTION_SESSIONS is 'a while'" in m for m in messages)
    assert any("ENGAGE_RETENTION_HOUR is 25" in m for m in messages)
    assert any(
        "ENGAGE_RETENTION_SUBJECT_ACCESS_FILES is '3 days'" in m and "at least 7 days" in m for m in messages
    )


def test_the_defaults_that_ship_pass_their_own_check():
    assert [m for m in run_checks() if m.id and m.id.startswith("retention.")] == []


def test_an_administrator_sets_a_kinds_period_and_it_is_audited(admin, organisation):
    now = retention_rule_set(
        actor=admin,
        actor_organisation=organisation,
        kind=RetentionKind.CONVERSATIONS,
        amount=60,
        unit="months",
    )
    assert now == Period(60, PeriodUnit.MONTHS)
    rule = RetentionRule.objects.get(kind=RetentionKind.CONVERSATIONS)
    assert (rule.amount, rule.unit, rule.changed_by) == (60, "months", admin)
    event = AuditEvent.objects.get(subject_type="retention_rule")
    assert event.action == AuditAction.UPDATED
    assert event.actor == admin
    assert event.subject_id == "conversations"
    assert event.summary == "Changed how long conversations are kept: from 72 months to 60 months."


def test_audit_events_may_be_kept_for_ever_and_a_kind_may_go_back_to_its_default(admin, organisation):
    retention_rule_set(
        actor=admin,
        actor_organisation=organisation,
        kind=RetentionKind.AUDIT_EVENTS,
        amount=None,
        unit=FOREVER,
    )
    assert retention_rule_get(RetentionKind.AUDIT_EVENTS).period.forever
    back = retention_rule_set(
        actor=admin,
        actor_organisation=organisation,
        kind=RetentionKind.AUDIT_EVENTS,
        amount=None,
        unit=DEFAULT,
    )
    assert back == Period(72, PeriodUnit.MONTHS)
    assert not RetentionRule.objects.exists()
    summaries = list(
        AuditEvent.objects.filter(subject_type="retention_rule").values_list("summary", flat=True)
    )
    assert (
        "Audit trail entries now follow the default: kept for 72 months (were kept for for ever)."
        in summaries
    )


def test_saving_the_same_period_again_changes_and_records_nothing(admin, organisation):
    retention_rule_set(
        actor=admin, actor_organisation=organisation, kind=RetentionKind.SESSIONS, amount=None, unit=DEFAULT
    )
    retention_rule_set(
        actor=admin, actor_organisation=organisation, kind=RetentionKind.SESSIONS, amount=3, unit="days"
    )
    retention_rule_set(
        actor=admin, actor_organisation=organisation, kind=RetentionKind.SESSIONS, amount=3, unit="days"
    )
    assert not RetentionRule.objects.exclude(kind=RetentionKind.SESSIONS).exists()
    assert AuditEvent.objects.filter(subject_type="retention_rule").count() == 1


@pytest.mark.parametrize(
    "case",
    [
        (RetentionKind.CONVERSATIONS, None, "months", "amount", "Enter how many months"),
        (RetentionKind.CONVERSATIONS, 0, "months", "amount", "at least 1 month"),
        (RetentionKind.CONVERSATIONS, 20, "days", "amount", "at least 1 month"),
        (RetentionKind.CONVERSATIONS, 1201, "months", "amount", "at most 1,200 months"),
        (RetentionKind.CONVERSATIONS, 36501, "days", "amount", "at most 36,500 days"),
        (RetentionKind.CONVERSATIONS, None, FOREVER, "unit", "cannot be kept for ever"),
        (RetentionKind.SESSIONS, 5, "weeks", "unit", "Choose days, months"),
        (RetentionKind.IMPORT_FILES, 1, "days", "amount", "at least 2 days"),
        (RetentionKind.AUDIT_EVENTS, 6, "months", "amount", "at least 12 months"),
        (RetentionKind.SUBJECT_ACCESS_FILES, 6, "days", "amount", "at least 7 days, so there is time"),
        (RetentionKind.SUBJECT_ACCESS_FILES, None, FOREVER, "unit", "cannot be kept for ever"),
    ],
)
def test_a_bad_rule_is_refused_by_field_and_nothing_is_saved(admin, organisation, case):
    kind, amount, unit, field, says = case
    with pytest.raises(InvalidInput) as refused:
        retention_rule_set(actor=admin, actor_organisation=organisation, kind=kind, amount=amount, unit=unit)
    assert list(refused.value.errors) == [field]
    assert says in refused.value.errors[field]
    assert not RetentionRule.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="retention_rule").exists()


def test_an_unknown_kind_is_not_found(admin, organisation):
    with pytest.raises(NotFound):
        retention_rule_set(actor=admin, actor_organisation=organisation, kind="people", amount=1, unit="days")


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PARTNERSHIP_ADMIN])
def test_only_a_partnership_administrator_may_change_a_rule(organisation, role):
    someone = member_of(organisation, role)
    with pytest.raises(NotPermitted):
        retention_rule_set(
            actor=someone,
            actor_organisation=organisation,
            kind=RetentionKind.CONVERSATIONS,
            amount=1,
            unit="months",
        )
    assert not RetentionRule.objects.exists()
