"""Benchmark: the portfolio page with 1,000 engagements of 30 stakeholders each.

Builds the data in a throwaway SQLite database in a temporary directory, then
renders the workspace home through Django's test client several times and
prints the median time and the number of queries, three times: with the
readiness cache empty and nothing stored (every engagement assessed, as on a
new day before `refresh_readiness` ran), with the cache warm, and with the
readiness stored by `refresh_readiness` and an empty cache (the usual case).
Run from the project root:

    .venv/bin/python bench/bench_portfolio.py [--engagements 1000] [--runs 7]

The target (issue 9) is well under a second on SQLite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

STAKEHOLDERS_PER_ENGAGEMENT = 30
POINTS_PER_ENGAGEMENT = 6
PLAN_ITEMS_PER_ENGAGEMENT = 20
SNAPSHOTS_PER_ENGAGEMENT = 10
AS_OF = date(2027, 2, 22)


def configure(database_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SITE_URL", "http://127.0.0.1")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changeready.settings")
    import django
    from django.conf import settings

    django.setup()
    # Plain static storage: there is no collectstatic manifest in a throwaway run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build(engagement_count: int):
    from django.core.management import call_command
    from django.db import transaction

    from changeready.accounts.models import User
    from changeready.assessment.models import AssessmentSnapshot
    from changeready.engagements.models import Engagement
    from changeready.landscape.models import ResistancePoint, Stakeholder
    from changeready.planning.models import AdoptionTarget, PlanItem
    from changeready.workspaces.models import Membership, Role, Workspace

    call_command("migrate", verbosity=0)
    roles = ["economic_buyer", "people_manager", "executive_sponsor", "product_admin"]
    with transaction.atomic():
        workspace = Workspace.objects.create(slug="bench", name="Bench Delivery")
        user = User.objects.create_user("lead@bench.example", "bench-password-123")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        engagements = Engagement.objects.bulk_create(
            Engagement(
                workspace=workspace,
                name=f"Rollout {i:04}",
                customer=f"Customer {i % 300}",
                go_live_date=AS_OF + timedelta(days=(i % 180) - 60),
                phase=("discovery", "build", "test", "activation")[i % 4],
                delivery_lead_name=f"Lead {i % 12}",
                cs_owner_name=f"CS {i % 9}" if i % 5 else "",
                arr=Decimal(20000 + 1000 * (i % 90)),
                opposition_reviewed=bool(i % 2),
            )
            for i in range(engagement_count)
        )
        stakeholders = Stakeholder.objects.bulk_create(
            Stakeholder(
                engagement=engagement,
                kind="group" if s % 3 else "person",
                name=f"Stakeholder {s}",
                role=roles[s] if s < len(roles) else "daily_user",
                influence=1 + (s * 7 + i) % 5,
                interest=1 + (s * 3 + i) % 5,
                impact=1 + (s + i) % 5,
                engagement_level=("unaware", "resistant", "neutral", "supportive")[(s + i) % 4],
                involvement=["uat"] if (s + i) % 3 else [],
                success_definition="Fewer manual steps." if s % 2 else "",
                resistance_triggers="Slow screens." if s % 4 else "",
                job_gets_harder=s % 5 == 0,
                adkar_awareness=1 + (s + i) % 5 if s % 2 else None,
                adkar_desire=1 + (s * 2 + i) % 5 if s % 2 else None,
            )
            for i, engagement in enumerate(engagements)
            for s in range(STAKEHOLDERS_PER_ENGAGEMENT)
        )
        points = ResistancePoint.objects.bulk_create(
            ResistancePoint(
                engagement_id=stakeholder.engagement_id,
                stakeholder=stakeholder,
                source=("workload_increase", "loss_of_authority", "habit")[n % 3],
                severity=1 + n % 5,
                strategy=("", "involve", "support")[n % 3],
                owner="Ana" if n % 2 else "",
                status=("open", "planned", "resolved")[n % 3],
            )
            for n, stakeholder in enumerate(stakeholders)
            if n % STAKEHOLDERS_PER_ENGAGEMENT < POINTS_PER_ENGAGEMENT
        )
        del points
        items = PlanItem.objects.bulk_create(
            PlanItem(
                engagement=engagement,
                week=-4 + w,
                title=f"Plan item {w}",
                kind="communication",
                owner_role="delivery",
                owner="Ana" if w % 2 else "",
                status="done" if w < 5 else "planned",
            )
            for engagement in engagements
            for w in range(PLAN_ITEMS_PER_ENGAGEMENT)
        )
        by_engagement = {}
        for stakeholder in stakeholders:
            by_engagement.setdefault(stakeholder.engagement_id, []).append(stakeholder)
        PlanItem.audience.through.objects.bulk_create(
            PlanItem.audience.through(planitem_id=item.id, stakeholder_id=stakeholder.id)
            for n, item in enumerate(items)
            for stakeholder in by_engagement[item.engagement_id][4 + n % 5 : 7 + n % 5]
        )
        AdoptionTarget.objects.bulk_create(
            AdoptionTarget(
                engagement_id=engagement.id,
                stakeholder=by_engagement[engagement.id][5],
                week=week,
                target_pct=10 * week,
                actual_pct=8 * week if week < 4 else None,
            )
            for engagement in engagements
            for week in range(1, 9)
        )
        AssessmentSnapshot.objects.bulk_create(
            AssessmentSnapshot(
                engagement=engagement,
                taken_on=AS_OF - timedelta(days=7 * d),
                readiness_score=40 + d,
                readiness_band="not_ready",
                assessment={},
            )
            for engagement in engagements
            for d in range(SNAPSHOTS_PER_ENGAGEMENT)
        )
    return user


def measure(user, runs: int):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    url = f"/w/bench/?as_of={AS_OF.isoformat()}"
    client.get(url)  # stores the workspace in the session
    results = {}
    from changeready.assessment.services import refresh_stored_readiness

    for state in ("cold", "warm", "stored"):
        timings, cpu = [], []
        if state == "stored":
            refresh_stored_readiness(AS_OF)
        for _ in range(runs):
            if state != "warm":
                cache.clear()  # as after a change to every engagement, or a new day
            started, started_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200
        rows = response.content.count(b'<th scope="row">')
        results[state] = (timings, cpu, len(queries), rows)
    return results


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="changeready-bench-") as directory:
        configure(Path(directory) / "bench.sqlite3")
        started = time.perf_counter()
        user = build(args.engagements)
        print(
            f"built {args.engagements} engagements × {STAKEHOLDERS_PER_ENGAGEMENT} stakeholders "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        for state, (timings, cpu, query_count, rows) in measure(user, args.runs).items():
            print(
                f"portfolio page, {state} readiness: median {ms(timings)} ms "
                f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}; "
                f"CPU median {ms(cpu)} ms) over {len(timings)} runs, {rows} rows, "
                f"{query_count} queries"
            )


if __name__ == "__main__":
    main()
