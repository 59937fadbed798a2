"""The demo's reach picture: an illustrative population, labelled as such, against which
the demo's conversations show real gaps (young people and the most deprived areas heard
less), and which goes with the demo or gives way to real census files."""

from __future__ import annotations

import pytest

from engage.core.disclosure import DisclosureRule
from engage.demo import population
from engage.demo.services import demo_partnership_load, demo_partnership_remove
from engage.demo.tests.conftest import REFERENCE_DATE
from engage.partners.models import Organisation
from engage.places.models import Boundary, CensusCount, DeprivationArea, ReferenceKind, ReferenceLoad
from engage.places.tests.factories import census_add
from engage.reach.place_report import place_report
from engage.reach.report import ReachSet, reach_area, reach_report
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db


def test_the_demo_shows_young_people_and_the_most_deprived_under_represented() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=6000)
    area = reach_area()
    assert area is not None
    assert area.illustrative
    report = reach_report(ReachSet(), rule=DisclosureRule.from_settings(), area=area)
    missing = {row.name for row in report.under_represented}
    assert {"16 to 24", "Core20"} <= missing
    wards = place_report(ReachSet(), area=area, rule=DisclosureRule.from_settings())
    assert wards is not None
    assert len(wards.areas) == len(population.WARDS)
    assert wards.drawing is not None
    assert len(wards.drawing.areas) == len(population.WARDS)


def test_an_import_with_one_age_outside_the_census_bands_hides_no_group() -> None:
    """Issue 17: 17 rows imported into the demo, one with the age "75+" (which holds two
    census bands), hid 16 to 24 as "too few" and dropped it from who we may be missing."""
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=6000)
    organisation = Organisation.objects.order_by("pk").first()
    conversations_add(organisation, 16, age_band="45-54")
    conversations_add(organisation, 1, age_band="75+")
    report = reach_report(ReachSet(), rule=DisclosureRule.from_settings(), area=reach_area())
    age = report.dimension("age")
    assert age is not None
    young = age.rows[0]
    assert young.name == "16 to 24"
    assert not young.participants.hidden
    assert young in report.under_represented
    assert not any(row.participants.hidden for row in age.rows)
    assert age.outside.hidden
    assert age.unmapped_sentence == "A few answers did not fit a census age band (too few to say how many)."


def test_the_illustrative_population_goes_with_the_demo() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=0)
    assert ReferenceLoad.objects.filter(kind=ReferenceKind.ILLUSTRATIVE).exists()
    assert DeprivationArea.objects.filter(local_authority_code=population.AREA_CODE).count() == len(
        population.SMALL_AREAS
    )
    demo_partnership_remove()
    assert not CensusCount.objects.exists()
    assert not DeprivationArea.objects.exists()
    assert not Boundary.objects.exists()
    assert reach_area() is None


def test_a_real_census_keeps_the_illustrative_population_out() -> None:
    census_add("E08000027", "sex", {"Total": 320_000, "Female": 163_000, "Male": 157_000})
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=0)
    assert not ReferenceLoad.objects.filter(kind=ReferenceKind.ILLUSTRATIVE).exists()
    area = reach_area()
    assert area is not None
    assert not area.illustrative
