"""The engagement register: registering, the rules on dates and priorities, the lists,
calendar, timeline, exports and the priority coverage matrix."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from engage.accounts.tests.factories import member_of
from engage.activities.models import Activity, AreaKind, OverlapReview, Screening
from engage.activities.services import ActivityInput, activity_create, activity_update
from engage.activities.tests.factories import ActivityFactory, AreaFactory, PriorityFactory
from engage.core.errors import InvalidInput, NotFound
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.models import OrganisationKind
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    borough = AreaFactory(name="Castlebridge", kind=AreaKind.PLACE)
    north = AreaFactory(name="Northfield", kind=AreaKind.LOCALITY, parent=borough)
    ward = AreaFactory(name="Northfield East", kind=AreaKind.WARD, parent=north)
    south = AreaFactory(name="Southmoor", kind=AreaKind.LOCALITY, parent=borough)
    return {"place": borough, "north": north, "ward": ward, "south": south}


@pytest.fixture
def icb():
    return OrganisationFactory(
        name="Castlebridge ICB", kind=OrganisationKind.ICB, contact_email="engage@icb.example.org"
    )


def valid(place, **changes) -> ActivityInput:
    values = {
        "title": "Urgent care review",
        "purpose": "Hear how people use urgent care.",
        "topic": "urgent care",
        "stage": "plan",
        "involvement_type": "collective",
        "level": "consult",
        "starts_on": dt.date(2026, 5, 4),
        "ends_on": dt.date(2026, 5, 29),
        "target_groups": ["carers", "older_people"],
        "methods": ["survey", "event"],
        "area_ids": [place["north"].pk],
        "feedback_promised_on": dt.date(2026, 7, 1),
    }
    return ActivityInput(**(values | changes))


def test_an_activity_is_registered_with_its_keywords_and_audited(place, icb) -> None:
    priority = PriorityFactory(title="Joined-up urgent care")
    activity = activity_create(actor=None, organisation=icb, data=valid(place, priority_ids=[priority.pk]))
    assert activity.lead_organisation == icb
    assert list(activity.priorities.all()) == [priority]
    assert "urgent" in activity.topic_terms.split()
    assert AuditEvent.objects.filter(subject_type="activity", action=AuditAction.CREATED).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": dt.date(2026, 5, 1)}, "ends_on", "on or after the start date"),
        (
            {"feedback_promised_on": dt.date(2026, 5, 20)},
            "feedback_promised_on",
            "before the activity closes",
        ),
        (
            {"priority_ids": [999999]},
            "priority_ids",
            "no current partnership priority with the number 999999",
        ),
        ({"target_groups": []}, "target_groups", "at least one group"),
        ({"target_groups": ["martians"]}, "target_groups", "Unknown group: martians"),
        ({"area_ids": []}, "area_ids", "Choose the area"),
        ({"level": "shout"}, "level", "not one of the choices"),
        ({"title": "  "}, "title", "Enter a title"),
        ({"feedback_given_on": dt.date(2026, 1, 1)}, "feedback_given_on", "before the activity started"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    place, icb, changes, field, message
) -> None:
    with pytest.raises(InvalidInput) as refused:
        activity_create(actor=None, organisation=icb, data=valid(place, **changes))
    assert message in refused.value.errors[field]
    assert not Activity.objects.exists()


def test_a_retired_priority_cannot_be_chosen(place, icb) -> None:
    old = PriorityFactory(is_active=False)
    with pytest.raises(InvalidInput, match="no current partnership priority"):
        activity_create(actor=None, organisation=icb, data=valid(place, priority_ids=[old.pk]))


def test_only_the_lead_organisation_may_change_an_activity(place, icb, client_for) -> None:

    activity = activity_create(actor=None, organisation=icb, data=valid(place))
    other = OrganisationFactory()
    with pytest.raises(NotFound):
        activity_update(
            actor=None, organisation=other, activity_id=activity.pk, data=valid(place, title="Taken over")
        )
    outsider = client_for(member_of(other, Role.ENGAGEMENT_OFFICER), other)
    assert outsider.get(f"/staff/activities/{activity.pk}/edit/").status_code == 404


def date_fields(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def form_data(place, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Carers' breaks survey",
        "purpose": "Find out what breaks carers need.",
        "topic": "carers breaks",
        "stage": "analyse",
        "involvement_type": "collective",
        "level": "consult",
        "status": "planned",
        "target_groups": ["carers"],
        "methods": ["survey"],
        "area_ids": [str(place["south"].pk)],
        **date_fields("starts_on", dt.date(2026, 6, 1)),
        **date_fields("ends_on", dt.date(2026, 6, 30)),
    }
    return data | changes


def test_an_officer_registers_an_activity_through_the_page(place, icb, client_for) -> None:
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    response = officer.post("/staff/activities/new/", form_data(place))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/activities/{activity.pk}/"
    assert activity.areas.get() == place["south"]


def test_the_page_shows_every_problem_beside_its_field_and_saves_nothing(place, icb, client_for) -> None:
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    response = officer.post(
        "/staff/activities/new/",
        form_data(
            place,
            **date_fields("ends_on", dt.date(2026, 5, 1)),
            **date_fields("feedback_promised_on", dt.date(2026, 4, 30)),
        ),
    )
    page = response.content.decode()
    assert "The end date must be on or after the start date." in page
    assert "Feedback cannot be promised before the activity closes" in page
    assert not Activity.objects.exists()


def test_an_overlap_is_shown_before_saving_and_saving_anyway_records_the_activity(
    place, icb, client_for
) -> None:
    healthwatch = OrganisationFactory(
        name="Healthwatch Castlebridge",
        kind=OrganisationKind.HEALTHWATCH,
        contact_email="hello@healthwatch.example.org",
    )
    ActivityFactory(
        title="Carers' breaks: tell us what you need",
        topic="carers breaks",
        lead_organisation=healthwatch,
        starts_on=dt.date(2026, 6, 8),
        ends_on=dt.date(2026, 6, 20),
        areas=[place["south"]],
        target_groups=["carers"],
    )
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    warned = officer.post("/staff/activities/new/", form_data(place))
    page = warned.content.decode()
    assert warned.status_code == 200
    assert "may reach the same people" in page
    assert "Healthwatch Castlebridge" in page
    assert "hello@healthwatch.example.org" in page
    assert Activity.objects.count() == 1
    saved = officer.post("/staff/activities/new/", form_data(place, confirm_overlaps="True"))
    assert saved.status_code == 302
    assert Activity.objects.count() == 2


def test_the_lead_records_joined_up_and_the_decision_is_kept(place, icb, client_for) -> None:
    mine = ActivityFactory(
        lead_organisation=icb, title="GP access survey", topic="gp access", areas=[place["north"]]
    )
    theirs = ActivityFactory(title="GP access listening stall", topic="gp access", areas=[place["ward"]])
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    officer.post(
        f"/staff/activities/{mine.pk}/overlaps/{theirs.pk}/", {"decision": "joined_up", "note": "One survey"}
    )
    review = OverlapReview.objects.get()
    assert (review.activity, review.other, review.decision, review.note) == (
        mine,
        theirs,
        "joined_up",
        "One survey",
    )


def test_contact_details_of_staff_stay_with_the_lead_organisation(place, icb, client_for) -> None:
    contact = member_of(icb, Role.ENGAGEMENT_OFFICER, email="priya.officer@icb.example.org")
    activity = ActivityFactory(lead_organisation=icb, contact=contact, areas=[place["north"]])
    other = OrganisationFactory()
    outsider = client_for(member_of(other, Role.BOARD_MEMBER), other).get(f"/staff/activities/{activity.pk}/")
    insider = client_for(contact, icb).get(f"/staff/activities/{activity.pk}/")
    assert "priya.officer@icb.example.org" not in outsider.content.decode()
    assert "engage@icb.example.org" in outsider.content.decode()
    assert "priya.officer@icb.example.org" in insider.content.decode()


def test_every_role_can_read_the_register_but_only_engagement_roles_register(place, icb, client_for) -> None:
    ActivityFactory(title="Maternity voices", areas=[place["place"]])
    for role in (Role.BOARD_MEMBER, Role.ANALYST, Role.PARTNERSHIP_ADMIN):
        client = client_for(member_of(icb, role), icb)
        assert "Maternity voices" in client.get("/staff/activities/").content.decode()
        assert client.get("/staff/activities/new/").status_code == 403


def test_filters_narrow_the_list(place, icb, client_for) -> None:
    ActivityFactory(
        title="Young people's mental health", target_groups=["children_young_people"], areas=[place["ward"]]
    )
    ActivityFactory(title="Dementia cafe", target_groups=["older_people"], areas=[place["south"]])
    client = client_for(member_of(icb, Role.ANALYST), icb)
    by_group = client.get("/staff/activities/?group=children_young_people").content.decode()
    assert "Young people" in by_group
    assert "Dementia cafe" not in by_group
    by_area = client.get(f"/staff/activities/?area={place['north'].pk}").content.decode()
    assert "Young people" in by_area  # a ward inside the locality
    assert "Dementia cafe" not in by_area


def test_exports_are_a_safe_csv_and_a_valid_icalendar(place, icb, client_for) -> None:
    ActivityFactory(
        title='=HYPERLINK("x")',
        areas=[place["north"]],
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 2),
    )
    client = client_for(member_of(icb, Role.ANALYST), icb)
    rows = list(csv.reader(io.StringIO(client.get("/staff/activities/register.csv").content.decode())))
    assert rows[0][:3] == ["ID", "Title", "Purpose"]
    assert rows[1][1].startswith("'=")
    ical = Calendar.from_ical(client.get("/staff/activities/register.ics").content)
    event = next(iter(ical.walk("VEVENT")))
    assert event.decoded("dtstart") == dt.date(2026, 3, 2)
    assert event.decoded("dtend") == dt.date(2026, 3, 3)


def test_calendar_and_timeline_show_activities_in_their_month(place, icb, client_for) -> None:
    ActivityFactory(
        title="Spring listening tour",
        starts_on=dt.date(2026, 4, 6),
        ends_on=dt.date(2026, 4, 10),
        areas=[place["place"]],
    )
    client = client_for(member_of(icb, Role.BOARD_MEMBER), icb)
    april = client.get("/staff/activities/calendar/?month=2026-04").content.decode()
    assert "Spring listening tour" in april
    assert (
        "Spring listening tour"
        not in client.get("/staff/activities/calendar/?month=2026-06").content.decode()
    )
    assert "Spring listening tour" in client.get("/staff/activities/timeline/?from=2026-01").content.decode()


def test_the_timeline_draws_every_activity_through_its_last_month(place, icb, client_for) -> None:
    """96 activities, eight starting in each of twelve months: the last month's are drawn
    too, as bars at the right-hand end, not left out for want of room."""
    for month in range(1, 13):
        for n in range(8):
            day = dt.date(2026, month, 2 + n)
            ActivityFactory(
                title=f"Activity {month:02d}-{n}", starts_on=day, ends_on=day + dt.timedelta(days=5)
            )
    client = client_for(member_of(icb, Role.BOARD_MEMBER), icb)

    page = client.get("/staff/activities/timeline/?from=2026-01").content.decode()

    assert "January 2026 to December 2026" in page
    assert "96 activities." in page
    svg = page.split('<svg class="engage-timeline"', 1)[1].split("</svg>", 1)[0]
    bars = {
        title: float(x)
        for x, title in re.findall(r'<rect class="engage-bar[^"]*" x="([\d.]+)"[^>]*><title>([^:<]+):', svg)
    }
    assert len(bars) == 96
    last = Activity.objects.get(title="Activity 12-7")
    assert f'href="/staff/activities/{last.pk}/"' in svg
    # December is the chart's last twelfth, after the 320 units of labels.
    december = 320 + (1000 - 320) * 11 / 12
    assert all(bars[f"Activity 12-{n}"] > december - 1 for n in range(8))


def test_coverage_names_priorities_with_no_engagement_and_the_gaps(place, icb, client_for) -> None:
    today = timezone.localdate()
    covered, uncovered = PriorityFactory(title="Best start in life"), PriorityFactory(title="Ageing well")
    ActivityFactory(
        title="Family hubs",
        priorities=[covered],
        target_groups=["children_young_people"],
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=20),
        areas=[place["place"]],
    )
    page = (
        client_for(member_of(icb, Role.BOARD_MEMBER), icb).get("/staff/activities/coverage/").content.decode()
    )
    assert "Priorities with no engagement" in page
    gap_list = page.split("Priorities with no engagement")[1].split("</ul>")[0]
    assert uncovered.title in gap_list
    assert covered.title not in gap_list


def test_partnership_admin_manages_priorities_and_others_cannot(icb, client_for) -> None:
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    admin.post("/staff/priorities/new/", {"title": "Healthy, safe communities", "position": "1"})
    duplicate = admin.post("/staff/priorities/new/", {"title": "healthy, safe communities"})
    assert "There is already a priority called" in duplicate.content.decode()
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    assert officer.get("/staff/priorities/").status_code == 403


def test_an_activity_registered_from_a_screening_starts_from_its_advice_and_keeps_it(
    place, icb, client_for
) -> None:

    screening = Screening.objects.create(
        title="Closing the walk-in centre at night",
        organisation=icb,
        rules_version="2025.1",
        answers={"affected": ["carers"]},
        recommendation={
            "involvement_type": "collective",
            "level": "involve",
            "methods": ["event"],
            "target_groups": ["carers"],
        },
    )
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    page = officer.get(f"/staff/activities/new/?screening={screening.pk}").content.decode()
    assert 'value="Closing the walk-in centre at night"' in page
    # The level is asked at the third step; until then it goes along with the answers.
    assert '<input type="hidden" name="level" value="involve">' in page
    officer.post(f"/staff/activities/new/?screening={screening.pk}", form_data(place, level="involve"))
    screening.refresh_from_db()
    assert screening.activity == Activity.objects.get()


def test_repeat_engagement_starts_a_series_that_later_activities_join(place, icb) -> None:
    first = activity_create(actor=None, organisation=icb, data=valid(place, new_series_title="Carers' forum"))
    assert first.series is not None
    assert first.series.lead_organisation == icb
    second = activity_create(
        actor=None,
        organisation=icb,
        overlaps_seen=True,  # the series' next meeting reaches the same people, knowingly
        data=valid(
            place,
            title="Carers' forum, June",
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 6, 1),
            feedback_promised_on=None,
            series_id=first.series.pk,
        ),
    )
    assert list(first.series.activities.order_by("starts_on")) == [first, second]
    with pytest.raises(InvalidInput, match="not both"):
        activity_create(
            actor=None,
            organisation=icb,
            data=valid(place, series_id=first.series.pk, new_series_title="Another"),
        )
