"""Each kind of report built from the demo partnership, on the database the suite runs on:
its figures are the figures of the pages they come from, and the same number in the
page, the PDF, the Word document, the API and Easy Read; the PDF is tagged (language,
title, headings, alternative text) with its fonts embedded."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from docx import Document as WordDocument
from pypdf import PdfReader

from engage.accounts.tests.factories import member_of, sign_in_as
from engage.core.roles import Role
from engage.decisions.public import public_page
from engage.demo.services import demo_partnership_load
from engage.evaluation.board.assurance import LEVEL_WORDS
from engage.evaluation.board.selectors import board_figures
from engage.reports.document import figure_values, report_document
from engage.reports.easy_read import HIDDEN, TOO_FEW
from engage.reports.models import Report, ReportKind, ReportState
from engage.reports.rendering import docx_bytes, pdf_bytes

REFERENCE_DATE = date(2026, 3, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Report]]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo_partnership_load(seed=2013, today=REFERENCE_DATE, conversations=600)
        yield {r.kind: r for r in Report.objects.select_related("organisation", "activity")}
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    word = WordDocument(io.BytesIO(content))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in word.paragraphs] + cells)


def _squashed(text: str) -> str:
    """Text with every run of white space made one space (a PDF breaks lines anywhere)."""
    return re.sub(r"\s+", " ", text)


def test_the_demo_holds_each_kind_of_report_built(demo: dict[str, Report]) -> None:
    assert set(demo) == {ReportKind.LOCAL_ACCOUNT, ReportKind.BOARD_PAPER, ReportKind.ACTIVITY}
    assert demo[ReportKind.LOCAL_ACCOUNT].state == ReportState.PUBLISHED
    assert demo[ReportKind.ACTIVITY].state == ReportState.PUBLISHED
    assert demo[ReportKind.BOARD_PAPER].state == ReportState.DRAFT
    for report in demo.values():
        assert report.figures_built_at is not None
        assert not report.building
        assert set(report.figures["sections"]) >= set(report.sections)
    local = demo[ReportKind.LOCAL_ACCOUNT]
    assert (local.month_from, local.month_to) == (date(2024, 4, 1), date(2025, 3, 1))
    assert local.easy_read_points.count() >= 6


def test_figures_are_those_of_the_pages_they_come_from(demo: dict[str, Report]) -> None:
    local, paper, activity = (
        demo[k] for k in (ReportKind.LOCAL_ACCOUNT, ReportKind.BOARD_PAPER, ReportKind.ACTIVITY)
    )
    board = board_figures(months=(local.month_from, local.month_to))
    heard = {
        item["label"]: item["value"] for item in local.figures["sections"]["summary"]["blocks"][0]["items"]
    }
    assert heard["Conversations across the partnership"] == board["sections"][0]["figures"][0]["value"]
    assert heard["Feedback given, of that due"] == board["sections"][2]["figures"][0]["value"]
    paper_board = board_figures(months=(paper.month_from, paper.month_to))
    assert paper.figures["overall"] == paper_board["overall"]
    levels = {row[0]: row[1] for row in paper.figures["sections"]["assurance"]["blocks"][1]["rows"]}
    assert levels == {s["question"]: LEVEL_WORDS[s["level"]] for s in paper_board["sections"]}
    page = public_page(activity_id=activity.activity_id)
    assert page is not None
    about = {i["label"]: i["value"] for i in activity.figures["sections"]["about"]["blocks"][0]["items"]}
    assert about["People who took part"] == page.took_part.text


def test_the_same_figure_is_the_same_number_in_every_format(demo: dict[str, Report]) -> None:
    local = demo[ReportKind.LOCAL_ACCOUNT]
    owner = sign_in_as(Client(), member_of(local.organisation, Role.ENGAGEMENT_OFFICER))
    for report in demo.values():
        document = report_document(report, with_easy_read=report.is_public_kind)
        values = figure_values(document)
        assert len(values) >= 3
        if report.is_published and report.is_public_kind:
            html = Client().get(f"/reports/{report.pk}/").content.decode()
        else:
            html = (
                sign_in_as(Client(), member_of(report.organisation, Role.ANALYST))
                .get(f"/staff/reports/{report.pk}/")
                .content.decode()
            )
        pdf = _squashed(_pdf_text(pdf_bytes(document)))
        word = _squashed(_docx_text(docx_bytes(document)))
        api = owner.get(f"/api/v1/reports/{report.pk}/")
        api_values = {(f["name"], f["value"]) for s in api.json()["sections"] for f in s["figures"]}
        for label, value in values:
            shown = str(value).replace("&", "&amp;")
            assert f'<dd class="nhsuk-summary-list__value">{shown}</dd>' in html, (report.kind, label, value)
            assert value in pdf, (report.kind, label, value)
            assert label.split()[0] in pdf, (report.kind, label, value)
            assert value in word, (report.kind, label, value)
            assert label in word, (report.kind, label, value)
            assert (label, value) in api_values, (report.kind, label, value)
        if report.is_public_kind:
            easy = " ".join(p.text.replace("**", "") for _, points in document.easy_read for p in points)
            for label, value in values[:2]:
                said = TOO_FEW if value in HIDDEN else value
                assert f"{label}: {said}." in easy, (report.kind, label, value)


def _struct(node: Any, found: list[tuple[str, str | None]]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _struct(kid, found)
        return
    if not hasattr(node, "get"):
        return
    if "/S" in node:
        found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
    if "/K" in node:
        _struct(node["/K"], found)


def _fonts_embedded(reader: PdfReader) -> bool:
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for described in descendants:
                descriptor = described["/FontDescriptor"].get_object()
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    return False
    return True


@pytest.mark.parametrize("kind", [ReportKind.LOCAL_ACCOUNT, ReportKind.BOARD_PAPER, ReportKind.ACTIVITY])
def test_each_pdf_is_tagged_with_its_language_title_headings_and_alternative_text(
    demo: dict[str, Report], kind: str
) -> None:
    report = demo[kind]
    document = report_document(report)
    reader = PdfReader(io.BytesIO(pdf_bytes(document)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == report.title
    found: list[tuple[str, str | None]] = []
    _struct(root["/StructTreeRoot"], found)
    tags = [tag for tag, _ in found]
    assert tags.count("/H1") == 1
    assert tags.count("/H2") >= len(report.sections)
    assert "/Table" in tags, " ".join(sorted(set(tags)))
    assert "/TH" in tags, " ".join(sorted(set(tags)))
    figures = [alt for tag, alt in found if tag == "/Figure"]
    assert len(figures) == len(document.charts) > 0
    assert figures == [f"{chart.title}. {chart.description}" for chart in document.charts]
    assert _fonts_embedded(reader)
    text = _pdf_text(pdf_bytes(document))
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Contents" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_the_easy_read_pdf_has_a_picture_with_its_words_beside_each_point(demo: dict[str, Report]) -> None:
    report = demo[ReportKind.LOCAL_ACCOUNT]
    document = report_document(report, with_easy_read=True)
    reader = PdfReader(io.BytesIO(pdf_bytes(document, easy_read=True)))
    found: list[tuple[str, str | None]] = []
    _struct(reader.trailer["/Root"]["/StructTreeRoot"], found)
    pictures = [alt for tag, alt in found if tag == "/Figure"]
    points = [p for _, ps in document.easy_read for p in ps]
    assert len(pictures) == len(points)
    assert pictures == [p.picture.alt for p in points if p.picture]
    assert reader.metadata.title == f"{report.title} (Easy Read)"
    assert "OpenMoji" in _pdf_text(pdf_bytes(document, easy_read=True))
