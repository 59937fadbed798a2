"""The two pieces of statistics the picture shows, worked out from published figures
only (never the true counts, which would give away what rounding and the cell key hide):

- the difference between two proportions with its 95% interval, by Newcombe's hybrid
  score method (his method 10, from the two Wilson intervals), which keeps its coverage
  with small groups and shares near 0 or 1, where the textbook Wald interval does not;
- a p-chart (statistical process control) for a monthly share: the centre line is the
  share over all the months, and each month's limits are three standard errors either
  side for that month's number of conversations. A month outside its limits, or a run of
  eight months on one side of the centre, is a signal: a real change, not noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engage.reach.representation import Z_95, wilson_interval

RUN_OF = 8  # months in a row on one side of the centre line that signal a shift


@dataclass(frozen=True)
class Difference:
    value: float  # first share less the second
    low: float
    high: float

    @property
    def clear(self) -> bool:
        """The interval leaves out no difference at all."""
        return self.low > 0 or self.high < 0


def share_difference(x1: int, n1: int, x2: int, n2: int, *, z: float = Z_95) -> Difference | None:
    """x1/n1 less x2/n2, with Newcombe's interval; None where either has no trials."""
    if n1 <= 0 or n2 <= 0 or not (0 <= x1 <= n1 and 0 <= x2 <= n2):
        return None
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z=z)
    l2, u2 = wilson_interval(x2, n2, z=z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(value=d, low=max(-1.0, low), high=min(1.0, high))


@dataclass(frozen=True)
class ChartPoint:
    label: str
    successes: int | None  # None where the month's figures are hidden
    trials: int | None
    share: float | None
    lower: float | None  # the month's control limits
    upper: float | None
    signal: str = ""  # why the point stands out: "above", "below", "run above", "run below"


@dataclass(frozen=True)
class ProcessChart:
    centre: float | None
    points: list[ChartPoint]

    @property
    def signals(self) -> list[ChartPoint]:
        return [point for point in self.points if point.signal]


def p_chart(months: list[tuple[str, int | None, int | None]]) -> ProcessChart:
    """A p-chart of (label, successes, trials) by month; a month with either figure
    hidden (None) or no trials is a gap, left out of the centre line."""
    usable = [(x, n) for _, x, n in months if x is not None and n]
    total_x = sum(x for x, _ in usable)
    total_n = sum(n for _, n in usable)
    if not total_n:
        return ProcessChart(None, [ChartPoint(label, x, n, None, None, None) for label, x, n in months])
    centre = total_x / total_n
    points = []
    for label, x, n in months:
        if x is None or not n:
            points.append(ChartPoint(label, x, n, None, None, None))
            continue
        spread = 3 * math.sqrt(centre * (1 - centre) / n)
        lower, upper = max(0.0, centre - spread), min(1.0, centre + spread)
        share = min(x / n, 1.0)
        signal = "above" if share > upper else "below" if share < lower else ""
        points.append(ChartPoint(label, x, n, share, lower, upper, signal))
    return ProcessChart(centre, _runs_marked(points, centre))


def _runs_marked(points: list[ChartPoint], centre: float) -> list[ChartPoint]:
    """Mark every point of a run of RUN_OF or more on one side of the centre line (a gap
    or a point on the line ends a run)."""
    marked = list(points)
    run: list[int] = []
    side = 0
    for index, point in enumerate([*points, None]):
        this = 0 if point is None or point.share is None else (point.share > centre) - (point.share < centre)
        if this and this == side:
            run.append(index)
            continue
        if len(run) >= RUN_OF:
            for i in run:
                if not marked[i].signal:
                    p = marked[i]
                    marked[i] = ChartPoint(
                        p.label, p.successes, p.trials, p.share, p.lower, p.upper,
                        "run above" if side > 0 else "run below",
                    )  # fmt: skip
        run, side = ([index], this) if this else ([], 0)
    return marked
