"""Full-text search of the bank of conversations, on SQLite (FTS5) or PostgreSQL.

One interface, `conversation_search`, and two small engines behind it chosen by the
database's vendor:

- SQLite: the FTS5 external-content table `conversations_conversation_fts` (text,
  question), kept in step with the conversations by triggers (migration 0002), with the
  porter tokenizer so that "waited" finds "waiting"; ranked by bm25(); snippets by
  FTS5's snippet().
- PostgreSQL: a stored, generated column `search_vector` holding
  `to_tsvector('english', text || ' ' || question)`, with a GIN index (migration 0005);
  ranked by ts_rank_cd() over the stored vector; snippets by ts_headline().

Both engines mark matched words with two control characters that never survive into
the page as they are: the snippet is escaped first and only then are the markers turned
into <mark> elements, balanced, so user text is never injected unescaped.

Scoping: every query starts from `Conversation.objects.for_organisation(organisation)`;
its WHERE clause (the organisation and the filters) is compiled by Django and placed
into the engine's SQL, so the search cannot reach another organisation's conversations.

Cost is bounded whatever the query: at most COUNT_CAP + 1 matching conversations are
read for a page. Below the cap the total, the facet counts and the ranking are exact;
above it the total reads "10,000+", the facet counts are those of the conversations
read (the first 10,000 the database finds; on SQLite a search reads the most recently
added first), and the ranking is among those — the page asks the person to narrow the search. Pages stop at
the cap too (as a search engine's do), so deep pages are never slow.
"""

from __future__ import annotations

import html
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from engage.conversations.models import Channel, Conversation
from engage.conversations.search_index import CONVERSATION_TABLE, FTS_TABLE
from engage.conversations.services import conversations_listed_record
from engage.core.types import Actor

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from engage.partners.models import Organisation

COUNT_CAP = 10_000
MAX_PER_PAGE = 100
QUESTION_FACETS = 10
MAX_TERMS = 12  # words or phrases in one query; the rest are ignored
MAX_PHRASE_WORDS = 12
MAX_WORD_LENGTH = 64
SNIPPET_WORDS = 30
PLAIN_SNIPPET_CHARACTERS = 240

# The stored search vector of migration 0005 (PostgreSQL), with its GIN index: matching
# and ranking read it instead of recomputing to_tsvector from the text.
POSTGRES_DOCUMENT = '"conversations_conversation"."search_vector"'

MARK_START = "\x01"
MARK_END = "\x02"
_ANGLES_OUT = "\x03\x04"
_ANGLES_BACK = str.maketrans(_ANGLES_OUT, "<>")

_QUOTED = re.compile(r'"([^"]*)"?')
_WORD = re.compile(r"\w+", re.UNICODE)

Term = tuple[str, ...]  # one word, or the words of a quoted phrase


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    conversation: Conversation
    snippet: SafeString  # escaped text with <mark> around the matched words
    score: float | None  # higher is better; None for a list without a query


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int  # exact when not total_is_capped, else COUNT_CAP
    total_is_capped: bool
    page: int
    per_page: int
    page_count: int
    channel_facets: list[FacetCount]
    question_facets: list[FacetCount]  # the most common QUESTION_FACETS questions
    took_ms: float
    terms: tuple[Term, ...] = field(default=())

    @property
    def total_display(self) -> str:
        return f"{self.total:,}+" if self.total_is_capped else f"{self.total:,}"

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count


def parse_query(raw: str) -> tuple[Term, ...]:
    """The user's query as terms, each a word or a quoted phrase, all to be found.

    Only runs of letters and digits survive: every operator and special character of
    FTS5 or tsquery (quotes apart, which mark phrases) is dropped, so no query can be a
    syntax error or change the query's meaning. An unclosed quote runs to the end.
    """
    terms: list[Term] = []
    position = 0
    for quoted in _QUOTED.finditer(raw):
        terms.extend((word[:MAX_WORD_LENGTH],) for word in _WORD.findall(raw[position : quoted.start()]))
        phrase = tuple(word[:MAX_WORD_LENGTH] for word in _WORD.findall(quoted.group(1)))[:MAX_PHRASE_WORDS]
        if phrase:
            terms.append(phrase)
        position = quoted.end()
    terms.extend((word[:MAX_WORD_LENGTH],) for word in _WORD.findall(raw[position:]))
    unique = list(dict.fromkeys(term for term in terms if any(term)))
    return tuple(unique[:MAX_TERMS])


def highlight(marked: str) -> SafeString:
    """Escape `marked` and turn its markers into balanced <mark> elements.

    Markers the text itself happens to hold are treated the same way, and are always
    balanced, so the worst they can do is mark a word; they can never open a tag.
    """
    parts: list[str] = []
    open_mark = False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if piece == MARK_START:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == MARK_END:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(html.escape(piece, quote=True))
    if open_mark:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def _plain_snippet(text: str) -> SafeString:
    if len(text) > PLAIN_SNIPPET_CHARACTERS:
        text = text[:PLAIN_SNIPPET_CHARACTERS].rsplit(" ", 1)[0] + " …"
    return highlight(text.replace(MARK_START, "").replace(MARK_END, ""))


# ---------------------------------------------------------------------------------------
# The engines: the SQL that finds and ranks matches, and the SQL that marks snippets.


class _Engine(Protocol):
    def candidates(
        self, terms: tuple[Term, ...], where: str, params: list[Any], organisation_id: int
    ) -> tuple[str, list[Any]]:
        """SQL for (id, score, channel, question, occurred_on) of up to COUNT_CAP + 1
        matches satisfying `where` (which holds the scoping); a higher score is a
        better match."""

    def snippets(self, terms: tuple[Term, ...], ids: Sequence[int]) -> dict[int, str]:
        """The best passage of each conversation's text, matches between the markers."""


class _SQLiteEngine:
    @staticmethod
    def match(terms: tuple[Term, ...], organisation_id: int | None = None) -> str:
        # Every word is quoted, so AND, OR, NOT and NEAR are only words; words hold no
        # quotes. Terms side by side are all required. The organisation's id is a token
        # of the index's organisation_id column: FTS5 intersects it with the words, so
        # other organisations' matches are never even looked up.
        match = " ".join('"' + " ".join(term) + '"' for term in terms)
        if organisation_id is None:
            return match
        return f'organisation_id : "{int(organisation_id)}" {match}'

    def candidates(
        self, terms: tuple[Term, ...], where: str, params: list[Any], organisation_id: int
    ) -> tuple[str, list[Any]]:
        # CROSS JOIN keeps FTS5 as the outer loop (one primary-key look-up per match);
        # rowid DESC is FTS5's own order, so LIMIT stops the walk early. bm25 is lower
        # for a better match, hence the minus; the question counts for half the text,
        # the organisation not at all.
        sql = (
            f'SELECT "{CONVERSATION_TABLE}"."id", -bm25("{FTS_TABLE}", 1.0, 0.5, 0.0), '  # noqa: S608 - constants and Django's SQL; values are parameters
            f'"{CONVERSATION_TABLE}"."channel", "{CONVERSATION_TABLE}"."question", '
            f'"{CONVERSATION_TABLE}"."occurred_on" '
            f'FROM "{FTS_TABLE}" CROSS JOIN "{CONVERSATION_TABLE}" '
            f'ON "{CONVERSATION_TABLE}"."id" = "{FTS_TABLE}"."rowid" '
            f'WHERE "{FTS_TABLE}" MATCH %s AND ({where}) '
            f'ORDER BY "{FTS_TABLE}"."rowid" DESC LIMIT %s'
        )
        return sql, [self.match(terms, organisation_id), *params, COUNT_CAP + 1]

    def snippets(self, terms: tuple[Term, ...], ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f'SELECT "rowid", snippet("{FTS_TABLE}", 0, %s, %s, %s, %s) FROM "{FTS_TABLE}" '  # noqa: S608 - constants; values are parameters
            f'WHERE "{FTS_TABLE}" MATCH %s AND "rowid" IN ({placeholders})'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [MARK_START, MARK_END, "…", SNIPPET_WORDS, self.match(terms), *ids])
            return {row[0]: row[1] for row in cursor.fetchall()}


class _PostgresEngine:
    @staticmethod
    def tsquery(terms: tuple[Term, ...]) -> tuple[str, list[Any]]:
        # phraseto_tsquery stems with the 'english' configuration and keeps a phrase's
        # word order; each term is a parameter, never SQL.
        sql = " && ".join(["phraseto_tsquery('english', %s)"] * len(terms))
        return f"({sql})", [" ".join(term) for term in terms]

    def candidates(
        self, terms: tuple[Term, ...], where: str, params: list[Any], organisation_id: int
    ) -> tuple[str, list[Any]]:
        query, query_params = self.tsquery(terms)
        sql = (
            f'SELECT "{CONVERSATION_TABLE}"."id", ts_rank_cd({POSTGRES_DOCUMENT}, {query}), '  # noqa: S608 - constants and Django's SQL; values are parameters
            f'"{CONVERSATION_TABLE}"."channel", "{CONVERSATION_TABLE}"."question", '
            f'"{CONVERSATION_TABLE}"."occurred_on" '
            f'FROM "{CONVERSATION_TABLE}" '
            f"WHERE {POSTGRES_DOCUMENT} @@ {query} AND ({where}) LIMIT %s"
        )
        return sql, [*query_params, *query_params, *params, COUNT_CAP + 1]

    def snippets(self, terms: tuple[Term, ...], ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        query, query_params = self.tsquery(terms)
        options = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, '
            f'MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
        )
        # ts_headline's parser would drop anything that looks like an HTML tag, so the
        # angle brackets travel as two other control characters and come back after.
        sql = (
            f'SELECT "id", ts_headline(\'english\', translate("text", %s, %s), {query}, %s) '  # noqa: S608 - constants; values are parameters
            f'FROM "{CONVERSATION_TABLE}" WHERE "id" = ANY(%s)'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ["<>", _ANGLES_OUT, *query_params, options, list(ids)])
            return {row[0]: row[1].translate(_ANGLES_BACK) for row in cursor.fetchall()}


def _engine() -> _Engine:
    if connection.vendor == "sqlite":
        return _SQLiteEngine()
    if connection.vendor == "postgresql":
        return _PostgresEngine()
    raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {connection.vendor}.")


# ---------------------------------------------------------------------------------------
# The interface.


def conversation_search(
    *,
    actor: Actor,
    organisation: Organisation | None,
    query: str = "",
    activity_id: int | None = None,
    channel: str = "",
    question: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """One page of the conversations of `organisation` that match `query` and the
    filters: best match first, or newest first when there is no query. What people said
    is personal data, so each conversation on the page is recorded as listed to `actor`
    (one statement for the page)."""
    found = _conversation_page(
        organisation=organisation,
        query=query,
        activity_id=activity_id,
        channel=channel,
        question=question,
        date_from=date_from,
        date_to=date_to,
        page=page,
        per_page=per_page,
    )
    if found.results:
        conversations_listed_record(
            actor=actor,
            organisation=organisation,
            conversation_ids=[r.conversation.pk for r in found.results],
        )
    return found


def _conversation_page(
    *,
    organisation: Organisation | None,
    query: str,
    activity_id: int | None,
    channel: str,
    question: str,
    date_from: date | None,
    date_to: date | None,
    page: int,
    per_page: int,
) -> SearchPage:
    started = time.perf_counter()
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    terms = parse_query(query)
    scoped = Conversation.objects.for_organisation(organisation)
    if activity_id is not None:
        scoped = scoped.filter(activity_id=activity_id)
    if channel:
        scoped = scoped.filter(channel=channel)
    if question:
        scoped = scoped.filter(question=question)
    if date_from is not None:
        scoped = scoped.filter(occurred_on__gte=date_from)
    if date_to is not None:
        scoped = scoped.filter(occurred_on__lte=date_to)
    if organisation is None:
        return _empty(page, per_page, started, terms)
    if terms:
        return _search(
            scoped, organisation=organisation, terms=terms, page=page, per_page=per_page, started=started
        )
    return _list(scoped, page, per_page, started)


def _compiled_where(scoped: QuerySet[Conversation]) -> tuple[str, list[Any]] | None:
    """The queryset's WHERE clause as SQL over the conversations table, or None when it
    can match nothing (no organisation in scope)."""
    compiler = scoped.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(scoped.query.where)
    except EmptyResultSet:
        return None
    return (sql or "1 = 1"), list(params)


def _search(
    scoped: QuerySet[Conversation],
    *,
    organisation: Organisation,
    terms: tuple[Term, ...],
    page: int,
    per_page: int,
    started: float,
) -> SearchPage:
    where = _compiled_where(scoped)
    if where is None:
        return _empty(page, per_page, started, terms)
    engine = _engine()
    sql, params = engine.candidates(terms, *where, organisation_id=organisation.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[int, float, str, str, Any]] = cursor.fetchall()
    capped = len(rows) > COUNT_CAP
    rows = rows[:COUNT_CAP]
    total = len(rows)
    page, page_count = _clamp(page, per_page, total)
    # Best first; among equals the newest, then the latest added.
    rows.sort(key=lambda row: (-row[1], _sortable_date(row[4]), -row[0]))
    chosen = rows[(page - 1) * per_page : page * per_page]
    ids = [row[0] for row in chosen]
    marked = engine.snippets(terms, ids)
    conversations = scoped.select_related("activity").in_bulk(ids)
    results = [
        SearchResult(
            conversation=conversations[row[0]],
            snippet=highlight(marked.get(row[0], "")),
            score=float(row[1]),
        )
        for row in chosen
        if row[0] in conversations
    ]
    return SearchPage(
        results=results,
        total=total,
        total_is_capped=capped,
        page=page,
        per_page=per_page,
        page_count=page_count,
        channel_facets=_channel_facets(Counter(row[2] for row in rows)),
        question_facets=_question_facets(Counter(row[3] for row in rows)),
        took_ms=_elapsed(started),
        terms=terms,
    )


def _list(scoped: QuerySet[Conversation], page: int, per_page: int, started: float) -> SearchPage:
    where = _compiled_where(scoped)
    if where is None:
        return _empty(page, per_page, started, ())
    # Count and facets over at most COUNT_CAP conversations, in one grouped query. No
    # order: the database reads them by whichever index suits the filters best (walking
    # the date index to a rare channel's rows would read the whole organisation).
    first = scoped.order_by().values("channel", "question")[:COUNT_CAP]
    inner_sql, inner_params = first.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sub.channel, sub.question, COUNT(*) FROM ({inner_sql}) sub "  # noqa: S608 - Django's SQL
            "GROUP BY sub.channel, sub.question",
            inner_params,
        )
        groups: list[tuple[str, str, int]] = cursor.fetchall()
    total = sum(group[2] for group in groups)
    capped = total == COUNT_CAP and scoped.order_by()[COUNT_CAP : COUNT_CAP + 1].exists()
    channels: Counter[str] = Counter()
    questions: Counter[str] = Counter()
    for channel_value, question_value, count in groups:
        channels[channel_value] += count
        questions[question_value] += count
    page, page_count = _clamp(page, per_page, total)
    # -occurred_on then id ascending follows the index's own order on both databases.
    conversations = list(
        scoped.select_related("activity").order_by("-occurred_on", "id")[
            (page - 1) * per_page : page * per_page
        ]
    )
    return SearchPage(
        results=[
            SearchResult(conversation=c, snippet=_plain_snippet(c.text), score=None) for c in conversations
        ],
        total=total,
        total_is_capped=capped,
        page=page,
        per_page=per_page,
        page_count=page_count,
        channel_facets=_channel_facets(channels),
        question_facets=_question_facets(questions),
        took_ms=_elapsed(started),
    )


def _empty(page: int, per_page: int, started: float, terms: tuple[Term, ...]) -> SearchPage:
    return SearchPage(
        results=[],
        total=0,
        total_is_capped=False,
        page=1,
        per_page=per_page,
        page_count=1,
        channel_facets=[],
        question_facets=[],
        took_ms=_elapsed(started),
        terms=terms,
    )


def _clamp(page: int, per_page: int, total: int) -> tuple[int, int]:
    page_count = max(1, math.ceil(total / per_page))
    return min(max(page, 1), page_count), page_count


def _sortable_date(value: Any) -> int:
    """Newest first: SQLite returns dates as text, PostgreSQL as dates."""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return -day.toordinal()


def _channel_facets(counts: Counter[str]) -> list[FacetCount]:
    labels = dict(Channel.choices)
    return [
        FacetCount(value=value, label=str(labels.get(value, value)), count=count)
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _question_facets(counts: Counter[str]) -> list[FacetCount]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:QUESTION_FACETS]
    return [
        FacetCount(value=value, label=value or "No question recorded", count=count) for value, count in ranked
    ]


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def conversation_ids_matching(*, organisation: Organisation | None, query: str) -> list[int]:
    """The ids of up to COUNT_CAP conversations of `organisation` that match `query`
    (best first), for pages that work on a whole set, such as its themes."""
    terms = parse_query(query)
    if organisation is None or not terms:
        return []
    where = _compiled_where(Conversation.objects.for_organisation(organisation))
    if where is None:
        return []
    sql, params = _engine().candidates(terms, *where, organisation_id=organisation.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()[:COUNT_CAP]]
