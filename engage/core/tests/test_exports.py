import csv
import io

import pytest

from engage.core.exports import csv_text, neutralise_cell


@pytest.mark.parametrize("dangerous", ["=1+1", "+44 7700", "-2", "@SUM(A1)", "\tTab", "\rCR"])
def test_cells_that_a_spreadsheet_would_run_are_prefixed_with_a_quote(dangerous: str) -> None:
    assert neutralise_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("safe", ["Plain words", "a=b", "", "07700 900123"])
def test_ordinary_cells_are_left_alone(safe: str) -> None:
    assert neutralise_cell(safe) == safe


def test_none_becomes_an_empty_cell_and_the_csv_reads_back() -> None:
    text = csv_text(["Name", "Note"], [["Ann", None], ["=cmd", 'quote "this"']])
    assert list(csv.reader(io.StringIO(text))) == [["Name", "Note"], ["Ann", ""], ["'=cmd", 'quote "this"']]
