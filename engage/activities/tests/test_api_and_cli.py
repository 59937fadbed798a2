"""The register through the REST API and `engage activities`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engage.accounts.tests.factories import member_of
from engage.activities.models import Activity, AreaKind
from engage.activities.tests.factories import ActivityFactory, AreaFactory
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    place = AreaFactory(name="Castlebridge", kind=AreaKind.PLACE)
    return AreaFactory(name="Northfield East", kind=AreaKind.WARD, parent=place)


def payload(ward, **changes):
    return {
        "title": "Pharmacy opening hours",
        "purpose": "Hear when people need a pharmacy.",
        "topic": "pharmacy",
        "stage": "analyse",
        "involvement_type": "collective",
        "level": "consult",
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-30",
        "target_groups": ["general_public"],
        "area_ids": [ward.pk],
        "feedback_promised_on": "2026-11-01",
    } | changes


def test_an_officer_registers_an_activity_through_the_api(ward, client_for) -> None:
    icb = OrganisationFactory()
    client = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    response = client.post("/api/v1/activities/", payload(ward), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["lead_organisation"] == icb.name
    listed = client.get("/api/v1/activities/?q=pharmacy").json()
    assert [a["title"] for a in listed["results"]] == ["Pharmacy opening hours"]


def test_the_api_explains_bad_input_by_field(ward, client_for) -> None:
    icb = OrganisationFactory()
    client = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    response = client.post(
        "/api/v1/activities/",
        payload(ward, feedback_promised_on="2026-09-15"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "before the activity closes" in response.json()["feedback_promised_on"][0]
    assert not Activity.objects.exists()


def test_a_board_member_reads_but_cannot_register_through_the_api(ward, client_for) -> None:
    icb = OrganisationFactory()
    ActivityFactory(areas=[ward])
    client = client_for(member_of(icb, Role.BOARD_MEMBER), icb)
    assert client.get("/api/v1/activities/").status_code == 200
    assert (
        client.post("/api/v1/activities/", payload(ward), content_type="application/json").status_code == 403
    )


def test_the_api_lists_overlaps_with_their_reasons(ward, client_for) -> None:
    icb = OrganisationFactory()
    first = ActivityFactory(title="Carers' breaks survey", topic="carers breaks", areas=[ward])
    ActivityFactory(title="Carers' breaks listening event", topic="carers breaks", areas=[ward])
    client = client_for(member_of(icb, Role.ANALYST), icb)
    overlaps = client.get(f"/api/v1/activities/{first.pk}/overlaps/").json()
    assert [o["activity"]["title"] for o in overlaps] == ["Carers' breaks listening event"]
    assert overlaps[0]["explanation"]


def test_engage_activities_add_list_show_and_export(ward, tmp_path, capsys) -> None:
    icb = OrganisationFactory(name="Castlebridge ICB")
    description = tmp_path / "activity.json"
    description.write_text(json.dumps(payload(ward) | {"area_ids": [ward.pk]}))
    call_command("activities", "add", str(description), "--organisation", "Castlebridge ICB")
    activity = Activity.objects.get()
    assert activity.lead_organisation == icb
    call_command("activities", "list", "--json")
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])[0]["title"] == "Pharmacy opening hours"
    output = tmp_path / "register.ics"
    call_command("activities", "export", "--format", "ics", "--output", str(output))
    assert b"BEGIN:VCALENDAR" in output.read_bytes()


def test_engage_activities_add_refuses_bad_input_with_the_field(ward, tmp_path) -> None:
    OrganisationFactory(name="Castlebridge ICB")
    description = tmp_path / "activity.json"
    description.write_text(json.dumps(payload(ward, ends_on="2026-08-01")))
    with pytest.raises(CommandError, match=r"ends_on: The end date must be on or after the start date\."):
        call_command("activities", "add", str(description), "--organisation", "Castlebridge ICB")
    assert not Activity.objects.exists()


def test_engage_activities_add_stops_on_an_overlap_unless_forced(ward, tmp_path) -> None:
    OrganisationFactory(name="Castlebridge ICB")
    ActivityFactory(
        title="Pharmacy opening hours survey",
        topic="pharmacy",
        areas=[ward],
        starts_on=dt.date(2026, 9, 7),
        ends_on=dt.date(2026, 9, 20),
        target_groups=["general_public"],
    )
    description = tmp_path / "activity.json"
    description.write_text(json.dumps(payload(ward)))
    with pytest.raises(CommandError, match="Add --force"):
        call_command("activities", "add", str(description), "--organisation", "Castlebridge ICB")
    call_command("activities", "add", str(description), "--organisation", "Castlebridge ICB", "--force")
    assert Activity.objects.count() == 2


def test_the_api_shows_overlaps_before_saving_and_saves_once_confirmed(ward, client_for) -> None:
    icb = OrganisationFactory()
    ActivityFactory(
        title="Pharmacy opening hours survey",
        topic="pharmacy",
        areas=[ward],
        starts_on=dt.date(2026, 9, 7),
        ends_on=dt.date(2026, 9, 20),
        target_groups=["general_public"],
    )
    client = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    warned = client.post("/api/v1/activities/", payload(ward), content_type="application/json")
    assert warned.status_code == 409
    assert warned.json()["overlaps"][0]["title"] == "Pharmacy opening hours survey"
    assert Activity.objects.count() == 1
    saved = client.post(
        "/api/v1/activities/", payload(ward, confirm_overlaps=True), content_type="application/json"
    )
    assert saved.status_code == 201
    assert Activity.objects.count() == 2
