"""What the most informed reader can work out of a published table: the tests' own solver,
written apart from the product's (`engage.core.disclosure`), so that each checks the other.
Used by the disclosure tests here and by reach's, whose tables are published the same way."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from engage.core.disclosure import DisclosureRule, Published, PublishedTable

RULE = DisclosureRule()

BIG = 10_000


def _entries(shape: tuple[int, int]) -> dict[tuple[int, int], np.ndarray]:
    """Each entry of the table with its totals as a sum of inner cells."""
    rows, columns = shape
    entries: dict[tuple[int, int], np.ndarray] = {}
    for i in range(rows + 1):
        for j in range(columns + 1):
            weights = np.zeros(rows * columns)
            for a in range(rows) if i == rows else [i]:
                for b in range(columns) if j == columns else [j]:
                    weights[a * columns + b] = 1
            entries[(i, j)] = weights
    return entries


def _window(shown: Published, rule: DisclosureRule, *, small: bool) -> tuple[int, int]:
    """What one published figure tells of its count (`small`: a "*" the reader is told
    is a count of 1 to 7)."""
    if shown.value is None:
        return (1, rule.smallest_shown - 1) if small else (0, BIG)
    if shown.value == 0:
        return 0, 0
    half = rule.round_to // 2
    return max(rule.smallest_shown, shown.value - half), shown.value + (rule.round_to - 1 - half)


def range_of(
    table: PublishedTable,
    shape: tuple[int, int],
    primary: set[tuple[int, int]],
    target: tuple[int, int],
    *,
    knows_small: bool,
    rule: DisclosureRule = RULE,
) -> tuple[int, int]:
    """The least and greatest value the `target` entry (a cell or a total) can have, given
    everything the table publishes: each shown figure r means a true count that rounds to
    r (and is not small, or it would be hidden), each "*" any count, and the totals add
    up. With `knows_small` the reader is even told which "*" are counts of 1 to 7, and so
    that every other "*" is 0 or at least 8."""
    rows, columns = shape
    size = rows * columns
    entries = _entries(shape)
    published: dict[tuple[int, int], Published] = {}
    for i in range(rows):
        for j in range(columns):
            published[(i, j)] = table.cells[i][j]
        published[(i, columns)] = table.row_totals[i]
    for j in range(columns):
        published[(rows, j)] = table.column_totals[j]
    published[(rows, columns)] = table.total
    lows, highs = [], []
    others = []  # hidden, and known not to be small
    for position, shown in published.items():
        if shown.value is None and knows_small and position not in primary:
            others.append(position)
        low, high = _window(shown, rule, small=knows_small and position in primary)
        lows.append(low)
        highs.append(high)
    # One 0-or-1 unknown z per "*" known not to be small: 8z <= entry <= BIG z.
    width = size + len(others)
    matrix = np.zeros((len(entries) + 2 * len(others), width))
    matrix[: len(entries), :size] = np.array(list(entries.values()))
    for k, position in enumerate(others):
        for row, factor in ((len(entries) + 2 * k, rule.smallest_shown), (len(entries) + 2 * k + 1, BIG)):
            matrix[row, :size] = entries[position]
            matrix[row, size + k] = -factor
        lows += [0, -np.inf]
        highs += [np.inf, 0]
    constraint = LinearConstraint(matrix, lows, highs)
    goal = np.r_[entries[target], np.zeros(len(others))]
    bounds = Bounds(np.zeros(width), np.r_[np.full(size, BIG), np.ones(len(others))])
    found = []
    for sign in (1, -1):
        result = milp(sign * goal, constraints=[constraint], integrality=np.ones(width), bounds=bounds)
        assert result.status == 0, "the true table must satisfy what is published"
        found.append(round(float(goal @ result.x)))
    return found[0], found[1]


def with_totals(rows: list[list[int]]) -> list[list[int]]:
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[j] for row in grid) for j in range(len(rows[0]) + 1)])
    return grid


def protected_by_hiding(rows: list[list[int]], hide: set[tuple[int, int]]) -> bool:
    """Whether hiding these entries (with the small ones) would keep every small count
    from a reader told which "*" are small: the test's own check of what could be done."""
    grid = with_totals(rows)
    shape = (len(rows), len(rows[0]))
    primary = {(i, j) for i, line in enumerate(grid) for j, count in enumerate(line) if RULE.hides(count)}

    def entry(i: int, j: int) -> Published:
        return Published(None) if (i, j) in hide | primary else Published(RULE.rounded(grid[i][j]))

    rows_, columns = shape
    table = PublishedTable(
        cells=[[entry(i, j) for j in range(columns)] for i in range(rows_)],
        row_totals=[entry(i, columns) for i in range(rows_)],
        column_totals=[entry(rows_, j) for j in range(columns)],
        total=entry(rows_, columns),
        hidden_second=frozenset(hide - primary),
    )
    return all(
        (found := range_of(table, shape, primary, position, knows_small=True))[0] < found[1]
        for position in primary
    )
