"""Overlap ("fatigue") warnings: the cases that must and must not match, and what the
warning says about each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import override_settings

from engage.activities.models import Activity, Area, AreaKind, OverlapDecision, PartnershipPriority
from engage.activities.overlap import (
    ActivityProbe,
    Matched,
    OverlapCriteria,
    _AreaTree,
    overlap_list,
    shared_target_groups,
)
from engage.activities.selectors import area_with_related
from engage.activities.services import (
    ActivityInput,
    OverlapsToConfirm,
    activity_create,
    activity_update,
    overlap_review_record,
)
from engage.activities.topics import register_topics
from engage.partners.tests.factories import OrganisationFactory
from textkit.keywords import keywords

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 3, 1)

URGENT_CARE = {
    "title": "Waiting times at the urgent treatment centre",
    "topic": "Urgent care",
    "purpose": "Find out how long people wait for urgent care and what would make waiting easier.",
}
URGENT_CARE_AGAIN = {
    "title": "Urgent care waits",
    "topic": "Urgent care",
    "purpose": "Hear about waiting for the urgent treatment centre.",
}
CARERS_BREAKS = {
    "title": "Carers' breaks",
    "topic": "Respite for carers",
    "purpose": "Understand what short breaks unpaid carers need.",
}
LOOKING_AFTER = {
    "title": "Looking after a relative at home",
    "topic": "Support at home",
    "purpose": "What would help families who support someone with dementia?",
}
MATERNITY = {
    "title": "Maternity services feedback",
    "topic": "Maternity",
    "purpose": "Hear from parents about antenatal appointments and the birth centre.",
}


@pytest.fixture
def areas() -> dict[str, Area]:
    """Dudley (the whole place) > localities > wards."""
    place = Area.objects.create(name="Dudley", kind=AreaKind.PLACE)
    brierley = Area.objects.create(name="Brierley Hill", kind=AreaKind.LOCALITY, parent=place)
    stourbridge = Area.objects.create(name="Stourbridge", kind=AreaKind.LOCALITY, parent=place)
    return {
        "place": place,
        "brierley_locality": brierley,
        "stourbridge_locality": stourbridge,
        "brierley_ward": Area.objects.create(name="Brierley Hill", kind=AreaKind.WARD, parent=brierley),
        "pensnett_ward": Area.objects.create(name="Pensnett", kind=AreaKind.WARD, parent=brierley),
        "amblecote_ward": Area.objects.create(name="Amblecote", kind=AreaKind.WARD, parent=stourbridge),
    }


@pytest.fixture
def priorities() -> dict[str, PartnershipPriority]:
    return {
        "ageing": PartnershipPriority.objects.create(title="Healthy ageing", position=1),
        "mental_health": PartnershipPriority.objects.create(title="Mental health and wellbeing", position=2),
        "urgent": PartnershipPriority.objects.create(title="Urgent and emergency care", position=3),
    }


def activity_input(
    words: dict[str, str],
    *,
    areas: list[Area],
    groups: list[str],
    starts_on: dt.date = MONDAY,
    days: int = 6,
    priorities: list[PartnershipPriority] | None = None,
) -> ActivityInput:
    return ActivityInput(
        **words,
        stage="analyse",
        involvement_type="collective",
        level="consult",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days),
        target_groups=groups,
        area_ids=[a.pk for a in areas],
        priority_ids=[p.pk for p in priorities or []],
        methods=["survey"],
    )


def register(data: ActivityInput, organisation: Any = None) -> Activity:
    return activity_create(
        actor=None, organisation=organisation or OrganisationFactory(), data=data, overlaps_seen=True
    )


@dataclass(frozen=True)
class Side:
    """One activity of a case: the words, areas, groups, priorities and dates."""

    words: dict[str, str]
    areas: tuple[str, ...]
    groups: tuple[str, ...]
    starts_in: int = 0  # days after MONDAY
    days: int = 6
    priorities: tuple[str, ...] = ()

    def to_input(self, areas: dict[str, Area], priorities: dict[str, PartnershipPriority]) -> ActivityInput:
        return activity_input(
            self.words,
            areas=[areas[name] for name in self.areas],
            groups=list(self.groups),
            starts_on=MONDAY + dt.timedelta(days=self.starts_in),
            days=self.days,
            priorities=[priorities[name] for name in self.priorities],
        )


@dataclass(frozen=True)
class Case:
    registered: Side
    probe: Side
    matched: tuple[Matched, ...] = ()  # empty: must not match
    criteria: dict[str, Any] = field(default_factory=dict)


P, G, PR, T, TI = Matched.PLACE, Matched.GROUPS, Matched.PRIORITY, Matched.TOPIC, Matched.TIME

MUST_MATCH = {
    "same ward, same week, similar topic": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",)),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("disabled_people",), starts_in=2),
        matched=(P, T, TI),
    ),
    "a locality and a ward within it": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",)),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_locality",), ("patients",)),
        matched=(P, G, T, TI),
    ),
    "the whole place and a ward": Case(
        registered=Side(URGENT_CARE, ("place",), ("older_people",)),
        probe=Side(URGENT_CARE_AGAIN, ("amblecote_ward",), ("disabled_people",)),
        matched=(P, T, TI),
    ),
    "shared group and shared priority, worded differently": Case(
        registered=Side(
            CARERS_BREAKS, ("pensnett_ward",), ("carers", "older_people"), priorities=("ageing",)
        ),
        probe=Side(
            LOOKING_AFTER, ("pensnett_ward",), ("carers",), starts_in=10, priorities=("ageing", "urgent")
        ),
        matched=(P, G, PR, TI),
    ),
    "the general public and carers, similar topic": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("carers",)),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("general_public",)),
        matched=(P, G, T, TI),
    ),
    "the general public shares a group with anyone, and a priority": Case(
        registered=Side(CARERS_BREAKS, ("brierley_ward",), ("general_public",), priorities=("ageing",)),
        probe=Side(LOOKING_AFTER, ("brierley_ward",), ("carers",), priorities=("ageing",)),
        matched=(P, G, PR, TI),
    ),
    "a gap of 20 days within a window of 28": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",), days=6),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("patients",), starts_in=26),
        matched=(P, G, T, TI),
        criteria={"window_days": 28},
    ),
    "a gap of 20 days before, within a window of 28": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",), starts_in=26),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("patients",), days=6),
        matched=(P, G, T, TI),
        criteria={"window_days": 28},
    ),
}

MUST_NOT_MATCH = {
    "a different locality": Case(
        registered=Side(URGENT_CARE, ("amblecote_ward",), ("patients",), priorities=("urgent",)),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("patients",), priorities=("urgent",)),
    ),
    "a sister ward in the same locality": Case(
        registered=Side(URGENT_CARE, ("pensnett_ward",), ("patients",)),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("patients",)),
    ),
    "outside the window": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",), days=6),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("patients",), starts_in=6 + 29),
        criteria={"window_days": 28},
    ),
    "a gap of 20 days with a window of 14": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",), days=6),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("patients",), starts_in=26),
        criteria={"window_days": 14},
    ),
    "same place and time, unrelated topic, no shared group or priority": Case(
        registered=Side(MATERNITY, ("brierley_ward",), ("patients",), priorities=("mental_health",)),
        probe=Side(URGENT_CARE, ("brierley_ward",), ("older_people",), priorities=("urgent",)),
    ),
    "shared group but no shared priority, unrelated topic": Case(
        registered=Side(CARERS_BREAKS, ("brierley_ward",), ("carers",), priorities=("mental_health",)),
        probe=Side(LOOKING_AFTER, ("brierley_ward",), ("carers",), priorities=("ageing",)),
    ),
    "shared priority but no shared group, unrelated topic": Case(
        registered=Side(CARERS_BREAKS, ("brierley_ward",), ("carers",), priorities=("ageing",)),
        probe=Side(LOOKING_AFTER, ("brierley_ward",), ("children_young_people",), priorities=("ageing",)),
    ),
    "similar topic below a stricter threshold": Case(
        registered=Side(URGENT_CARE, ("brierley_ward",), ("patients",)),
        probe=Side(URGENT_CARE_AGAIN, ("brierley_ward",), ("disabled_people",)),
        criteria={"topic_threshold": 0.9, "vector_threshold": 0.99},
    ),
}


def run_case(
    case: Case, areas: dict[str, Area], priorities: dict[str, PartnershipPriority]
) -> tuple[Activity, list]:
    registered = register(case.registered.to_input(areas, priorities))
    probe = ActivityProbe.from_input(case.probe.to_input(areas, priorities))
    return registered, overlap_list(probe=probe, criteria=OverlapCriteria(**case.criteria))


@pytest.mark.parametrize("case", MUST_MATCH.values(), ids=MUST_MATCH.keys())
def test_overlap_is_reported_with_what_matched(case: Case, areas, priorities) -> None:
    registered, overlaps = run_case(case, areas, priorities)

    assert [o.other.pk for o in overlaps] == [registered.pk]
    assert overlaps[0].matched == case.matched
    assert 0 < overlaps[0].score <= 1


@pytest.mark.parametrize("case", MUST_NOT_MATCH.values(), ids=MUST_NOT_MATCH.keys())
def test_no_overlap_is_reported(case: Case, areas, priorities) -> None:
    _, overlaps = run_case(case, areas, priorities)

    assert overlaps == []


SENTENCE_STARTS = {
    Matched.PLACE: ("Same place:",),
    Matched.GROUPS: ("Same people:",),
    Matched.PRIORITY: ("Same priority:",),
    Matched.TOPIC: ("Similar topic:",),
    Matched.TIME: ("At the same time:", "Close in time:"),
}


@pytest.mark.parametrize("case", MUST_MATCH.values(), ids=MUST_MATCH.keys())
def test_explanation_has_one_sentence_for_each_thing_that_matched_and_no_other(
    case: Case, areas, priorities
) -> None:
    _, overlaps = run_case(case, areas, priorities)

    sentences = overlaps[0].explanation()

    assert len(sentences) == len(case.matched)
    for kind, sentence in zip(case.matched, sentences, strict=True):
        assert sentence.startswith(SENTENCE_STARTS[kind])
        assert sentence.endswith(".")


def test_explanation_names_the_place_people_topic_and_time(areas) -> None:
    registered = register(
        activity_input(
            URGENT_CARE, areas=[areas["brierley_ward"]], groups=["carers", "older_people", "patients"]
        )
    )
    probe = ActivityProbe.from_input(
        activity_input(
            URGENT_CARE_AGAIN,
            areas=[areas["brierley_ward"]],
            groups=["older_people", "carers"],
            starts_on=MONDAY,
        )
    )

    [overlap] = overlap_list(probe=probe)

    assert overlap.other == registered
    assert overlap.shared_areas == ["Brierley Hill"]
    assert overlap.shared_groups == ["carers", "older_people"]
    assert overlap.shared_terms == ["care", "centre", "treat", "urgent", "wait"]
    assert overlap.days_apart == 0
    assert overlap.explanation() == [
        "Same place: both are in Brierley Hill.",
        "Same people: both engage carers and older people.",
        # The words as the new activity's people wrote them, not the keywords ('treat').
        "Similar topic: both are about 'urgent', 'care', 'waits', 'treatment' and 'centre'.",
        "At the same time: they run at the same time.",
    ]


def test_explanation_says_which_area_is_within_which_and_how_many_days_apart(areas) -> None:
    register(activity_input(URGENT_CARE, areas=[areas["pensnett_ward"]], groups=["patients"], days=6))
    probe = ActivityProbe.from_input(
        activity_input(
            URGENT_CARE_AGAIN,
            areas=[areas["brierley_locality"]],
            groups=["disabled_people"],
            starts_on=MONDAY + dt.timedelta(days=18),
        )
    )

    [overlap] = overlap_list(probe=probe)

    assert overlap.days_apart == 12
    assert overlap.shared_areas == ["Pensnett ward within Brierley Hill locality"]
    assert overlap.explanation()[0] == "Same place: Pensnett ward within Brierley Hill locality."
    assert overlap.explanation()[-1] == "Close in time: they are 12 days apart."


def test_explanation_says_the_general_public_includes_the_other_group_and_names_the_priority(
    areas, priorities
) -> None:
    register(
        activity_input(
            CARERS_BREAKS,
            areas=[areas["brierley_ward"]],
            groups=["carers"],
            priorities=[priorities["ageing"]],
        )
    )
    probe = ActivityProbe.from_input(
        activity_input(
            LOOKING_AFTER,
            areas=[areas["brierley_ward"]],
            groups=["general_public"],
            priorities=[priorities["ageing"]],
        )
    )

    [overlap] = overlap_list(probe=probe)

    assert overlap.shared_groups == ["carers"]
    assert overlap.general_public_groups == ["carers"]
    assert overlap.shared_priorities == ["Healthy ageing"]
    assert overlap.explanation()[1:3] == [
        "Same people: one is for the general public, which includes carers.",
        "Same priority: both serve the partnership priority 'Healthy ageing'.",
    ]


def test_overlap_loads_the_lead_organisation_and_contact_without_more_queries(
    areas, django_assert_num_queries
) -> None:
    lead = OrganisationFactory(name="Dudley Carers Network", contact_email="engage@carers.example.org")
    register(
        activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"]), organisation=lead
    )
    probe = ActivityProbe.from_input(
        activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["carers"])
    )

    [overlap] = overlap_list(probe=probe)

    with django_assert_num_queries(0):
        assert overlap.other.lead_organisation.name == "Dudley Carers Network"
        assert overlap.other.contact is None


def test_the_activity_being_edited_does_not_overlap_itself(areas) -> None:
    activity = register(activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"]))
    data = activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"])

    assert overlap_list(probe=ActivityProbe.from_input(data, exclude_activity_id=activity.pk)) == []
    assert overlap_list(probe=ActivityProbe.from_activity(activity)) == []
    assert [o.other for o in overlap_list(probe=ActivityProbe.from_input(data))] == [activity]


def test_probe_from_activity_matches_probe_from_its_input(areas, priorities) -> None:
    data = activity_input(
        URGENT_CARE,
        areas=[areas["brierley_ward"], areas["pensnett_ward"]],
        groups=["patients", "carers"],
        priorities=[priorities["urgent"]],
    )
    activity = register(data)

    assert ActivityProbe.from_activity(activity) == ActivityProbe.from_input(
        data, exclude_activity_id=activity.pk
    )


def test_closer_overlaps_come_first(areas) -> None:
    near = register(activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["patients"]))
    far = register(
        activity_input(
            URGENT_CARE, areas=[areas["place"]], groups=["staff"], starts_on=MONDAY + dt.timedelta(days=30)
        )
    )
    probe = ActivityProbe.from_input(
        activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["patients"])
    )

    overlaps = overlap_list(probe=probe)

    assert [o.other for o in overlaps] == [near, far]
    assert overlaps[0].score > overlaps[1].score


def test_limit_keeps_only_the_closest(areas) -> None:
    near = register(activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["patients"]))
    register(
        activity_input(
            URGENT_CARE, areas=[areas["place"]], groups=["staff"], starts_on=MONDAY + dt.timedelta(days=30)
        )
    )
    probe = ActivityProbe.from_input(
        activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["patients"])
    )

    assert [o.other for o in overlap_list(probe=probe, criteria=OverlapCriteria(limit=1))] == [near]


@override_settings(ENGAGE_OVERLAP_WINDOW_DAYS=14)
def test_window_comes_from_settings(areas) -> None:
    register(activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"], days=6))
    probe = ActivityProbe.from_input(
        activity_input(
            URGENT_CARE_AGAIN,
            areas=[areas["brierley_ward"]],
            groups=["patients"],
            starts_on=MONDAY + dt.timedelta(days=26),
        )
    )

    assert OverlapCriteria().window_days == 14
    assert overlap_list(probe=probe) == []
    assert len(overlap_list(probe=probe, criteria=OverlapCriteria(window_days=20))) == 1


def test_criteria_reject_a_negative_window_a_threshold_outside_0_to_1_and_a_limit_below_1() -> None:
    with pytest.raises(ValueError, match="negative"):
        OverlapCriteria(window_days=-1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        OverlapCriteria(window_days=28, topic_threshold=1.5)
    with pytest.raises(ValueError, match="at least 1"):
        OverlapCriteria(window_days=28, limit=0)


def test_a_closed_activity_long_past_never_matches(areas) -> None:
    data = activity_input(
        URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"], starts_on=dt.date(2025, 1, 6)
    )
    data.status = "closed"
    register(data)
    probe = ActivityProbe.from_input(
        activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["patients"])
    )

    assert overlap_list(probe=probe) == []


@pytest.fixture
def reviewed_pair(areas) -> tuple[Activity, Activity, Activity]:
    """Three overlapping activities: the first is marked not related to the second (by the
    second's lead) and joined up with the third (by the first's lead)."""
    first_lead, second_lead = OrganisationFactory(), OrganisationFactory()
    first = register(
        activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"]), first_lead
    )
    second = register(
        activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_ward"]], groups=["patients"]), second_lead
    )
    third = register(activity_input(URGENT_CARE_AGAIN, areas=[areas["brierley_locality"]], groups=["carers"]))
    overlap_review_record(
        actor=None,
        organisation=second_lead,
        activity_id=second.pk,
        other_id=first.pk,
        decision=OverlapDecision.NOT_RELATED,
        note="Different service.",
    )
    overlap_review_record(
        actor=None,
        organisation=first_lead,
        activity_id=first.pk,
        other_id=third.pk,
        decision=OverlapDecision.JOINED_UP,
    )
    return first, second, third


def test_reviews_of_the_pair_come_back_whichever_activity_made_them(reviewed_pair) -> None:
    first, second, third = reviewed_pair

    from_first = {o.other: o for o in overlap_list(probe=ActivityProbe.from_activity(first))}
    from_second = {o.other: o for o in overlap_list(probe=ActivityProbe.from_activity(second))}

    assert from_first[second].is_not_related
    assert from_first[second].review.note == "Different service."
    assert from_first[third].is_joined_up
    assert from_second[first].is_not_related
    assert from_second[third].review is None


def test_not_related_overlaps_are_left_out_when_reviewed_ones_are_not_wanted(reviewed_pair) -> None:
    first, _, third = reviewed_pair

    overlaps = overlap_list(probe=ActivityProbe.from_activity(first), include_reviewed=False)

    assert [o.other for o in overlaps] == [third]
    assert overlaps[0].is_joined_up


def test_a_new_activity_has_no_reviews(reviewed_pair, areas) -> None:
    probe = ActivityProbe.from_input(
        activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"])
    )

    overlaps = overlap_list(probe=probe, include_reviewed=False)

    assert len(overlaps) == 3
    assert all(o.review is None for o in overlaps)


def test_one_check_takes_a_fixed_number_of_queries_however_many_activities(
    areas, priorities, django_assert_max_num_queries
) -> None:
    for offset in range(30):
        register(
            activity_input(
                URGENT_CARE if offset % 2 else CARERS_BREAKS,
                areas=[areas["brierley_ward"], areas["pensnett_ward"]],
                groups=["carers", "patients"],
                priorities=[priorities["urgent"], priorities["ageing"]],
                starts_on=MONDAY + dt.timedelta(days=offset),
            )
        )
    probe = ActivityProbe.from_input(
        activity_input(
            URGENT_CARE_AGAIN,
            areas=[areas["brierley_locality"]],
            groups=["carers"],
            priorities=[priorities["ageing"]],
            starts_on=MONDAY + dt.timedelta(days=10),
        ),
        exclude_activity_id=Activity.objects.first().pk,  # type: ignore[union-attr]
    )

    register_topics()  # the register's topic vectors, which a process keeps between checks
    # Seven, and two for whether the register or the analysis model changed since.
    with django_assert_max_num_queries(9):
        overlaps = overlap_list(probe=probe)
        for overlap in overlaps:
            overlap.explanation()
            str(overlap.other.lead_organisation)

    assert len(overlaps) == 29


def test_nothing_overlaps_an_activity_with_no_area(areas) -> None:
    register(activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"]))
    probe = ActivityProbe.from_input(activity_input(URGENT_CARE, areas=[], groups=["patients"]))

    assert overlap_list(probe=probe) == []


def test_area_tree_relates_the_same_areas_as_the_selector(areas) -> None:
    tree = _AreaTree.load()

    for area in areas.values():
        assert tree.related([area.pk]) == area_with_related([area.pk])
    assert tree.related([areas["brierley_ward"].pk]) == {
        areas["brierley_ward"].pk,
        areas["brierley_locality"].pk,
        areas["place"].pk,
    }


@pytest.mark.parametrize(
    ("first", "second", "shared", "through_public"),
    [
        (["carers", "older_people"], ["older_people", "carers", "staff"], ["carers", "older_people"], []),
        (
            ["general_public"],
            ["carers", "older_people"],
            ["carers", "older_people"],
            ["carers", "older_people"],
        ),
        (["carers"], ["general_public", "carers", "staff"], ["carers"], []),
        (["carers", "staff"], ["general_public", "carers"], ["carers", "staff"], ["staff"]),
        (["general_public", "carers"], ["general_public", "staff"], ["general_public"], []),
        (["carers"], ["staff"], [], []),
    ],
)
def test_shared_target_groups_count_the_general_public_as_every_group(
    first, second, shared, through_public
) -> None:
    assert shared_target_groups(first, second) == (shared, through_public)
    assert shared_target_groups(second, first) == (shared, through_public)


def test_the_service_refuses_an_unseen_overlap_and_saves_nothing_until_told_it_was_seen(areas) -> None:
    """The rule lives in the service, so the page, the API and the command all keep it."""
    organisation = OrganisationFactory()

    def data() -> ActivityInput:
        return activity_input(URGENT_CARE, areas=[areas["brierley_ward"]], groups=["patients"])

    first = register(data(), organisation)
    before = Activity.objects.count()
    with pytest.raises(OverlapsToConfirm) as refused:
        activity_create(actor=None, organisation=organisation, data=data())
    assert [o.other.pk for o in refused.value.overlaps] == [first.pk]
    assert refused.value.status == 409
    assert Activity.objects.count() == before
    second = activity_create(actor=None, organisation=organisation, data=data(), overlaps_seen=True)
    assert Activity.objects.count() == before + 1
    with pytest.raises(OverlapsToConfirm):
        activity_update(actor=None, organisation=organisation, activity_id=second.pk, data=data())
    activity_update(
        actor=None, organisation=organisation, activity_id=first.pk, data=data(), overlaps_seen=True
    )


def test_words_every_engagement_activity_uses_are_no_topic(areas) -> None:
    """Two activities that share only the words of engagement itself ("listening event",
    "ICB") are about different things, so they are not a similar topic, and the words an
    explanation names are those written, never keywords cut short ('even', 'hear')."""
    register(
        activity_input(
            {
                "title": "ICB listening event on dental access",
                "topic": "Dentistry",
                "purpose": "Hear from residents about finding an NHS dentist.",
            },
            areas=[areas["brierley_ward"]],
            groups=["patients"],
        )
    )
    probe = ActivityProbe.from_input(
        activity_input(
            {
                "title": "ICB listening event on maternity care",
                "topic": "Maternity",
                "purpose": "Hear from new parents about their maternity care.",
            },
            areas=[areas["brierley_ward"]],
            groups=["patients"],
        )
    )
    assert overlap_list(probe=probe) == []
    assert keywords("ICB listening event: hearing residents' voices") == frozenset()
