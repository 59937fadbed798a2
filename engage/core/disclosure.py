"""Disclosure control: the one way a count is published or exported, so no one can be
identified from it.

The default rule follows NHS England's for hospital statistics below national level
(configurable in settings, see `DisclosureRule.from_settings`):

- a count of 1 to 7 is shown as "*" (primary suppression);
- every other count is rounded to the nearest 5 (0 stays 0: an empty group is news);
- a percentage is worked out from the rounded counts, never from the true ones;
- in a table with totals, more cells are hidden (secondary suppression) so that a
  hidden count cannot be worked out from the rest. First until no row or column, totals
  included, has exactly one hidden entry (simple subtraction); then, because small
  counts can pin each other down (two hidden cells under a shown total, each known to
  be at most 7, may have only one way to add up), the table is audited: for each count
  of 1 to 7, the least and greatest value it could have, given every published figure
  and every total, is found by integer programming (scipy's HiGHS), and while any comes
  out to a single value another entry of its row or column is hidden. The entries
  hidden second are the smallest that will do, inner cells before totals.

The audit assumes the most informed reader: one who knows the rule, knows that a shown
figure r stands for a count that rounds to r, and even knows which "*" are small
counts. Where even hiding everything would not protect a count from such a reader (a
table of nothing but small counts and zeros), every entry, zeros included, is hidden
and the table is marked `withheld`. A property-based test
(`engage/core/tests/test_disclosure.py`) checks random tables with its own solver: no
count of 1 to 7 comes out to a single value for a reader who knows the rule, nor, unless
the table is withheld, for one who is also told which "*" are small.

Staff of the collecting organisation may see unrounded figures of their own
organisation in the staff area; those pages pass `DisclosureRule.exact()`, which hides
and rounds nothing. The public and other partners only ever see the rule's output.

The rule from the settings is also *perturbed* (the cell key method, ADR 0027 and
`engage/core/cell_key.py`): a count shown is the rounded sum of the weights of the
records in it, not their number, so every caller passes that weighted sum beside the
true count (which still decides what is hidden, and where secondary suppression goes).
The same records always give the same figure; overlapping sets cannot be subtracted to
an exact count; a table's cells add up to its totals. A count shown is never less than
the smallest shown (rounded): a weighted sum can fall below it, the true count cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "*"
NO_SHARE = "\N{EN DASH}"  # a share of nothing


@dataclass(frozen=True)
class DisclosureRule:
    """Counts from 1 to `smallest_shown - 1` are hidden; others rounded to `round_to`.
    `perturbed`: what is shown is the records' weighted sum (the cell key method), which
    every caller must then pass."""

    smallest_shown: int = 8
    round_to: int = 5
    perturbed: bool = False

    def __post_init__(self) -> None:
        if self.smallest_shown < 1 or self.round_to < 1:
            raise ValueError("The disclosure rule needs a smallest count shown and a rounding of 1 or more.")

    @classmethod
    def from_settings(cls) -> DisclosureRule:
        return cls(
            smallest_shown=int(settings.ENGAGE_DISCLOSURE_SMALLEST_SHOWN),
            round_to=int(settings.ENGAGE_DISCLOSURE_ROUND_TO),
            perturbed=True,
        )

    @classmethod
    def exact(cls) -> DisclosureRule:
        """No rounding and nothing hidden: for staff of the collecting organisation,
        looking at their own organisation's figures in the staff area."""
        return cls(smallest_shown=1, round_to=1)

    def hides(self, count: int) -> bool:
        return 0 < count < self.smallest_shown

    def rounded(self, count: int) -> int:
        """To the nearest multiple of `round_to`, halves up."""
        return (count + self.round_to // 2) // self.round_to * self.round_to

    def shown(self, count: int, weighted: int | None) -> int:
        """The figure shown for a count that is not hidden."""
        if not self.perturbed or count == 0:
            return self.rounded(count)
        if weighted is None:
            raise ValueError(
                "This count is published by the cell key method: pass the weighted sum of its "
                "records too (engage/core/cell_key.py)."
            )
        return max(self.rounded(weighted), self.rounded(self.smallest_shown))


@dataclass(frozen=True)
class Published:
    """A count as it may be shown: `value` is None where it is hidden."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        return SUPPRESSED if self.value is None else f"{self.value:,}"

    def __str__(self) -> str:
        return self.text


def _checked(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"A count must be a whole number of 0 or more, not {count!r}.")
    return count


def publish_count(
    count: int, rule: DisclosureRule | None = None, *, weighted: int | None = None
) -> Published:
    """One count on its own (no total beside it to subtract from). `weighted`: the sum
    of its records' weights, which a perturbed rule shows instead (see the notes)."""
    rule = rule or DisclosureRule.from_settings()
    count = _checked(count)
    if rule.hides(count):
        return Published(None)
    return Published(rule.shown(count, None if weighted is None else _checked(weighted)))


def publish_share(part: Published, whole: Published) -> str:
    """A percentage worked out from the published (rounded) counts; "*" if either is
    hidden, and NO_SHARE where the whole is 0."""
    if part.value is None or whole.value is None:
        return SUPPRESSED
    if whole.value == 0:
        return NO_SHARE
    return f"{round(100 * part.value / whole.value)}%"


@dataclass(frozen=True)
class PublishedTable:
    """Counts of rows by columns with their totals, as they may be shown."""

    cells: list[list[Published]]
    row_totals: list[Published]
    column_totals: list[Published]
    total: Published
    # Which entries were hidden to protect another, not for being small themselves;
    # kept for tests and for a page's note, never shown as a figure.
    hidden_second: frozenset[tuple[int, int]]
    # Every entry hidden, zeros too: the table is all small counts, so even the pattern
    # of which are empty would tell. A page says "too few people to show" instead.
    withheld: bool = False


def _with_totals(rows: list[list[int]], width: int) -> list[list[int]]:
    """The table with its totals: the last row holds the column totals, the last column
    the row totals, the corner the grand total."""
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[j] for row in grid) for j in range(width + 1)])
    return grid


def publish_table(
    counts: Sequence[Sequence[int]],
    rule: DisclosureRule | None = None,
    *,
    weighted: Sequence[Sequence[int]] | None = None,
) -> PublishedTable:
    """A table of counts with row, column and grand totals; see the module's notes.
    `weighted`: the same table of the records' weighted sums, for a perturbed rule.
    Positions in `hidden_second` use the row and column numbers of the table with its
    totals added (the totals row and column come last)."""
    rule = rule or DisclosureRule.from_settings()
    rows = [[_checked(count) for count in row] for row in counts]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row of a table needs the same number of counts.")
    grid = _with_totals(rows, width)
    weights: list[list[int]] | None = None
    if weighted is not None:
        weights = _with_totals([[_checked(w) for w in row] for row in weighted], width)
        if len(weights) != len(grid) or any(len(a) != len(b) for a, b in zip(weights, grid, strict=False)):
            raise ValueError("The weighted sums must have the same shape as the counts.")
    hidden = {(i, j) for i, line in enumerate(grid) for j, count in enumerate(line) if rule.hides(count)}
    primary = set(hidden)
    _hide_second(grid, hidden)
    withheld = not _protect(grid, hidden, primary, rule)
    last_row, last_column = len(grid) - 1, width

    def shown(i: int, j: int) -> Published:
        if (i, j) in hidden:
            return Published(None)
        return Published(rule.shown(grid[i][j], None if weights is None else weights[i][j]))

    return PublishedTable(
        cells=[[shown(i, j) for j in range(width)] for i in range(last_row)],
        row_totals=[shown(i, last_column) for i in range(last_row)],
        column_totals=[shown(last_row, j) for j in range(width)],
        total=shown(last_row, last_column),
        hidden_second=frozenset(hidden - primary),
        withheld=withheld,
    )


def publish_breakdown(
    counts: Sequence[int], rule: DisclosureRule | None = None, *, weighted: Sequence[int] | None = None
) -> tuple[list[Published], Published]:
    """Counts by one dimension (age bands, say) with their total: a table of one row."""
    table = publish_table([list(counts)], rule, weighted=None if weighted is None else [list(weighted)])
    return table.cells[0], table.row_totals[0]


def _hide_second(grid: list[list[int]], hidden: set[tuple[int, int]]) -> None:
    """Hide more entries until no line (a row or a column, with its total) has exactly
    one hidden entry. Each pass hides at least one more, so it ends."""
    height, width = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(position in hidden for position in line) != 1:
                continue
            hidden.add(min((p for p in line if p not in hidden), key=lambda p: _cost(grid, p)))
            changed = True


def _protect(
    grid: list[list[int]], hidden: set[tuple[int, int]], primary: set[tuple[int, int]], rule: DisclosureRule
) -> bool:
    """Hide more until no small count can be worked out (see the module's notes).
    Returns False where even hiding everything would not do, as in a table of nothing
    but small counts and zeros (seven cells of 1 under a grand total of 7: a reader told
    which "*" are small knows each is at least 1, so each is 1); every entry, zeros
    included, is hidden then."""
    height, width = len(grid), len(grid[0])
    while (exposed := _first_exposed(grid, hidden, primary, rule)) is not None:
        i, j = exposed
        near = [(i, b) for b in range(width)] + [(a, j) for a in range(height)]
        candidates = [p for p in near if p not in hidden] or [
            (a, b) for a in range(height) for b in range(width) if (a, b) not in hidden
        ]
        if not candidates:
            return False
        hidden.add(min(candidates, key=lambda p: _cost(grid, p)))
        _hide_second(grid, hidden)
    return True


def _first_exposed(
    grid: list[list[int]], hidden: set[tuple[int, int]], primary: set[tuple[int, int]], rule: DisclosureRule
) -> tuple[int, int] | None:
    """A small count the published table pins to one value, if there is one."""
    if not primary:
        return None
    # Deferred: scipy is only needed for tables with small counts in them.
    import numpy as np  # noqa: PLC0415 - SciPy takes a second to load; only secondary suppression needs it
    from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: PLC0415 - SciPy takes a second to load; only secondary suppression needs it

    height, width = len(grid), len(grid[0])
    rows, columns = height - 1, width - 1
    # Unknowns: the inner cells. Every entry, totals included, is a sum of some of them.
    sums = np.zeros((height * width, rows * columns))
    for i in range(height):
        for j in range(width):
            for a in range(rows) if i == rows else [i]:
                for b in range(columns) if j == columns else [j]:
                    sums[i * width + j, a * columns + b] = 1
    low, high = _what_a_reader_knows(grid, hidden, primary, rule)
    most = max(sum(map(sum, grid)) * 2, rule.smallest_shown) + rule.round_to
    constraint = LinearConstraint(sums, low, high)
    integral = np.ones(rows * columns)
    for i, j in sorted(primary):
        goal = sums[i * width + j]
        least = milp(goal, constraints=[constraint], integrality=integral, bounds=Bounds(0, most))
        greatest = milp(-goal, constraints=[constraint], integrality=integral, bounds=Bounds(0, most))
        if least.status != 0 or greatest.status != 0:  # cannot happen: the true table fits
            raise RuntimeError("Disclosure control could not check a table it was given.")
        if round(float(goal @ least.x)) == round(float(goal @ greatest.x)):
            return i, j
    return None


def _what_a_reader_knows(
    grid: list[list[int]], hidden: set[tuple[int, int]], primary: set[tuple[int, int]], rule: DisclosureRule
) -> tuple[list[float], list[float]]:
    """For each entry, the least and greatest true count consistent with what is shown."""
    half = rule.round_to // 2
    low: list[float] = []
    high: list[float] = []
    for i, line in enumerate(grid):
        for j, count in enumerate(line):
            if (i, j) in primary:
                low.append(1)
                high.append(rule.smallest_shown - 1)
            elif (i, j) in hidden:
                low.append(0)
                high.append(float("inf"))
            elif count == 0:
                low.append(0)
                high.append(0)
            else:
                shown = rule.rounded(count)
                low.append(max(rule.smallest_shown, shown - half))
                high.append(shown + rule.round_to - 1 - half)
    return low, high


def _cost(grid: list[list[int]], position: tuple[int, int]) -> tuple[int, int, int]:
    """Which entry to hide second: a non-empty one before an empty one (a hidden 0 tells
    a reader nothing wrong, but an empty group is worth showing), an inner cell before a
    total, then the smallest."""
    i, j = position
    count = grid[i][j]
    is_total = i == len(grid) - 1 or j == len(grid[0]) - 1
    return (count == 0, is_total, count)
