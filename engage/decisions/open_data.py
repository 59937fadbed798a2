"""The open data: what the public pages publish, as tables anyone can download, with a
dictionary of their columns. Every figure of people is the one the activity's public
page shows (engage.decisions.public, through the same disclosure control, from the same
cache), so the files say nothing about people the pages do not, and are as current as
the pages: an activity published or a decision added is in them at once.

Closing the loop is measured over the published activities alone, from their register
entries: when feedback to the people who took part was promised and given, and how many
decisions their pages show. These count activities, never people, so no disclosure
control applies; an activity not yet published is in no file, and no count."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from engage.activities.models import Activity
from engage.decisions.public import PublicPage, public_page, published_activities


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str  # the file's name without .csv
    title: str
    about: str
    columns: tuple[Column, ...]
    rows: list[Sequence[object]]


ACTIVITIES = (
    Column("activity_id", "The activity's number; its public page is /you-said-we-did/<activity_id>/."),
    Column("title", "What the activity was called."),
    Column("lead_organisation", "The partner organisation that led it."),
    Column("topic", "What it was about, in a few words."),
    Column("areas", "Where it took place: the areas, separated by semicolons."),
    Column("starts_on", "The day it started (YYYY-MM-DD)."),
    Column("ends_on", "The day it ended (YYYY-MM-DD)."),
    Column(
        "took_part",
        "How many conversations it heard, rounded and slightly changed so that no one can be "
        "picked out; empty where too few to show.",
    ),
    Column("published_on", "The day its page was published (YYYY-MM-DD)."),
    Column(
        "feedback_promised_on",
        "The day the lead organisation promised to tell people what it did (YYYY-MM-DD); empty if none was set.",
    ),
    Column("feedback_given_on", "The day it told them (YYYY-MM-DD); empty if not yet."),
    Column("days_to_feedback", "Days from the activity's end to the feedback; empty if not yet given."),
    Column("decisions_published", "How many decisions its page shows."),
)
CLOSING_THE_LOOP = (
    Column(
        "lead_organisation",
        'The partner organisation that led the activities; the last row, "All", is every partner.',
    ),
    Column("activities_ended", "How many of its published activities have ended."),
    Column("feedback_given", "How many of those it has told people the outcome of."),
    Column(
        "feedback_given_percent",
        "feedback_given as a percentage of activities_ended, to the nearest whole number.",
    ),
    Column(
        "feedback_overdue", "How many ended activities are past the promised feedback day without feedback."
    ),
    Column(
        "median_days_to_feedback",
        "The middle number of days from an activity's end to its feedback; empty if none given.",
    ),
    Column(
        "decisions_per_activity",
        "Decisions published for each ended activity, on average, to one decimal place.",
    ),
)
THEMES = (
    Column("activity_id", "The activity, as in activities.csv."),
    Column("theme", "A theme of what people said."),
    Column(
        "conversations",
        "How many of the activity's conversations were about the theme, rounded and slightly "
        "changed as took_part is; empty where too few to show. A conversation can be about "
        "several themes.",
    ),
)
DECISIONS = (
    Column("activity_id", "The activity whose findings informed the decision, as in activities.csv."),
    Column("title", "What was decided, in a few words."),
    Column("summary", "What was decided or done, and why."),
    Column("status", "Proposed, Agreed, In progress, Done or Not taken."),
    Column("decided_by", "The board, committee or organisation that decided."),
    Column("decided_on", "The day it was decided (YYYY-MM-DD), where known."),
    Column("reason_not_taken", "Why not, for a decision not taken."),
)


def _pages() -> list[PublicPage]:
    pages = (public_page(activity_id=pk) for pk in published_activities().values_list("pk", flat=True))
    return sorted((page for page in pages if page is not None), key=lambda page: page.activity_id)


@dataclass(frozen=True)
class _Loop:
    """Closing the loop for one published activity, from its register entry."""

    ends_on: dt.date
    promised_on: dt.date | None
    given_on: dt.date | None
    decisions: int

    @property
    def days(self) -> int | None:
        return (self.given_on - self.ends_on).days if self.given_on else None


def _loops(pages: list[PublicPage]) -> dict[int, _Loop]:
    dates = Activity.objects.filter(pk__in=[page.activity_id for page in pages]).values_list(
        "pk", "ends_on", "feedback_promised_on", "feedback_given_on"
    )
    decisions = {page.activity_id: len(page.decisions) for page in pages}
    return {pk: _Loop(ends, promised, given, decisions.get(pk, 0)) for pk, ends, promised, given in dates}


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _loop_row(name: str, loops: list[_Loop], today: dt.date) -> Sequence[object]:
    ended = [loop for loop in loops if loop.ends_on < today]
    given = [loop.days for loop in ended if loop.days is not None]
    overdue = sum(
        1 for loop in ended if loop.given_on is None and loop.promised_on and loop.promised_on < today
    )
    return (
        name,
        len(ended),
        len(given),
        round(100 * len(given) / len(ended)) if ended else "",
        overdue,
        statistics.median(given) if given else "",
        round(sum(loop.decisions for loop in ended) / len(ended), 1) if ended else "",
    )


def _closing_the_loop(pages: list[PublicPage], loops: dict[int, _Loop]) -> list[Sequence[object]]:
    today = timezone.localdate()
    by_lead: dict[str, list[_Loop]] = {}
    for page in pages:
        by_lead.setdefault(page.lead_organisation, []).append(loops[page.activity_id])
    rows = [_loop_row(name, by_lead[name], today) for name in sorted(by_lead)]
    return [*rows, _loop_row("All", list(loops.values()), today)] if rows else []


def open_data_tables() -> list[Table]:
    """The four tables, from the published pages."""
    pages = _pages()
    loops = _loops(pages)
    return [
        Table(
            "activities",
            "Activities",
            "Each engagement activity whose findings are published: one row an activity.",
            ACTIVITIES,
            [
                (
                    page.activity_id,
                    page.title,
                    page.lead_organisation,
                    page.topic,
                    "; ".join(page.areas),
                    page.starts_on.isoformat(),
                    page.ends_on.isoformat(),
                    page.took_part.value,
                    page.published_at.date().isoformat(),
                    _iso(loops[page.activity_id].promised_on),
                    _iso(loops[page.activity_id].given_on),
                    "" if loops[page.activity_id].days is None else loops[page.activity_id].days,
                    loops[page.activity_id].decisions,
                )
                for page in pages
            ],
        ),
        Table(
            "themes",
            "Themes",
            "What people said at each activity: one row a theme of an activity.",
            THEMES,
            [(page.activity_id, theme.name, theme.people.value) for page in pages for theme in page.themes],
        ),
        Table(
            "decisions",
            "Decisions",
            "What was done with what people said: one row a published decision.",
            DECISIONS,
            [
                (
                    page.activity_id,
                    decision.title,
                    decision.summary,
                    decision.status,
                    decision.decided_by_name,
                    decision.decided_on.isoformat() if decision.decided_on else "",
                    decision.reason_not_taken,
                )
                for page in pages
                for decision in page.decisions
            ],
        ),
        Table(
            "closing-the-loop",
            "Closing the loop",
            "Whether people who took part were told what was done, for each partner that led "
            "published activities, and for all of them.",
            CLOSING_THE_LOOP,
            _closing_the_loop(pages, loops),
        ),
    ]


def data_dictionary_rows(tables: list[Table]) -> list[Sequence[object]]:
    return [
        (f"{table.name}.csv", column.name, column.meaning) for table in tables for column in table.columns
    ]
