"""Time the playbook PDF of a large engagement: 500 stakeholders, 200 plan items.

The render is what matters (loading is a fixed number of queries, measured by
the tests), so this builds the plain-data Playbook directly, with realistic
text lengths, and times WeasyPrint. Goal: 6 seconds or less, alone.
Run: python bench/bench_pdf.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changeready.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from changeready.core.model import (  # noqa: E402
    ENGAGEMENT_LEVELS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    OWNER_ROLES,
    PLAN_ITEM_KINDS,
    RESISTANCE_SOURCES,
    ROLES,
)
from changeready.core.weeks import week_monday  # noqa: E402
from changeready.handoff.playbook import (  # noqa: E402
    AdoptionRow,
    Cover,
    FindingRow,
    PlanItemRow,
    PlanWeek,
    Playbook,
    ResistanceRow,
    StakeholderRow,
)
from changeready.handoff.renderers.pdf import render_document, render_pdf  # noqa: E402

SEED = 20270405
STAKEHOLDERS = 500
RESISTANCE_POINTS = 150
PLAN_ITEMS = 200
GO_LIVE = date(2027, 4, 5)
AS_OF = GO_LIVE - timedelta(days=14)
# The goal of issue 23: the background worker renders it, but not for long.
GOAL_SECONDS = 6.0
REPEATS = 3
WORDS = [
    "scan",
    "pick",
    "wave",
    "slot",
    "shift",
    "lead",
    "report",
    "accuracy",
    "walk",
    "paper",
    "handheld",
    "dock",
    "order",
    "route",
    "replenish",
    "exception",
    "queue",
    "training",
    "target",
    "weekly",
    "review",
    "sponsor",
    "coach",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def synthetic_playbook(rng: random.Random) -> Playbook:
    stakeholders = []
    for index in range(STAKEHOLDERS):
        kind = "group" if index % 5 == 0 else "person"
        stakeholders.append(
            StakeholderRow(
                name=f"{'Team' if kind == 'group' else 'Person'} {index:03d}",
                kind=kind,
                title="" if kind == "group" else "Operations specialist",
                group="" if kind == "group" else f"Team {index // 5 * 5:03d}",
                role=rng.choice(ROLES),
                headcount=rng.randint(5, 900) if kind == "group" else None,
                people=0,
                influence=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                quadrant=rng.choice(("manage_closely", "keep_satisfied", "keep_informed")),
                engagement=rng.choice(ENGAGEMENT_LEVELS),
                desired_engagement="supportive",
                risk=rng.randint(0, 90),
                band=rng.choice(("high", "medium", "low")),
                likelihood=rng.random(),
                barrier=None,
                resistor=rng.random() < 0.3,
                is_champion=rng.random() < 0.05,
                success_definition=sentence(rng, rng.randint(10, 25)),
                resistance_triggers=sentence(rng, rng.randint(8, 20)),
                themes=(),
            )
        )
    resistance = tuple(
        ResistanceRow(
            stakeholder=rng.choice(stakeholders).name,
            source=rng.choice(RESISTANCE_SOURCES),
            severity=rng.randint(1, 5),
            description=sentence(rng, 12),
            strategy=rng.choice(MITIGATION_STRATEGIES),
            owner="Priya Raman",
            due_week=rng.randint(-4, 4),
            status=rng.choice(MITIGATION_STATUSES),
        )
        for _ in range(RESISTANCE_POINTS)
    )
    items: dict[int, list[PlanItemRow]] = {week: [] for week in range(-4, 13)}
    for index in range(PLAN_ITEMS):
        week = rng.randint(-4, 12)
        audience = tuple(s.name for s in rng.sample(stakeholders, rng.randint(1, 30)))
        items[week].append(
            PlanItemRow(
                key=f"item-{index}",
                version=1,
                week=week,
                week_starts=week_monday(GO_LIVE, week),
                title=f"{rng.choice(PLAN_ITEM_KINDS).capitalize()} action {index}",
                description=sentence(rng, rng.randint(15, 40)),
                kind=rng.choice(PLAN_ITEM_KINDS),
                owner_role=rng.choice(OWNER_ROLES),
                owner=rng.choice(("", "Priya Raman", "Lena Kovacs")),
                audience=audience,
                adkar_target="",
                status="planned",
            )
        )
    groups = [s for s in stakeholders if s.kind == "group"][:40]
    adoption = tuple(
        AdoptionRow(s.name, s.headcount, {w: (40 + 5 * w, None) for w in range(1, 13)})
        for s in groups
    )
    return Playbook(
        cover=Cover(
            engagement_name="Warehouse management rollout",
            customer="Northwind Logistics",
            product="Dockside WMS",
            go_live_date=GO_LIVE,
            phase="test",
            delivery_lead="Priya Raman",
            cs_owner_name="Sam Ortiz",
            cs_owner_email="sam.ortiz@vendor.example",
            readiness_score=47,
            readiness_band="not_ready",
            readiness_lowered_by=(),
            as_of=AS_OF,
            accepted_at=None,
            accepted_by="",
            prepared_by="Acme Delivery",
        ),
        change_summary=sentence(rng, 60),
        stakeholders=tuple(stakeholders),
        resistance=resistance,
        weeks=tuple(
            PlanWeek(week, week_monday(GO_LIVE, week), tuple(rows)) for week, rows in items.items()
        ),
        adoption=adoption,
        adoption_weeks=tuple(range(1, 13)),
        findings=tuple(
            FindingRow(
                "high_risk_stakeholder",
                "warning",
                "High adoption risk",
                sentence(rng, 20),
                sentence(rng, 15),
            )
            for _ in range(60)
        ),
        history=tuple((AS_OF - timedelta(days=d), rng.randint(30, 70)) for d in range(60, 0, -3)),
        current_week=-2,
        daily_user_groups_without_targets=(),
    )


def main() -> None:
    playbook = synthetic_playbook(random.Random(SEED))
    # Warm-up (font discovery and template loading happen once), and the page count.
    pages = len(render_document(playbook).pages)
    timings, cpu_timings = [], []
    for _ in range(REPEATS):
        # What the export endpoint calls: layout and PDF writing.
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf = render_pdf(playbook)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    median = statistics.median(timings)
    print(
        f"playbook PDF of {STAKEHOLDERS} stakeholders / {PLAN_ITEMS} plan items "
        f"({len(pdf) // 1024} KiB, {pages} pages): median {median:.2f} s "
        f"(CPU {statistics.median(cpu_timings):.2f} s) of {REPEATS}; "
        f"goal <= {GOAL_SECONDS:.0f} s: {'met' if median <= GOAL_SECONDS else 'NOT met'}"
    )
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_bytes(pdf)


if __name__ == "__main__":
    main()
