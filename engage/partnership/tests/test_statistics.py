"""The picture's statistics against published examples and hand-worked charts."""

from __future__ import annotations

import pytest

from engage.partnership.statistics import RUN_OF, p_chart, share_difference


def test_the_difference_interval_is_newcombes_hybrid_score() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, table II, example (a): 56/70
    # against 48/80, method 10: 0.0524 to 0.3339.
    found = share_difference(56, 70, 48, 80)
    assert found is not None
    assert found.value == pytest.approx(0.2)
    assert found.low == pytest.approx(0.0524, abs=5e-4)
    assert found.high == pytest.approx(0.3339, abs=5e-4)
    assert found.clear


def test_no_difference_is_worked_out_of_nothing() -> None:
    assert share_difference(0, 0, 3, 10) is None
    assert share_difference(5, 4, 3, 10) is None  # more successes than trials


def test_a_month_outside_its_limits_is_a_signal_and_noise_is_not() -> None:
    months = [(f"m{n}", 50, 100) for n in range(12)]
    months[5] = ("m5", 90, 100)
    chart = p_chart(months)
    assert chart.centre == pytest.approx((50 * 11 + 90) / 1200)
    assert [p.label for p in chart.signals] == ["m5"]
    assert chart.points[5].signal == "above"
    assert chart.points[0].lower < chart.points[0].share < chart.points[0].upper


def test_a_run_on_one_side_of_the_centre_is_a_signal() -> None:
    months = [(f"m{n}", 55 if n < RUN_OF else 45, 100) for n in range(RUN_OF + 4)]
    chart = p_chart(months)
    assert [p.signal for p in chart.points[:RUN_OF]] == ["run above"] * RUN_OF
    assert not any(p.signal for p in chart.points[RUN_OF:])


def test_a_hidden_month_is_a_gap_and_ends_a_run() -> None:
    months = [(f"m{n}", 55, 100) for n in range(RUN_OF)]
    months[3] = ("m3", None, None)
    months += [(f"x{n}", 45, 100) for n in range(RUN_OF)]
    chart = p_chart(months)
    assert chart.points[3].share is None
    assert not any(p.signal.startswith("run above") for p in chart.points[:RUN_OF])
