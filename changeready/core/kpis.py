"""Outcome KPIs: the line a KPI should follow and whether it is off it.

A KPI comes from a stakeholder's success definition ("pick accuracy above
99.5 %", "close in 5 days"): a baseline, a target and the week it is due
(docs/domain.md, "Measured adoption and outcome KPIs"). Its line runs from the
baseline at week 0 to the target at `due_week` and stays at the target after
it. A KPI is off track when its latest value up to the current week, from week
1 on, is worse than the line at that value's week by more than
`OFF_TRACK_TOLERANCE` of |target - baseline|. A KPI without a baseline or a
due week has no line, so it is never off track.
"""

from __future__ import annotations

from dataclasses import dataclass

DIRECTIONS = ("increase", "decrease")
# How far below its line (as a share of the whole improvement) a KPI may fall
# before it is off track: weekly values are noisy, a fifth of the way is not.
OFF_TRACK_TOLERANCE = 0.2
# Values before the first full week live say nothing about the new way of working.
FIRST_TRACKED_WEEK = 1


@dataclass(frozen=True)
class KpiValue:
    week: int
    value: float


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    target: float
    baseline: float | None = None
    due_week: int | None = None
    # None: follow the sign of target - baseline (`effective_direction`).
    direction: str | None = None
    unit: str = ""
    stakeholder_id: str | None = None
    values: tuple[KpiValue, ...] = ()


@dataclass(frozen=True)
class OffTrack:
    """A KPI off its line: its latest value and where the line was that week."""

    kpi: Kpi
    week: int
    value: float
    expected: float


def implied_direction(baseline: float | None, target: float) -> str | None:
    """The direction target - baseline points in; None when it points nowhere."""
    if baseline is None or target == baseline:
        return None
    return "increase" if target > baseline else "decrease"


def direction_problem(baseline: float | None, target: float, direction: str | None) -> str | None:
    """Why `direction` cannot go with this baseline and target, or None when it can."""
    implied = implied_direction(baseline, target)
    if direction is None or implied is None or direction == implied:
        return None
    return (
        f"The target ({target:g}) is {'above' if implied == 'increase' else 'below'} the "
        f"baseline ({baseline:g}), so the KPI must {implied}, not {direction}."
    )


def effective_direction(kpi: Kpi) -> str:
    """The stated direction, else the one target - baseline implies, else increase."""
    return kpi.direction or implied_direction(kpi.baseline, kpi.target) or "increase"


def has_line(kpi: Kpi) -> bool:
    return kpi.baseline is not None and kpi.due_week is not None


def line_at(kpi: Kpi, week: int) -> float | None:
    """Where the KPI should be in `week`: None without a baseline or due week."""
    baseline, due_week = kpi.baseline, kpi.due_week
    if baseline is None or due_week is None:  # not has_line(kpi)
        return None
    if week >= due_week or due_week <= 0:
        return kpi.target
    if week <= 0:
        return baseline
    return baseline + (kpi.target - baseline) * week / due_week


def latest_value(kpi: Kpi, current_week: int) -> KpiValue | None:
    """The value of the latest week from week 1 up to `current_week`, if any."""
    tracked = [v for v in kpi.values if FIRST_TRACKED_WEEK <= v.week <= current_week]
    return max(tracked, key=lambda v: v.week, default=None)


def off_track(kpi: Kpi, current_week: int) -> OffTrack | None:
    """The KPI's latest value when it is worse than its line by more than the tolerance."""
    latest = latest_value(kpi, current_week)
    if latest is None or kpi.baseline is None:
        return None
    expected = line_at(kpi, latest.week)
    if expected is None:  # no due week, so no line
        return None
    tolerance = OFF_TRACK_TOLERANCE * abs(kpi.target - kpi.baseline)
    if effective_direction(kpi) == "increase":
        worse_by = expected - latest.value
    else:
        worse_by = latest.value - expected
    if worse_by > tolerance:
        return OffTrack(kpi, latest.week, latest.value, expected)
    return None


def off_track_kpis(kpis: tuple[Kpi, ...], current_week: int) -> tuple[OffTrack, ...]:
    return tuple(
        found for found in (off_track(kpi, current_week) for kpi in kpis) if found is not None
    )
