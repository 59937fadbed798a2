"""The demo's areas, priorities and two years of engagement activities: realistic,
consistent with the register's rules, and with the overlaps and gaps the warnings and
the coverage matrix must find."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from engage.accounts.models import Membership
from engage.activities.models import (
    Activity,
    ActivitySeries,
    Area,
    AreaKind,
    InvolvementType,
    Level,
    Method,
    PartnershipPriority,
    Stage,
    Status,
    TargetGroup,
)
from engage.activities.overlap import ActivityProbe, OverlapCriteria, overlap_list
from engage.activities.selectors import area_with_related
from engage.demo import areas as area_specs
from engage.demo.activities import DELIBERATE_OVERLAPS, ONE_OFF, OVERLAPS, SERIES, THIN_COVERAGE
from engage.demo.organisations import STATUTORY, VCSE
from engage.demo.places import TOWN_NAMES
from engage.demo.priorities import PRIORITIES, PRIORITY_TITLES, UNCOVERED_PRIORITY
from engage.demo.services import DemoSummary
from engage.demo.staff import DEMO_USER_EMAILS
from engage.demo.tests.conftest import REFERENCE_DATE
from engage.partners.models import Organisation, OrganisationKind
from textkit.keywords import keyword_text, keywords

pytestmark = pytest.mark.django_db


def _activities() -> list[Activity]:
    return list(
        Activity.objects.select_related("lead_organisation", "contact", "series").prefetch_related(
            "areas", "priorities", "partner_organisations"
        )
    )


# --- Areas and priorities ---------------------------------------------------------------


def test_areas_form_a_tree_of_place_localities_and_wards(demo: DemoSummary) -> None:
    place = Area.objects.get(kind=AreaKind.PLACE)
    assert place.name == "Castlebridge"
    assert place.parent is None
    localities = list(Area.objects.filter(kind=AreaKind.LOCALITY))
    assert len(localities) == len(TOWN_NAMES)
    assert all(locality.parent == place for locality in localities)
    for locality in localities:
        wards = Area.objects.filter(kind=AreaKind.WARD, parent=locality)
        assert 3 <= wards.count() <= 5, locality.name
    assert not Area.objects.filter(kind=AreaKind.WARD).exclude(parent__kind=AreaKind.LOCALITY).exists()
    # Codes are made up and never look like an ONS code (E05 for a ward, E08 for a borough).
    codes = list(Area.objects.values_list("code", flat=True))
    assert all(code.startswith("DEMO-") and not re.fullmatch(r"[EWSN]\d{8}", code) for code in codes)
    assert demo.areas == Area.objects.count() == 1 + demo.localities + demo.wards


def test_every_town_is_a_locality(demo: DemoSummary) -> None:
    assert tuple(spec.town for spec in area_specs.LOCALITIES) == TOWN_NAMES
    assert all(set(spec.deprived) <= set(spec.wards) for spec in area_specs.LOCALITIES)
    # The town that shares the borough's name is not confused with the whole place.
    assert Area.objects.filter(kind=AreaKind.LOCALITY, name="Castlebridge Central").exists()


def test_priorities_come_from_the_strategy_and_one_has_no_engagement(demo: DemoSummary) -> None:
    titles = list(PartnershipPriority.objects.order_by("position").values_list("title", flat=True))
    assert titles == [spec.title for spec in PRIORITIES]
    assert "Giving every child the best start in life" in titles
    uncovered = PartnershipPriority.objects.get(title=PRIORITY_TITLES[UNCOVERED_PRIORITY])
    assert not uncovered.activities.exists()
    covered = PartnershipPriority.objects.exclude(pk=uncovered.pk)
    assert all(priority.activities.count() >= 5 for priority in covered)
    assert demo.priorities == len(PRIORITIES)
    assert demo.priorities_without_activity == 1


def test_children_and_young_people_are_asked_about_mental_health_only_once(demo: DemoSummary) -> None:
    group, priority_key = THIN_COVERAGE
    on_priority = Activity.objects.filter(priorities__title=PRIORITY_TITLES[priority_key])
    assert on_priority.count() >= 20
    asked = [activity for activity in on_priority if group in activity.target_groups]
    assert len(asked) == 1
    # Children and young people are engaged often, just not on that priority.
    assert sum(1 for a in Activity.objects.all() if group in a.target_groups) >= 15


# --- Activities -------------------------------------------------------------------------


def test_two_years_of_activities_and_some_planned_for_the_next_three_months(demo: DemoSummary) -> None:
    activities = _activities()
    assert 250 <= len(activities) <= 400
    assert demo.activities == len(activities)
    earliest = REFERENCE_DATE - timedelta(days=2 * 365)
    assert all(earliest <= a.starts_on <= REFERENCE_DATE + timedelta(days=91) for a in activities)
    # Spread over both years, not bunched.
    first_year = [a for a in activities if a.starts_on < REFERENCE_DATE - timedelta(days=365)]
    assert len(first_year) >= 100
    upcoming = [a for a in activities if a.starts_on > REFERENCE_DATE]
    assert 10 <= len(upcoming) <= 60
    assert demo.activities_planned == len(upcoming)


def test_every_activity_satisfies_the_registers_rules(demo: DemoSummary) -> None:
    for a in _activities():
        assert a.ends_on >= a.starts_on, a.title
        assert a.feedback_promised_on is None or a.feedback_promised_on >= a.ends_on, a.title
        assert a.feedback_given_on is None or a.starts_on <= a.feedback_given_on <= REFERENCE_DATE, a.title
        assert a.title.strip(), a.pk
        assert a.purpose.strip(), a.title
        assert a.topic.strip(), a.title
        assert a.stage in Stage.values
        assert a.involvement_type in InvolvementType.values
        assert a.level in Level.values
        assert a.methods, a.title
        assert set(a.methods) <= set(Method.values)
        assert a.target_groups, a.title
        assert set(a.target_groups) <= set(TargetGroup.values)
        assert a.methods == sorted(set(a.methods))
        assert a.target_groups == sorted(set(a.target_groups))
        assert a.areas.all(), a.title
        assert a.topic_terms == keyword_text(f"{a.title} {a.topic} {a.purpose}")
        assert a.lead_organisation not in a.partner_organisations.all()
        assert "{" not in a.title


def test_statuses_agree_with_the_dates(demo: DemoSummary) -> None:
    for a in _activities():
        if a.starts_on > REFERENCE_DATE:
            assert a.status == Status.PLANNED, a.title
        elif a.ends_on >= REFERENCE_DATE:
            assert a.status == Status.OPEN, a.title
        else:
            assert a.status in (Status.ANALYSING, Status.FEEDBACK_DUE, Status.CLOSED), a.title
        if a.feedback_given_on is not None:
            assert a.status == Status.CLOSED, a.title
        if a.status == Status.FEEDBACK_DUE:
            assert a.feedback_given_on is None, a.title
            assert a.feedback_promised_on is not None, a.title
    statuses = Counter(Activity.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert statuses[Status.OPEN] == demo.activities_open
    assert statuses[Status.FEEDBACK_DUE] == demo.activities_feedback_due


def test_feedback_is_promised_mostly_given_sometimes_late_and_sometimes_overdue(demo: DemoSummary) -> None:
    activities = _activities()
    promised = [a for a in activities if a.feedback_promised_on]
    assert len(promised) >= 0.6 * len(activities)
    finished = [a for a in activities if a.ends_on < REFERENCE_DATE]
    given = [a for a in finished if a.feedback_given_on]
    assert 0.5 <= len(given) / len(finished) <= 0.75
    late = [a for a in given if a.feedback_promised_on and a.feedback_given_on > a.feedback_promised_on]
    assert len(late) >= 10
    overdue = [
        a
        for a in finished
        if a.feedback_promised_on and a.feedback_promised_on < REFERENCE_DATE and not a.feedback_given_on
    ]
    assert len(overdue) >= 10
    assert any(a.status == Status.CLOSED for a in overdue)  # closed without the feedback promised
    assert any(a.status == Status.FEEDBACK_DUE for a in overdue)


def test_every_partner_kind_leads_activities(demo: DemoSummary) -> None:
    leads = Counter(a.lead_organisation.name for a in _activities())
    for spec in STATUTORY:
        assert leads[spec.name] >= 3, spec.name
    vcse_leads = [spec.name for spec in VCSE if leads[spec.name]]
    assert len(vcse_leads) >= 15
    practices = Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE, name__in=leads)
    assert practices.exists()
    # Partners take part beyond the lead, GP practices among them.
    partnered = Activity.objects.filter(partner_organisations__isnull=False).distinct()
    assert partnered.count() >= 60
    assert Activity.objects.filter(partner_organisations__kind=OrganisationKind.GP_PRACTICE).exists()


def test_activities_reach_the_whole_place_localities_and_wards(demo: DemoSummary) -> None:
    kinds = Counter(Activity.areas.through.objects.values_list("area__kind", flat=True))
    assert kinds[AreaKind.PLACE] >= 50
    assert kinds[AreaKind.LOCALITY] >= 50
    assert kinds[AreaKind.WARD] >= 20
    localities_used = set(
        Activity.areas.through.objects.filter(area__kind=AreaKind.LOCALITY).values_list(
            "area__name", flat=True
        )
    )
    assert len(localities_used) == len(TOWN_NAMES)
    # Work for people in the most deprived areas goes to the most deprived wards.
    deprived = {ward for spec in area_specs.LOCALITIES for ward in spec.deprived}
    for a in _activities():
        wards = [area.name for area in a.areas.all() if area.kind == AreaKind.WARD]
        if TargetGroup.MOST_DEPRIVED in a.target_groups and wards and a.title not in _overlap_titles():
            assert set(wards) <= deprived, a.title


def test_the_contact_is_a_member_of_staff_of_the_lead_where_it_has_one(demo: DemoSummary) -> None:
    members: dict[int, set[int]] = defaultdict(set)
    for organisation_id, user_id in Membership.objects.filter(user__email__in=DEMO_USER_EMAILS).values_list(
        "organisation_id", "user_id"
    ):
        members[organisation_id].add(user_id)
    for a in _activities():
        if a.lead_organisation_id in members:
            assert a.contact_id in members[a.lead_organisation_id], a.title
            assert a.contact is not None
            assert not a.contact.email.startswith("board@")
        else:
            assert a.contact_id is None, a.title
    # Other partners reach the contact through the lead's shared address.
    emails = Organisation.objects.values_list("contact_email", flat=True)
    assert all(re.fullmatch(r"(engagement|hello|enquiries)@[a-z0-9-]+\.example\.org", e) for e in emails)


def test_series_repeat_engagement(demo: DemoSummary) -> None:
    series = list(ActivitySeries.objects.all())
    assert len(series) == len(SERIES) == demo.activity_series
    for one in series:
        meetings = list(one.activities.order_by("starts_on"))
        assert len(meetings) >= 3, one.title
        assert all(m.lead_organisation_id == one.lead_organisation_id for m in meetings)
        assert len({m.starts_on for m in meetings}) == len(meetings)
    stall = ActivitySeries.objects.get(title="Healthwatch listening stall")
    assert stall.activities.count() >= 24  # monthly, over two years
    ppg = ActivitySeries.objects.get(title="PPG network")
    assert 8 <= ppg.activities.count() <= 10  # quarterly
    assert Activity.objects.filter(series__isnull=True).count() >= 100


def test_templates_name_only_known_organisations_and_priorities(demo: DemoSummary) -> None:
    keys = {spec.key for spec in (*STATUTORY, *VCSE)}
    specs = [*ONE_OFF, *(s.activity for s in SERIES), *(spec for pair in OVERLAPS for spec in pair)]
    for spec in specs:
        assert spec.lead in keys or spec.lead.startswith("practice:"), spec.title
        assert set(spec.partners) <= keys, spec.title
        assert set(spec.priorities) <= set(PRIORITY_TITLES), spec.title
        assert UNCOVERED_PRIORITY not in spec.priorities
    for series in SERIES:
        for theme in series.themes:
            assert set(theme.priorities) <= set(PRIORITY_TITLES)
            assert UNCOVERED_PRIORITY not in theme.priorities


# --- The overlaps the warnings must find ----------------------------------------------------


def _overlap_titles() -> set[str]:
    return {title for pair in DELIBERATE_OVERLAPS for title in pair}


def test_deliberate_overlaps_are_different_partners_asking_the_same_people_the_same_thing(
    demo: DemoSummary,
) -> None:
    assert len(DELIBERATE_OVERLAPS) >= 5
    for first_title, second_title in DELIBERATE_OVERLAPS:
        first = Activity.objects.prefetch_related("areas", "priorities").get(title=first_title)
        second = Activity.objects.prefetch_related("areas", "priorities").get(title=second_title)
        assert first.lead_organisation_id != second.lead_organisation_id
        first_areas = [area.pk for area in first.areas.all()]
        assert area_with_related(first_areas) & {area.pk for area in second.areas.all()}
        assert abs((first.starts_on - second.starts_on).days) <= 21
        assert keywords(f"{first.title} {first.topic}") & keywords(f"{second.title} {second.topic}")
        assert set(first.target_groups) & set(second.target_groups)
        assert set(first.priorities.all()) & set(second.priorities.all())


def test_the_overlap_warnings_find_every_deliberate_overlap(demo: DemoSummary) -> None:
    for first_title, second_title in DELIBERATE_OVERLAPS:
        first = Activity.objects.prefetch_related("areas", "priorities").get(title=first_title)
        found = overlap_list(probe=ActivityProbe.from_activity(first), criteria=OverlapCriteria(limit=None))
        matches = [overlap for overlap in found if overlap.other.title == second_title]
        assert matches, (first_title, second_title)
        assert {"place", "groups", "priority", "topic", "time"} <= set(matches[0].matched)


def test_one_deliberate_overlap_is_open_now_and_its_pair_is_planned(demo: DemoSummary) -> None:
    """A newcomer registering something like it today sees the warning."""
    statuses = {
        (Activity.objects.get(title=first).status, Activity.objects.get(title=second).status)
        for first, second in DELIBERATE_OVERLAPS
    }
    assert (Status.OPEN, Status.PLANNED) in statuses
