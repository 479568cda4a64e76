"""Time plan regeneration through the service on a 500-stakeholder engagement.

The pure core generates such a plan in a few tens of milliseconds (see
bench_plan.py); here the database writes dominate: the first generation
creates every item, its audience rows and the adoption targets in bulk. Runs
against a throw-away SQLite database in a temporary directory.
Run: .venv/bin/python bench/bench_plan_db.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
TMP = tempfile.mkdtemp(prefix="changeready-bench-")
os.environ.update(
    DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3",
    SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
    SECURE_SSL_REDIRECT="false",
    # Required once DEBUG is off; no mail is sent here.
    SITE_URL="http://127.0.0.1",
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changeready.settings")

import django  # noqa: E402

django.setup()

from bench_plan import RESISTANCE_POINTS, SEED, STAKEHOLDERS, synthetic_engagement  # noqa: E402
from django.core.management import call_command  # noqa: E402

from changeready.engagements.models import Engagement  # noqa: E402
from changeready.landscape.models import ResistancePoint, Stakeholder  # noqa: E402
from changeready.planning import regeneration  # noqa: E402
from changeready.workspaces.models import Workspace  # noqa: E402

REPEATS = 5
GO_LIVE = date(2027, 4, 5)
AS_OF = date(2027, 1, 4)


def fresh_engagement(workspace, data, number: int) -> Engagement:
    summary = data.engagement
    engagement = Engagement.objects.create(
        workspace=workspace,
        name=f"Benchmark {number}",
        customer="Bench",
        go_live_date=GO_LIVE,
        kickoff_date=summary.kickoff_date,
        renewal_date=summary.renewal_date,
        delivery_lead_name=summary.delivery_lead_name,
        cs_owner_name=summary.cs_owner_name,
        blackout_periods=[
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "label": p.label}
            for p in summary.blackout_periods
        ],
    )
    rows = {
        s.id: Stakeholder(
            engagement=engagement,
            name=s.name,
            kind=s.kind,
            role=s.role,
            influence=s.influence,
            interest=s.interest,
            impact=s.impact,
            engagement_level=s.engagement,
            job_gets_harder=s.job_gets_harder,
            authority_decreases=s.authority_decreases,
            resistance_triggers=s.resistance_triggers,
            headcount=s.headcount if s.kind == "group" else None,
            **{f"adkar_{element}": value for element, value in s.adkar.as_dict().items()},
        )
        for s in data.stakeholders
    }
    Stakeholder.objects.bulk_create(rows.values())
    ResistancePoint.objects.bulk_create(
        ResistancePoint(
            engagement=engagement,
            stakeholder=rows[p.stakeholder_id],
            source=p.source,
            severity=p.severity,
            description=p.description,
            due_week=p.due_week,
            status=p.status,
        )
        for p in data.resistance_points
    )
    return engagement


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(slug="bench", name="Bench")
    data = synthetic_engagement(random.Random(SEED))
    first, again, after_edits = [], [], []
    for number in range(REPEATS):
        engagement = fresh_engagement(workspace, data, number)
        # Generated before kickoff, so no week of the plan is over yet.
        regenerate = lambda e=engagement: regeneration.regenerate_plan(e, as_of=AS_OF)  # noqa: E731
        first.append(timed(regenerate))
        again.append(timed(regenerate))
        engagement.plan_items.filter(week__gte=3).update(edited_by_hand=True)
        engagement.resistance_points.filter(severity__gte=4).update(status="resolved")
        after_edits.append(timed(regenerate))
    items = engagement.plan_items.count()
    targets = engagement.adoption_targets.count()
    print(
        f"regenerate_plan through the service, SQLite, {STAKEHOLDERS} stakeholders and "
        f"{RESISTANCE_POINTS} resistance points ({items} items, {targets} targets), "
        f"median of {REPEATS}:"
    )
    print(f"  first generation (everything written):   {statistics.median(first):.0f} ms")
    print(f"  regeneration, nothing to change:         {statistics.median(again):.0f} ms")
    print(f"  regeneration after edits, points closed: {statistics.median(after_edits):.0f} ms")
    print("  (each includes the assessment snapshot refresh that every plan write triggers)")


if __name__ == "__main__":
    main()
