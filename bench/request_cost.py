"""Where the time of one reflection write goes: the request in-process (Flask test client, no network),
with parts of the work switched off, next to the bare endpoint.

    .venv/bin/python -m bench.request_cost [--requests 200] [--db postgresql sqlite]

Variants, measured in alternating rounds (medians of per-round means):
  bare            POST /bench/bare
  bare + session  the same with a session cookie: the session lookup every logged-in request pays
  write           POST /api/v1/reflections as shipped
  no wake-up      the same, without waking the outbox relay after commit (one Redis round trip)
  no safety       the same, without the synchronous safety-signal check
CPU ms is this process only (Flask, SQLAlchemy, RQ client; with SQLite also the database); wall ms
also includes PostgreSQL and Redis on the other side of the socket.
"""

import argparse
import math
import shutil
import statistics
import time
from contextlib import contextmanager

from bench.support import (
    bench_env,
    database,
    make_app,
    postgres_available,
    reflection_body,
    scratch_dir,
    seed_team,
    summary,
)
from server.embedded import EmbeddedRedis


@contextmanager
def unchanged():
    yield


@contextmanager
def without_wake_up():
    from server import events

    # The web process skips the wake-up while it believes Redis is down.
    saved, events._redis_down_until = events._redis_down_until, math.inf
    try:
        yield
    finally:
        events._redis_down_until = saved


@contextmanager
def without_safety():
    from server.services import reflections

    saved, reflections.flag_safety = reflections.flag_safety, lambda reflection: None
    try:
        yield
    finally:
        reflections.flag_safety = saved


VARIANTS = {
    "bare": ("/bench/bare", unchanged),
    "bare + session": ("/bench/bare", unchanged),
    "write": ("/api/v1/reflections", unchanged),
    "no wake-up": ("/api/v1/reflections", without_wake_up),
    "no safety": ("/api/v1/reflections", without_safety),
}


def measure(kind: str, requests: int, rounds: int) -> dict:
    workdir = scratch_dir(f"leerlus-bench-cost-{kind}-")
    results = {name: {"wall": [], "cpu": []} for name in VARIANTS}
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database(kind, "leerlus_bench_cost") as url,
    ):
        app = make_app(bench_env(url, redis.url, workdir, BENCH_BARE_ENDPOINT="1"))
        person = seed_team(app, 1)[0]
        client, anonymous = (
            app.test_client(),
            app.test_client(),
        )  # bare goes without a session, as in bench.api
        name, token = person["cookie"].split("=", 1)
        client.set_cookie(name, token)
        headers = {"X-CSRF-Token": person["csrf"]}
        bodies = [reflection_body(i) for i in range(requests * rounds * len(VARIANTS) + 20)]
        for body in bodies[:20]:  # warm-up
            client.post("/api/v1/reflections", json=body, headers=headers)
        index = 20
        for _ in range(rounds):
            for variant, (path, switch) in VARIANTS.items():
                with switch():
                    wall, cpu = time.perf_counter(), time.process_time()
                    for body in bodies[index : index + requests]:
                        response = (anonymous if variant == "bare" else client).post(
                            path, json=body, headers=headers
                        )
                        assert response.status_code in (200, 201), response.get_data(as_text=True)[:300]
                    results[variant]["wall"].append((time.perf_counter() - wall) * 1000 / requests)
                    results[variant]["cpu"].append((time.process_time() - cpu) * 1000 / requests)
                index += requests
    shutil.rmtree(workdir, ignore_errors=True)
    return {
        name: {key: statistics.median(values) for key, values in r.items()} for name, r in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per variant per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    print(f"{'database':10} {'variant':14} {'wall ms':>8} {'cpu ms':>8} {'x bare (cpu)':>13}")
    for kind in args.db:
        if kind == "postgresql" and not postgres_available():
            print("postgresql: not reachable, skipped")
            continue
        result = measure(kind, args.requests, args.rounds)
        bare = result["bare"]["cpu"]
        for variant, r in result.items():
            print(f"{kind:10} {variant:14} {r['wall']:8.2f} {r['cpu']:8.2f} {r['cpu'] / bare:13.1f}")
        write, session = result["write"], result["bare + session"]
        summary(
            f"Request cost {kind}: session lookup / write-only part (cpu ms)",
            f"{session['cpu'] - bare:.2f} / {write['cpu'] - session['cpu']:.2f} ms on top of bare {bare:.2f} ms",
        )
        summary(
            f"Request cost {kind}: write / bare (cpu, in-process)",
            f"{write['cpu'] / bare:.1f}x; without wake-up {result['no wake-up']['cpu'] / write['cpu']:.2f} of write, "
            f"without safety check {result['no safety']['cpu'] / write['cpu']:.2f} of write",
        )


if __name__ == "__main__":
    main()
