"""POST /api/v1/reflections under concurrent load, next to its floor and a bare endpoint on the same gunicorn.

    .venv/bin/python -m bench.api [--seconds 10] [--connections 16] [--rounds 2] [--db postgresql sqlite]

Gunicorn runs the Procfile's web line and configuration (2 workers x 4 threads) serving
`bench.floor:app`: the real app plus /bench/floor, the least a durable authenticated reflection write
must do (session by token hash, CSRF, INSERT reflection + outbox row, COMMIT, the same JSON; raw
driver, no Flask) -- see bench/floor.py. With BENCH_BARE_ENDPOINT=1 the app also has /bench/bare: the
same Flask app and request hooks answering {"ok": true} without touching the database. All three get
the same POST body; the authenticated ones carry a session cookie and CSRF token of one of 16
medewerkers and a fresh client_id per request. Load comes from `wrk` (C, so the client does not starve
the server of CPU) or, without it, a Python thread pool. The endpoints are measured in alternating
rounds so a change in machine load hits all of them. Goal: write >= 0.5 x floor (issue #24).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

from bench.support import (
    bench_env,
    database,
    gunicorn,
    make_app,
    percentile,
    postgres_available,
    reflection_body,
    scratch_dir,
    seed_team,
    summary,
)
from server.embedded import EmbeddedRedis, start_leerlus, stop

MEDEWERKERS = 16

WRK_SCRIPT = """
local sessions = %(sessions)s
local body = %(body)s
-- thread_id is a global on purpose: setup() sets it in each thread's Lua state (a local would shadow it).
thread_id = 0
local counter = 0
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json"}
  if %(authenticated)s then
    -- Round-robin over the medewerkers, as many people writing at once would.
    local session = sessions[((thread_id + counter) %% #sessions) + 1]
    headers["Cookie"] = session.cookie
    headers["X-CSRF-Token"] = session.csrf
  end
  -- A fresh, unique client_id per request (and per wrk run): every POST is a new reflection, never a replay.
  local client_id = string.format("%(run)s-%%04x-4000-8000-%%012x", thread_id, counter)
  return wrk.format("POST", nil, headers, (body:gsub("CLIENT_ID", client_id)))
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local bad, by_status = 0, {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, n in pairs(s) do
      by_status[status] = (by_status[status] or 0) + n
      if status ~= 201 and status ~= 200 then bad = bad + n end
    end
  end
  for status, n in pairs(by_status) do io.write(string.format("STATUS %%d %%d\\n", status, n)) end
  io.write(string.format("RESULT %%d %%f %%f %%f %%f %%d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    bad + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for ASCII text


def run_wrk(url: str, people: list[dict], authenticated: bool, seconds: float, connections: int) -> dict:
    body = json.dumps(reflection_body() | {"client_id": "CLIENT_ID"}, ensure_ascii=True)
    sessions = (
        "{"
        + ",".join(f"{{cookie={lua_string(p['cookie'])}, csrf={lua_string(p['csrf'])}}}" for p in people)
        + "}"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT
            % {
                "sessions": sessions,
                "body": lua_string(body),
                "run": uuid.uuid4().hex[:8],
                "authenticated": "true" if authenticated else "false",
            }
        )
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds:.0f}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    requests_done, duration, p50, p95, p99, errors = re.search(
        r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)", out
    ).groups()
    statuses = {int(code): int(n) for code, n in re.findall(r"STATUS (\d+) (\d+)", out)}
    return {
        "requests": int(requests_done),
        "seconds": float(duration),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(errors),
        "statuses": statuses,
    }


def run_threads(url: str, people: list[dict], authenticated: bool, seconds: float, connections: int) -> dict:
    """Fallback without wrk: one requests.Session per thread, bounded by time."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        person = people[index % len(people)]
        headers = {"X-CSRF-Token": person["csrf"], "Cookie": person["cookie"]} if authenticated else {}
        mine = []
        with requests.Session() as session:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = session.post(url, json=reflection_body(index), headers=headers, timeout=10)
                mine.append((time.perf_counter() - started) * 1000)
                with lock:
                    statuses[response.status_code] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": len(latencies),
        "seconds": time.monotonic() - started,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": sum(n for code, n in statuses.items() if code not in (200, 201)),
        "statuses": dict(statuses),
    }


def combine(runs: list[dict]) -> dict:
    """Rounds added up; latency percentiles are the mean of the rounds' percentiles."""
    total = {
        "requests": sum(r["requests"] for r in runs),
        "seconds": sum(r["seconds"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "statuses": sum((Counter(r["statuses"]) for r in runs), Counter()),
    }
    total["rps"] = total["requests"] / total["seconds"]
    for key in ("p50", "p95", "p99"):
        total[key] = sum(r[key] for r in runs) / len(runs)
    return total


ENDPOINTS = {
    # name: (path, authenticated, label)
    "floor": ("/bench/floor", True, "POST /bench/floor"),
    "write": ("/api/v1/reflections", True, "POST /api/v1/reflections"),
    "bare": ("/bench/bare", False, "POST /bench/bare"),
}


def measure(kind: str, args, load) -> dict:
    workdir = scratch_dir(f"leerlus-bench-api-{kind}-")
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database(kind, f"leerlus_bench_api_{os.getpid()}") as url,
    ):
        env = bench_env(url, redis.url, workdir, BENCH_BARE_ENDPOINT="1")
        people = seed_team(make_app(env), MEDEWERKERS)
        # The relay runs as in production (the scheduler process, woken by each commit), so the CPU
        # it spends on queueing the writes' events competes with the server here too.
        scheduler = start_leerlus(["scheduler"], env, workdir / "scheduler.log")
        # bench.floor: the real app plus /bench/floor, served with the Procfile's gunicorn configuration.
        with gunicorn(env, workdir / "gunicorn.log", app="bench.floor:app") as base:
            for path, authenticated, _ in ENDPOINTS.values():  # warm-up: imports, pools, connections
                load(base + path, people, authenticated, 3, args.connections)
            runs = {name: [] for name in ENDPOINTS}
            for round_ in range(args.rounds):
                for name, (path, authenticated, _) in ENDPOINTS.items():
                    runs[name].append(
                        load(base + path, people, authenticated, args.seconds, args.connections)
                    )
                floor_, write = runs["floor"][-1], runs["write"][-1]
                print(
                    f"{kind:10} round {round_ + 1}: write {write['requests'] / write['seconds']:.0f} req/s, "
                    f"floor {floor_['requests'] / floor_['seconds']:.0f} req/s, write/floor "
                    f"{(write['requests'] / write['seconds']) / (floor_['requests'] / floor_['seconds']):.2f} "
                    f"(load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        stop(scheduler)
    shutil.rmtree(workdir, ignore_errors=True)
    return {name: combine(r) for name, r in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="per endpoint per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    load = run_wrk if shutil.which("wrk") else run_threads
    print(
        f"load generator: {'wrk' if load is run_wrk else 'Python threads'}, {args.connections} connections, "
        f"{args.rounds} x {args.seconds:.0f} s per endpoint; gunicorn as in the Procfile (2 workers x 4 threads); "
        f"load average at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    for kind in args.db:
        if kind == "postgresql" and not postgres_available():
            print("postgresql: not reachable, skipped")
            continue
        result = measure(kind, args, load)
        print(
            f"{'database':10} {'endpoint':26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
        )
        for name, (_, _, label) in ENDPOINTS.items():
            r = result[name]
            print(
                f"{kind:10} {label:26} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
                f"{r['errors']:7d}"
            )
        for name in ENDPOINTS:
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(result[name]["statuses"].items()))
            print(f"{kind:10} {name} responses by status: {codes}")
        w, f, b = result["write"], result["floor"], result["bare"]
        ratio = w["rps"] / f["rps"]
        print(
            f"{kind:10} write/floor throughput: {ratio:.2f} (goal >= 0.50); write/bare {w['rps'] / b['rps']:.2f}"
        )
        summary(
            f"API {kind}: write / floor throughput",
            f"{ratio:.2f} (goal >= 0.50; {w['rps']:.0f} vs {f['rps']:.0f} req/s, errors "
            f"{w['errors'] + f['errors']}; load average {os.getloadavg()[0]:.1f})",
        )
        summary(
            f"API {kind}: write vs floor p50 / p95 / p99",
            f"{w['p50']:.0f} / {w['p95']:.0f} / {w['p99']:.0f} ms vs {f['p50']:.0f} / {f['p95']:.0f} / "
            f"{f['p99']:.0f} ms (write/bare {w['rps'] / b['rps']:.2f})",
        )


if __name__ == "__main__":
    main()
