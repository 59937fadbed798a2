"""The open data: what the public pages publish, as tables anyone can download, with a
dictionary of their columns. Every figure is the one the activity's public page shows
(engage.decisions.public, through the same disclosure control, from the same cache), so
the files say nothing the pages do not, and are as current as the pages: an activity
published or a decision added is in them at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def open_data_tables() -> list[Table]:
    """The three tables, from the published pages."""
    pages = _pages()
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
    ]


def data_dictionary_rows(tables: list[Table]) -> list[Sequence[object]]:
    return [
        (f"{table.name}.csv", column.name, column.meaning) for table in tables for column in table.columns
    ]
