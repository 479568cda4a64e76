"""Time `assess()` on a large synthetic engagement.

500 stakeholders and 300 resistance points is well beyond a real landscape
(tens of rows), so staying fast here means the API never waits on the core.
Run: python bench/bench_assess.py
"""

from __future__ import annotations

import random
import statistics
import timeit
from datetime import date, timedelta

from changeready.core.assessment import assess
from changeready.core.model import (
    ADKAR_ELEMENTS,
    ENGAGEMENT_LEVELS,
    INVOLVEMENTS,
    KINDS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    RESISTANCE_SOURCES,
    ROLES,
    Adkar,
    AdoptionTarget,
    Engagement,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)

SEED = 20270405
STAKEHOLDERS = 500
RESISTANCE_POINTS = 300
PLAN_ITEMS = 200
GO_LIVE = date(2027, 4, 5)
AS_OF = GO_LIVE - timedelta(days=20)
REPEATS = 15
NUMBER = 5


def synthetic_engagement(rng: random.Random) -> EngagementData:
    stakeholders = []
    for index in range(STAKEHOLDERS):
        kind = rng.choice(KINDS)
        groups = [s.id for s in stakeholders if s.kind == "group"]
        stakeholders.append(
            Stakeholder(
                id=f"s{index}",
                name=f"Stakeholder {index}",
                kind=kind,
                role=rng.choice(ROLES),
                group_id=rng.choice(groups) if kind == "person" and groups else None,
                opposed_purchase=rng.random() < 0.1,
                influence=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                engagement=rng.choice(ENGAGEMENT_LEVELS),
                desired_engagement=rng.choice(ENGAGEMENT_LEVELS),
                involvement=frozenset(rng.sample(INVOLVEMENTS, rng.randint(0, 2))),
                success_definition=rng.choice(("", "Defined.")),
                resistance_triggers=rng.choice(("", "Known.")),
                job_gets_harder=rng.random() < 0.2,
                authority_decreases=rng.random() < 0.1,
                adkar=Adkar(**{e: rng.choice((None, 1, 2, 3, 4, 5)) for e in ADKAR_ELEMENTS}),
            )
        )
    ids = [s.id for s in stakeholders]
    points = [
        ResistancePoint(
            id=f"p{index}",
            stakeholder_id=rng.choice(ids),
            source=rng.choice(RESISTANCE_SOURCES),
            severity=rng.randint(1, 5),
            strategy=rng.choice((None, *MITIGATION_STRATEGIES)),
            owner=rng.choice(("", "Ana Lima")),
            status=rng.choice(MITIGATION_STATUSES),
        )
        for index in range(RESISTANCE_POINTS)
    ]
    items = [
        PlanItem(
            id=f"i{index}",
            week=rng.randint(-4, 12),
            title=f"Item {index}",
            kind="coaching",
            owner_role="delivery",
            owner=rng.choice(("", "Ana Lima")),
            audience_ids=tuple(rng.sample(ids, 3)),
            resistance_point_id=rng.choice((None, *(p.id for p in points[:50]))),
        )
        for index in range(PLAN_ITEMS)
    ]
    targets = [
        AdoptionTarget(s.id, week, 10.0 * week, rng.choice((None, 5.0 * week)))
        for s in stakeholders
        if s.kind == "group" and s.role == "daily_user"
        for week in range(0, 9)
    ]
    return EngagementData(
        engagement=Engagement(id="bench", name="Bench", go_live_date=GO_LIVE),
        stakeholders=tuple(stakeholders),
        resistance_points=tuple(points),
        plan_items=tuple(items),
        adoption_targets=tuple(targets),
    )


def main() -> None:
    data = synthetic_engagement(random.Random(SEED))
    timings = timeit.repeat(lambda: assess(data, AS_OF), repeat=REPEATS, number=NUMBER)
    median_ms = statistics.median(timings) / NUMBER * 1000
    findings = len(assess(data, AS_OF).findings)
    print(
        f"assess {STAKEHOLDERS} stakeholders / {RESISTANCE_POINTS} resistance points "
        f"({PLAN_ITEMS} plan items, {findings} findings): median {median_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
