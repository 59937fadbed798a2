"""The register's lists for a member of staff's dashboard: the activities they look
after, and their organisation's current and upcoming ones."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.models import Status
from engage.activities.selectors import activity_list_current_and_upcoming, activity_list_looked_after
from engage.activities.tests.factories import ActivityFactory
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)


def _on(organisation, starts_on, ends_on, **fields):
    return ActivityFactory(lead_organisation=organisation, starts_on=starts_on, ends_on=ends_on, **fields)


def test_looked_after_are_those_a_person_is_contact_for_or_registered_and_not_closed():
    council = OrganisationFactory()
    officer = member_of(council, Role.ENGAGEMENT_OFFICER)
    colleague = member_of(council, Role.ENGAGEMENT_OFFICER)
    ended_waiting = _on(
        council, dt.date(2026, 5, 1), dt.date(2026, 5, 20), contact=officer, status=Status.FEEDBACK_DUE
    )
    registered = _on(council, dt.date(2026, 10, 1), dt.date(2026, 10, 9), created_by=officer)
    _on(council, dt.date(2026, 4, 1), dt.date(2026, 4, 9), contact=officer, status=Status.CLOSED)
    _on(council, dt.date(2026, 10, 1), dt.date(2026, 10, 9), contact=colleague)
    # Registered while acting for another organisation: not this one's.
    _on(OrganisationFactory(), dt.date(2026, 10, 1), dt.date(2026, 10, 9), created_by=officer)

    found = activity_list_looked_after(organisation=council, user=officer)
    assert found.items == [ended_waiting, registered]  # the soonest to end first
    assert found.total == 2


def test_current_and_upcoming_are_led_or_joined_not_ended_nor_closed_soonest_first():
    council = OrganisationFactory()
    trust = OrganisationFactory()
    officer = member_of(council, Role.ENGAGEMENT_OFFICER)
    under_way = _on(council, dt.date(2026, 8, 20), dt.date(2026, 9, 10))
    ends_today = _on(council, dt.date(2026, 8, 1), TODAY)
    joined = _on(trust, dt.date(2026, 9, 5), dt.date(2026, 9, 6))
    joined.partner_organisations.add(council)
    to_come = _on(council, dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    _on(council, dt.date(2026, 8, 1), dt.date(2026, 8, 31))  # ended
    _on(council, dt.date(2026, 8, 1), dt.date(2026, 9, 30), status=Status.CLOSED)
    _on(trust, dt.date(2026, 9, 1), dt.date(2026, 9, 30))  # another partner's alone
    mine = _on(council, dt.date(2026, 9, 1), dt.date(2026, 9, 30), contact=officer)

    everything = activity_list_current_and_upcoming(organisation=council, today=TODAY)
    assert everything.items == [ends_today, under_way, mine, joined, to_come]
    apart = activity_list_current_and_upcoming(
        organisation=council, leaving_out_those_of=officer, today=TODAY
    )
    assert mine not in apart.items
    assert apart.total == 4


def test_a_long_list_is_cut_short_and_counted():
    council = OrganisationFactory()
    for day in range(1, 10):
        _on(council, dt.date(2026, 10, day), dt.date(2026, 10, day))
    found = activity_list_current_and_upcoming(organisation=council, today=TODAY, limit=3)
    assert [a.starts_on.day for a in found] == [1, 2, 3]
    assert (found.total, found.more) == (9, 6)


def test_no_organisation_has_no_activities():
    ActivityFactory(starts_on=TODAY, ends_on=TODAY)
    assert activity_list_current_and_upcoming(organisation=None, today=TODAY).total == 0
    assert activity_list_looked_after(organisation=None, user=None).total == 0
