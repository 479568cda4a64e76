"""Adoption against its targets: which groups lag, and what their people said stands in the way.

What people do (the measured or typed adoption figures) and what they say (the
ADKAR pulse) meet here (docs/domain.md, "Measured adoption and outcome KPIs"):
a group lags when its actual adoption is below `ADOPTION_BEHIND_RATIO` of its
target in each of the `ADOPTION_BEHIND_WEEKS` latest weeks, up to the current
week, that have an actual figure and a target above 0. Its measured barrier is
the ADKAR barrier of scores a survey measured; an estimate is not a reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from changeready.core.model import AdoptionTarget, EngagementData, Stakeholder
from changeready.core.scoring import adkar_barrier
from changeready.core.weeks import plan_week

ADOPTION_BEHIND_RATIO = 0.8
ADOPTION_BEHIND_WEEKS = 2


def is_behind(target: AdoptionTarget) -> bool:
    return target.actual_pct is not None and target.actual_pct < (
        ADOPTION_BEHIND_RATIO * target.target_pct
    )


def weeks_behind(
    targets: Iterable[AdoptionTarget], current_week: int
) -> tuple[AdoptionTarget, ...]:
    """The latest weeks that make a group lag, oldest first; empty when it does not lag."""
    measured = sorted(
        (
            target
            for target in targets
            if target.week <= current_week
            and target.actual_pct is not None
            and target.target_pct > 0
        ),
        key=lambda target: target.week,
    )
    latest = tuple(measured[-ADOPTION_BEHIND_WEEKS:])
    if len(latest) < ADOPTION_BEHIND_WEEKS or not all(is_behind(t) for t in latest):
        return ()
    return latest


def measured_barrier(stakeholder: Stakeholder) -> str | None:
    """The ADKAR barrier of scores a pulse survey measured; None for estimates."""
    if stakeholder.adkar_source != "survey":
        return None
    return adkar_barrier(stakeholder.adkar)


def lagging_groups(data: EngagementData, as_of: date) -> Mapping[str, str | None]:
    """{stakeholder id: its measured barrier or None} for every group that lags as of `as_of`."""
    current_week = plan_week(data.engagement.go_live_date, as_of)
    targets: dict[str, list[AdoptionTarget]] = {}
    for target in data.adoption_targets:
        targets.setdefault(target.stakeholder_id, []).append(target)
    return {
        stakeholder.id: measured_barrier(stakeholder)
        for stakeholder in data.stakeholders
        if weeks_behind(targets.get(stakeholder.id, ()), current_week)
    }
