"""The register form's long choices: the areas grouped as a person looks for them (the
whole place, then each locality followed by its wards), and partner organisations
offered for a script to make searchable; both post the same values as ever."""

from __future__ import annotations

import re

import pytest
from django.template import engines

from engage.accounts.tests.factories import member_of
from engage.activities import selectors
from engage.activities.forms import ActivityForm, area_choices
from engage.activities.models import Activity, AreaKind
from engage.activities.tests.factories import AreaFactory
from engage.activities.tests.test_register import form_data
from engage.core.roles import Role
from engage.partners.models import Organisation
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


# Made out of order (key, name, kind, parent's key), so the order shown is the form's doing.
AREAS = [
    ("place", "Castlebridge", AreaKind.PLACE, None),
    ("wyre", "Wyrebrook", AreaKind.LOCALITY, "place"),
    ("ambley", "Ambley Cross", AreaKind.LOCALITY, "place"),
    ("glassworks", "Glassworks", AreaKind.WARD, "wyre"),
    ("canal", "Canal Side", AreaKind.WARD, "ambley"),
    ("high_oak", "High Oak", AreaKind.WARD, "wyre"),
    ("malthouse", "malthouse", AreaKind.WARD, "ambley"),
    ("stray", "Outlying", AreaKind.WARD, "place"),  # a ward in no locality
]


@pytest.fixture
def areas():
    made = {}
    for key, name, kind, parent in AREAS:
        made[key] = AreaFactory(name=name, kind=kind, parent=made[parent] if parent else None)
    return made


def _form(data=None, **options):
    """The form as the register page makes it."""
    return ActivityForm(
        data,
        **options,
        priorities=[],
        areas=selectors.area_list(),
        organisations=Organisation.objects.order_by("name"),
        contacts=[],
        series=[],
    )


def test_the_whole_place_comes_first_then_each_locality_with_its_wards(areas) -> None:
    pk = {name: str(area.pk) for name, area in areas.items()}
    assert area_choices(selectors.area_list()) == [
        (pk["place"], "All of Castlebridge (the whole place)"),
        (
            "Ambley Cross",
            [
                (pk["ambley"], "All of Ambley Cross"),
                (pk["canal"], "Canal Side"),
                (pk["malthouse"], "malthouse"),
            ],
        ),
        (
            "Wyrebrook",
            [
                (pk["wyre"], "All of Wyrebrook"),
                (pk["glassworks"], "Glassworks"),
                (pk["high_oak"], "High Oak"),
            ],
        ),
        ("Wards in no locality", [(pk["stray"], "Outlying")]),
    ]


def _render(form: ActivityForm, name: str) -> str:
    template = engines["jinja2"].from_string(
        '{% from "core/forms.jinja" import field %}{{ field(form[name]) }}'
    )
    return template.render({"form": form, "name": name})


def test_the_areas_render_as_checkboxes_in_a_fieldset_per_locality_in_that_order(areas) -> None:
    html = _render(_form({"area_ids": [str(areas["canal"].pk)]}), "area_ids")
    legends = re.findall(r"<legend[^>]*>([^<]*)</legend>", html)
    assert legends == ["Where?", "Ambley Cross", "Wyrebrook", "Wards in no locality"]
    boxes = re.findall(
        r'<input class="nhsuk-checkboxes__input" id="([^"]+)" name="area_ids" type="checkbox" value="(\d+)"( checked)?',
        html,
    )
    order = ["place", "ambley", "canal", "malthouse", "wyre", "glassworks", "high_oak", "stray"]
    assert [value for _, value, _ in boxes] == [str(areas[name].pk) for name in order]
    # The first box carries the field's id, for the error summary's link; the rest are numbered on.
    assert [box_id for box_id, _, _ in boxes][:3] == ["id_area_ids", "id_area_ids-2", "id_area_ids-3"]
    assert [value for _, value, checked in boxes if checked] == [str(areas["canal"].pk)]
    # The box that narrows the list is there only for script to show.
    assert re.search(
        r'<div class="engage-checkbox-filter" data-filter-checkboxes="id_area_ids-choices" hidden>', html
    )


def test_an_area_error_is_linked_to_the_first_box_and_described(areas) -> None:
    form = _form({})
    assert not form.is_valid()
    html = _render(form, "area_ids")
    assert 'aria-describedby="id_area_ids-hint id_area_ids-error"' in html
    assert "Choose the area: the whole place, a locality or a ward." in html
    assert 'id="id_area_ids" name="area_ids"' in html


def test_partner_organisations_are_a_plain_multiple_select_marked_for_the_script(areas) -> None:
    chosen = OrganisationFactory(name="Dudley Community Voices")
    OrganisationFactory(name="Netherton Health Centre")
    html = _render(_form({"partner_organisation_ids": [str(chosen.pk)]}), "partner_organisation_ids")
    select = re.search(r"<select[^>]*>", html)
    assert select is not None
    assert 'name="partner_organisation_ids" multiple' in select[0]
    assert 'data-searchable="many"' in select[0]
    assert f'<option value="{chosen.pk}" selected>Dudley Community Voices</option>' in html
    assert "Hold Ctrl (or Cmd on a Mac) to choose more than one." in html
    assert 'data-searchable-hint="Type part of a name' in html


def test_the_register_page_posts_areas_and_partners_as_before_and_saves_them(areas, client_for) -> None:
    icb = OrganisationFactory(name="Castlebridge ICB")
    partners = [OrganisationFactory(name="Dudley Community Voices"), OrganisationFactory(name="Age UK")]
    officer = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    chosen_areas = [areas["place"], areas["glassworks"]]
    response = officer.post(
        "/staff/activities/new/",
        form_data(
            {"south": areas["ambley"]},
            area_ids=[str(a.pk) for a in chosen_areas],
            partner_organisation_ids=[str(p.pk) for p in partners],
        ),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert set(activity.areas.all()) == set(chosen_areas)
    assert set(activity.partner_organisations.all()) == set(partners)
    # Changing it starts from what was saved: ticked and selected.
    changing = _form(None, initial=ActivityForm.initial_from(activity))
    assert re.search(rf'value="{areas["glassworks"].pk}" checked', _render(changing, "area_ids"))
    assert f'<option value="{partners[1].pk}" selected>Age UK</option>' in _render(
        changing, "partner_organisation_ids"
    )
