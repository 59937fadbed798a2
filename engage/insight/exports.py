"""Themes counted by a grouping, and the conversations themselves with their themes, as
CSV or Excel (engage.insight.counts), every cell through the formula guard of
engage.core.exports."""

from __future__ import annotations

from collections.abc import Sequence

from engage.core.exports import csv_text, workbook_bytes
from engage.insight.counts import GROUPINGS, ConversationRow, ThemeCount


def theme_header(by: str) -> tuple[str, ...]:
    return ("Theme", "Sub-theme", GROUPINGS[by], "Conversations", "Positive", "Neutral or mixed", "Negative")


def theme_rows(counts: list[ThemeCount]) -> list[Sequence[object]]:
    return [
        (
            row.theme,
            row.sub_theme or "(all of the theme)",
            row.group,
            row.conversations,
            row.positive,
            row.neutral,
            row.negative,
        )
        for row in counts
    ]


def themes_csv(by: str, counts: list[ThemeCount]) -> str:
    return csv_text(theme_header(by), theme_rows(counts))


def themes_workbook(by: str, counts: list[ThemeCount]) -> bytes:
    return workbook_bytes("Themes", theme_header(by), theme_rows(counts))


CONVERSATION_HEADER = (
    "Id",
    "Date",
    "Channel",
    "Activity",
    "Question",
    "What was said",
    "Rating (1 very good to 5 very poor)",
    "Sentiment",
    "Themes",
    "Age band",
    "Sex",
    "Ethnic group",
    "Disability",
    "Carer",
    "Ward code",
    "Deprivation decile (1 most deprived)",
    "Consent to quote",
)


def conversation_cells(rows: list[ConversationRow]) -> list[Sequence[object]]:
    return [
        (
            row.id,
            row.occurred_on,
            row.channel,
            row.activity,
            row.question,
            row.text,
            row.rating,
            row.sentiment,
            "; ".join(row.themes),
            row.age_band,
            row.sex,
            row.ethnic_group,
            row.disability,
            row.carer,
            row.ward_code,
            row.deprivation_decile,
            "yes" if row.consent_to_quote else "no",
        )
        for row in rows
    ]


def conversations_csv(rows: list[ConversationRow]) -> str:
    return csv_text(CONVERSATION_HEADER, conversation_cells(rows))


def conversations_workbook(rows: list[ConversationRow]) -> bytes:
    return workbook_bytes("Conversations", CONVERSATION_HEADER, conversation_cells(rows))
