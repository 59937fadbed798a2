"""Disclosure control: the one way a count is published or exported, so no one can be
identified from it.

The default rule follows NHS England's for hospital statistics below national level
(configurable in settings, see `DisclosureRule.from_settings`):

- a count of 1 to 7 is shown as "*" (primary suppression);
- every other count is rounded to the nearest 5 (0 stays 0: an empty group is news);
- a percentage is worked out from the rounded counts, never from the true ones;
- in a table with totals, more entries are hidden (secondary suppression) where, and
  only where, a hidden count could otherwise be worked out from the rest (ADR 0041).
  The table is audited: for each count of 1 to 7, the least and greatest value it could
  have, given every published figure and every total, is found by integer programming
  (scipy's HiGHS), and while any comes out to a single value, entries of its row and
  column are hidden, the cheapest first (the smallest count, inner cells before totals)
  until it no longer does; any of those that turned out not to be needed is shown
  again, the largest first. Rounding already blurs a subtraction (a total less the
  shown cells of its row gives a hidden count only to within the rounding of each), so
  under the default rule one small count in a row of larger ones needs no partner; with
  no rounding (`round_to` 1), a row or column with a small count hidden always has a
  second entry hidden.

The audit assumes the most informed reader: one who knows the rule, knows that a shown
figure r stands for a count that rounds to r, and knows which "*" are small counts and
so that every other "*" is 0 or at least 8 (a page says which: "too few to show", or
"hidden so that a smaller figure cannot be worked out"). Where even hiding everything
would not protect a count from such a reader (a table of nothing but small counts and
zeros), every entry, zeros included, is hidden and the table is marked `withheld`. A
property-based test (`engage/core/tests/test_disclosure.py`) checks random tables with
its own solver: no count of 1 to 7 comes out to a single value for a reader who knows
the rule, nor, unless the table is withheld, for one who is also told which "*" are
small; and adding a few records to a table never hides an entry of more than ten times
the smallest count shown.

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
from functools import partial
from typing import Any

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

    def window(self, shown: int) -> tuple[int, int]:
        """The least and greatest count a figure shown (not hidden) can stand for: 0
        for 0, else a count of at least `smallest_shown` that rounds to it."""
        if shown == 0:
            return 0, 0
        half = self.round_to // 2
        return max(self.smallest_shown, shown - half), shown + self.round_to - 1 - half

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
    # Which entries were hidden to protect another, not for being small themselves
    # (positions in the table with its totals added: the totals row and column last). A
    # page says so ("hidden so that a smaller figure cannot be worked out"), never "too
    # few": the audit assumes the reader knows which "*" are which.
    hidden_second: frozenset[tuple[int, int]]
    # Every entry hidden, zeros too: the table is all small counts, so even the pattern
    # of which are empty would tell. A page says "too few people to show" instead.
    withheld: bool = False
    rule: DisclosureRule = DisclosureRule()

    def entry(self, i: int, j: int) -> Published:
        """An entry of the table with its totals added (the totals row and column last)."""
        rows = len(self.cells)
        if i == rows:
            return self.total if j == len(self.column_totals) else self.column_totals[j]
        return self.row_totals[i] if j == len(self.column_totals) else self.cells[i][j]

    def range_of(self, i: int, j: int) -> tuple[int, int] | None:
        """The least and greatest count an entry hidden to protect another could have,
        worked out from what the table publishes and nothing else: each figure shown
        stands for a count that rounds to it, each small "*" for 1 to 7, each other "*"
        for 0 or 8 and more, and the totals add up. Anyone could work this out, so a
        page may say what follows from it ("at most a fifth as likely"). None where the
        table is withheld or the figures shown admit no such counts (a perturbed figure
        can: it is a weighted sum, not a count)."""
        if self.withheld or self.total.value is None:
            return None  # nothing bounds the counts from above
        rows, columns = len(self.cells), len(self.column_totals)
        entries = [[self.entry(a, b) for b in range(columns + 1)] for a in range(rows + 1)]
        audit = _Audit(rows + 1, columns + 1, self.rule, most=self.rule.window(self.total.value)[1])
        low: list[float] = []
        high: list[float] = []
        not_small = []
        for a, line in enumerate(entries):
            for b, entry in enumerate(line):
                if entry.value is None and (a, b) in self.hidden_second:
                    not_small.append((a, b))
                    low.append(0)
                    high.append(float("inf"))
                elif entry.value is None:
                    low.append(1)
                    high.append(self.rule.smallest_shown - 1)
                else:
                    window = self.rule.window(entry.value)
                    low.append(window[0])
                    high.append(window[1])
        return audit.least_and_greatest(low, high, not_small, (i, j))


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
    primary = {(i, j) for i, line in enumerate(grid) for j, count in enumerate(line) if rule.hides(count)}
    hidden = set(primary)
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
        rule=rule,
    )


def publish_breakdown(
    counts: Sequence[int], rule: DisclosureRule | None = None, *, weighted: Sequence[int] | None = None
) -> tuple[list[Published], Published]:
    """Counts by one dimension (age bands, say) with their total: a table of one row."""
    table = publish_table([list(counts)], rule, weighted=None if weighted is None else [list(weighted)])
    return table.cells[0], table.row_totals[0]


Position = tuple[int, int]


def _twins(grid: list[list[int]], position: Position) -> set[Position]:
    """The entries that are the same figure as this one: in a table of one row the
    column totals repeat the cells, in a table of one column the row totals do. They
    are hidden together, or hiding one would hide nothing."""
    i, j = position
    rows = {0, 1} if len(grid) == 2 else {i}
    columns = {0, 1} if len(grid[0]) == 2 else {j}
    return {(a, b) for a in rows for b in columns}


def _protect(
    grid: list[list[int]], hidden: set[Position], primary: set[Position], rule: DisclosureRule
) -> bool:
    """Hide more until no small count can be worked out (see the module's notes): for
    each small count the published table pins to one value, entries are hidden the
    cheapest first (the smallest count; of equal counts, those in its own row or column,
    then inner cells before totals) until it no longer is; then each of them not needed
    after all is shown again, the most costly first. Hiding more never tells a reader
    more, so no entry is hidden while smaller ones would do. Returns False where even
    hiding everything would not do, as in a table of nothing but small counts and zeros
    (seven cells of 1 under a grand total of 7: a reader told which "*" are small knows
    each is at least 1, so each is 1); every entry, zeros included, is hidden then."""
    height, width = len(grid), len(grid[0])
    audit = _Audit.of(grid, rule)

    everything = {(a, b) for a in range(height) for b in range(width)}
    while (exposed := audit.first_exposed(grid, hidden, primary)) is not None:
        cost = partial(_cost, grid, exposed)
        candidates = sorted(everything - hidden, key=cost)
        added: list[tuple[Position, set[Position]]] = []
        for candidate in candidates:
            if candidate in hidden:  # the twin of one just hidden
                continue
            more = _twins(grid, candidate) - hidden
            hidden |= more
            added.append((candidate, more))
            if not audit.pinned(grid, hidden, primary, exposed):
                break
        else:
            return False  # everything is hidden, and still not enough
        # Only as many as needed: give back any that turned out not to be.
        for _candidate, more in sorted(added, key=lambda item: cost(item[0]), reverse=True):
            hidden -= more
            if audit.pinned(grid, hidden, primary, exposed):
                hidden |= more
    return True


def _cost(grid: list[list[int]], exposed: Position, position: Position) -> tuple[int, bool, bool, Position]:
    """What hiding an entry to protect the `exposed` one costs: its count, the smallest
    first (an empty one, 0, first of all), so a group hundreds strong is never hidden
    where smaller ones would do; of equal counts, one in the exposed entry's row or
    column first, then an inner cell before a total."""
    a, b = position
    height, width = len(grid), len(grid[0])
    return grid[a][b], a != exposed[0] and b != exposed[1], a == height - 1 or b == width - 1, position


@dataclass(frozen=True)
class _Audit:
    """What the most informed reader can work out of a table: the least and greatest
    value of an entry, by integer programming (scipy's HiGHS). Unknowns are the inner
    cells, each entry (totals too) a sum of some of them, each published entry a window
    on its sum; an entry hidden to protect another is 0 or at least `smallest_shown`
    (the reader is told it is not small), which takes one 0-or-1 unknown each."""

    height: int
    width: int
    rule: DisclosureRule
    most: float

    @classmethod
    def of(cls, grid: list[list[int]], rule: DisclosureRule) -> _Audit:
        most = max(sum(map(sum, grid)) * 2, rule.smallest_shown) + rule.round_to
        return cls(len(grid), len(grid[0]), rule, most)

    def first_exposed(
        self, grid: list[list[int]], hidden: set[Position], primary: set[Position]
    ) -> Position | None:
        """A small count the published table pins to one value, if there is one."""
        checked: set[Position] = set()
        for position in sorted(primary):
            if position in checked:
                continue
            checked |= _twins(grid, position)
            if self.pinned(grid, hidden, primary, position):
                return position
        return None

    def pinned(
        self, grid: list[list[int]], hidden: set[Position], primary: set[Position], target: Position
    ) -> bool:
        """Whether the published table leaves the `target` entry only its true value:
        no table that fits what is published gives it another (two feasibility
        problems, quicker to settle than finding the least and greatest)."""
        from scipy.optimize import LinearConstraint, milp  # noqa: PLC0415 - SciPy takes a second to load; only secondary suppression needs it

        low, high = _what_a_reader_knows(grid, hidden, primary, self.rule)
        problem = self._problem(low, high, sorted(hidden - primary), target)
        value = grid[target[0]][target[1]]
        for other in ((value + 1, float("inf")), (float("-inf"), value - 1)):
            also = LinearConstraint(problem.goal, *other)
            result = milp(
                problem.goal * 0,
                constraints=[*problem.constraints, also],
                integrality=problem.integrality,
                bounds=problem.bounds,
            )
            if result.status == 0:
                return False
        return True

    def least_and_greatest(
        self, low: list[float], high: list[float], not_small: list[Position], target: Position
    ) -> tuple[int, int] | None:
        """The least and greatest the `target` entry can be; None if nothing fits."""
        from scipy.optimize import milp  # noqa: PLC0415 - SciPy takes a second to load; only secondary suppression needs it

        problem = self._problem(low, high, not_small, target)
        found = []
        for sign in (1, -1):
            result = milp(
                sign * problem.goal,
                constraints=problem.constraints,
                integrality=problem.integrality,
                bounds=problem.bounds,
            )
            if result.status != 0:
                return None
            found.append(round(float(problem.goal @ result.x)))
        return found[0], found[1]

    def _problem(
        self, low: list[float], high: list[float], not_small: list[Position], target: Position
    ) -> _Problem:
        # Deferred: scipy is only needed for tables with small counts in them.
        import numpy as np  # noqa: PLC0415 - SciPy takes a second to load; only secondary suppression needs it
        from scipy.optimize import Bounds, LinearConstraint  # noqa: PLC0415 - SciPy takes a second to load; only secondary suppression needs it

        height, width = self.height, self.width
        rows, columns = height - 1, width - 1
        cells, flags = rows * columns, len(not_small)
        sums = np.zeros((height * width, cells + flags))
        for i in range(height):
            for j in range(width):
                for a in range(rows) if i == rows else [i]:
                    for b in range(columns) if j == columns else [j]:
                        sums[i * width + j, a * columns + b] = 1
        constraints = [LinearConstraint(sums, low, high)]
        if not_small:
            # entry - smallest * flag >= 0 and entry - biggest * flag <= 0: the entry is
            # 0 (flag 0) or from smallest_shown up (flag 1).
            biggest = self.most * max(cells, 1)
            either = np.zeros((2 * flags, cells + flags))
            for k, (i, j) in enumerate(not_small):
                either[2 * k] = either[2 * k + 1] = sums[i * width + j]
                either[2 * k, cells + k] = -self.rule.smallest_shown
                either[2 * k + 1, cells + k] = -biggest
            lower = np.tile([0.0, -np.inf], flags)
            upper = np.tile([np.inf, 0.0], flags)
            constraints.append(LinearConstraint(either, lower, upper))
        return _Problem(
            goal=sums[target[0] * width + target[1]],
            constraints=constraints,
            integrality=np.ones(cells + flags),
            bounds=Bounds(np.zeros(cells + flags), np.r_[np.full(cells, self.most), np.ones(flags)]),
        )


@dataclass(frozen=True)
class _Problem:
    """An integer programme over a table's inner cells (and 0-or-1 flags): the entry
    sought, and what the reader knows."""

    goal: Any
    constraints: list[Any]
    integrality: Any
    bounds: Any


def _what_a_reader_knows(
    grid: list[list[int]], hidden: set[Position], primary: set[Position], rule: DisclosureRule
) -> tuple[list[float], list[float]]:
    """For each entry, the least and greatest true count consistent with what is shown
    (an entry hidden to protect another is further known to be 0 or 8 and more)."""
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
            else:
                window = rule.window(rule.rounded(count) if count else 0)
                low.append(window[0])
                high.append(window[1])
    return low, high
