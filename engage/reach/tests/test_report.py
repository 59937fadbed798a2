"""Reach of a set of conversations against the census: counted in the database, every
answer in its group (or shown as unknown, or outside the census's categories), shares
and ratios worked out from the published counts, and a person's mappings obeyed."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.core.disclosure import DisclosureRule
from engage.partners.tests.factories import OrganisationFactory
from engage.places.models import ReferenceKind, ReferenceLoad
from engage.places.tests.factories import census_add, lsoa_add
from engage.reach import groups
from engage.reach.models import AnswerMapping
from engage.reach.report import ReachArea, ReachSet, population_by_group, reach_area, reach_report
from engage.reach.representation import wilson_interval
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db

DUDLEY = "E08000027"
EXACT = DisclosureRule.exact()
NHS_RULE = DisclosureRule(smallest_shown=8, round_to=5)

AGE_CENSUS = {
    "Total": 1000,
    "Aged 4 years and under": 50,
    "Aged 10 to 15 years": 50,
    "Aged 16 to 19 years": 60,
    "Aged 20 to 24 years": 60,  # 16 to 24: 120 of the 800 aged 16 and over
    "Aged 25 to 34 years": 130,
    "Aged 35 to 49 years": 260,
    "Aged 50 to 64 years": 150,
    "Aged 65 to 74 years": 80,
    "Aged 75 to 84 years": 40,
    "Aged 85 years and over": 20,
}


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Dudley Healthwatch")


@pytest.fixture
def census():
    census_add(DUDLEY, "age", AGE_CENSUS)
    census_add(DUDLEY, "sex", {"Total": 1000, "Female": 510, "Male": 490})


def _ages_add(organisation, ages: dict[str, int]) -> None:
    for age_band, how_many in ages.items():
        conversations_add(organisation, how_many, age_band=age_band)


def test_ages_fall_in_their_census_groups_and_the_ratio_is_worked_by_hand(organisation, census):
    conversations_add(organisation, 10, age_band="16-24")
    conversations_add(organisation, 30, age_band="25-34")
    conversations_add(organisation, 40, age_band="45-54")  # inside 35 to 64
    conversations_add(organisation, 20, age_band="85+")
    conversations_add(organisation, 5, age_band="Prefer not to say")
    conversations_add(organisation, 3, age_band="")
    conversations_add(organisation, 2, age_band="Under 16")

    report = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.AGE,))
    age = report.dimension("age")
    assert age is not None
    young = age.rows[0]
    assert young.name == "16 to 24"
    assert young.participants.value == 10
    assert young.participant_share == pytest.approx(10 / 100)
    assert young.population == 120
    assert young.population_share == pytest.approx(120 / 800)
    # 10% of those who answered against 15% of residents aged 16 and over: two thirds.
    assert young.ratio == pytest.approx(0.1 / 0.15)
    low, high = wilson_interval(10, 100)
    assert young.ratio_low == pytest.approx(low / 0.15)
    assert young.ratio_high == pytest.approx(high / 0.15)
    assert (age.unknown.value, age.outside.value, age.total.value) == (8, 2, 110)
    assert age.outside_answers[0][0] == "under 16"
    assert report.conversations.value == 110
    # 20 of 100 aged 85 and over, against 20 of 800: eight times as likely.
    oldest = age.rows[-1]
    assert oldest.ratio == pytest.approx(8.0)
    assert oldest.over_represented


def test_a_group_far_below_its_share_is_named_in_plain_words(organisation, census):
    conversations_add(organisation, 5, age_band="18-24")
    conversations_add(organisation, 195, age_band="50-64")
    report = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.AGE,))
    young = report.under_represented[0]
    assert young.name == "16 to 24"
    # 2.5% against 15%: a sixth, nearest "a fifth".
    assert young.ratio == pytest.approx(0.025 / 0.15)
    assert young.sentence == (
        "People aged 16 to 24 were a fifth as likely to take part as the population would suggest."
    )


def test_published_figures_hide_small_counts_and_ratios_come_from_rounded_counts(organisation, census):
    conversations_add(organisation, 3, age_band="16-24")
    conversations_add(organisation, 52, age_band="25-34")
    conversations_add(organisation, 101, age_band="35-44")
    report = reach_report(ReachSet(), rule=NHS_RULE, dimensions=(groups.AGE,))
    age = report.dimension("age")
    assert age is not None
    young, adults, middle = age.rows[:3]
    assert young.participants.hidden
    assert young.hidden_reason == "Too few to show"
    assert young.ratio is None
    assert young.participant_share is None
    # The total less the rest gives the 3 only to within their rounding (155 less 50
    # and 100, each give or take 2: anything from -1 to 11), so nothing else is hidden.
    assert adults.participants.value == 50
    assert middle.participants.value == 100
    assert age.total.value == 155
    # Answered, from published figures: the total less the unknown and outside (both 0).
    assert age.answered.value == 155
    assert middle.participant_share == pytest.approx(100 / 155)
    assert middle.ratio == pytest.approx((100 / 155) / (410 / 800))
    assert report.conversations.value == 155


def test_a_group_hidden_to_protect_a_smaller_one_says_so_and_is_named_where_its_bounds_say(
    organisation, census
):
    # Unrounded, 1,223 less the rest would give the 3 aged 85 and over exactly: the
    # cheapest figure that protects it is hidden too. Not the empty "not known" (a
    # figure hidden to protect another is 0 or 8 and more, and 3 + 0 = 3 tells), so the
    # 20 aged 16 to 24.
    unrounded = DisclosureRule(smallest_shown=8, round_to=1)
    _ages_add(organisation, {"16-24": 20, "25-34": 300, "35-44": 600, "65-74": 200, "75-84": 100, "85+": 3})
    age = reach_report(ReachSet(), rule=unrounded, dimensions=(groups.AGE,)).dimension("age")
    assert age is not None
    young, oldest = age.rows[0], age.rows[-1]
    assert (young.participants.hidden, young.hidden_to_protect) == (True, True)
    assert young.hidden_reason == "Hidden so that a smaller figure cannot be worked out"
    assert (oldest.hidden_reason, oldest.hidden_to_protect) == ("Too few to show", False)
    assert age.unknown.value == 0
    assert young.ratio is None
    # From the figures shown alone, 16 to 24 are 1,223 less 1,200 less 1 to 7: 16 to 22
    # of 1,223, against 15% of residents; even 22 is under-represented.
    assert young.under_represented
    assert young in age.under_represented
    assert young.sentence == (
        "People aged 16 to 24 were at most a fifth as likely to take part as the population "
        "would suggest (their number is hidden so that a smaller figure cannot be worked out)."
    )


def test_an_exact_rule_shows_true_figures(organisation, census):
    conversations_add(organisation, 3, age_band="16-24")
    report = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.AGE,))
    assert report.exact
    assert report.dimensions[0].rows[0].participants.value == 3


def test_a_persons_mapping_moves_a_wording_into_a_group(organisation, census):
    conversations_add(organisation, 12, sex="Woman (including trans woman)")
    conversations_add(organisation, 9, sex="Non-binary")
    before = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.SEX,)).dimensions[0]
    assert before.outside.value == 21
    assert {w: p.value for w, p in before.outside_answers} == {
        "woman (including trans woman)": 12,
        "non-binary": 9,
    }
    AnswerMapping.objects.create(dimension="sex", answer="woman (including trans woman)", group="Female")
    after = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.SEX,)).dimensions[0]
    assert after.rows[0].participants.value == 12
    assert after.outside.value == 9


def test_deprivation_quintiles_and_core20_use_file_7_populations(organisation):
    lsoa_add("E01000001", decile=1, population=1500)
    lsoa_add("E01000002", decile=2, population=1500)
    lsoa_add("E01000003", decile=7, population=3000)
    lsoa_add("E01000004", decile=1, population=9999, authority="E08000028")  # not ours
    census_add(DUDLEY, "sex", {"Total": 6000, "Female": 3000, "Male": 3000})
    conversations_add(organisation, 10, imd_decile=1)
    conversations_add(organisation, 90, imd_decile=7)
    conversations_add(organisation, 8)  # no postcode: deprivation unknown

    report = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.DEPRIVATION, groups.CORE20))
    quintiles = report.dimension("deprivation")
    assert quintiles is not None
    assert [row.population for row in quintiles.rows] == [3000, 0, 0, 3000, 0]
    assert quintiles.unknown.value == 8
    core20 = report.dimension("core20")
    assert core20 is not None
    most_deprived = core20.rows[0]
    assert (most_deprived.participants.value, most_deprived.population) == (10, 3000)
    # 10% of participants against half of the residents: a fifth as likely.
    assert most_deprived.ratio == pytest.approx(0.2)
    assert most_deprived.under_represented


def test_a_set_is_an_activity_a_priority_an_organisation_or_a_period(organisation, census):
    other = OrganisationFactory(name="Castlebridge Council")
    priority = PriorityFactory()
    activity = ActivityFactory(lead_organisation=organisation, priorities=[priority])
    conversations_add(organisation, 11, activity=activity, sex="Female")
    conversations_add(organisation, 13, sex="Female", occurred_on=dt.date(2025, 1, 5))
    conversations_add(other, 17, sex="Male")

    def female(reach_set: ReachSet) -> tuple[int | None, int | None]:
        sex = reach_report(reach_set, rule=EXACT, dimensions=(groups.SEX,)).dimensions[0]
        return sex.rows[0].participants.value, sex.rows[1].participants.value

    assert female(ReachSet()) == (24, 17)
    assert female(ReachSet(activity_id=activity.pk)) == (11, 0)
    assert female(ReachSet(priority_id=priority.pk)) == (11, 0)
    assert female(ReachSet(organisation_id=other.pk)) == (0, 17)
    assert female(ReachSet(date_to=dt.date(2025, 12, 31))) == (13, 0)
    assert female(ReachSet(date_from=dt.date(2026, 1, 1))) == (11, 17)


def test_an_empty_set_has_no_shares_or_ratios(census):
    report = reach_report(ReachSet(), rule=NHS_RULE, dimensions=(groups.AGE,))
    age = report.dimensions[0]
    assert report.conversations.value == 0
    assert all(row.ratio is None and row.participant_share is None for row in age.rows)
    assert age.rows[0].population_share == pytest.approx(120 / 800)


def test_without_a_census_the_population_is_unknown_and_no_ratio_is_given(organisation):
    conversations_add(organisation, 20, sex="Female")
    report = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.SEX,))
    assert report.area is None
    sex = report.dimensions[0]
    assert not sex.population_known
    assert sex.rows[0].participants.value == 20
    assert sex.rows[0].ratio is None


def test_the_area_is_the_setting_else_the_census_authorities_else_the_illustrative_one(settings):
    settings.ENGAGE_REACH_LOCAL_AUTHORITIES = []
    assert reach_area() is None
    ReferenceLoad.objects.create(kind=ReferenceKind.ILLUSTRATIVE, file_name="demo")
    assert reach_area() == ReachArea(codes=("DEMO-P",), illustrative=True)
    census_add(DUDLEY, "sex", {"Total": 10})
    census_add("E01000001", "sex", {"Total": 1})  # an LSOA, not an authority
    assert reach_area() == ReachArea(codes=(DUDLEY,), illustrative=False)
    settings.ENGAGE_REACH_LOCAL_AUTHORITIES = ["E08000028"]
    assert reach_area() == ReachArea(codes=("E08000028",), illustrative=False)


def test_without_authority_counts_the_population_adds_up_the_authoritys_lsoas():
    lsoa_add("E01000001", decile=3, population=1500)
    lsoa_add("E01000002", decile=4, population=1500)
    census_add("E01000001", "sex", {"Female": 700, "Male": 800})
    census_add("E01000002", "sex", {"Female": 760, "Male": 740})
    population = population_by_group(groups.SEX, ReachArea(codes=(DUDLEY,), illustrative=False))
    assert population == {"Female": 1460, "Male": 1540}


def test_intervals_behave_for_tiny_samples(organisation, census):
    conversations_add(organisation, 1, age_band="16-24")
    report = reach_report(ReachSet(), rule=EXACT, dimensions=(groups.AGE,))
    young = report.dimensions[0].rows[0]
    # 1 of 1: the share is 100%, its interval reaches down to about 21%.
    assert young.participant_share == 1
    low, high = wilson_interval(1, 1)
    assert math.isclose(high, 1.0)
    assert low == pytest.approx(0.2065, abs=1e-4)
    assert young.ratio_low == pytest.approx(low / 0.15)
    assert not young.under_represented


# --- Issue 17: a large group hidden as "too few" ----------------------------------------------


def _demo_like(organisation) -> None:
    """Like the demo's bank: 16 to 24 the smallest group by far but hundreds strong, and
    a fifth of people giving no age."""
    _ages_add(
        organisation,
        {"16-24": 150, "25-34": 400, "45-54": 900, "65-74": 500, "75-84": 300, "85+": 200, "": 600},
    )


@pytest.mark.parametrize("rule", [NHS_RULE, DisclosureRule.from_settings()], ids=["rounded", "cell key"])
def test_one_answer_outside_the_census_bands_hides_no_group(organisation, census, rule):
    _demo_like(organisation)
    # An import adds one answer that spans two census bands (75 to 84 and 85 and over).
    conversations_add(organisation, 1, age_band="75+")
    age = reach_report(ReachSet(), rule=rule, dimensions=(groups.AGE,)).dimension("age")
    assert age is not None
    assert age.outside.hidden  # the one "75+": too few to show
    assert [row.participants.hidden for row in age.rows] == [False] * 6
    young = age.rows[0]
    assert young.participants.value == 150
    assert young.under_represented
    assert young.name in {row.name for row in age.under_represented}
    assert not any(row.hidden_to_protect for row in age.rows)
