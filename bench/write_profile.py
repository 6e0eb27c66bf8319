"""Where a reflection write's CPU goes, by cProfile (a CPU clock), in-process through the Flask test
client: Python function calls per write (a count, robust to the machine's load) and the shares of
the profiled request taken by its main parts.

    .venv/bin/python -m bench.write_profile [--writes 300] [--warm-up 50] [--db postgresql sqlite]

The module stands alone (it imports only bench.support and the app), so it can be copied into an
older tree to measure before and after with the same method (docs/performance.md, item 19).
"""

import argparse
import cProfile
import os
import pstats
import shutil
import time

from bench.support import (
    bench_env,
    database,
    make_app,
    postgres_available,
    reflection_body,
    scratch_dir,
    seed_team,
)
from server.embedded import EmbeddedRedis

# (label, file suffix, function name): the parts shown as shares of the profiled request (cumulative).
PARTS = (
    ("whole request (wsgi_app)", "flask/app.py", "wsgi_app"),
    ("session lookup (load_session)", "server/auth/sessions.py", "load_session"),
    ("webargs parsing", "webargs/core.py", "parse"),
    ("the view", "server/api/reflections.py", "create_reflection"),
    ("service create", "server/services/reflections.py", "create"),
    ("commit", "sqlalchemy/orm/session.py", "commit"),
    ("CSRF / audit hook (check_request)", "server/auth/access.py", "check_request"),
)


def profile(kind: str, writes: int, warm_up: int) -> None:
    workdir = scratch_dir(f"leerlus-bench-profile-{kind}-")
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database(kind, "leerlus_bench_profile") as url,
    ):
        app = make_app(bench_env(url, redis.url, workdir))
        person = seed_team(app, 1)[0]
        client = app.test_client()
        name, token = person["cookie"].split("=", 1)
        client.set_cookie(name, token)
        headers = {"X-CSRF-Token": person["csrf"]}
        bodies = [reflection_body(i) for i in range(warm_up + writes)]

        def post(body):
            response = client.post("/api/v1/reflections", json=body, headers=headers)
            assert response.status_code == 201, response.get_data(as_text=True)[:300]

        for body in bodies[:warm_up]:
            post(body)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for body in bodies[warm_up:]:
            post(body)
        profiler.disable()
    shutil.rmtree(workdir, ignore_errors=True)
    stats = pstats.Stats(profiler)
    calls = sum(row[1] for row in stats.stats.values())  # type: ignore[attr-defined]
    cumulative = {}
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        for label, suffix, wanted in PARTS:
            if function == wanted and filename.endswith(suffix):
                # The outermost one: orm/session.py has Session.commit and SessionTransaction.commit,
                # the second inside the first, and a sum counted the commit twice (before item 24).
                cumulative[label] = max(cumulative.get(label, 0.0), row[3])
    whole = cumulative.get(PARTS[0][0]) or 1.0
    print(f"{kind}: {calls / writes:,.0f} Python function calls per write ({writes} writes), load {_load()}")
    for label, _, _ in PARTS:
        if label in cumulative:
            share = 100 * cumulative[label] / whole
            print(f"  {label:36} {share:5.1f} %  {1000 * cumulative[label] / writes:6.2f} ms profiled")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=50)
    parser.add_argument("--db", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    for kind in args.db:
        if kind == "postgresql" and not postgres_available():
            print("postgresql: not reachable, skipped")
            continue
        profile(kind, args.writes, args.warm_up)


if __name__ == "__main__":
    main()
