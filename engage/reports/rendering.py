"""A report as a file: PDF from the same HTML the page shows (WeasyPrint, tagged PDF/UA-1
with its language, title, headings, alternative text and reading order, fonts
embedded), and Word (python-docx), since boards circulate papers in Word.

WeasyPrint, not a browser printing the page: it is a Python library with no browser to
install or keep running, it writes tagged PDF/UA itself, and it lays out A4 pages with
page numbers and a contents list from CSS (docs/adr/0052 says more).
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.template.loader import render_to_string
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from engage.reports.document import Document

PDF_VARIANT = "pdf/ua-1"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def print_html(document: Document, *, easy_read: bool = False) -> str:
    return render_to_string("reports/print.html", {"doc": document, "easy_read": easy_read})


def pdf_bytes(document: Document, *, easy_read: bool = False) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which the rest of the product
    # (and every test that makes no PDF) need not wait for.
    import weasyprint  # noqa: PLC0415

    # A report's pictures are data URIs; WeasyPrint is let fetch nothing else, so no
    # words in a report could make the server read a file or call another machine.
    html = weasyprint.HTML(
        string=print_html(document, easy_read=easy_read),
        url_fetcher=weasyprint.URLFetcher(allowed_protocols={"data"}),
    )
    return bytes(html.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False))


def file_name(document: Document, extension: str, *, easy_read: bool = False) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-")[:80] or "report"
    return f"{stem}{'-easy-read' if easy_read else ''}.{extension}"


# --- Word -------------------------------------------------------------------------------


def _table(word: Any, caption: str, head: list[str], rows: list[list[str]]) -> None:
    word.add_paragraph(caption, style="Caption")
    table = word.add_table(rows=1, cols=len(head))
    table.style = "Light List Accent 1"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = str(text)
    # The header row repeats on each page, and a screen reader knows it for a header.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=False)):
            cell.text = str(text)
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _block(word: Any, block: dict[str, Any]) -> None:
    kind = block["type"]
    if kind == "paragraph":
        word.add_paragraph(block["text"])
    elif kind == "subheading":
        word.add_heading(block["text"], level=2)
    elif kind == "figures":
        _table(word, "Figures", ["", "Figure"], [[i["label"], i["value"]] for i in block["items"]])
    elif kind == "bullets":
        for item in block["items"]:
            word.add_paragraph(item, style="List Bullet")
    elif kind == "assurance":
        paragraph = word.add_paragraph()
        paragraph.add_run(f"Assurance: {block['words']}. ").bold = True
        paragraph.add_run(block["reason"])
    elif kind == "table":
        _table(word, block["caption"], block["head"], block["rows"])
    elif kind == "quotes":
        for text in block["texts"]:
            word.add_paragraph(f"“{text}”", style="Intense Quote")
    elif kind == "chart":
        # Word gets the chart's figures as a table: the same numbers the chart draws.
        _table(word, block["title"], ["", block["unit"].capitalize()], block["rows"])


def docx_bytes(document: Document, *, easy_read: bool = False) -> bytes:
    word = WordDocument()
    core = word.core_properties
    core.title = document.title
    core.author = document.organisation
    core.subject = f"{document.kind_words}, {document.period_label}"
    core.language = "en-GB"
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(16 if easy_read else 11)
    word.add_heading(document.title, level=0)
    easy_words = " \N{EN DASH} Easy Read" if easy_read else ""
    word.add_paragraph(f"{document.kind_words}{easy_words}. {document.period_label}.")
    word.add_paragraph(document.organisation)
    if document.overall_words and not easy_read:
        word.add_paragraph().add_run(f"Overall assurance: {document.overall_words}").bold = True
    if easy_read:
        for title, points in document.easy_read:
            word.add_heading(title, level=1)
            for point in points:
                paragraph = word.add_paragraph()
                for index, piece in enumerate(_BOLD.split(point.text)):
                    paragraph.add_run(piece).bold = index % 2 == 1
        word.add_paragraph(document.attribution + ".")
    else:
        for section in document.sections:
            word.add_heading(section.title, level=1)
            for line in section.narrative.splitlines():
                if line.strip():
                    word.add_paragraph(line.strip())
            for block in section.blocks:
                _block(word, block)
        word.add_paragraph(
            "Counts of what people said are rounded, with small numbers hidden, so that no one can be "
            "picked out. A star (*) or a dash (\N{EN DASH}) means too few to show, or none yet."
        )
    for style in ("Title", "Heading 1", "Heading 2"):
        word.styles[style].font.color.rgb = NHS_BLUE
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
