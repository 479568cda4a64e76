"""Portfolio insights: what no single engagement shows.

Which resistance sources recur across engagements, which mitigation
strategies resolved them, and whether readiness at go-live foretold adoption
at week 8. Two queries whatever the size of the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from django.db.models import Avg, OuterRef, Subquery

from changeready.assessment.models import AssessmentSnapshot
from changeready.core.weeks import plan_week
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint
from changeready.planning.models import AdoptionTarget
from changeready.portfolio.services import BAND_LABELS

# Adoption is compared at this plan week (the reference's default ramp reaches its target here).
ADOPTION_WEEK = 8
# "Ready at go-live" is the snapshot's band, the verdict, not its score alone: a
# score of 85 with a critical finding open was not ready.
READY_BAND = "ready"


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class SourceRecurrence:
    source: str
    engagements: int
    points: int
    resolved: int

    @property
    def label(self) -> str:
        return _label(self.source)


@dataclass(frozen=True)
class StrategyOutcome:
    source: str
    strategy: str
    resolved: int
    total: int

    @property
    def label(self) -> str:
        return _label(self.strategy)

    @property
    def resolved_pct(self) -> int:
        return round(100 * self.resolved / self.total)


@dataclass(frozen=True)
class GoLiveOutcome:
    """An engagement live for at least ADOPTION_WEEK weeks."""

    engagement: tuple  # a named row: id, name, go_live_date
    readiness_at_go_live: int | None  # the snapshot on or just before go-live
    readiness_band: str | None
    adoption_at_week_8: float | None  # mean actual % over its daily-user groups

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.readiness_band, "")

    @property
    def complete(self) -> bool:
        return self.readiness_at_go_live is not None and self.adoption_at_week_8 is not None


@dataclass(frozen=True)
class Insights:
    sources: list[SourceRecurrence]
    # (source label, its strategies with the best resolution rate first), by recurrence
    strategies: list[tuple[str, list[StrategyOutcome]]]
    outcomes: list[GoLiveOutcome]  # complete ones
    incomplete: list[GoLiveOutcome]  # live long enough but without a snapshot or figures
    adoption_when_ready: float | None
    adoption_when_not_ready: float | None


def resistance_insights(workspace) -> tuple[list[SourceRecurrence], list]:
    engagements_per_source = defaultdict(set)
    points: defaultdict[str, int] = defaultdict(int)
    resolved: defaultdict[str, int] = defaultdict(int)
    per_strategy: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = ResistancePoint.objects.for_workspace(workspace).values_list(
        "engagement_id", "source", "strategy", "status"
    )
    for engagement_id, source, strategy, status in rows:
        engagements_per_source[source].add(engagement_id)
        points[source] += 1
        resolved[source] += status == "resolved"
        if strategy:
            counts = per_strategy[source, strategy]
            counts[0] += status == "resolved"
            counts[1] += 1
    sources = sorted(
        (
            SourceRecurrence(source, len(ids), points[source], resolved[source])
            for source, ids in engagements_per_source.items()
        ),
        key=lambda s: (-s.engagements, -s.points, s.source),
    )
    strategies = defaultdict(list)
    for (source, strategy), (done, total) in per_strategy.items():
        strategies[source].append(StrategyOutcome(source, strategy, done, total))
    for outcomes in strategies.values():
        outcomes.sort(key=lambda o: (-o.resolved / o.total, -o.total, o.strategy))
    return sources, [(s.label, strategies[s.source]) for s in sources if s.source in strategies]


def go_live_outcomes(workspace, as_of: date) -> list[GoLiveOutcome]:
    """Readiness at go-live against adoption at week 8, per engagement live long enough."""
    snapshot_at_go_live = AssessmentSnapshot.objects.filter(
        engagement=OuterRef("pk"), taken_on__lte=OuterRef("go_live_date")
    ).order_by("-taken_on")
    week_8_adoption = (
        AdoptionTarget.objects.filter(
            engagement=OuterRef("pk"),
            week=ADOPTION_WEEK,
            actual_pct__isnull=False,
            stakeholder__kind="group",
            stakeholder__role="daily_user",
        )
        .order_by()
        .values("engagement")
        .annotate(mean=Avg("actual_pct"))
        .values("mean")
    )
    # A coarse date bound in the database; the exact plan-week test follows.
    latest_go_live = as_of - timedelta(weeks=ADOPTION_WEEK) + timedelta(days=6)
    engagements = (
        Engagement.objects.for_workspace(workspace)
        .filter(go_live_date__lte=latest_go_live)
        .annotate(
            readiness_at_go_live=Subquery(snapshot_at_go_live.values("readiness_score")[:1]),
            band_at_go_live=Subquery(snapshot_at_go_live.values("readiness_band")[:1]),
            adoption_at_week_8=Subquery(week_8_adoption[:1]),
        )
        .order_by("go_live_date", "name")
        .values_list(
            "id",
            "name",
            "go_live_date",
            "readiness_at_go_live",
            "band_at_go_live",
            "adoption_at_week_8",
            named=True,
        )
    )
    return [
        GoLiveOutcome(
            engagement=e,
            readiness_at_go_live=e.readiness_at_go_live,
            readiness_band=e.band_at_go_live,
            adoption_at_week_8=(
                round(e.adoption_at_week_8, 1) if e.adoption_at_week_8 is not None else None
            ),
        )
        for e in engagements
        if plan_week(e.go_live_date, as_of) >= ADOPTION_WEEK
    ]


def _mean(values: list[float]) -> float | None:
    return round(mean(values), 1) if values else None


def portfolio_insights(workspace, as_of: date) -> Insights:
    sources, strategies = resistance_insights(workspace)
    outcomes = go_live_outcomes(workspace, as_of)
    complete = [o for o in outcomes if o.complete]
    return Insights(
        sources=sources,
        strategies=strategies,
        outcomes=complete,
        incomplete=[o for o in outcomes if not o.complete],
        adoption_when_ready=_mean(
            [o.adoption_at_week_8 for o in complete if o.readiness_band == READY_BAND]
        ),
        adoption_when_not_ready=_mean(
            [o.adoption_at_week_8 for o in complete if o.readiness_band != READY_BAND]
        ),
    )
