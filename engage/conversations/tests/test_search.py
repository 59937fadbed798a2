"""Full-text search of conversations, on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection

from engage.accounts.tests.factories import UserFactory
from engage.activities.tests.factories import ActivityFactory
from engage.conversations import search
from engage.conversations.models import Channel, Conversation
from engage.conversations.search import conversation_search, highlight, parse_query
from engage.core.models import AuditAction, AuditEvent
from engage.core.selectors import audit_event_list
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def make(organisation: Any, text: str, **fields: Any) -> Conversation:
    return add(organisation, [text], **fields)[0]


def add(organisation: Any, texts: list[str], **fields: Any) -> list[Conversation]:
    values = {"channel": Channel.SURVEY, "occurred_on": dt.date(2026, 3, 1), "question": ""} | fields
    Conversation.objects.bulk_create(
        [
            Conversation(organisation=organisation, text=text, dedupe_key=f"k{next(_keys)}", **values)
            for text in texts
        ]
    )
    return list(Conversation.objects.filter(organisation=organisation).order_by("-id")[: len(texts)])[::-1]


def found(page: search.SearchPage) -> list[str]:
    return [result.conversation.text for result in page.results]


@pytest.fixture
def org() -> Any:
    return OrganisationFactory()


def test_finds_other_forms_of_a_word(org: Any) -> None:
    make(org, "We were waiting for two hours in the emergency department.")
    make(org, "The parking was expensive.")
    page = conversation_search(actor=None, organisation=org, query="waited")
    assert found(page) == ["We were waiting for two hours in the emergency department."]
    assert page.total == 1


def test_ranks_a_text_with_more_matches_higher(org: Any) -> None:
    make(org, "Parking was fine. The wait was long and the receptionist was rude.")
    make(org, "The wait was long, the wait for the doctor was longer, we waited all day.")
    make(org, "Nothing to add.")
    page = conversation_search(actor=None, organisation=org, query="wait")
    assert found(page)[0].startswith("The wait was long, the wait for the doctor")
    assert page.total == 2
    assert page.results[0].score is not None
    assert page.results[1].score is not None
    assert page.results[0].score > page.results[1].score


def test_highlights_matched_words_and_escapes_the_text(org: Any) -> None:
    make(org, "The <script>alert('x')</script> nurse & doctor were kind to my mum")
    page = conversation_search(actor=None, organisation=org, query="kind")
    snippet = str(page.results[0].snippet)
    assert "<mark>kind</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp;" in snippet


def test_control_characters_in_the_text_cannot_unbalance_the_markup(org: Any) -> None:
    make(org, "staff \x01were\x02 kind \x02 </mark> \x01")
    snippet = str(conversation_search(actor=None, organisation=org, query="kind").results[0].snippet)
    assert snippet.count("<mark>") == snippet.count("</mark>")
    assert "<mark>kind</mark>" in snippet
    assert "&lt;/mark" in snippet


def test_highlight_balances_and_escapes() -> None:
    assert highlight("a \x01b\x02 <i>") == "a <mark>b</mark> &lt;i&gt;"
    assert highlight("\x02x\x01y") == "x<mark>y</mark>"


def test_a_list_without_query_is_escaped_too(org: Any) -> None:
    make(org, "<b>bold</b> claim")
    page = conversation_search(actor=None, organisation=org)
    assert str(page.results[0].snippet) == "&lt;b&gt;bold&lt;/b&gt; claim"


def test_a_quoted_phrase_keeps_its_words_together(org: Any) -> None:
    make(org, "The car park was full so I was late.")
    make(org, "There was no park nearby and the car broke down.")
    assert found(conversation_search(actor=None, organisation=org, query='"car park"')) == [
        "The car park was full so I was late."
    ]
    assert conversation_search(actor=None, organisation=org, query="car park").total == 2


def test_every_word_must_be_found(org: Any) -> None:
    make(org, "Kind staff but a long wait.")
    make(org, "Kind staff.")
    assert found(conversation_search(actor=None, organisation=org, query="kind wait")) == [
        "Kind staff but a long wait."
    ]


def test_the_question_is_searched_too(org: Any) -> None:
    make(org, "Nothing else.", question="What could we do better about parking?")
    assert conversation_search(actor=None, organisation=org, query="parking").total == 1


HOSTILE = [
    '"',
    '""',
    '"unclosed phrase',
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "wait*",
    "a OR",
    "OR",
    "AND NOT",
    "-",
    "-wait",
    "^wait",
    "text:wait",
    "'); DROP TABLE conversations_conversation; --",
    "wait & ! | <-> :* ()",
    "%s %(x)s {} \\",
    "\x00\x01\x02",
    "kind 待つ café naïve Żółć",
    "🙂 emoji",
    "a" * 1000,
    "wait " * 200,
    '"' * 1000,
    " ".join(f'"{word} x"' for word in ["a", "b", "c"] * 20),
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(org: Any, query: str) -> None:
    make(org, "Staff were kind; the wait was long at the café.")
    page = conversation_search(actor=None, organisation=org, query=query)
    assert page.total >= 0
    assert Conversation.objects.count() == 1


def test_parse_query_drops_operators_and_keeps_phrases() -> None:
    assert parse_query('long "car park" -wait NEAR( x*') == (
        ("long",),
        ("car", "park"),
        ("wait",),
        ("NEAR",),
        ("x",),
    )
    assert parse_query('"') == ()
    assert len(parse_query("word " * 100)) == 1
    assert len(parse_query(" ".join(f"w{i}" for i in range(100)))) == search.MAX_TERMS


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL's 'english' configuration keeps accents; unaccent would need an extension",
)
def test_accents_do_not_matter(org: Any) -> None:
    make(org, "We met at the café on the high street.")
    assert conversation_search(actor=None, organisation=org, query="cafe").total == 1


def test_filters_by_activity_channel_question_and_date(org: Any) -> None:
    activity = ActivityFactory(lead_organisation=org)
    make(org, "wait one", activity=activity, channel=Channel.PHONE, occurred_on=dt.date(2026, 1, 10))
    make(org, "wait two", channel=Channel.PHONE, question="How was it?", occurred_on=dt.date(2026, 2, 10))
    make(org, "wait three", channel=Channel.EVENT, question="How was it?", occurred_on=dt.date(2026, 3, 10))
    for query in ["wait", ""]:
        assert found(
            conversation_search(actor=None, organisation=org, query=query, activity_id=activity.pk)
        ) == ["wait one"]
        assert sorted(
            found(conversation_search(actor=None, organisation=org, query=query, channel=Channel.PHONE))
        ) == [
            "wait one",
            "wait two",
        ]
        assert sorted(
            found(conversation_search(actor=None, organisation=org, query=query, question="How was it?"))
        ) == [
            "wait three",
            "wait two",
        ]
        dated = conversation_search(
            actor=None,
            organisation=org,
            query=query,
            date_from=dt.date(2026, 2, 1),
            date_to=dt.date(2026, 2, 28),
        )
        assert found(dated) == ["wait two"]


def test_counts_and_facets(org: Any) -> None:
    add(org, ["kind staff"] * 5, channel=Channel.SURVEY, question="What went well?")
    add(org, ["kind nurse"] * 3, channel=Channel.PHONE, question="Anything else?")
    add(org, ["rude staff"] * 2, channel=Channel.PHONE, question="")
    for query, total in [("kind", 8), ("", 10)]:
        page = conversation_search(actor=None, organisation=org, query=query)
        assert page.total == total
        assert not page.total_is_capped
        assert page.total_display == str(total)
        assert sum(facet.count for facet in page.channel_facets) == total
        assert sum(facet.count for facet in page.question_facets) == total
    page = conversation_search(actor=None, organisation=org, query="kind")
    assert [(f.value, f.label, f.count) for f in page.channel_facets] == [
        ("survey", "Survey", 5),
        ("phone", "Phone call", 3),
    ]
    assert [(f.value, f.count) for f in page.question_facets] == [
        ("What went well?", 5),
        ("Anything else?", 3),
    ]
    listed = conversation_search(actor=None, organisation=org)
    assert ("", "No question recorded", 2) in [(f.value, f.label, f.count) for f in listed.question_facets]


def test_question_facets_keep_the_ten_most_common(org: Any) -> None:
    for number in range(12):
        add(org, ["wait"] * (number + 1), question=f"Question {number:02}")
    page = conversation_search(actor=None, organisation=org, query="wait")
    assert len(page.question_facets) == 10
    assert page.question_facets[0].value == "Question 11"
    assert page.total == sum(range(1, 13))


def test_pagination(org: Any) -> None:
    for day in range(1, 26):
        make(org, f"kind staff on day {day}", occurred_on=dt.date(2026, 1, day))
    for query in ["", "kind"]:
        first = conversation_search(actor=None, organisation=org, query=query, per_page=10)
        third = conversation_search(actor=None, organisation=org, query=query, page=3, per_page=10)
        assert (first.total, first.page_count, len(first.results)) == (25, 3, 10)
        assert (third.page, len(third.results), third.has_next, third.has_previous) == (3, 5, False, True)
        everything = [
            r.conversation.pk
            for number in (1, 2, 3)
            for r in conversation_search(
                actor=None, organisation=org, query=query, page=number, per_page=10
            ).results
        ]
        assert len(set(everything)) == 25
        beyond = conversation_search(actor=None, organisation=org, query=query, page=99, per_page=10)
        assert beyond.page == 3
        assert conversation_search(actor=None, organisation=org, query=query, page=-4, per_page=10).page == 1
    listed = conversation_search(actor=None, organisation=org, per_page=10)
    assert listed.results[0].conversation.occurred_on == dt.date(2026, 1, 25)


def test_counts_stop_at_the_cap(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    add(org, ["kind"] * 8)
    for query in ["kind", ""]:
        page = conversation_search(actor=None, organisation=org, query=query, per_page=2)
        assert (page.total, page.total_is_capped, page.total_display, page.page_count) == (5, True, "5+", 3)
        assert sum(facet.count for facet in page.channel_facets) == 5


def test_another_organisations_conversations_never_appear(org: Any) -> None:
    other = OrganisationFactory()
    make(org, "ours: the wait was long")
    make(other, "theirs: the wait was long", question="wait")
    for query in ["wait", "", "theirs", '"wait was long"']:
        page = conversation_search(actor=None, organisation=org, query=query)
        assert all(r.conversation.organisation_id == org.pk for r in page.results)
        assert "theirs: the wait was long" not in found(page)
        assert all(facet.value != "wait" for facet in page.question_facets)
    assert conversation_search(actor=None, organisation=org, query="theirs").total == 0


def test_no_organisation_in_scope_finds_nothing(org: Any) -> None:
    make(org, "the wait was long")
    for query in ["wait", ""]:
        page = conversation_search(actor=None, organisation=None, query=query)
        assert (page.total, page.results) == (0, [])


def test_updating_and_deleting_a_conversation_updates_the_index(org: Any) -> None:
    conversation = make(org, "The parking was terrible.")
    assert conversation_search(actor=None, organisation=org, query="parking").total == 1
    conversation.text = "The receptionist was lovely."
    conversation.save()
    assert conversation_search(actor=None, organisation=org, query="parking").total == 0
    assert conversation_search(actor=None, organisation=org, query="receptionist").total == 1
    Conversation.objects.filter(pk=conversation.pk).update(question="Any parking problems?")
    assert conversation_search(actor=None, organisation=org, query="parking").total == 1
    Conversation.objects.filter(pk=conversation.pk).update(rating=3)  # not indexed: no change
    assert conversation_search(actor=None, organisation=org, query="receptionist").total == 1
    other = OrganisationFactory()
    Conversation.objects.filter(pk=conversation.pk).update(organisation=other)
    assert conversation_search(actor=None, organisation=org, query="receptionist").total == 0
    assert conversation_search(actor=None, organisation=other, query="receptionist").total == 1
    conversation.delete()
    assert conversation_search(actor=None, organisation=other, query="receptionist").total == 0
    assert conversation_search(actor=None, organisation=org, query="parking").total == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
def test_sqlite_index_stays_consistent_with_the_table(org: Any) -> None:
    add(org, [f"kind staff {n}" for n in range(50)])
    Conversation.objects.filter(text__endswith="7").delete()
    Conversation.objects.filter(text__endswith="3").update(text="changed")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO conversations_conversation_fts(conversations_conversation_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )
    assert conversation_search(actor=None, organisation=org, query="kind").total == 40


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgres_query_uses_the_full_text_index(org: Any) -> None:
    make(org, "the wait was long")
    engine = search._PostgresEngine()
    sql, params = engine.candidates((("wait",),), "1 = 1", [], organisation_id=org.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "conversation_search_vector" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_postgres_search_vector_follows_changes_to_the_text(org: Any) -> None:
    conversation = make(org, "the parking was full")
    assert conversation_search(actor=None, organisation=org, query="parked").total == 1
    Conversation.objects.filter(pk=conversation.pk).update(text="the receptionist was kind")
    assert conversation_search(actor=None, organisation=org, query="parked").total == 0
    assert conversation_search(actor=None, organisation=org, query="receptionists").total == 1


def test_the_search_records_each_conversation_on_its_page_as_listed_to_whoever_asked(org: Any) -> None:
    """The selector records the listing itself, so no page or API can show what people
    said without it (ARCHITECTURE.md: a selector returning personal data records it):
    one event for the page, naming each conversation on it, so the trail reads one line
    a page and a search for any conversation finds it."""
    officer = UserFactory()
    shown = add(org, [f"Waiting {n} hours at the walk-in centre." for n in range(3)])
    make(org, "Parking was fine.")
    page = conversation_search(actor=officer, organisation=org, query="waiting", per_page=2)
    listed = AuditEvent.objects.filter(action=AuditAction.LISTED, subject_type="conversation", actor=officer)
    assert listed.count() == 1
    event = listed.get()
    on_the_page = sorted(int(s.subject_id) for s in event.subjects.all())
    assert on_the_page == sorted(r.conversation.pk for r in page.results)
    assert set(on_the_page) < {c.pk for c in shown}
    assert event.organisation_id == org.pk
    assert event.summary == "Shown in a list of conversations: 2 conversations."
    for pk in on_the_page:
        assert list(audit_event_list(organisation=org, subject_id=str(pk))) == [event]
    conversation_search(actor=officer, organisation=org, query="nothing like this")
    assert listed.count() == 1  # an empty page lists no one
