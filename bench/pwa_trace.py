"""Where the mid-range phone's main thread spends a load of the reflection screen: a Chromium trace of
bench.pwa's phone profile (320 px, CPU 4x slower, Fast 3G), summarised per task.

    .venv/bin/python -m bench.pwa_trace [--loads 3] [--keep DIR]

Same server, seeded person, browser and "usable" moment as bench.pwa (its helpers). One browser
context with the service worker allowed: the first load, then (the worker installed) repeat loads.
For each load: the time until usable, and the renderer main thread's tasks of 8 ms or more until
then, each with what it spent its time on (nested trace events, grouped: parsing HTML and CSS,
compiling and running script, microtasks, style, layout, paint, accessibility, creating the page's V8
context) and the callbacks it ran by name (IndexedDB's `request.onsuccess`, `tx.oncomplete` show the
database hops), and the totals per kind. Tracing itself slows the page down: read the shares and
the order of events, not the absolute times (those are bench.pwa's).
"""

import argparse
import collections
import json
import shutil
from pathlib import Path

from bench.pwa import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FAST_3G,
    MID_RANGE_CPU_SLOWDOWN,
    MID_RANGE_PHONE,
    new_context,
    open_screen,
    wait_for_service_worker,
)
from bench.support import bench_env, database, gunicorn, make_app, scratch_dir, seed_team
from server.embedded import EmbeddedRedis

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "v8",
    "blink",
    "loading",
]
# Trace event name -> what it is (events nest: a task's kinds can add up to more than the task).
KINDS = {
    "ParseHTML": "parse html",
    "Blink.ParseStyleSheet.UpdateTime": "parse css",
    "V8.CompileCode": "compile",
    "V8.CompileScript": "compile",
    "v8.compileModule": "compile",
    "v8.evaluateModule": "run module",
    "EvaluateScript": "run script",
    "FunctionCall": "js callback",
    "RunMicrotasks": "microtasks",
    "UpdateLayoutTree": "style",
    "Layout": "layout",
    "Paint": "paint",
    "LocalFrameView::RunAccessibilitySteps": "accessibility",
    "MinorGC": "gc",
    "MajorGC": "gc",
    "LocalWindowProxy::Initialize": "v8 context",
}
MIN_TASK_US = 8_000


def main_thread_events(events: list[dict]) -> tuple[list[dict], float]:
    """The complete events of the renderer main thread that committed /app/, and its navigation start."""
    pid = [
        e["args"]["data"]["processId"]
        for e in events
        if e.get("name") == "FrameCommittedInBrowser" and "/app/" in e["args"]["data"].get("url", "")
    ][-1]
    tid = next(
        e["tid"]
        for e in events
        if e.get("ph") == "M" and e["pid"] == pid and e.get("name") == "thread_name"
        if e["args"]["name"] == "CrRendererMain"
    )
    own = [e for e in events if e["pid"] == pid and e["tid"] == tid and e.get("ph") == "X" and "dur" in e]
    starts = [e["ts"] for e in events if e["pid"] == pid and e.get("name") == "navigationStart"]
    return own, min(starts) if starts else min(e["ts"] for e in own)


def callback(event: dict) -> str:
    data = (event.get("args") or {}).get("data") or {}
    return data.get("functionName") or ""


def summarise(path: Path, label: str, ready_ms: float) -> None:
    raw = json.loads(path.read_text())
    own, start = main_thread_events(raw["traceEvents"] if isinstance(raw, dict) else raw)
    end = start + ready_ms * 1000
    tasks = sorted((e for e in own if e["name"] == "RunTask" and e["ts"] < end), key=lambda e: e["ts"])
    print(
        f"\n{label}: usable after {ready_ms:.0f} ms (traced); main-thread tasks >= {MIN_TASK_US // 1000} ms:"
    )
    totals: collections.Counter = collections.Counter()
    for e in own:
        if e["ts"] < end and e["name"] in KINDS:
            totals[KINDS[e["name"]]] += e["dur"]
    for task in tasks:
        if task["dur"] < MIN_TASK_US:
            continue
        inside = [e for e in own if e is not task and task["ts"] <= e["ts"] <= task["ts"] + task["dur"]]
        kinds: collections.Counter = collections.Counter()
        for e in inside:
            if e["name"] in KINDS:
                kinds[KINDS[e["name"]]] += e["dur"]
        callbacks = sorted({callback(e) for e in inside if e["name"] == "FunctionCall"} - {""})
        print(
            f"  {(task['ts'] - start) / 1000:6.0f} ms  {task['dur'] / 1000:6.1f} ms  "
            + ", ".join(f"{kind} {us / 1000:.0f}" for kind, us in kinds.most_common(5))
            + (f"  [{', '.join(callbacks[:4])}]" if callbacks else "")
        )
    busy = sum(task["dur"] for task in tasks)
    print(
        f"  busy {busy / 1000:.0f} ms of {ready_ms:.0f}; by kind: "
        + ", ".join(f"{kind} {us / 1000:.0f}" for kind, us in totals.most_common())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3, help="the first load, then repeat loads")
    parser.add_argument("--keep", type=Path, help="keep the trace files (JSON, for chrome://tracing) here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    workdir = scratch_dir("leerlus-bench-pwa-trace-")
    traces = args.keep or workdir
    traces.mkdir(parents=True, exist_ok=True)
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database("sqlite", "leerlus_bench_pwa_trace") as url,
    ):
        env = bench_env(url, redis.url, workdir)
        person = seed_team(make_app(env), 1)[0]
        with gunicorn(env, workdir / "gunicorn.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = new_context(browser, base, person, "allow", viewport=MID_RANGE_PHONE)
                for index in range(args.loads):
                    label = "first load" if index == 0 else f"repeat load {index}"
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", FAST_3G)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": MID_RANGE_CPU_SLOWDOWN})
                    path = traces / f"load-{index}.json"
                    browser.start_tracing(page=page, path=path, categories=CATEGORIES)
                    ready = open_screen(page)
                    browser.stop_tracing()
                    if index == 0:
                        wait_for_service_worker(page)
                    page.close()
                    summarise(path, label, ready)
            finally:
                browser.close()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
