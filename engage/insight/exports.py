"""Themes counted by a grouping, as CSV or Excel (engage.insight.counts), every cell
through the formula guard of engage.core.exports."""

from __future__ import annotations

from collections.abc import Sequence

from engage.core.exports import csv_text, workbook_bytes
from engage.insight.counts import GROUPINGS, ThemeCount


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
