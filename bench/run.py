"""Run every benchmark and write the results to docs/benchmarks.md.

Each `bench/bench_*.py` script is run in its own process (so one cannot warm
another's caches) and prints its figures as lines; this collects them under a
heading with the machine and the date. Run: make bench
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    scripts = sorted((ROOT / "bench").glob("bench_*.py"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sections = []
    failed = False
    for script in scripts:
        print(f"--- {script.name}", flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        output = result.stdout.strip()
        print(output)
        if result.returncode != 0:
            failed = True
            print(result.stderr, file=sys.stderr)
            output += f"\n(failed with exit code {result.returncode})"
        sections.append(f"### {script.stem}\n\n```\n{output}\n```\n")
    intro = RESULTS.read_text().split("<!-- results -->")[0] if RESULTS.exists() else ""
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        intro
        + "<!-- results -->\n"
        + f"## Latest run: {datetime.date.today().isoformat()}\n\n"
        + f"Machine: {machine()}.\n\n"
        + "\n".join(sections)
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
