"""Time plan generation and the regeneration merge on a large synthetic engagement.

A large implementation (a retailer's stores, a hospital's wards) can reach a
few hundred stakeholder rows; generation runs inside a web request, so it has
to stay well under a second. Run: .venv/bin/python bench/bench_plan.py
"""

from __future__ import annotations

import random
import statistics
import timeit
from datetime import date

from changeready.core.model import (
    ADKAR_ELEMENTS,
    ENGAGEMENT_LEVELS,
    KINDS,
    MITIGATION_STATUSES,
    RESISTANCE_SOURCES,
    ROLES,
    Adkar,
    BlackoutPeriod,
    Engagement,
    EngagementData,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.plan_merge import ExistingItem, merge_plan
from changeready.core.planning import generate_plan

STAKEHOLDERS = 500
RESISTANCE_POINTS = 300
REPEATS = 15
SEED = 20270405


def synthetic_engagement(rng: random.Random) -> EngagementData:
    stakeholders = tuple(
        Stakeholder(
            id=f"stakeholder-{number:04d}",
            name=f"Stakeholder {number}",
            kind=rng.choice(KINDS),
            role=rng.choice(ROLES),
            influence=rng.randint(1, 5),
            interest=rng.randint(1, 5),
            impact=rng.randint(1, 5),
            engagement=rng.choice(ENGAGEMENT_LEVELS),
            job_gets_harder=rng.random() < 0.3,
            authority_decreases=rng.random() < 0.2,
            resistance_triggers=rng.choice(
                ["", "Fear the pick rates are used against them.", "Too few scanners."]
            ),
            headcount=rng.choice([None, 12, 80, 400]),
            adkar=Adkar(**{element: rng.randint(1, 5) for element in ADKAR_ELEMENTS}),
        )
        for number in range(STAKEHOLDERS)
    )
    points = tuple(
        ResistancePoint(
            id=f"point-{number:04d}",
            stakeholder_id=rng.choice(stakeholders).id,
            source=rng.choice(RESISTANCE_SOURCES),
            severity=rng.randint(1, 5),
            description="Synthetic resistance point.",
            due_week=rng.choice([None, *range(-6, 8)]),
            status=rng.choice(MITIGATION_STATUSES),
        )
        for number in range(RESISTANCE_POINTS)
    )
    return EngagementData(
        # Kickoff twelve weeks out, renewal a year after go-live: a v2 plan window.
        engagement=Engagement(
            id="bench",
            name="Benchmark",
            go_live_date=date(2027, 4, 5),
            kickoff_date=date(2027, 1, 11),
            renewal_date=date(2028, 4, 3),
            delivery_lead_name="Priya Raman",
            cs_owner_name="Sam Okafor",
            blackout_periods=(BlackoutPeriod(date(2027, 3, 22), date(2027, 3, 26), "Close"),),
        ),
        stakeholders=stakeholders,
        resistance_points=points,
    )


def median_ms(statement) -> float:
    timings = timeit.repeat(statement, number=1, repeat=REPEATS)
    return statistics.median(timings) * 1000


def main() -> None:
    data = synthetic_engagement(random.Random(SEED))
    plan = generate_plan(data)
    # Regeneration against a stored plan where every tenth item was edited by hand.
    existing = [
        ExistingItem(
            id=f"item-{number}",
            generation_key=item.generation_key,
            origin=item.origin,
            touched=number % 10 == 0,
        )
        for number, item in enumerate(plan.items)
    ]
    generate = median_ms(lambda: generate_plan(data))
    merge = median_ms(lambda: merge_plan(existing, plan))
    print(
        f"plan: {len(plan.items)} items, {len(plan.targets)} targets "
        f"from {STAKEHOLDERS} stakeholders and {RESISTANCE_POINTS} resistance points"
    )
    print(f"generate_plan {STAKEHOLDERS} stakeholders: median {generate:.1f} ms")
    print(f"merge_plan {len(existing)} stored items: median {merge:.1f} ms")


if __name__ == "__main__":
    main()
