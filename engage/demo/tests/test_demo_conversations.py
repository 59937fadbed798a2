"""The demo's bank of conversations: at least 50,000, across every channel and many
questions, written so that themes, sentiment and people's details appear as they do in
real feedback, and built the same way every time for one seed."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction

from engage.activities.models import Method
from engage.conversations.models import Channel, Conversation
from engage.demo import conversations as texts
from engage.demo import generator, labels, places
from engage.demo.services import (
    DemoSummary,
    demo_partnership_load,
)
from engage.demo.tests.conftest import REFERENCE_DATE, SEED
from engage.insight.models import PersonLabel
from engage.partners.models import OrganisationKind

pytestmark = pytest.mark.django_db

FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
NHS_NUMBER = re.compile(r"\b999[ -]?\d{3}[ -]?\d{4}\b")
PHONE = re.compile(r"\b(?:07700 900\d{3}|0121 496 0\d{3}|01632 960\d{3})\b")
EMAIL = re.compile(r"\b[\w.]+@example\.org\b", re.IGNORECASE)
DATE_OF_BIRTH = re.compile(r"\b(?:dob|date of birth|born)\b", re.IGNORECASE)
# Case matters: "Dr Patel", "a nurse called Sarah", "thanks to Sarah" (not "to all").
STAFF_NAME = re.compile(r"\b[Dd]r [A-Z][a-z]+|\bcalled [A-Z][a-z]+|\b[Tt]hanks to [A-Z][a-z]+")
DETAILS = (FULL_POSTCODE, NHS_NUMBER, PHONE, EMAIL, DATE_OF_BIRTH, STAFF_NAME)

FIELDS = (
    "organisation__name",
    "organisation__kind",
    "activity_id",
    "channel",
    "text",
    "question",
    "occurred_on",
    "rating",
    "respondent_reference",
    "postcode_district",
    "age_band",
    "sex",
    "ethnic_group",
    "disability",
    "carer",
    "consent_to_quote",
    "consent_to_contact",
)


@pytest.fixture(scope="module")
def full_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo as `manage.py demo` builds it, with the full bank."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_partnership_load(seed=SEED, today=REFERENCE_DATE, conversations=generator.CONVERSATIONS)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def rows(full_demo: DemoSummary, django_db_blocker: Any) -> list[dict[str, Any]]:
    with django_db_blocker.unblock():
        return list(Conversation.objects.order_by("pk").values(*FIELDS))


def _share(count: int, rows: list[dict[str, Any]]) -> float:
    return count / len(rows)


# --- Volume, channels and questions --------------------------------------------------------


def test_the_bank_holds_at_least_50000_conversations_across_every_channel(
    full_demo: DemoSummary, rows: list[dict[str, Any]]
) -> None:
    assert full_demo.conversations == len(rows) == generator.CONVERSATIONS >= 50_000
    channels = Counter(row["channel"] for row in rows)
    assert set(channels) == {channel.value for channel in Channel} - {Channel.OTHER}
    assert all(count >= 500 for count in channels.values()), channels
    # The Friends and Family Test is most of it, as in a real partnership.
    assert 0.5 < _share(channels[Channel.FRIENDS_AND_FAMILY_TEST], rows) < 0.7


def test_the_bank_answers_many_questions(rows: list[dict[str, Any]]) -> None:
    questions = Counter(row["question"] for row in rows if row["question"])
    assert len(questions) >= 10
    assert questions[texts.FFT_EXPERIENCE_QUESTION] > 10_000
    assert questions[texts.FFT_IMPROVE_QUESTION] > 5_000
    assert questions[texts.BIG_CONVERSATION_QUESTION] > 500
    fft_questions = {row["question"] for row in rows if row["channel"] == Channel.FRIENDS_AND_FAMILY_TEST}
    assert fft_questions == {texts.FFT_EXPERIENCE_QUESTION, texts.FFT_IMPROVE_QUESTION}


def test_conversations_are_collected_by_the_right_partner(
    full_demo: DemoSummary, rows: list[dict[str, Any]]
) -> None:
    fft_kinds = {
        row["organisation__kind"] for row in rows if row["channel"] == Channel.FRIENDS_AND_FAMILY_TEST
    }
    assert fft_kinds == {OrganisationKind.NHS_TRUST, OrganisationKind.GP_PRACTICE}
    fft_practices = {
        row["organisation__name"]
        for row in rows
        if row["channel"] == Channel.FRIENDS_AND_FAMILY_TEST and row["organisation__kind"] == "gp_practice"
    }
    assert len(fft_practices) == 47
    assert {row["organisation__name"] for row in rows if row["channel"] == Channel.HEALTHWATCH} == {
        "Healthwatch Castlebridge"
    }
    # A conversation from an activity is held by the activity's lead, within its dates.
    linked = Conversation.objects.filter(activity__isnull=False).select_related("activity")
    assert linked.count() == full_demo.conversations_from_activities > 10_000
    for conversation in linked.iterator(chunk_size=2000):
        activity = conversation.activity
        assert activity is not None
        assert conversation.organisation_id == activity.lead_organisation_id
        assert activity.starts_on <= conversation.occurred_on <= min(activity.ends_on, REFERENCE_DATE)
        if conversation.channel == Channel.SURVEY:
            assert Method.SURVEY in activity.methods
    # Surveys are linked to their activity; so is every event note.
    for row in rows:
        if row["channel"] in (Channel.SURVEY, Channel.EVENT):
            assert row["activity_id"] is not None


def test_conversations_span_the_two_years(rows: list[dict[str, Any]]) -> None:
    days = [row["occurred_on"] for row in rows]
    assert min(days) >= REFERENCE_DATE - timedelta(days=2 * 365)
    assert max(days) <= REFERENCE_DATE
    by_year = Counter(day.year for day in days)
    assert len(by_year) >= 3  # two years back from 1 March cross three calendar years


# --- The texts -----------------------------------------------------------------------------


def test_texts_are_varied_in_wording_and_length(rows: list[dict[str, Any]]) -> None:
    all_texts = [row["text"] for row in rows]
    assert len(set(all_texts)) / len(all_texts) >= 0.9
    words = [len(text.split()) for text in all_texts]
    assert min(words) == 1
    assert max(words) >= 50
    assert sum(1 for n in words if n <= 5) > 1000
    assert sum(1 for n in words if n >= 25) > 5000
    # Written by people in a hurry: all lower case, or no full stop, now and then.
    assert _share(sum(1 for t in all_texts if t == t.lower() and len(t) > 30), rows) > 0.03
    assert sum(1 for t in all_texts if "  " in t) > 100
    # And the non-answers of a real export, but not many of them.
    non_answers = sum(1 for t in all_texts if t in {"Nothing", "n/a", "N/A", "Did not answer", "-"})
    assert 0.005 < _share(non_answers, rows) < 0.05


def test_texts_are_not_filler() -> None:
    writer = texts.Writer(random.Random(1))
    sample = " ".join(writer.comment("positive", "hospital") for _ in range(200)).lower()
    assert "lorem" not in sample
    assert "ipsum" not in sample


def test_every_theme_is_heard_in_its_own_words_good_and_bad(rows: list[dict[str, Any]]) -> None:
    lowered = [row["text"].lower() for row in rows]
    corpus = "\n".join(lowered)
    for theme in texts.ALL_THEMES:
        hits = sum(1 for text in lowered if any(word.lower() in text for word in theme.words))
        assert hits >= 200, theme.key
        for polarity, templates in (("good", theme.good), ("bad", theme.bad)):
            heard = [
                template
                for template in templates
                if _longest_literal(texts.template_text(template)).lower() in corpus
            ]
            assert heard, (theme.key, polarity)


def _longest_literal(template: str) -> str:
    return max(re.split(r"\{[a-z_0-9]+\}", template), key=len).strip(" ,")


def test_sentiment_is_positive_negative_and_mixed(rows: list[dict[str, Any]]) -> None:
    all_texts = [row["text"].lower() for row in rows]
    assert sum(1 for t in all_texts if " but " in t or "however" in t or "although" in t) > 3000
    # "The nurse was lovely but I waited four hours."
    assert any(re.search(r"(kind|lovely|friendly|helpful).* but .*wait", text) for text in all_texts)
    assert sum(1 for t in all_texts if "thank" in t) > 2000
    assert sum(1 for t in all_texts if "rude" in t or "not good enough" in t or "disappointed" in t) > 1000


def test_friends_and_family_ratings_agree_with_what_was_written(rows: list[dict[str, Any]]) -> None:
    fft = [row for row in rows if row["channel"] == Channel.FRIENDS_AND_FAMILY_TEST]
    assert {row["rating"] for row in fft} == {1, 2, 3, 4, 5, None}
    assert all(row["rating"] is None for row in rows if row["channel"] != Channel.FRIENDS_AND_FAMILY_TEST)
    ratings = Counter(row["rating"] for row in fft)
    # Mostly "very good", as the national figures are.
    assert _share(ratings[1], fft) > 0.5

    def mean(rated: list[int]) -> float:
        return sum(rated) / len(rated)

    praise = [
        row["rating"]
        for row in fft
        if row["rating"] and "thank" in row["text"].lower() and " but " not in row["text"].lower()
    ]
    complaints = [
        row["rating"]
        for row in fft
        if row["rating"]
        and re.search(r"\b(rude|filthy|appalling|shocking|not good enough)\b", row["text"].lower())
        and " but " not in row["text"].lower()
    ]
    assert mean(praise) < 1.6
    assert mean(complaints) > 3.5


# --- People's details -------------------------------------------------------------------------


def test_a_few_texts_hold_peoples_details_as_real_feedback_does(rows: list[dict[str, Any]]) -> None:
    all_texts = [row["text"] for row in rows]
    with_details = [t for t in all_texts if any(pattern.search(t) for pattern in DETAILS)]
    assert 0.02 < _share(len(with_details), rows) < 0.045
    for pattern in DETAILS:
        assert sum(1 for t in all_texts if pattern.search(t)) >= 50, pattern.pattern


def test_planted_nhs_numbers_pass_the_check_digit_and_are_test_numbers(rows: list[dict[str, Any]]) -> None:
    numbers = [match.group() for row in rows for match in NHS_NUMBER.finditer(row["text"])]
    assert len(numbers) >= 50
    assert all(texts.nhs_number_is_valid(number) for number in numbers)


def test_nhs_number_generator_and_check() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        number = texts.nhs_number(rng)
        assert len(number) == 10
        assert number.startswith("999")
        assert texts.nhs_number_is_valid(number)
    # The NHS's published example, and the same with its last digit changed.
    assert texts.nhs_number_is_valid("943 476 5919")
    assert not texts.nhs_number_is_valid("9434765918")
    assert not texts.nhs_number_is_valid("94347659")


def test_planted_phone_numbers_come_from_the_drama_ranges(rows: list[dict[str, Any]]) -> None:
    numbers = [match for row in rows for match in re.findall(r"\b0\d{3,4} ?\d{3} ?\d{3,4}\b", row["text"])]
    assert numbers
    assert all(PHONE.fullmatch(number) for number in numbers)


def test_no_conversation_keeps_a_full_postcode_in_its_district(rows: list[dict[str, Any]]) -> None:
    districts = {district for town in places.TOWNS for district in town.postcode_districts}
    for row in rows:
        assert not FULL_POSTCODE.search(row["postcode_district"])
        assert row["postcode_district"] in districts or row["postcode_district"] == ""
    assert not Conversation.objects.filter(postcode_district__contains=" ").exists()


# --- Who answered ---------------------------------------------------------------------------


def test_consent_to_quote_and_to_contact(rows: list[dict[str, Any]]) -> None:
    assert 0.55 < _share(sum(row["consent_to_quote"] for row in rows), rows) < 0.65
    assert 0.2 < _share(sum(row["consent_to_contact"] for row in rows), rows) < 0.3


def test_demographics_are_given_by_most_and_use_the_census_categories(rows: list[dict[str, Any]]) -> None:
    described = [row for row in rows if row["age_band"]]
    assert 0.65 < _share(len(described), rows) < 0.75
    assert {row["age_band"] for row in described} == set(texts.AGE_BANDS)
    assert {row["sex"] for row in described} == {"Female", "Male", "Prefer not to say"}
    assert {row["ethnic_group"] for row in described} == {group for group, _ in texts.ETHNIC_GROUPS}
    assert {row["disability"] for row in described} == {"Yes", "No", "Prefer not to say"}
    assert {row["carer"] for row in described} == {"Yes", "No"}
    assert all(len(row["ethnic_group"]) <= 80 for row in described)
    # People with no demographics have none at all.
    assert all(not (row["sex"] or row["ethnic_group"]) for row in rows if not row["age_band"])


def test_who_answered_leaves_the_gaps_real_feedback_has(rows: list[dict[str, Any]]) -> None:
    described = [row for row in rows if row["age_band"]]
    ages = Counter(row["age_band"] for row in described)
    # About 13% of the borough's adults are 16 to 24; far fewer answer.
    assert _share(ages["16-24"], described) < 0.07
    assert ages["16-24"] < ages["25-34"] < ages["65-74"]
    placed = [row for row in rows if row["postcode_district"]]
    assert 0.75 < _share(len(placed), rows) < 0.85
    population = texts.district_population_shares()
    deprived = set(texts.MOST_DEPRIVED_DISTRICTS)
    answered = _share(sum(1 for row in placed if row["postcode_district"] in deprived), placed)
    lives_there = sum(share for district, share in population.items() if district in deprived)
    assert answered < 0.75 * lives_there
    white_british = texts.ETHNIC_GROUPS[0][0]
    assert _share(sum(1 for row in described if row["ethnic_group"] == white_british), described) > 0.65


# --- Keys, determinism, idempotence, removal ---------------------------------------------------


def test_every_conversation_has_its_own_stable_key(full_demo: DemoSummary) -> None:
    keys = list(Conversation.objects.values_list("dedupe_key", flat=True))
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)


def test_about_1500_of_the_bank_arrive_labelled_by_people(full_demo: DemoSummary) -> None:
    assert full_demo.conversations_labelled == labels.labelled_count(generator.CONVERSATIONS) == 1508
    assert PersonLabel.objects.filter(conversation__review__isnull=False).count() > 1508


def test_loading_again_adds_no_conversations(full_demo: DemoSummary) -> None:
    again = demo_partnership_load(seed=SEED, today=REFERENCE_DATE)
    assert not again.created
    assert Conversation.objects.count() == full_demo.conversations


# Activities whose titles share a word with a more general rule ("appointments", "GP",
# "winter", "food"): each hears about its own service, the first theme it is on.
OWN_TOPIC = [
    (
        "Transport to hospital appointments",
        "Getting to hospital appointments: transport users' survey",
        "parking_transport",
    ),
    (
        "Patient transport to hospital appointments",
        "Non-emergency patient transport review",
        "parking_transport",
    ),
    ("Accessible travel", "Accessible buses and taxis to health appointments", "parking_transport"),
    (
        "Digital access to GP services",
        "The NHS App and online consultations: is digital working for you?",
        "appointments",
    ),
    ("Deaf awareness", "Deaf awareness in GP surgeries", "access"),
    ("Autism-friendly GP surgeries", "Autistic adults: making GP surgeries easier to visit", "access"),
    ("Interpreters for Kurdish speakers", "Interpreting at health appointments", "access"),
    ("Communicating with people with learning disabilities", "Easy read appointment letters", "access"),
    ("Community pharmacy access", "Pharmacy opening hours: mystery shop", "medication"),
    ("Outpatient appointment letters", "Outpatient letters: making them clearer", "information"),
    ("Warm spaces and loneliness", "Warm space conversations, winter 2026", "wider"),
    ("Healthy weight in childhood", "Healthy weight: families' views of food and activity", "wider"),
]


@pytest.mark.parametrize(("topic", "title", "theme"), OWN_TOPIC, ids=[row[1][:30] for row in OWN_TOPIC])
def test_an_activity_hears_about_its_own_service_not_a_word_its_title_shares(
    topic: str, title: str, theme: str
) -> None:
    plan = texts.activity_plan(topic, title)
    assert plan is not None
    assert plan[1][0] == theme


def test_activity_plans_follow_the_activity_topic() -> None:
    assert texts.activity_plan("GP access and appointments", "GP access survey") == (
        "gp",
        ("appointments", "waiting", "staff_manner", "continuity", "communication", "empathy"),
    )
    assert texts.activity_plan("Community safety", "Safer Castlebridge: community safety survey") is None
    plan = texts.activity_plan("Adult mental health crisis care", "Crisis care: your stories")
    assert plan is not None
    assert plan[1][0] == "mental_health"
    assert (
        texts.survey_questions("NHS dentistry")[0] == "What has your experience of NHS dentistry been like?"
    )
