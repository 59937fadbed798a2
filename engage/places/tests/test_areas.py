"""The partnership's own areas: localities made and given their wards, areas renamed,
merged and retired, activities keeping their history, and the pages only for the
partnership's administrators."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.activities.forms import area_choices
from engage.activities.models import Activity, Area, AreaKind
from engage.activities.selectors import area_list
from engage.activities.tests.factories import ActivityFactory, AreaFactory
from engage.activities.tests.test_register import date_fields
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.models import OrganisationKind
from engage.partners.tests.factories import OrganisationFactory
from engage.places.areas import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def place() -> dict[str, Area]:
    dudley = AreaFactory(name="Dudley", kind=AreaKind.PLACE, code="E08000027")
    wards = {
        name: AreaFactory(name=name, kind=AreaKind.WARD, parent=dudley, code=f"E0501478{i}")
        for i, name in enumerate(["Amblecote", "Belle Vale", "Brierley Hill", "Wordsley"])
    }
    return {"place": dudley, **wards}


def test_a_locality_is_made_under_the_place_and_given_its_wards(place: dict[str, Area]) -> None:
    stourbridge = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="  Stourbridge ")
    assert (stourbridge.name, stourbridge.parent_id) == ("Stourbridge", place["place"].pk)

    services.locality_wards_set(
        actor=None, locality_id=stourbridge.pk, ward_ids=[place["Amblecote"].pk, place["Wordsley"].pk]
    )
    assert set(stourbridge.children.values_list("name", flat=True)) == {"Amblecote", "Wordsley"}

    # Choosing again moves out the wards no longer chosen, back under the place.
    services.locality_wards_set(actor=None, locality_id=stourbridge.pk, ward_ids=[place["Wordsley"].pk])
    place["Amblecote"].refresh_from_db()
    assert place["Amblecote"].parent_id == place["place"].pk
    assert AuditEvent.objects.filter(subject_type="area", summary__contains="1 moved out").exists()


def test_a_ward_moves_from_one_locality_to_another(place: dict[str, Area]) -> None:
    north = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="North")
    south = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="South")
    services.locality_wards_set(actor=None, locality_id=north.pk, ward_ids=[place["Belle Vale"].pk])
    services.locality_wards_set(actor=None, locality_id=south.pk, ward_ids=[place["Belle Vale"].pk])
    assert list(north.children.all()) == []
    assert list(south.children.values_list("name", flat=True)) == ["Belle Vale"]


@pytest.mark.parametrize(
    ("call", "says"),
    [
        ({"kind": AreaKind.LOCALITY, "name": " "}, "Enter the area's name"),
        ({"kind": AreaKind.LOCALITY, "name": "x" * 121}, "at most 120"),
        ({"kind": AreaKind.PLACE, "name": "Sandwell"}, "Choose a locality or a ward"),
        ({"kind": AreaKind.WARD, "name": "amblecote"}, "already a ward called amblecote"),
        ({"kind": AreaKind.WARD, "name": "New", "code": "e05014780"}, "already has the code E05014780"),
        ({"kind": AreaKind.WARD, "name": "New", "code": "DY1"}, "DY1 is not a ward's ONS code"),
    ],
)
def test_bad_new_areas_are_refused_naming_the_field(
    place: dict[str, Area], call: dict[str, Any], says: str
) -> None:
    before = Area.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.area_create(actor=None, **call)
    assert says in refused.value.message
    assert Area.objects.count() == before


def test_wards_given_to_a_locality_must_be_wards_in_use(place: dict[str, Area]) -> None:
    north = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="North")
    other = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="Other")
    for ward_ids in ([other.pk], [place["place"].pk], [999_999]):
        with pytest.raises(InvalidInput, match="Choose wards in use"):
            services.locality_wards_set(actor=None, locality_id=north.pk, ward_ids=ward_ids)
    with pytest.raises(InvalidInput, match="locality in use"):
        services.locality_wards_set(actor=None, locality_id=place["Amblecote"].pk, ward_ids=[])
    with pytest.raises(NotFound):
        services.locality_wards_set(actor=None, locality_id=999_999, ward_ids=[])


def test_a_retired_area_is_not_offered_for_new_activities_but_activities_keep_it(
    place: dict[str, Area], client_for: Any
) -> None:
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    officer = member_of(icb, Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(lead_organisation=icb, contact=officer, areas=[place["Wordsley"]])

    services.area_retire(actor=None, area_id=place["Wordsley"].pk)

    client = client_for(officer, icb)
    offered = [
        label
        for _, group in area_choices(area_list())
        for _, label in (group if isinstance(group, list) else [])
    ]
    assert "Amblecote" in offered
    assert not any("Wordsley" in label for label in offered)
    shown = client.get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "Wordsley (retired)" in shown
    # Changing the activity keeps its retired area (offered to it, and only to it).
    check = client.get(f"/staff/activities/{activity.pk}/edit/").content.decode()
    assert "Wordsley (retired)" in check
    data = {
        "title": activity.title,
        "purpose": activity.purpose,
        "topic": activity.topic,
        "stage": activity.stage,
        "involvement_type": activity.involvement_type,
        "level": activity.level,
        "status": activity.status,
        "target_groups": activity.target_groups,
        "methods": activity.methods,
        "area_ids": [str(place["Wordsley"].pk)],
        **date_fields("starts_on", activity.starts_on),
        **date_fields("ends_on", activity.ends_on),
    }
    response = client.post(f"/staff/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Activity.objects.get(pk=activity.pk).areas.all()) == [place["Wordsley"]]
    # ... but a new activity cannot be put in it.
    new = client.post("/staff/activities/new/", {**data, "title": "Another"})
    assert new.status_code == 200
    assert not Activity.objects.filter(title="Another").exists()


def test_a_locality_holding_wards_cannot_be_retired_and_the_place_never(place: dict[str, Area]) -> None:
    north = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="North")
    services.locality_wards_set(actor=None, locality_id=north.pk, ward_ids=[place["Amblecote"].pk])
    with pytest.raises(Conflict, match="still holds wards"):
        services.area_retire(actor=None, area_id=north.pk)
    with pytest.raises(Conflict, match="whole place cannot be retired"):
        services.area_retire(actor=None, area_id=place["place"].pk)


def test_a_retired_name_may_be_used_again_and_the_area_brought_back_only_if_it_is_free(
    place: dict[str, Area],
) -> None:
    services.area_retire(actor=None, area_id=place["Wordsley"].pk)
    again = services.area_create(actor=None, kind=AreaKind.WARD, name="Wordsley")
    with pytest.raises(InvalidInput, match="already a ward called Wordsley"):
        services.area_restore(actor=None, area_id=place["Wordsley"].pk)
    services.area_rename(actor=None, area_id=again.pk, name="Wordsley and Kingswinford")
    restored = services.area_restore(actor=None, area_id=place["Wordsley"].pk)
    assert restored.retired_on is None


def test_merging_moves_wards_and_activities_and_retires_the_merged_area(place: dict[str, Area]) -> None:
    north = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="North")
    south = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="South")
    services.locality_wards_set(actor=None, locality_id=north.pk, ward_ids=[place["Amblecote"].pk])
    services.locality_wards_set(actor=None, locality_id=south.pk, ward_ids=[place["Belle Vale"].pk])
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    in_north = ActivityFactory(lead_organisation=icb, areas=[north])
    in_both = ActivityFactory(lead_organisation=icb, areas=[north, south])

    into = services.area_merge(actor=None, area_id=north.pk, into_id=south.pk)

    north.refresh_from_db()
    assert into == south
    assert (north.retired_on, north.merged_into_id) == (timezone.localdate(), south.pk)
    assert set(south.children.values_list("name", flat=True)) == {"Amblecote", "Belle Vale"}
    assert set(in_north.areas.all()) == {north, south}  # still shows where it was
    assert set(in_both.areas.all()) == {north, south}
    with pytest.raises(Conflict, match="merged into South"):
        services.area_restore(actor=None, area_id=north.pk)
    summary = AuditEvent.objects.filter(subject_type="area", subject_id=str(south.pk)).first()
    assert summary is not None
    assert "Merged North into South: 1 wards and 2 activities" in summary.summary


def test_an_area_cannot_be_merged_into_itself_another_kind_or_a_retired_one(place: dict[str, Area]) -> None:
    north = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="North")
    gone = services.area_create(actor=None, kind=AreaKind.LOCALITY, name="Gone")
    services.area_retire(actor=None, area_id=gone.pk)
    for into in (north, place["Amblecote"], gone):
        with pytest.raises(InvalidInput, match="Choose another locality in use"):
            services.area_merge(actor=None, area_id=north.pk, into_id=into.pk)
    with pytest.raises(Conflict, match="whole place cannot be merged"):
        services.area_merge(actor=None, area_id=place["place"].pk, into_id=north.pk)


def test_only_partnership_administrators_reach_the_areas_pages(
    place: dict[str, Area], client_for: Any
) -> None:
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    for role in (Role.ORGANISATION_ADMIN, Role.ENGAGEMENT_OFFICER, Role.ANALYST, Role.BOARD_MEMBER):
        client = client_for(member_of(icb, role), icb)
        assert client.get("/staff/areas/").status_code == 403
        assert client.post(f"/staff/areas/{place['Wordsley'].pk}/retire/").status_code == 403
    assert Client().get("/staff/areas/").status_code == 302
    assert Area.objects.get(pk=place["Wordsley"].pk).retired_on is None


def test_an_administrator_arranges_the_areas_through_the_pages(
    place: dict[str, Area], client_for: Any
) -> None:
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    listed = admin.get("/staff/areas/").content.decode()
    assert "Wards in no locality" in listed
    assert "E05014780" in listed

    made = admin.post("/staff/areas/new/", {"kind": "locality", "name": "Stourbridge"})
    locality = Area.objects.get(name="Stourbridge")
    assert made["Location"] == f"/staff/areas/{locality.pk}/"
    assert "Amblecote" in admin.get(made["Location"]).content.decode()

    saved = admin.post(
        f"/staff/areas/{locality.pk}/",
        {"name": "Stourbridge and Amblecote", "ward_ids": [str(place["Amblecote"].pk)]},
    )
    assert saved.status_code == 302
    locality.refresh_from_db()
    assert locality.name == "Stourbridge and Amblecote"
    assert list(locality.children.all()) == [place["Amblecote"]]
    page = admin.get("/staff/areas/").content.decode()
    assert "Stourbridge and Amblecote" in page

    refused = admin.post(f"/staff/areas/{locality.pk}/retire/", follow=True).content.decode()
    assert "still holds wards" in refused
    assert admin.post(f"/staff/areas/{place['Wordsley'].pk}/retire/").status_code == 302
    assert "Retired areas (1)" in admin.get("/staff/areas/").content.decode()
    bad_name = admin.post("/staff/areas/new/", {"kind": "ward", "name": "Amblecote"})
    assert "There is already a ward called Amblecote" in bad_name.content.decode()
