"""The KPI line and `kpi_off_track` (docs/domain.md, measured adoption and KPIs)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from changeready.core.kpis import (
    Kpi,
    KpiValue,
    direction_problem,
    effective_direction,
    line_at,
    off_track,
)


def kpi(*values, baseline=50.0, target=100.0, due_week=5, direction=None) -> Kpi:
    return Kpi(
        "k",
        "Pick accuracy",
        target,
        baseline=baseline,
        due_week=due_week,
        direction=direction,
        values=tuple(KpiValue(week, value) for week, value in values),
    )


@pytest.mark.parametrize(
    ("week", "expected"), [(-2, 50), (0, 50), (1, 60), (3, 80), (5, 100), (9, 100)]
)
def test_line_runs_from_baseline_at_week_0_to_target_at_due_week_then_stays(week, expected):
    assert line_at(kpi(), week) == pytest.approx(expected)


def test_a_kpi_without_baseline_or_due_week_has_no_line_and_is_never_off_track():
    assert line_at(kpi(baseline=None), 3) is None
    assert off_track(kpi((3, 0), baseline=None), 10) is None
    assert off_track(kpi((3, 0), due_week=None), 10) is None


@pytest.mark.parametrize(
    ("value", "is_off"),
    [
        (80, False),  # on the line
        (70, False),  # exactly 20 % of |100 - 50| = 10 below: not more than
        (69.9, True),
        (95, False),  # ahead of the line
    ],
)
def test_increase_is_off_track_when_more_than_a_fifth_of_the_way_below_the_line(value, is_off):
    assert (off_track(kpi((3, value)), 3) is not None) is is_off


@pytest.mark.parametrize(("value", "is_off"), [(7, False), (8, False), (8.1, True), (1, False)])
def test_decrease_is_off_track_when_above_its_line(value, is_off):
    # Close in 10 days down to 5 by week 5: the line is 7 in week 3; tolerance 1.
    close_days = kpi((3, value), baseline=10, target=5)
    assert (off_track(close_days, 3) is not None) is is_off


def test_only_the_latest_value_up_to_the_current_week_counts():
    behind_then_caught_up = kpi((2, 50), (3, 80))
    assert off_track(behind_then_caught_up, 3) is None
    # A value after the current week is not known yet as of that week.
    assert off_track(behind_then_caught_up, 2).value == 50


def test_values_before_week_1_never_count():
    assert off_track(kpi((0, 0), (-1, 0)), 3) is None


def test_after_the_due_week_the_line_stays_at_the_target():
    found = off_track(kpi((8, 85)), 8)
    assert found is not None and found.expected == 100


def test_direction_defaults_to_the_sign_of_target_minus_baseline():
    assert effective_direction(kpi()) == "increase"
    assert effective_direction(kpi(baseline=10, target=5)) == "decrease"
    assert effective_direction(kpi(baseline=None)) == "increase"


def test_a_direction_contradicting_target_minus_baseline_is_a_problem():
    assert direction_problem(50, 100, "decrease")
    assert direction_problem(50, 100, "increase") is None
    assert direction_problem(None, 100, "decrease") is None
    assert direction_problem(50, 50, "decrease") is None


@given(
    baseline=st.floats(-1e6, 1e6),
    gap=st.floats(1e-3, 1e6),
    due_week=st.integers(1, 52),
    week=st.integers(1, 60),
    shortfall=st.floats(0, 0.2),
)
def test_a_value_within_a_fifth_of_the_way_of_its_line_is_never_off_track(
    baseline, gap, due_week, week, shortfall
):
    for target in (baseline + gap, baseline - gap):
        line = kpi(baseline=baseline, target=target, due_week=due_week)
        expected = line_at(line, week)
        worse = -1 if target > baseline else 1
        value = expected + worse * shortfall * gap * 0.999
        assert (
            off_track(kpi((week, value), baseline=baseline, target=target, due_week=due_week), week)
            is None
        )
