"""Usage ingestion benchmark through a real HTTP server (gunicorn).

Builds one engagement live for ten weeks with four daily-user groups of 1,250
people (mapped by a `department` property) and their adoption targets, starts
gunicorn on a loopback port, and sends 500,000 events through
`POST /api/v1/engagements/{id}/usage/events` in batches of 10,000 with the
engagement's ingestion token, in time order as a product would (5,000 users,
weeks 0 to 9). Reports the events per second (goal: 5,000 or more), the usage
summary of the engagement afterwards (`GET …/usage`, goal: under 2 s) and the
peak resident memory of every gunicorn process (goal: none above 1 GiB). Runs
on SQLite, and on PostgreSQL when BENCH_USAGE_POSTGRES_URL's server answers
(a database of its own, dropped and created for the run).

Run: python bench/bench_usage.py   (part of `make bench`)
Only loopback addresses are used; every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_http import run_manage, run_on_both, server_env

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_USAGE_PORT", "8766"))
EVENTS = int(os.environ.get("BENCH_USAGE_EVENTS", "500000"))
BATCH = 10_000
USERS = 5_000
WEEKS = 10
GROUPS = ("Picking", "Packing", "Receiving", "Dispatch")
EVENT_NAMES = ("order_picked", "order_packed", "scan", "login")
SUMMARY_REQUESTS = 10
POSTGRES_URL = os.environ.get(
    "BENCH_USAGE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cr_usage_bench"
)


def build() -> dict:
    """The engagement, its groups, rules, targets and an ingestion token (own process)."""
    import django

    django.setup()
    from django.utils import timezone

    from changeready.accounts.models import User
    from changeready.engagements.models import Engagement
    from changeready.landscape.models import Stakeholder
    from changeready.planning.models import AdoptionTarget
    from changeready.usage.models import MappingRule
    from changeready.usage.tokens import issue_ingestion_token
    from changeready.workspaces.models import Membership, Role, Workspace

    user = User.objects.create_user(email="bench@bench.example", password="bench-not-secret")
    workspace = Workspace.objects.create(name="Bench", slug="bench")
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    go_live = timezone.localdate() - timedelta(weeks=WEEKS)
    engagement = Engagement.objects.create(
        workspace=workspace, name="WMS", customer="Northwind", go_live_date=go_live
    )
    for position, department in enumerate(GROUPS, start=1):
        group = Stakeholder.objects.create(
            engagement=engagement,
            name=department,
            kind="group",
            role="daily_user",
            headcount=USERS // len(GROUPS),
        )
        MappingRule.objects.create(
            engagement=engagement,
            stakeholder=group,
            kind="property",
            property_name="department",
            values=[department],
            position=position,
        )
        AdoptionTarget.objects.bulk_create(
            AdoptionTarget(engagement=engagement, stakeholder=group, week=week, target_pct=80)
            for week in range(0, 13)
        )
    token = issue_ingestion_token(engagement, name="bench", actor=user)
    return {"engagement": str(engagement.id), "token": token.secret, "go_live": str(go_live)}


def batches(go_live: str):
    """EVENTS events in time order, as JSON bodies of BATCH events."""
    rng = random.Random(11)
    start = datetime.fromisoformat(go_live).replace(tzinfo=UTC) - timedelta(
        days=datetime.fromisoformat(go_live).weekday()
    )
    span = timedelta(weeks=WEEKS).total_seconds()
    for first in range(0, EVENTS, BATCH):
        events = []
        for number in range(first, min(first + BATCH, EVENTS)):
            user = rng.randrange(USERS)
            moment = start + timedelta(seconds=span * number / EVENTS)
            events.append(
                {
                    "id": f"evt-{number}",
                    "user": f"user-{user}",
                    "email": f"user-{user}@northwind.example",
                    "event": rng.choice(EVENT_NAMES),
                    "timestamp": moment.isoformat(),
                    "properties": {"department": GROUPS[user % len(GROUPS)], "lines": number % 7},
                }
            )
        yield json.dumps({"events": events})


def peak_rss_mib(pids: list[int]) -> dict[int, float]:
    """VmHWM (peak resident set) of each process, in MiB."""
    peaks = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1]) / 1024
    return peaks


def server_pids(master: int) -> list[int]:
    """The gunicorn master and its workers (by parent id, read from /proc)."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def benchmark(label: str, database_url: str) -> list[str]:
    env = server_env(database_url, None)
    run_manage(env, "migrate", "--no-input", "-v", "0")
    built = subprocess.run(
        [sys.executable, __file__, "build"], env=env, capture_output=True, text=True, check=True
    )
    data = json.loads(built.stdout.strip().splitlines()[-1])
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "changeready.wsgi",
            "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "1",
            "--timeout", "300", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    lines = []
    try:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        for _ in range(100):
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().read() is not None:
                    break
            except OSError:
                connection.close()
                time.sleep(0.2)
        headers = {"Authorization": f"Bearer {data['token']}", "Content-Type": "application/json"}
        path = f"/api/v1/engagements/{data['engagement']}/usage/events"
        sending = 0.0
        accepted = 0
        slowest = 0.0
        for body in batches(data["go_live"]):
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
            seconds = time.perf_counter() - started
            if response.status != 202:
                raise SystemExit(f"[{label}] batch refused: {response.status} {answer}")
            sending += seconds
            slowest = max(slowest, seconds)
            accepted += answer["accepted"]
        lines.append(
            f"[{label}] ingest {accepted:,} events in {EVENTS // BATCH} calls of {BATCH:,}: "
            f"{sending:.1f} s, {accepted / sending:,.0f} events/s (goal >= 5,000); "
            f"slowest call {slowest:.2f} s"
        )
        # The same batch again: all duplicates, nothing stored twice.
        again = next(batches(data["go_live"]))
        started = time.perf_counter()
        connection.request("POST", path, body=again, headers=headers)
        answer = json.loads(connection.getresponse().read())
        lines.append(
            f"[{label}] a batch sent again: {answer['duplicates']:,} duplicates, "
            f"{answer['accepted']} accepted, {time.perf_counter() - started:.2f} s"
        )
        token = subprocess.run(
            [
                sys.executable, str(ROOT / "manage.py"), "create_api_token",
                "--email", "bench@bench.example", "--workspace", "bench",
            ],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        summary_path = f"/api/v1/engagements/{data['engagement']}/usage"
        timings = []
        for _ in range(SUMMARY_REQUESTS):
            started = time.perf_counter()
            connection.request("GET", summary_path, headers={"Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            body = json.loads(response.read())
            timings.append(time.perf_counter() - started)
        measured = [
            week["measured_pct"]
            for group in body["groups"]
            for week in group["weeks"]
            if week["complete"] and week["week"] == 1
        ]
        lines.append(
            f"[{label}] usage summary ({body['events']:,} events, {body['mapped_users']:,} users "
            f"mapped, {body['unmapped']['count']} unmapped): median "
            f"{statistics.median(timings) * 1000:.0f} ms, slowest {max(timings) * 1000:.0f} ms "
            f"(goal < 2 s); week 1 measured {measured}"
        )
        peaks = peak_rss_mib(server_pids(server.pid))
        lines.append(
            f"[{label}] peak resident memory per gunicorn process (MiB): "
            + ", ".join(f"{mib:.0f}" for mib in sorted(peaks.values()))
            + f" (goal: none above 1024); events kept {accepted:,}"
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
    return lines


def main() -> None:
    if sys.argv[1:] == ["build"]:
        print(json.dumps(build()))
        return
    run_on_both(benchmark, POSTGRES_URL)


if __name__ == "__main__":
    main()
