"""Where the time of the pages under load goes: CPU per request, queries, bytes, profile.

Builds the workspace of bench_http (1,000 engagements of 30 stakeholders and
one of 500; BENCH_ENGAGEMENTS overrides the 1,000) in a fresh SQLite file,
then asks for each page bench_http measures through Django's test client in
this process, after two warm-up requests: the median CPU time of a request,
its queries and its size, and with --profile the functions that cost most.

Run: python bench/profile_pages.py [--profile] [name ...]
(names: floor, portfolio, engagement, assessment, assessment_api; all by default)
Not part of `make bench`: it is for finding where a request's time goes.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_http  # noqa: E402

REPEATS = int(os.environ.get("PROFILE_REPEATS", "20"))


def main() -> None:
    profile = "--profile" in sys.argv
    wanted = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    directory = tempfile.mkdtemp()
    redis_url = bench_http.REDIS_URL if bench_http.redis_available() else None
    env = bench_http.server_env(f"sqlite:///{directory}/profile.sqlite3", redis_url)
    bench_http.run_manage(env, "migrate", "--no-input", "-v", "0")
    bench_http.run_manage(env, "collectstatic", "--no-input", "-v", "0")
    data = bench_http.build_data(env)
    bench_http.run_manage(env, "refresh_readiness")
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from changeready.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench@bench.example"))
    api = Client(headers={"Authorization": f"Bearer {data['tokens'][0]}"})
    big = data["big"]
    pages = {
        "floor": (client, "/healthz"),
        "portfolio": (client, "/w/bench/"),
        "engagement": (client, f"/engagements/{big}/"),
        "assessment": (client, f"/engagements/{big}/assessment/"),
        "assessment_api": (api, f"/api/v1/engagements/{big}/assessment"),
    }
    for name, (who, path) in pages.items():
        if wanted and name not in wanted:
            continue
        for _ in range(2):
            response = who.get(path)
            assert response.status_code == 200, (name, response.status_code)
        # Counted by a wrapper: the request's start clears Django's query log.
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            who.get(path)
        timings = []
        for _ in range(REPEATS):
            started = time.process_time()
            response = who.get(path)
            timings.append(time.process_time() - started)
        print(
            f"{name:15} CPU median {statistics.median(timings) * 1000:7.1f} ms "
            f"(min {min(timings) * 1000:.1f}), {len(queries)} queries, "
            f"{len(response.content) // 1024} KiB"
        )
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                who.get(path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
            print(out.getvalue())


if __name__ == "__main__":
    main()
