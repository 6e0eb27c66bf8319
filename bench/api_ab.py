"""Two versions of the code, each on its own gunicorn, measured side by side: the write of each, in
alternating rounds, next to the floor, in one run on one database.

    git archive <old-commit> server bench workers migrations Procfile | tar -x -C /tmp/old
    .venv/bin/python -m bench.api_ab /tmp/old . [--db sqlite] [--seconds 3] [--rounds 10]

On a shared machine the load changes from one minute to the next, so two `bench.api` runs one after
the other compare the load as much as the code. Here both versions run at once against the same
database, Redis and relay (the scheduler of this tree), and each round measures POST
/api/v1/reflections on every version (the order reversed every other round) and then the floor
(bench/floor.py). Printed: each round's req/s, and per version the ratio to the first version
(median and range over the rounds) and write/floor over all rounds.
"""

import argparse
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from bench.api import run_wrk
from bench.support import (
    bench_env,
    database,
    make_app,
    procfile_web_command,
    scratch_dir,
    seed_team,
    wait_for_http,
)
from server.embedded import EmbeddedRedis, free_port, start_leerlus, stop

CONNECTIONS = 16


def serve(tree: Path, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn as bench.api starts it, with `tree`'s code first on the path."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            procfile_web_command(port, app="bench.floor:app"),
            cwd=tree,
            env=dict(env, PYTHONPATH=str(tree)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/healthz", process)
    return process, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", type=Path, help="source trees; the first is the reference")
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--seconds", type=float, default=3, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    trees = [tree.resolve() for tree in args.trees]
    names = [f"{index}:{tree.name}" for index, tree in enumerate(trees)]
    workdir = scratch_dir("leerlus-bench-ab-")
    servers: list[tuple[subprocess.Popen, str]] = []
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database(args.db, f"leerlus_bench_ab_{os.getpid()}") as url,
    ):
        env = bench_env(url, redis.url, workdir)
        people = seed_team(make_app(env), 16)
        scheduler = start_leerlus(["scheduler"], env, workdir / "scheduler.log")
        try:
            for index, tree in enumerate(trees):
                servers.append(serve(tree, env, workdir / f"gunicorn-{index}.log"))
            floor_url = servers[0][1] + "/bench/floor"
            for _, base in servers:  # warm-up
                run_wrk(base + "/api/v1/reflections", people, True, 2, CONNECTIONS)
            run_wrk(floor_url, people, True, 2, CONNECTIONS)
            writes: list[list[float]] = [[] for _ in trees]
            floors: list[float] = []
            for round_ in range(args.rounds):
                order = list(range(len(trees)))
                if round_ % 2:
                    order.reverse()
                for index in order:
                    result = run_wrk(
                        servers[index][1] + "/api/v1/reflections", people, True, args.seconds, CONNECTIONS
                    )
                    assert result["errors"] == 0, result
                    writes[index].append(result["requests"] / result["seconds"])
                result = run_wrk(floor_url, people, True, args.seconds, CONNECTIONS)
                floors.append(result["requests"] / result["seconds"])
                print(
                    f"{args.db} round {round_ + 1}: "
                    + ", ".join(f"{names[i]} {writes[i][-1]:.0f}" for i in range(len(trees)))
                    + f", floor {floors[-1]:.0f} req/s (load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        finally:
            for process, _ in servers:
                stop(process)
            stop(scheduler)
    shutil.rmtree(workdir, ignore_errors=True)
    for index, name in enumerate(names):
        ratios = [new / old for new, old in zip(writes[index], writes[0], strict=True)]
        print(
            f"{args.db} {name}: write {statistics.mean(writes[index]):.0f} req/s, write/floor "
            f"{sum(writes[index]) / sum(floors):.2f}; / {names[0]} per round: median "
            f"{statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f})"
        )


if __name__ == "__main__":
    main()
