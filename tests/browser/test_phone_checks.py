"""Guards the phone checks (phone_checks.py) on pages written here, without a server:
they find a word split across lines, a chart shrunk and a page wider than the screen,
and pass words wrapped where words may wrap."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.phone_checks import PHONE_WIDTH, broken_words, page_width, phone_problems, small_chart_text

pytestmark = pytest.mark.browser

NARROW = "width: 4.5em; font: 16px/1.5 Arial, sans-serif"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, device_scale_factor=1)
    yield context.new_page()
    context.close()


def _show(page: Any, body: str) -> None:
    page.set_content(f'<!doctype html><html lang="en"><body style="margin: 8px">{body}</body></html>')


def test_a_word_split_across_lines_is_found(phone: Any) -> None:
    _show(phone, f'<p style="{NARROW}; overflow-wrap: anywhere">December</p>')
    found = broken_words(phone)
    assert len(found) == 1
    assert found[0].startswith('"December" is broken across lines, in p')


def test_a_number_squeezed_in_a_table_cell_is_found(phone: Any) -> None:
    """The reach page's "0.6 / 6": a figure in a column squeezed by overflow-wrap."""
    cells = "".join(f"<td>{words}</td>" for words in ["Share of those who answered", "0.66", "1.25"])
    _show(
        phone,
        f'<table style="width: 150px; overflow-wrap: anywhere; font: 16px Arial"><tr>{cells}</tr></table>',
    )
    assert any(found.startswith('"0.66"') for found in broken_words(phone))


def test_words_wrapped_at_spaces_hyphens_and_slashes_pass(phone: Any) -> None:
    _show(
        phone,
        f'<p style="{NARROW}">Health and well-being, in-person/online, Castle&shy;bridge</p>',
    )
    assert broken_words(phone) == []


def test_long_tokens_and_hidden_words_are_not_checked(phone: Any) -> None:
    """A web address may wrap anywhere; words clipped for screen readers and words of a
    hidden element are not drawn as lines."""
    _show(
        phone,
        f'<p style="{NARROW}; overflow-wrap: anywhere">https://www.example.nhs.uk/get-involved/</p>'
        '<span style="position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%)">'
        "Wednesday December</span>"
        f'<p style="{NARROW}; overflow-wrap: anywhere" hidden>Wednesday</p>',
    )
    assert broken_words(phone) == []


def test_a_word_in_a_closed_details_is_opened_and_checked(phone: Any) -> None:
    _show(
        phone,
        f'<details><summary>More</summary><p style="{NARROW}; overflow-wrap: anywhere">Timeliness</p></details>',
    )
    assert [found.split(" is ")[0] for found in broken_words(phone)] == ['"Timeliness"']


def test_a_chart_shrunk_to_fit_and_a_page_wider_than_the_screen_are_found(phone: Any) -> None:
    _show(
        phone,
        '<svg viewBox="0 0 1000 40" style="width: 100%"><text x="0" y="20" font-size="12">Jul 2026</text></svg>'
        '<div style="width: 500px">A table that does not fit</div>',
    )
    assert small_chart_text(phone) == ['"Jul 2026" is drawn 4.5px high']
    assert page_width(phone) == 508
    problems = phone_problems(phone, "/here/")
    assert problems == [
        '  /here/: "Jul 2026" is drawn 4.5px high',
        "  /here/ is 508px wide on a 390px phone screen: it scrolls sideways.",
    ]
