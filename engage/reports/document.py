"""A report made ready to show: its sections in order with their narrative, blocks,
charts drawn and quotes read now (while consent stands), and its Easy Read points. The
page, the PDF and the Word document are all drawn from one `Document`, so a figure is
the same number in each.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from markupsafe import Markup, escape

from engage.conversations.quotes.selectors import published_quotes
from engage.decisions.public import public_page
from engage.evaluation.board import assurance
from engage.reports.charts import Chart, bar_chart
from engage.reports.models import EasyReadPoint, Report, ReportKind
from engage.reports.pictograms import ATTRIBUTION, BY_NAME
from engage.reports.sections import chosen_sections, section_spec

QUOTES_SHOWN = 6
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class DocumentSection:
    key: str
    title: str
    narrative: str
    blocks: list[dict[str, Any]]


@dataclass
class Picture:
    src: str
    alt: str


@dataclass
class ShownPoint:
    id: int
    section_key: str
    text: str
    picture: Picture | None

    @property
    def html(self) -> Markup:
        return bold_markup(self.text)


@dataclass
class Document:
    report: Report
    title: str
    kind_words: str
    period_label: str
    organisation: str
    overall: str | None
    sections: list[DocumentSection]
    easy_read: list[tuple[str, list[ShownPoint]]] = field(default_factory=list)
    attribution: str = ATTRIBUTION

    @property
    def overall_words(self) -> str:
        return assurance.LEVEL_WORDS.get(self.overall or "", "")

    @property
    def charts(self) -> list[Chart]:
        return [b["chart"] for s in self.sections for b in s.blocks if b["type"] == "chart"]


def bold_markup(text: str) -> Markup:
    """Easy Read's **key words** in bold; everything else escaped."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(text))))  # noqa: S704 - escaped first


@cache
def shipped_picture(name: str) -> str:
    """A shipped pictogram as a data URI, so the PDF needs no web server to find it."""
    path = finders.find(BY_NAME[name].static_path)
    if not isinstance(path, str):
        raise FileNotFoundError(f"The shipped picture {name!r} is missing from static/reports/pictograms.")
    with open(path, "rb") as svg:
        return "data:image/svg+xml;base64," + base64.b64encode(svg.read()).decode()


def point_picture(point: EasyReadPoint) -> Picture | None:
    if point.uploaded_picture_id is not None and point.uploaded_picture is not None:
        uploaded = point.uploaded_picture
        return Picture(
            src=f"data:{uploaded.content_type};base64,{base64.b64encode(bytes(uploaded.data)).decode()}",
            alt=uploaded.description,
        )
    if point.picture in BY_NAME:
        return Picture(src=shipped_picture(point.picture), alt=BY_NAME[point.picture].shows)
    return None


def _quotes(ids: list[int]) -> list[str]:
    words = published_quotes(ids)
    return [words[pk] for pk in ids if pk in words][:QUOTES_SHOWN]


def _activity_quotes(report: Report) -> list[str]:
    page = public_page(activity_id=report.activity_id) if report.activity_id else None
    if page is None:
        return []
    return [quote for theme in page.themes for quote in theme.quotes][:QUOTES_SHOWN]


def _blocks(report: Report, key: str, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for index, kept in enumerate(blocks):
        block = dict(kept)
        if block["type"] == "chart":
            block["chart"] = bar_chart(block, chart_id=f"chart-{key}-{index}")
            block["rows"] = [
                [p["label"], "\N{EN DASH}" if p["value"] is None else f"{p['value']:,}"]
                for p in block["points"]
            ]
        elif block["type"] == "quotes":
            block["texts"] = _quotes(block["conversations"])
        elif block["type"] == "activity_quotes":
            block = {"type": "quotes", "texts": _activity_quotes(report)}
        if block["type"] == "quotes" and not block["texts"]:
            continue
        shown.append(block)
    return shown


def report_document(report: Report, *, with_easy_read: bool = False) -> Document:
    figures = report.figures or {"sections": {}, "overall": None, "period": {"label": ""}}
    narratives = {n.key: n.text for n in report.narratives.all()}
    sections = []
    for spec in chosen_sections(report.kind, report.sections):
        worked = figures["sections"].get(spec.key, {"blocks": [], "draft": ""})
        sections.append(
            DocumentSection(
                key=spec.key,
                title=spec.title,
                narrative=narratives.get(spec.key, worked.get("draft", "")),
                blocks=_blocks(report, spec.key, worked["blocks"]),
            )
        )
    document = Document(
        report=report,
        title=report.title,
        kind_words=ReportKind(report.kind).label,
        period_label=figures["period"]["label"],
        organisation=report.organisation.name,
        overall=figures.get("overall") if report.kind == ReportKind.BOARD_PAPER else None,
        sections=sections,
    )
    if with_easy_read:
        document.easy_read = easy_read_sections(report)
    return document


def easy_read_sections(report: Report) -> list[tuple[str, list[ShownPoint]]]:
    by_section: dict[str, list[ShownPoint]] = {}
    for point in report.easy_read_points.select_related("uploaded_picture"):
        by_section.setdefault(point.section_key, []).append(
            ShownPoint(
                id=point.pk, section_key=point.section_key, text=point.text, picture=point_picture(point)
            )
        )
    titled = []
    for key, points in by_section.items():
        spec = section_spec(report.kind, key)
        titled.append((spec.title if spec else key, points))
    order = {spec.key: i for i, spec in enumerate(chosen_sections(report.kind, report.sections))}
    titled.sort(key=lambda item: order.get(item[1][0].section_key, 99))
    return titled


def figure_values(document: Document) -> list[tuple[str, str]]:
    """Every (label, value) the report states: what a test finds in every format."""
    return [
        (item["label"], item["value"])
        for section in document.sections
        for block in section.blocks
        if block["type"] == "figures"
        for item in block["items"]
    ]
