"""Easy Read drafted by rules, the pictures chosen, and the server's SVG charts."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from markupsafe import escape
from PIL import Image
from pypdf import PdfReader

from engage.reports import rendering
from engage.reports.charts import bar_chart, describe
from engage.reports.document import bold_markup
from engage.reports.easy_read import POINTS_PER_SECTION, SHORT, draft_points
from engage.reports.pictograms import BY_NAME, PICTOGRAMS, picture_for
from engage.reports.plain_english import word_count

JARGON = [("stakeholders", "people and groups with an interest"), ("utilise", "use")]


def _section(narrative: str, figures: list[tuple[str, str]] = ()) -> dict:  # type: ignore[assignment]
    return {
        "key": "summary",
        "narrative": narrative,
        "blocks": [
            {"type": "figures", "items": [{"label": label, "value": value} for label, value in figures]}
        ],
    }


def test_long_sentences_are_cut_into_one_idea_a_line() -> None:
    narrative = (
        "We spoke to 4,210 people across the borough in community centres, libraries and GP surgeries, "
        "and we heard most about waiting for appointments; people also told us about the cost of travel to hospital."
    )
    points = draft_points([_section(narrative)], JARGON)
    texts = [p.text.replace("**", "") for p in points]
    assert len(texts) == 3
    assert texts[1] == "We heard most about waiting for appointments."
    assert all(word_count(t) <= SHORT + 10 for t in texts)
    assert all(t.endswith(".") and t[0].isupper() for t in texts)


def test_jargon_is_swapped_numbers_are_bold_and_each_point_has_a_shipped_picture() -> None:
    points = draft_points(
        [
            _section(
                "Stakeholders told us to utilise the bus.", [("Conversations", "4,210"), ("Decisions", "97")]
            )
        ],
        JARGON,
    )
    assert [(p.text, p.picture) for p in points] == [
        # The first word that names a picture chooses it, and is bold.
        ("**People** and groups with an interest told us to use the bus.", "people"),
        ("**Conversations**: **4,210**.", "speech"),
        ("**Decisions**: **97**.", "done"),
    ]
    assert all(p.picture in BY_NAME for p in points)


def test_a_section_keeps_to_its_number_of_points() -> None:
    narrative = " ".join(f"Sentence number {n} is short." for n in range(20))
    assert len(draft_points([_section(narrative)], [])) == POINTS_PER_SECTION


def test_pictures_are_chosen_by_the_first_word_that_names_one_and_every_file_ships() -> None:
    assert picture_for("The hospital told us", section_key="did") == "hospital"
    assert picture_for("Nothing matches here", section_key="did") == "done"
    assert picture_for("Nothing matches here") == "list"
    for pictogram in PICTOGRAMS:
        assert finders.find(pictogram.static_path), pictogram.name


def test_bold_marks_become_strong_and_everything_else_is_escaped() -> None:
    assert str(bold_markup("We heard **4,210** <people>")) == "We heard <strong>4,210</strong> &lt;people&gt;"


def test_a_chart_has_its_title_description_and_bars_and_escapes_its_labels() -> None:
    block = {
        "title": "Themes <b>",
        "unit": "conversations",
        "points": [
            {"label": "Access <script>", "value": 40},
            {"label": "Cost", "value": 10},
            {"label": "Hidden", "value": None},
        ],
    }
    chart = bar_chart(block, chart_id="c1")
    svg = str(chart.svg)
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert f'<title id="c1-title">{escape("Themes <b>")}</title>' in svg
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2  # the hidden one has no bar
    assert chart.description == describe(block["title"], "conversations", block["points"])
    assert "The highest is Access <script>, 40. The lowest is Cost, 10. 1 not shown." in chart.description
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")


def test_a_chart_with_nothing_to_show_says_so() -> None:
    assert (
        describe("Decisions", "decisions", [{"label": "Done", "value": None}])
        == "Decisions: nothing to show yet."
    )


def test_the_pdf_maker_fetches_nothing_but_data_uris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a report's HTML ever to name a file or another machine, WeasyPrint would not
    read it: only the report's own pictures, given as data URIs, are drawn."""
    secret = tmp_path / "secret.png"
    Image.new("RGB", (20, 20), "red").save(secret, format="PNG")
    inline = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(inline, format="PNG")
    data_uri = "data:image/png;base64," + base64.b64encode(inline.getvalue()).decode()
    monkeypatch.setattr(
        rendering,
        "print_html",
        lambda document, easy_read=False: (
            '<html lang="en-GB"><head><title>T</title></head><body>'
            f'<img src="{secret.as_uri()}" alt="a file"><img src="{data_uri}" alt="a data URI"></body></html>'
        ),
    )
    reader = PdfReader(io.BytesIO(rendering.pdf_bytes(None)))  # type: ignore[arg-type]
    images = [name for page in reader.pages for name in page.images]
    assert len(images) == 1  # the data URI's, not the file's
