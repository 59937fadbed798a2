"""Disclosure control: small counts hidden, the rest rounded, and no hidden count that
can be worked out from the totals, proved by solving for it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from engage.core.disclosure import (
    NO_SHARE,
    DisclosureRule,
    Published,
    PublishedTable,
    publish_breakdown,
    publish_count,
    publish_share,
    publish_table,
)

RULE = DisclosureRule()


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (1, "*"), (7, "*"), (8, "10"), (12, "10"), (13, "15"), (1234, "1,235"), (1232, "1,230")],
)
def test_a_count_is_hidden_when_small_and_rounded_to_five_otherwise(count, text):
    assert publish_count(count, RULE).text == text


def test_the_rule_comes_from_the_settings(settings):
    settings.ENGAGE_DISCLOSURE_SMALLEST_SHOWN = 11
    settings.ENGAGE_DISCLOSURE_ROUND_TO = 10
    assert publish_count(10).hidden
    assert publish_count(15, weighted=15).value == 20
    with pytest.raises(ValueError, match="whole number of 0 or more"):
        publish_count(-1)
    with pytest.raises(ValueError, match="rounding of 1 or more"):
        DisclosureRule(round_to=0)


def test_a_share_is_worked_out_from_the_rounded_counts():
    assert publish_share(Published(10), Published(30)) == "33%"  # true counts 12 of 28 would say 43%
    assert publish_share(Published(None), Published(30)) == "*"
    assert publish_share(Published(0), Published(0)) == NO_SHARE


def test_a_single_small_cell_takes_the_smallest_other_of_its_row_and_column_with_it():
    # Worked by hand: the 3 is hidden, but its row total would give it away
    # (45 - 12 - 30), so the smallest other cell of its row, the 12, is hidden too. Then
    # the first column has one hidden cell (the 3 under a total of 43), so its smallest
    # other inner cell, the 40, goes; then the second column's 50, for the 12. Every row
    # and column now has two hidden entries or none.
    table = publish_table([[3, 12, 30], [40, 50, 60]], RULE)
    texts = [[c.text for c in row] for row in table.cells]
    assert texts == [["*", "*", "30"], ["*", "*", "60"]]
    assert [t.text for t in table.row_totals] == ["45", "150"]
    assert [t.text for t in table.column_totals] == ["45", "60", "90"]
    assert table.total.text == "195"
    assert table.hidden_second == {(0, 1), (1, 0), (1, 1)}


def test_a_breakdown_with_one_small_group_hides_a_second_one():
    groups, total = publish_breakdown([2, 40, 9, 0], RULE)
    assert [g.text for g in groups] == ["*", "40", "*", "0"]
    assert total.text == "50"


def test_nothing_is_hidden_where_nothing_is_small():
    table = publish_table([[10, 20], [30, 0]], RULE)
    assert not table.hidden_second
    assert [[c.text for c in row] for row in table.cells] == [["10", "20"], ["30", "0"]]


# ---------------------------------------------------------------------------------------
# The proof: what a determined reader could work out.

BIG = 10_000


def _range_of(
    table: PublishedTable,
    shape: tuple[int, int],
    primary: set[tuple[int, int]],
    target: tuple[int, int],
    *,
    knows_small: bool,
) -> tuple[int, int]:
    """The least and greatest value the `target` entry (a cell or a total) can have, given
    everything the table publishes: each shown figure r means a true count that rounds to
    r (and is not small, or it would be hidden), each "*" any count, and the totals add
    up. With `knows_small` the reader is even told which "*" are counts of 1 to 7."""
    rows, columns = shape
    size = rows * columns

    def index(i: int, j: int) -> int:
        return i * columns + j

    # Each entry of the table with its totals is a sum of inner cells.
    entries: dict[tuple[int, int], np.ndarray] = {}
    for i in range(rows + 1):
        for j in range(columns + 1):
            weights = np.zeros(size)
            for a in range(rows) if i == rows else [i]:
                for b in range(columns) if j == columns else [j]:
                    weights[index(a, b)] = 1
            entries[(i, j)] = weights
    published: dict[tuple[int, int], Published] = {}
    for i in range(rows):
        for j in range(columns):
            published[(i, j)] = table.cells[i][j]
        published[(i, columns)] = table.row_totals[i]
    for j in range(columns):
        published[(rows, j)] = table.column_totals[j]
    published[(rows, columns)] = table.total
    half = RULE.round_to // 2
    lows, highs = [], []
    for position, shown in published.items():
        if shown.value is None:
            low, high = (1, RULE.smallest_shown - 1) if knows_small and position in primary else (0, BIG)
        elif shown.value == 0:
            low, high = 0, 0
        else:
            low, high = max(RULE.smallest_shown, shown.value - half), shown.value + (RULE.round_to - 1 - half)
        lows.append(low)
        highs.append(high)
    constraint = LinearConstraint(np.array(list(entries.values())), lows, highs)
    goal = entries[target]
    found = []
    for sign in (1, -1):
        result = milp(sign * goal, constraints=[constraint], integrality=np.ones(size), bounds=Bounds(0, BIG))
        assert result.status == 0, "the true table must satisfy what is published"
        found.append(round(float(goal @ result.x)))
    return found[0], found[1]


counts = st.one_of(st.just(0), st.integers(1, 7), st.integers(8, 80))


@settings(max_examples=300, deadline=None)
# Found by this test: three small cells that pin each other down under their totals
# (the 6 is at most 7 - 1 by its row and at least 13 - 7 by its column), which the
# one-hidden-entry-per-line rule alone let through.
@example(rows=[[0, 0, 1], [0, 7, 0], [1, 6, 0]])
@example(rows=[[0, 1], [0, 8], [0, 8]])
# Seven 1s under a grand total of 7: every "*" is at least 1, so each is 1; withheld whole.
@example(rows=[[0, 0, 1, 1], [0, 0, 1, 1], [0, 1, 1, 1]])
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=4)
    )
)
def test_no_hidden_small_count_can_be_worked_out_from_the_published_table(rows):
    table = publish_table(rows, RULE)
    shape = (len(rows), len(rows[0]))
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[j] for row in grid) for j in range(shape[1] + 1)])
    primary = {(i, j) for i, line in enumerate(grid) for j, count in enumerate(line) if RULE.hides(count)}
    for i, j in primary:  # inner cells and totals alike
        low, high = _range_of(table, shape, primary, (i, j), knows_small=False)
        assert low < high, f"entry {(i, j)} of {rows} with its totals can be worked out as {low}"
        assert low <= grid[i][j] <= high
        if not table.withheld:
            # Even a reader told which "*" are small counts cannot pin one down.
            low, high = _range_of(table, shape, primary, (i, j), knows_small=True)
            assert low < high, (
                f"entry {(i, j)} of {rows} can be worked out as {low} by a reader who knows the small ones"
            )
    if table.withheld:
        entries = [
            *(c for row in table.cells for c in row),
            *table.row_totals,
            *table.column_totals,
            table.total,
        ]
        assert all(entry.hidden for entry in entries)
    # And every line, totals included, has no hidden entry or at least two.
    hidden = primary | table.hidden_second
    for i in range(shape[0] + 1):
        assert sum((i, j) in hidden for j in range(shape[1] + 1)) != 1
    for j in range(shape[1] + 1):
        assert sum((i, j) in hidden for i in range(shape[0] + 1)) != 1


def test_a_table_of_nothing_but_small_counts_is_withheld_whole():
    table = publish_table([[0, 0, 1, 1], [0, 0, 1, 1], [0, 1, 1, 1]], RULE)
    assert table.withheld
    assert [c.text for c in table.cells[0]] == ["*", "*", "*", "*"]  # the zeros too
    assert table.total.text == "*"
    assert not publish_table([[3, 12, 30], [40, 50, 60]], RULE).withheld


def test_the_exact_rule_hides_and_rounds_nothing():
    exact = DisclosureRule.exact()
    table = publish_table([[3, 0, 12]], exact)
    assert [cell.value for cell in table.cells[0]] == [3, 0, 12]
    assert table.total.value == 15
    assert not table.hidden_second
