"""People's labels on the demo's bank: the writer says what each comment was written
from without changing a word of it, each theme stands for sub-categories of the built-in
framework, a few per cent of the bank arrive labelled as if the analyst had reviewed
them, and `manage.py demo` trains a model on them and queues an analysis."""

from __future__ import annotations

import random
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from engage.accounts.models import User
from engage.conversations.models import Channel, Conversation
from engage.demo import conversations as texts
from engage.demo import labels
from engage.demo.services import DemoSummary, demo_partnership_load
from engage.demo.tests.conftest import REFERENCE_DATE, SEED
from engage.insight.framework.selectors import themes_always_together
from engage.insight.framework.services import BUILT_IN_FILE, framework_built_in
from engage.insight.models import Category, PersonLabel, Review

pytestmark = pytest.mark.django_db

BANK = 5000
ANALYST = "analyst@icb.example.org"
SENTIMENTS: tuple[texts.Sentiment, ...] = ("positive", "mixed", "negative", "neutral")
SETTINGS: tuple[texts.Setting, ...] = ("hospital", "gp", "community")
KINDS: tuple[texts.QuestionKind, ...] = ("experience", "improve", "anything_else")
TOPIC = "TOPIC OF THE NOTE"


def _framework_subcategories() -> set[str]:
    data = tomllib.loads(BUILT_IN_FILE.read_text(encoding="utf-8"))
    return {sub["name"] for group in data["categories"] for sub in group.get("subcategories", [])}


# --- What a comment was written from ---------------------------------------------------------


def test_every_theme_and_gist_stands_for_sub_categories_of_the_built_in_framework() -> None:
    assert set(labels.THEME_SUBCATEGORIES) == {theme.key for theme in texts.ALL_THEMES}
    assert set(labels.GIST_SUBCATEGORIES) == set(texts.GISTS)
    assert not set(labels.THEME_SUBCATEGORIES) & set(labels.GIST_SUBCATEGORIES)
    known = _framework_subcategories()
    for key, names in labels.SUBCATEGORIES.items():
        assert names, key
        assert set(names) <= known, (key, set(names) - known)
    # The relational themes are the framework's own sub-categories of the same name.
    for key in ("compassion", "empathy", "respect", "dignity"):
        assert labels.THEME_SUBCATEGORIES[key] == (key.capitalize(),)


def test_the_writer_says_what_it_wrote_from_without_changing_a_word() -> None:
    """`write` gives the texts `comment` gives, drawing the same numbers, even with the
    notes that wrap some comments in between."""
    plain, telling = texts.Writer(random.Random(3)), texts.Writer(random.Random(3))
    allowed: tuple[tuple[str, ...], ...] = ((), ("wider",), ("carers", "information", "respect"))
    for index in range(3000):
        sentiment, setting = SENTIMENTS[index % 4], SETTINGS[index // 4 % 3]
        kind, themes = KINDS[index // 12 % 3], allowed[index // 36 % 3]
        text = plain.comment(sentiment, setting, kind=kind, themes=themes)
        written = telling.write(sentiment, setting, kind=kind, themes=themes)
        assert written.text == text
        assert written.sentiment == sentiment
        # Either themes or, for a comment on none, its gist.
        assert bool(written.themes) != bool(written.gist), written
        assert set(written.themes) <= set(texts.THEMES_BY_KEY)
        assert len(set(written.themes)) == len(written.themes)
        if index % 5 == 0:
            note = telling.event_note(text, TOPIC)
            assert note == plain.event_note(text, TOPIC)
            assert telling.named_topic == (TOPIC in note.replace(text, ""))
            note = telling.phone_note(text, TOPIC, sentiment)
            assert note == plain.phone_note(text, TOPIC, sentiment)
            assert telling.named_topic == (TOPIC in note.replace(text, ""))


def test_a_comment_holds_the_words_of_the_themes_it_was_written_from() -> None:
    writer = texts.Writer(random.Random(11))
    held: Counter[str] = Counter()
    written_from: Counter[str] = Counter()
    gists: dict[str, list[str]] = defaultdict(list)
    for index in range(6000):
        written = writer.write(SENTIMENTS[index % 3], SETTINGS[index // 3 % 3])
        lowered = written.text.lower()
        gists[written.gist].append(written.text)
        for key in written.themes:
            written_from[key] += 1
            held[key] += any(word.lower() in lowered for word in texts.THEMES_BY_KEY[key].words)
    for key, count in written_from.items():
        if count >= 30:
            assert held[key] / count > 0.6, key
    # Comments on no theme are a word or two of praise or complaint.
    assert gists["praise"]
    assert gists["other"]
    assert all(len(text.split()) <= 12 for text in gists["praise"] + gists["other"])


def test_the_sample_is_spread_and_the_right_size() -> None:
    rng = random.Random(1)
    said = [
        labels.Said(
            organisation_id=rng.choice((1, 1, 1, 1, 2, 3)),
            channel=rng.choice(("fft", "fft", "fft", "phone")),
            sentiment="positive",
            keys=(rng.choices(("staff_manner", "dignity"), weights=(50, 1))[0],),
        )
        for _ in range(20_000)
    ]
    chosen = labels.choose(said, random.Random(2))
    assert chosen == sorted(set(chosen))
    assert len(chosen) == labels.labelled_count(20_000) == 580
    assert chosen == labels.choose(said, random.Random(2))
    # A rare theme gets its floor, though a uniform sample would hold about 11.
    assert sum(1 for index in chosen if said[index].keys == ("dignity",)) >= round(580 / 40)
    assert labels.labelled_count(0) == 0
    assert labels.labelled_count(30) == 30
    assert labels.labelled_count(600) == labels.LABELLED_LEAST
    assert labels.labelled_count(52_000) == 1508


def test_labels_name_sub_categories_once_each() -> None:
    assert labels.subcategories_of(["appointments", "waiting", "mental_health"]) == [
        "Appointment arrangements",
        "Timeliness of care",
    ]
    assert labels.subcategories_of(["non_answer"]) == ["Labelling not possible"]


def test_of_a_themes_two_sub_categories_the_words_said_choose() -> None:
    """Both for every comment made the two themes' figures identical on the demo."""
    assert labels.subcategories_of(["appointments"], "I rang 30 times and was 12th in the queue") == [
        "Contacting services"
    ]
    assert labels.subcategories_of(["appointments"], "My appointment was cancelled twice") == [
        "Appointment arrangements"
    ]
    assert labels.subcategories_of(["appointments"], "Rang at 8 and had an appointment that morning") == [
        "Appointment arrangements",
        "Contacting services",
    ]
    assert labels.subcategories_of(["parking_transport"], "The bus only comes once an hour") == [
        "Transport to/ from services"
    ]


# --- The labels in the demo ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_partnership_load(seed=SEED, today=REFERENCE_DATE, conversations=BANK)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def labelled(bank: DemoSummary, django_db_blocker: Any) -> dict[int, dict[str, Any]]:
    """Each reviewed conversation's text, channel, organisation, sentiment and labels."""
    with django_db_blocker.unblock():
        rows = {
            conversation_id: {
                "text": text,
                "channel": channel,
                "organisation": organisation,
                "sentiment": sentiment,
                "labels": set(),
            }
            for conversation_id, text, channel, organisation, sentiment in Review.objects.values_list(
                "conversation_id",
                "conversation__text",
                "conversation__channel",
                "conversation__organisation_id",
                "sentiment",
            )
        }
        for conversation_id, name in PersonLabel.objects.values_list("conversation_id", "category__name"):
            rows[conversation_id]["labels"].add(name)
        return rows


def test_a_few_per_cent_of_the_bank_arrive_labelled_by_the_analyst(
    bank: DemoSummary, labelled: dict[int, dict[str, Any]]
) -> None:
    assert bank.conversations == BANK
    assert bank.conversations_labelled == len(labelled) == labels.labelled_count(BANK) == 145
    analyst = User.objects.get(email=ANALYST)
    assert set(Review.objects.values_list("reviewed_by", flat=True)) == {analyst.pk}
    assert set(Review.objects.values_list("source", flat=True)) == {PersonLabel.Source.REVIEW}
    assert set(PersonLabel.objects.values_list("labelled_by", flat=True)) == {analyst.pk}
    # Every reviewed conversation has labels, all sub-categories of the built-in framework.
    assert all(row["labels"] for row in labelled.values())
    framework = framework_built_in()
    categories = Category.objects.filter(pk__in=PersonLabel.objects.values("category"))
    assert all(category.framework_id == framework.pk for category in categories)
    assert all(category.parent_id is not None for category in categories)
    assert {row["sentiment"] for row in labelled.values()} == {"positive", "neutral", "negative"}


def test_the_sample_spans_channels_organisations_and_themes(labelled: dict[int, dict[str, Any]]) -> None:
    channels = Counter(row["channel"] for row in labelled.values())
    assert set(channels) == set(Conversation.objects.values_list("channel", flat=True))
    assert set(channels) == {channel.value for channel in Channel} - {Channel.OTHER}
    # The Friends and Family Test is most of the bank, but not all of the sample.
    assert channels[Channel.FRIENDS_AND_FAMILY_TEST] < 0.75 * len(labelled)
    assert len({row["organisation"] for row in labelled.values()}) >= 15
    names = Counter(name for row in labelled.values() for name in row["labels"])
    assert len(names) >= 20
    assert names["Staff manner & personal attributes"] > names["Dignity"] > 0


def test_labels_follow_the_themes_the_texts_were_written_from(labelled: dict[int, dict[str, Any]]) -> None:
    """A conversation labelled with a sub-category holds words of a theme that stands
    for it ("Staff manner" comments say staff, kind, rude), nearly always."""
    words: dict[str, set[str]] = defaultdict(set)
    for theme in texts.ALL_THEMES:
        for name in labels.THEME_SUBCATEGORIES[theme.key]:
            words[name].update(word.lower() for word in theme.words)
    del words["Not assigned"]  # also what a comment on no theme gets
    hits: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for row in labelled.values():
        lowered = row["text"].lower()
        for name in row["labels"] & set(words):
            counts[name] += 1
            hits[name] += any(word in lowered for word in words[name])
    assert sum(hits.values()) / sum(counts.values()) > 0.85
    for name, count in counts.items():
        if count >= 5:
            assert hits[name] / count >= 0.6, name
    staff = [
        row["text"].lower()
        for row in labelled.values()
        if "Staff manner & personal attributes" in row["labels"]
    ]
    assert sum(1 for text in staff if "staff" in text or "kind" in text or "rude" in text) > len(staff) / 3
    # Non-answers are labelled as such, and are a few words at most.
    blanks = [row["text"] for row in labelled.values() if row["labels"] == {"Labelling not possible"}]
    assert all(len(text.split()) <= 8 for text in blanks)


def test_no_two_themes_are_always_labelled_together(bank: DemoSummary, django_db_blocker: Any) -> None:
    """On the demo, "Contacting services" and "Appointment arrangements" once showed the
    same figures: every label gave both. A theme's two sub-categories are now chosen by
    the words said, so the model and the pages can tell them apart."""
    with django_db_blocker.unblock():
        assert themes_always_together() == []
