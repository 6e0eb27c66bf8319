"""`make bench`: every benchmark in turn (each in its own process), then one summary table.

    .venv/bin/python -m bench [--only api pipeline ...]

Our benchmarks print `SUMMARY<TAB>name<TAB>value` lines; for digest.py and push.py the summary takes
their comparison lines. Each benchmark is bounded by a timeout, so the whole run stops by itself.
"""

import argparse
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.support import ROOT

# (name, module and arguments, timeout in seconds, how to pick summary lines from a script without them)
BENCHMARKS = [
    ("api", ["bench.api", "--seconds", "5", "--rounds", "4"], 600, None),
    ("request_cost", ["bench.request_cost", "--requests", "60", "--rounds", "3"], 600, None),
    # Each backlog round also drains its refine (e5) jobs since item 18: a smaller backlog and burst,
    # and time for both databases.
    ("pipeline", ["bench.pipeline", "--throughput", "150", "--burst", "500", "--budget", "900"], 1200, None),
    ("digest", ["bench.digest", "--repeat", "5"], 900, lambda line: " vs " in line or "3,500 teams" in line),
    ("push", ["bench.push", "--count", "300"], 300, lambda line: "ratio" in line or "reused session" in line),
    ("explain", ["bench.explain"], 600, None),
    ("classifier", ["bench.classifier_speed"], 300, lambda line: "texts/s" in line and "classify" in line),
    ("pwa", ["bench.pwa", "--repeat", "5"], 600, None),
]


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor(),
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"nproc {os.cpu_count()}, {model}, load average {load}"


def interrupt(process: subprocess.Popen, grace: float = 60) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()


def run(name: str, argv: list[str], timeout: int, pick) -> list[tuple[str, str]]:
    print(f"\n=== {name}: {' '.join(['python -m', *argv])}", flush=True)
    rows, started = [], time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    # Stopped from a timer: a benchmark that hangs without printing must not hang the run. SIGINT
    # first, so its `with` blocks stop the servers and workers it started (in groups of their own).
    timer = threading.Timer(timeout, interrupt, args=(process,))
    timer.start()
    try:
        for line in process.stdout:
            line = line.rstrip("\n")
            if line.startswith("SUMMARY\t"):
                rows.append(tuple(line.split("\t", 2)[1:]))
                continue
            if "alembic.runtime.migration" in line:
                continue
            print(line, flush=True)
            if pick and pick(line):
                rows.append((name, line.strip()))
        process.wait()
    finally:
        timer.cancel()
    if time.monotonic() - started >= timeout:
        rows.append((name, f"stopped after {timeout} s (timeout)"))
    elif process.returncode:
        rows.append((name, f"FAILED (exit {process.returncode}); see its output above"))
    rows.append((f"({name} took)", f"{time.monotonic() - started:.0f} s"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=[name for name, *_ in BENCHMARKS])
    args = parser.parse_args()
    before = machine()
    rows = []
    for name, argv, timeout, pick in BENCHMARKS:
        if not args.only or name in args.only:
            rows += run(name, argv, timeout, pick)
    width = max(len(name) for name, _ in rows)
    print("\n=== summary")
    print(f"machine at start: {before}")
    print(f"machine at end:   {machine()}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
