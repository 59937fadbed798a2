"""Charts drawn on the server as SVG, for the page and the PDF alike: no JavaScript, a
title and a description that a screen reader reads, and the data table printed beside
each chart by the templates (the chart only shows what the table says).

Horizontal bars read well at phone width and keep long labels (a theme's name) whole
in the table; the label on the bar is cut short where it would not fit.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 22
GAP = 10
TOP = 8
LABEL_CHARS = 32
BAR_COLOUR = "#005eb8"  # NHS blue: 7.1:1 against white
TEXT_COLOUR = "#212b32"


@dataclass(frozen=True)
class Chart:
    svg: Markup
    title: str
    description: str

    @property
    def data_uri(self) -> str:
        """For an <img> in the PDF, where WeasyPrint takes its alternative text."""
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode()).decode()


def _number(value: float | int) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def describe(title: str, unit: str, points: list[dict[str, Any]]) -> str:
    """The chart in one or two sentences: what it shows, the highest and lowest."""
    shown = [p for p in points if p["value"] is not None]
    if not shown:
        return f"{title}: nothing to show yet."
    top = max(shown, key=lambda p: p["value"])
    low = min(shown, key=lambda p: p["value"])
    text = f"A bar chart of {len(points)} bars, in {unit}. The highest is {top['label']}, {_number(top['value'])}."
    if low is not top:
        text += f" The lowest is {low['label']}, {_number(low['value'])}."
    hidden = len(points) - len(shown)
    if hidden:
        text += f" {hidden} not shown."
    return text


def bar_chart(block: dict[str, Any], *, chart_id: str) -> Chart:
    points = block["points"]
    title, unit = block["title"], block["unit"]
    description = describe(title, unit, points)
    largest = max((p["value"] for p in points if p["value"] is not None), default=0) or 1
    height = TOP * 2 + len(points) * (BAR_HEIGHT + GAP)
    bar_room = WIDTH - LABEL_WIDTH - 70
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
            f'height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            'class="engage-report-chart" font-family="Arial, Helvetica, DejaVu Sans, sans-serif" font-size="14">'
        ),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, point in enumerate(points):
        y = TOP + index * (BAR_HEIGHT + GAP)
        label = str(point["label"])
        short = (
            label
            if len(label) <= LABEL_CHARS
            else label[: LABEL_CHARS - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
        )
        middle = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.0f}" text-anchor="end" fill="{TEXT_COLOUR}">{escape(short)}</text>'
        )
        value = point["value"]
        if value is None:
            parts.append(
                f'<text x="{LABEL_WIDTH + 4}" y="{middle:.0f}" fill="{TEXT_COLOUR}">\N{EN DASH}</text>'
            )
            continue
        length = max(bar_room * value / largest, 1 if value else 0)
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:.0f}" fill="{TEXT_COLOUR}">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return Chart(svg=Markup("".join(parts)), title=title, description=description)  # noqa: S704 - every text escaped above
