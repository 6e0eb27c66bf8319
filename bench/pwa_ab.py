"""Two versions of the PWA, each on its own gunicorn, loaded side by side on bench.pwa's mid-range
phone profile, in alternating rounds, in one run on one database.

    git archive <old-commit> | tar -x -C /tmp/old
    .venv/bin/python -m bench.pwa_ab /tmp/old . [--rounds 8]

On a shared machine the load changes from one minute to the next, so two `bench.pwa` runs one after
the other compare the load as much as the code (at load 15, one profile's medians move by 0.5 s
between runs). Here both versions serve at once (their own port, so their own service worker and
device database) from the same database and Redis, and each round loads the reflection screen on
every version, the order reversed every other round: in a fresh browser context, 320 px, CPU 4x,
Fast 3G, the first load; once the service worker is in, a repeat load; then a repeat load with the
CPU unthrottled. "Usable" as in bench.pwa. Printed: each round's times, per version the median and
the values, and in how many rounds the second version was the faster.
"""

import argparse
import contextlib
import os
import shutil
import statistics
from pathlib import Path

import bench.support
from bench.pwa import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MID_RANGE_CPU_SLOWDOWN,
    MID_RANGE_PHONE,
    load,
    new_context,
    wait_for_service_worker,
)
from bench.support import bench_env, database, gunicorn, make_app, scratch_dir, seed_team
from server.embedded import EmbeddedRedis

MEASURES = ("phone first load", "phone repeat load", "repeat load, CPU 1x")


def loads(browser, base: str, person: dict) -> tuple[float, float, float]:
    context = new_context(browser, base, person, "allow", viewport=MID_RANGE_PHONE)
    try:
        first = load(context, throttle=True, cpu_slowdown=MID_RANGE_CPU_SLOWDOWN)
        wait_for_service_worker(first["page"])
        first["page"].close()
        repeat = load(context, throttle=True, cpu_slowdown=MID_RANGE_CPU_SLOWDOWN)
        repeat["page"].close()
        fast = load(context, throttle=True)
        fast["page"].close()
        return first["ready"], repeat["ready"], fast["ready"]
    finally:
        context.close()


def serve(stack: contextlib.ExitStack, tree: Path, env: dict, log: Path) -> str:
    """gunicorn as bench.pwa starts it (the Procfile's line), run from `tree` with its code first on the path."""
    original = bench.support.ROOT
    bench.support.ROOT = tree  # where gunicorn() reads the Procfile and starts the server
    try:
        return stack.enter_context(gunicorn(dict(env, PYTHONPATH=str(tree)), log))
    finally:
        bench.support.ROOT = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, type=Path, help="the old tree, then the new one")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    trees = [tree.resolve() for tree in args.trees]
    names = ["old", "new"]
    workdir = scratch_dir("leerlus-bench-pwa-ab-")
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database("sqlite", f"leerlus_bench_pwa_ab_{os.getpid()}") as url,
    ):
        env = bench_env(url, redis.url, workdir)
        person = seed_team(make_app(env), 1)[0]
        with contextlib.ExitStack() as servers:
            bases = [
                serve(servers, tree, env, workdir / f"gunicorn-{name}.log")
                for name, tree in zip(names, trees, strict=True)
            ]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for index in range(args.rounds):
                        order = [0, 1] if index % 2 == 0 else [1, 0]
                        for which in order:
                            results[names[which]].append(loads(browser, bases[which], person))
                        print(
                            f"round {index + 1}/{args.rounds} (load average {os.getloadavg()[0]:.1f}): "
                            + "; ".join(
                                f"{name} " + " / ".join(f"{ms:.0f}" for ms in results[name][-1])
                                for name in names
                            )
                            + " ms",
                            flush=True,
                        )
                finally:
                    browser.close()
    shutil.rmtree(workdir, ignore_errors=True)
    for position, measure in enumerate(MEASURES):
        print(f"\n{measure} (ms until usable):")
        for name in names:
            values = [row[position] for row in results[name]]
            print(
                f"  {name}: median {statistics.median(values):.0f} ({', '.join(f'{v:.0f}' for v in values)})"
            )
        faster = sum(
            new[position] < old[position] for old, new in zip(results["old"], results["new"], strict=True)
        )
        print(f"  new faster in {faster} of {args.rounds} rounds")


if __name__ == "__main__":
    main()
