"""Load benchmark through a real HTTP server (gunicorn) with concurrent clients.

Builds a large workspace (1,000 engagements of 30 stakeholders, plus one
engagement of 500 stakeholders) in a fresh database, starts gunicorn on a
loopback port, and measures the median and 95th percentile latency of the
portfolio page, the engagement's overview and assessment pages and the
assessment API beside the app's own floor (/healthz), at 20 concurrent
clients, in rounds (the floor, then each page) whose p95s are taken at their
median. Then the large PDF as a client gets it: the export's GET answers at
once, a POST queues the file and the worker process (`db_worker`, started
beside gunicorn) makes it.
A mixed run sends 10 % writes (stakeholder PATCHes through the API) to find
"database is locked" on SQLite. Runs on SQLite, and on PostgreSQL when
BENCH_POSTGRES_URL's server answers.

Run: python bench/bench_http.py   (part of `make bench`)
Only loopback addresses are used; every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CLIENTS = 20
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ENGAGEMENTS = int(os.environ.get("BENCH_ENGAGEMENTS", "1000"))
STAKEHOLDERS_EACH = 30
BIG_ENGAGEMENT_STAKEHOLDERS = 500
PASSWORD = "bench-password-not-secret"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/changeready_bench"
)
# A database of its own on the local Redis, emptied before each run, so the
# workers share their cache as production servers do (README: Scaling out).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
FLOOR = "floor: /healthz"
# The goals of issue 23: each scenario's p95 at 20 concurrent clients, at most
# this many times the floor's p95 measured in the same run (keyed by the
# scenario's name before its parenthesis).
RATIO_GOALS = {
    "portfolio": 8.0,
    "assessment page": 8.0,
    "assessment API": 8.0,
    "engagement page": 5.0,
}


def server_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "changeready.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    # Large PDF and Word files are made by a worker process, as in production.
    env["TASKS_BACKEND"] = "database"
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def redis_available() -> bool:
    """Empty the benchmark's Redis database; False when no Redis answers."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError:
        return False
    return True


def run_manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


ROLES = ("daily_user", "people_manager", "product_admin", "economic_buyer", "executive_sponsor")
LEVELS = ("unaware", "resistant", "neutral", "supportive", "leading")
SOURCES = ("loss_of_authority", "workload_increase", "skills_gap", "habit", "job_security")


def build_workspace() -> dict:
    """Fill the (empty, migrated) database; runs in its own process (`build` argument)."""
    from datetime import date, timedelta

    import django

    django.setup()
    from allauth.account.models import EmailAddress

    from changeready.accounts.models import User
    from changeready.api.tokens import issue_token
    from changeready.engagements.models import Engagement
    from changeready.landscape.models import ResistancePoint, Stakeholder
    from changeready.planning.models import PlanItem
    from changeready.workspaces.models import Membership, Role, Workspace

    rng = random.Random(7)
    user = User.objects.create_user(email="bench@bench.example", password=PASSWORD, name="Bench")
    # Sign-in needs a verified address (ACCOUNT_EMAIL_VERIFICATION is mandatory).
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    workspace = Workspace.objects.create(name="Bench", slug="bench")
    membership = Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)

    def build(name: str, count: int):
        engagement = Engagement.objects.create(
            workspace=workspace,
            name=name,
            customer="Customer " + name,
            go_live_date=date(2027, 1, 4) + timedelta(days=rng.randrange(-120, 240)),
            phase=rng.choice(["discovery", "build", "test", "activation"]),
            arr=rng.randrange(20_000, 400_000),
            cs_owner_name=rng.choice(["", "Kim CS"]),
        )
        stakeholders = Stakeholder.objects.bulk_create(
            Stakeholder(
                engagement=engagement,
                name=f"Stakeholder {i}",
                kind=rng.choice(["group", "person"]),
                role=rng.choice(ROLES),
                influence=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                engagement_level=rng.choice(LEVELS),
                involvement=rng.sample(["discovery", "design", "uat"], rng.randint(0, 2)),
                job_gets_harder=rng.random() < 0.2,
                authority_decreases=rng.random() < 0.1,
                adkar_awareness=rng.choice([None, 2, 3, 4, 5]),
                adkar_desire=rng.choice([None, 2, 4]),
            )
            for i in range(count)
        )
        ResistancePoint.objects.bulk_create(
            ResistancePoint(
                engagement=engagement,
                stakeholder=stakeholder,
                source=rng.choice(SOURCES),
                severity=rng.randint(1, 5),
                status=rng.choice(["open", "planned", "resolved"]),
            )
            for stakeholder in stakeholders
            if rng.random() < 0.4
        )
        PlanItem.objects.bulk_create(
            PlanItem(
                engagement=engagement,
                week=week,
                title=f"Item {week}",
                kind="communication",
                owner_role="delivery",
                owner=rng.choice(["", "Priya"]),
            )
            for week in range(-4, 13)
        )
        return engagement, stakeholders

    for n in range(ENGAGEMENTS):
        build(f"E{n:04d}", STAKEHOLDERS_EACH)
    big, big_stakeholders = build("Big engagement", BIG_ENGAGEMENT_STAKEHOLDERS)
    # One token per client, as separate scripts would have: the API's per-token
    # rate limit is for one runaway script, not for a whole load test.
    return {
        "tokens": [
            issue_token(membership=membership, name=f"bench {n}").secret for n in range(CLIENTS)
        ],
        "big": str(big.id),
        "stakeholders": [str(s.id) for s in big_stakeholders[:50]],
    }


def build_data(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "build"], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"building the workspace failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Client:
    """One keep-alive connection with a session cookie, like one browser tab."""

    def __init__(self, cookie: str = "", token: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        self.headers = {"Cookie": cookie} if cookie else {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, float, bytes]:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection: a browser reconnects.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        return response.status, time.perf_counter() - started, content


def log_in() -> str:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {"login": "bench@bench.example", "password": PASSWORD, "csrfmiddlewaretoken": csrf_field}
    )
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{PORT}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    if session is None:
        raise SystemExit(f"signing in failed: {response.status} {response.getheader('Location')}")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def load(make_request, clients: int = CLIENTS, per_client: int = REQUESTS_PER_CLIENT):
    """Run `clients` threads each making `per_client` requests; latencies and statuses."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(seed: int):
        rng = random.Random(seed)
        state = {"client_number": seed}
        for _ in range(per_client):
            status, seconds = make_request(rng, state)
            with lock:
                latencies.append(seconds)
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return latencies, statuses


def p95_of(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def server_errors(statuses: list[int]) -> int:
    return sum(1 for status in statuses if status >= 500)


def summary(
    name: str,
    latencies: list[float],
    statuses: list[int],
    floor_p95: float | None = None,
    p95: float | None = None,
) -> str:
    """One scenario's line; beside the floor's p95 of the same run when given, as a ratio.

    `p95` is the figure to show (the median of the rounds' p95) when not that
    of all `latencies` together."""
    if p95 is None:
        p95 = p95_of(latencies)
    # A refused request (429 from a rate limit, 403, 404) is fast and would flatter the figures.
    refused = sum(1 for status in statuses if 400 <= status < 500)
    line = (
        f"{name:<34} n={len(latencies):4d}  p50 {statistics.median(latencies) * 1000:7.1f} ms"
        f"  p95 {p95 * 1000:7.1f} ms  4xx {refused}  5xx {server_errors(statuses)}"
    )
    if floor_p95:
        ratio = p95 / floor_p95
        line += f"  p95 = {ratio:5.1f}x floor"
        goal = RATIO_GOALS.get(name.split(" (")[0])
        if goal is not None:
            met = ratio <= goal and server_errors(statuses) == 0
            line += f" (goal <= {goal:.0f}x, no 5xx: {'met' if met else 'NOT met'})"
    return line


def page_scenario(path: str, cookie: str = "", tokens: list[str] | None = None):
    def make_request(rng, state):
        token = tokens[state["client_number"] % len(tokens)] if tokens else ""
        client = state.setdefault("client", Client(cookie, token))
        status, seconds, _ = client.request("GET", path)
        return status, seconds

    return make_request


def pdf_through_the_worker(token: str, engagement_id: str) -> str:
    """The large playbook's PDF as a client gets it: the export's GET answers 409 at once,
    a POST queues it, the worker makes it; how long each answer and the wait took."""
    client = Client(token=token)
    export = f"/api/v1/engagements/{engagement_id}/export?format=pdf"
    status, refused_in, _ = client.request("GET", export)
    if status != 409:
        return f"PDF through the worker: the export answered {status}, not 409"
    started = time.perf_counter()
    body = json.dumps({"format": "pdf"})
    status, queued_in, content = client.request(
        "POST", f"/api/v1/engagements/{engagement_id}/documents", body
    )
    if status != 202:
        return f"PDF through the worker: the POST answered {status}, not 202"
    status_path = "/api/v1/" + json.loads(content)["status_url"].split("/api/v1/", 1)[1]
    deadline = started + 300
    while time.perf_counter() < deadline:
        document = json.loads(client.request("GET", status_path)[2])
        if document["status"] in ("ready", "failed"):
            break
        time.sleep(0.25)
    waited = time.perf_counter() - started
    status, _, content = client.request("GET", export)
    return (
        f"PDF through the worker (500 stakeholders): export GET answered 409 in "
        f"{refused_in * 1000:.0f} ms, POST 202 in {queued_in * 1000:.0f} ms, "
        f"{document['status']} after {waited:.1f} s; export GET then {status}, "
        f"{len(content) // 1024} KiB"
    )


def write_mix_scenario(cookie: str, tokens: list[str], data: dict):
    """90 % page and API reads, 10 % stakeholder PATCHes (writes through the services)."""

    def make_request(rng, state):
        browser = state.setdefault("browser", Client(cookie))
        api = state.setdefault("api", Client(token=tokens[state["client_number"] % len(tokens)]))
        if rng.random() < 0.10:
            stakeholder = rng.choice(data["stakeholders"])
            body = json.dumps({"influence": rng.randint(1, 5)})
            status, seconds, _ = api.request("PATCH", f"/api/v1/stakeholders/{stakeholder}", body)
        elif rng.random() < 0.5:
            status, seconds, _ = api.request("GET", f"/api/v1/engagements/{data['big']}/assessment")
        else:
            status, seconds, _ = browser.request("GET", f"/engagements/{data['big']}/")
        return status, seconds

    return make_request


def benchmark(label: str, database_url: str) -> list[str]:
    redis_url = REDIS_URL if redis_available() else None
    env = server_env(database_url, redis_url)
    run_manage(env, "migrate", "--no-input", "-v", "0")
    run_manage(env, "collectstatic", "--no-input", "-v", "0")
    started = time.perf_counter()
    data = build_data(env)
    # What the daily cron job does: the portfolio reads the stored readiness.
    run_manage(env, "refresh_readiness")
    cache = "shared Redis cache" if redis_url else "per-process memory cache (no Redis answered)"
    lines = [
        f"[{label}] {cache}",
        f"[{label}] built {ENGAGEMENTS} engagements x {STAKEHOLDERS_EACH} stakeholders and one "
        f"of {BIG_ENGAGEMENT_STAKEHOLDERS} in {time.perf_counter() - started:.0f} s",
    ]
    log_path = Path(tempfile.mkdtemp()) / "gunicorn.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "changeready.wsgi",
            "--bind", f"127.0.0.1:{PORT}", "--workers", "4", "--threads", "2",
            "--timeout", "120", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.2"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if Client().request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        cookie = log_in()
        tokens = data["tokens"]
        big = data["big"]
        # Warm each worker's caches and imports once, as a running server would be.
        load(page_scenario("/w/bench/", cookie), clients=4, per_client=2)
        scenarios = [
            (FLOOR, page_scenario("/healthz")),
            (f"portfolio ({ENGAGEMENTS + 1} engagements)", page_scenario("/w/bench/", cookie)),
            ("engagement page (500 stakeholders)", page_scenario(f"/engagements/{big}/", cookie)),
            (
                "assessment page (500 stakeholders)",
                page_scenario(f"/engagements/{big}/assessment/", cookie),
            ),
            (
                "assessment API (500 stakeholders)",
                page_scenario(f"/api/v1/engagements/{big}/assessment", tokens=tokens),
            ),
        ]
        # Rounds, each measuring the floor then every page, so that a pause of
        # the machine in one round moves one p95 of each, not the whole ratio.
        measured: dict[str, tuple[list, list, list]] = {n: ([], [], []) for n, _ in scenarios}
        for _ in range(ROUNDS):
            for name, scenario in scenarios:
                latencies, statuses = load(scenario)
                all_latencies, all_statuses, p95s = measured[name]
                all_latencies += latencies
                all_statuses += statuses
                p95s.append(p95_of(latencies))
        floor_p95 = statistics.median(measured[FLOOR][2])
        for name, (all_latencies, all_statuses, p95s) in measured.items():
            p95 = statistics.median(p95s)
            shown_floor = None if name == FLOOR else floor_p95
            line = summary(name, all_latencies, all_statuses, shown_floor, p95=p95)
            lines.append(f"[{label}] {line}")
        lines.append(f"[{label}] " + pdf_through_the_worker(tokens[0], big))
        mix = write_mix_scenario(cookie, tokens, data)
        mix_latencies, mix_statuses = load(mix, CLIENTS, 20)
        lines.append(f"[{label}] " + summary("10 % write mix", mix_latencies, mix_statuses))
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
        log.close()
    locked = log_path.read_text().count("database is locked")
    lines.append(f'[{label}] "database is locked" in the server log: {locked}')
    mix_met = locked == 0 and server_errors(mix_statuses) == 0
    lines.append(
        f'[{label}] goal, no 5xx and no "database is locked" under the write mix: '
        f"{'met' if mix_met else 'NOT met'}"
    )
    return lines


def postgres_available(url: str = POSTGRES_URL) -> bool:
    """Drop and create the benchmark's own database; False when no server answers."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return False
    return True


def run_on_both(benchmark, postgres_url: str) -> None:
    """Print `benchmark(label, database_url)`'s lines on SQLite, then PostgreSQL if it answers."""
    with tempfile.TemporaryDirectory() as directory:
        for line in benchmark("SQLite", f"sqlite:///{directory}/bench.sqlite3"):
            print(line, flush=True)
    if postgres_available(postgres_url):
        for line in benchmark("PostgreSQL", postgres_url):
            print(line, flush=True)
    else:
        print("[PostgreSQL] server not reachable: skipped")


def main() -> None:
    if sys.argv[1:] == ["build"]:
        print(json.dumps(build_workspace()))
        return
    run_on_both(benchmark, POSTGRES_URL)


if __name__ == "__main__":
    main()
