"""The table macros (core/tables.jinja): a responsive table's head and cells, the label
a phone shows beside each value, hidden from screen readers, which announce the
column's header instead."""

from __future__ import annotations

from django.template import engines


def _render(source: str) -> str:
    return (
        engines["jinja2"].from_string('{% from "core/tables.jinja" import head, cell %}' + source).render({})
    )


def test_a_cell_shows_its_columns_name_on_a_phone_hidden_from_screen_readers() -> None:
    html = _render('{% call cell("When", nowrap=true) %}\n  3 March 2026\n{% endcall %}')

    assert html == (
        '<td role="cell" class="nhsuk-table__cell">'
        '<span class="nhsuk-table__heading" aria-hidden="true">When </span>'
        '<div class="engage-cell engage-nowrap">3 March 2026</div></td>'
    )


def test_a_row_header_spanning_columns_keeps_a_number_right_aligned_and_escapes_its_label() -> None:
    html = _render('{% call cell("<Group>", row_header=true, numeric=true, colspan=2) %}12{% endcall %}')

    assert html.startswith(
        '<th role="rowheader" scope="row" colspan="2" class="nhsuk-table__cell nhsuk-table__cell--numeric">'
        '<span class="nhsuk-table__heading" aria-hidden="true">&lt;Group&gt; </span>'
    )
    assert html.endswith('<div class="engage-cell">12</div></th>')


def test_a_cell_without_a_column_name_has_no_label() -> None:
    assert "nhsuk-table__heading" not in _render("{% call cell(colspan=4) %}No events match.{% endcall %}")


def test_the_head_names_each_column_right_aligns_the_numbers_and_names_an_unnamed_one_for_screen_readers() -> (
    None
):
    html = _render('{{ head(["Theme", "Share", ""], numeric=["Share"]) }}')

    assert html.startswith('<thead role="rowgroup" class="nhsuk-table__head"><tr role="row">')
    assert '<th role="columnheader" scope="col" class="nhsuk-table__header">Theme</th>' in html
    assert (
        '<th role="columnheader" scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">Share</th>'
        in html
    )
    assert '<span class="nhsuk-u-visually-hidden">Action</span></th>' in html
