"""The PWA on a slow phone: bytes of the app shell and of a resident page, and how long the reflection
screen takes to open in Chromium under DevTools' Fast 3G, with and without the service worker.

    .venv/bin/python -m bench.pwa [--repeat 5]

Gunicorn runs the Procfile's web line on a throw-away SQLite database and a private redis-server, with
one seeded team. Measured side by side in one run:

- Bytes. Every URL in the service worker's precache list (SHELL, parsed from the served /app/sw.js,
  so with the real ?v= version), fetched over HTTP with `Accept-Encoding: gzip`: what the server
  sends (body bytes and Content-Encoding) and what gzip would give per response (Python's gzip at
  levels 6 and 9; the summary quotes level 9). The same for one resident page /f/<token>, whose link
  is created through the API as a medewerker does (POST /visits, POST /visits/<id>/feedback-link).
  Response headers are not counted.
- Time. The reflection screen (/app/#/nieuw, the screen a medewerker opens right after a visit),
  logged in as a seeded medewerker (session cookie put in the browser context: logins are
  rate-limited and cost an argon2 hash). Chromium (Debian's, via Playwright) with a 360x640 phone
  viewport and the page throttled through CDP `Network.emulateNetworkConditions` with DevTools'
  "Fast 3G" preset: latency 562.5 ms, download 180,000 B/s (1.6 Mbit/s x 0.9), upload 84,375 B/s
  (750 kbit/s x 0.9). "Usable" = milliseconds from navigation start (performance.timeOrigin) until
  the first prompt, textarea[name=what_happened] ("Wat gebeurde er?"), is in the document, enabled
  and laid out (a MutationObserver installed before any page script records performance.now()).
  Scenarios, each in a fresh browser context per repetition, reported as the median:
  with the service worker: first load (Fast 3G), then, once the worker controls the page and has
  precached, a repeat load online under Fast 3G and a repeat load offline (context offline);
  without it (`service_workers="block"`): first load and repeat load under Fast 3G (HTTP cache
  only). Offline without a service worker cannot load at all; checked once and reported. And a
  mid-range phone (issue #24): 320 px wide, CPU throttled 4x (CDP Emulation.setCPUThrottlingRate),
  Fast 3G: first load, and a repeat load once the service worker is installed; next to it, the same
  steps for bench/floor_page.py's one-prompt page and its own service worker (the floor of a repeat
  load on that profile: navigation, renderer, parse, one layout, and nothing of the app), reported as
  repeat / floor. Gunicorn serves bench.floor:app (the app plus the floors) for that page.
  The service worker's own requests (its precache download) are not throttled: DevTools throttles
  the page's target, and the worker is a target of its own.
- Traffic. Gunicorn's access log during each first visit: how many /app/ requests the server
  answered and their body bytes (page and service worker together: the install downloads the whole
  precache list again, `cache: "reload"`), and whether any request of an offline load reached it.

Why: issue #9 and docs/performance.md ("Left to do") ask for these figures. A medewerker opens this
screen right after a visit, often on a weak connection, and the app promises to open offline; the
resident page must be light on any phone. A "repeat load" is a new page in the same browser context.
"""

import argparse
import gzip
import json
import re
import shutil
import statistics
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import requests

from bench.floor_page import PAGE_SCOPE
from bench.support import bench_env, database, gunicorn, make_app, scratch_dir, seed_team, summary
from server.embedded import EmbeddedRedis

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 360, "height": 640}
# A mid-range phone (issue #24): the smallest screen we support, and DevTools' "4x slowdown" CPU.
MID_RANGE_PHONE = {"width": 320, "height": 640}
MID_RANGE_CPU_SLOWDOWN = 4
SCREEN = "/app/#/nieuw"

# Chromium DevTools' "Fast 3G" preset (front_end/core/sdk/NetworkManager.ts, Fast3GConditions).
FAST_3G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}

# Runs before any script of the page (CDP, so the page's CSP does not apply): records when the first
# prompt of the reflection form can be typed into, and says so on the console. The bench waits for
# that message (a CDP event) rather than with Playwright's wait_for_function, which puts Playwright's
# injected script (~0.1 s to compile and run at CPU 4x) and a predicate polled every frame into the
# page while it loads (docs/performance.md, items 16 and 20).
READY_MESSAGE = "leerlus-bench: usable"
READY_PROBE = """
(() => {
  const usable = () => {
    const el = document.querySelector('textarea[name="what_happened"]');
    return el && el.isConnected && !el.disabled && el.getClientRects().length > 0;
  };
  const observer = new MutationObserver(() => {
    if (window.__benchReady === undefined && usable()) {
      window.__benchReady = performance.now();
      observer.disconnect();
      console.debug("__READY_MESSAGE__");
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();
""".replace("__READY_MESSAGE__", READY_MESSAGE)

# What happened up to the usable moment: network requests and bytes, and when GET /api/v1/me ended.
LOAD_FACTS = """() => {
  const ready = window.__benchReady;
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource').filter((r) => r.startTime <= ready);
  const network = resources.filter((r) => r.transferSize > 0);
  const me = resources.find((r) => new URL(r.name).pathname === '/api/v1/me');
  return {
    ready,
    requests: resources.length + 1,
    network_requests: network.length + (nav.transferSize > 0 ? 1 : 0),
    network_bytes: network.reduce((sum, r) => sum + r.transferSize, nav.transferSize),
    document_end: nav.responseEnd,
    me_end: me ? me.responseEnd : null,
    offline_banner: document.getElementById('offline') !== null && !document.getElementById('offline').hidden,
  };
}"""


# --- bytes -------------------------------------------------------------------------------------------


def precache_urls(base: str) -> list[str]:
    """SHELL from the served service worker, with the version the server substituted, as the worker
    precaches it: a module the document holds as the module re-exporting it (its import map)."""
    text = requests.get(f"{base}/app/sw.js", timeout=30).text
    block = re.search(r"const SHELL = \[(.*?)\];", text, re.S)
    if block is None:
        raise RuntimeError("no `const SHELL = [...]` in /app/sw.js: the parser here needs updating")
    document = requests.get(f"{base}/app/", timeout=30).text
    found = re.search(r'<script type="importmap">(.*?)</script>', document, re.S)
    mapped = json.loads(found.group(1))["imports"] if found else {}
    return [mapped.get(url, url) for url in re.findall(r"\"([^\"]+)\"", block.group(1))]


def fetch_bytes(url: str) -> dict:
    """Wire bytes of the body as the server sends them to a gzip-accepting client, and gzip's result."""
    response = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    wire = response.raw.read(decode_content=False)
    encoding = response.headers.get("Content-Encoding", "")
    raw = gzip.decompress(wire) if encoding == "gzip" else wire
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
    return {
        "url": url,
        "status": response.status_code,
        "encoding": encoding or "none",
        "sent": len(wire),
        "raw": len(raw),
        "gzip6": len(gzip.compress(raw, 6, mtime=0)),
        "gzip9": len(gzip.compress(raw, 9, mtime=0)),
    }


def feedback_token(base: str, person: dict) -> str:
    """A real feedback link, made as the PWA makes one: a visit, then its link."""
    headers = {"Cookie": person["cookie"], "X-CSRF-Token": person["csrf"]}
    visit = requests.post(
        f"{base}/api/v1/visits",
        headers=headers,
        timeout=30,
        json={
            "client_id": str(uuid.uuid4()),
            "occurred_at": datetime.now(UTC).isoformat(),
            "kind": "huisbezoek",
        },
    )
    visit.raise_for_status()
    link = requests.post(
        f"{base}/api/v1/visits/{visit.json()['id']}/feedback-link",
        headers=headers,
        json={"language": "nl"},
        timeout=30,
    )
    link.raise_for_status()
    return link.json()["token"]


def measure_bytes(base: str, person: dict) -> dict:
    shell = [fetch_bytes(urljoin(base, url)) for url in precache_urls(base)]
    worker = fetch_bytes(f"{base}/app/sw.js")
    resident = fetch_bytes(f"{base}/f/{feedback_token(base, person)}")
    return {"shell": shell, "worker": worker, "resident": resident}


def total(rows: list[dict], key: str) -> int:
    return sum(row[key] for row in rows)


# --- time --------------------------------------------------------------------------------------------


class Log:
    """New lines of gunicorn's access log (format in server/gunicorn_config.py): what reached the server."""

    LINE = re.compile(r'"([A-Z]+) (\S+) [^"]*" (\d{3}) (\d+|-)')

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0

    def mark(self) -> None:
        self.offset = self.path.stat().st_size

    def since(self) -> list[tuple[str, str, int, int]]:
        """[(method, path, status, logged body bytes), …] since mark(), without health checks.

        Gunicorn logs 0 bytes for files it sends with sendfile (every static file): the report
        takes their size from the byte measurement instead.
        """
        with self.path.open("rb") as log:
            log.seek(self.offset)
            lines = log.read().decode(errors="replace").splitlines()
        found = (self.LINE.search(line) for line in lines)
        return [
            (m.group(1), m.group(2), int(m.group(3)), int(m.group(4)) if m.group(4) != "-" else 0)
            for m in found
            if m and not m.group(2).startswith("/healthz")
        ]


def new_context(browser, base: str, person: dict, service_workers: str, viewport: dict = PHONE):
    context = browser.new_context(
        base_url=base,
        viewport=viewport,
        device_scale_factor=1,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        has_touch=True,
        service_workers=service_workers,
    )
    name, value = person["cookie"].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": base, "httpOnly": True, "sameSite": "Lax"}])
    context.add_init_script(READY_PROBE)
    context.set_default_timeout(90_000)
    return context


def open_screen(page, url: str = SCREEN) -> float:
    """Navigate to the reflection screen; ms from navigation start until it was usable (READY_PROBE)."""
    with page.expect_console_message(lambda message: message.text == READY_MESSAGE):
        page.goto(url, wait_until="commit")
    return page.evaluate("window.__benchReady")


def load(context, *, throttle: bool, cpu_slowdown: int = 1, url: str = SCREEN) -> dict:
    """Open the reflection screen in a new page; facts of the load until the form is usable."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if throttle or cpu_slowdown > 1:
        cdp = context.new_cdp_session(page)
        if throttle:
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
        if cpu_slowdown > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    try:
        open_screen(page, url)
    except Exception as error:
        raise RuntimeError(f"the reflection screen did not become usable ({errors or error})") from error
    facts = page.evaluate(LOAD_FACTS)
    facts["errors"] = errors
    facts["page"] = page
    return facts


def wait_for_service_worker(page) -> None:
    """Until the worker is activated (install = complete precache) and controls the page."""
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null"
        " && navigator.serviceWorker.controller.state === 'activated'"
    )


def precached_count(page) -> int:
    return page.evaluate("""async () => {
        const name = (await caches.keys()).find((n) => n.startsWith('leerlus-shell-'));
        return name ? (await (await caches.open(name)).keys()).length : 0;
    }""")


def with_service_worker(browser, base: str, person: dict, log: Log, shell_size: int) -> dict:
    context = new_context(browser, base, person, "allow")
    try:
        log.mark()
        first = load(context, throttle=True)
        try:
            wait_for_service_worker(first["page"])
        except Exception as error:
            raise RuntimeError(
                "the service worker never activated: did a precache URL fail (cache.addAll)?"
            ) from error
        cached = precached_count(first["page"])
        if cached != shell_size:
            raise RuntimeError(f"precache holds {cached} of {shell_size} URLs")
        first["page"].wait_for_timeout(300)
        first["served"] = log.since()  # the whole first visit: the page's requests and the precache
        first["page"].close()
        online = load(context, throttle=True)
        online["page"].close()
        context.set_offline(True)
        log.mark()
        offline = load(context, throttle=False)
        offline["page"].wait_for_timeout(300)  # late requests of that load would show up in the log
        offline["served"] = log.since()
        if not offline["offline_banner"]:
            raise RuntimeError("the offline repeat load does not show the offline banner: was it offline?")
        offline["page"].close()
        return {"sw_first": first, "sw_repeat_online": online, "sw_repeat_offline": offline}
    finally:
        context.close()


def mid_range_phone(browser, base: str, person: dict, shell_size: int) -> dict:
    """320 px, CPU 4x slower, Fast 3G: first load, then (service worker installed) a repeat load."""
    context = new_context(browser, base, person, "allow", viewport=MID_RANGE_PHONE)
    try:
        first = load(context, throttle=True, cpu_slowdown=MID_RANGE_CPU_SLOWDOWN)
        wait_for_service_worker(first["page"])
        if precached_count(first["page"]) != shell_size:
            raise RuntimeError("precache incomplete on the mid-range phone profile")
        first["page"].close()
        repeat = load(context, throttle=True, cpu_slowdown=MID_RANGE_CPU_SLOWDOWN)
        repeat["page"].close()
        return {"phone_first": first, "phone_repeat": repeat}
    finally:
        context.close()


def mid_range_phone_floor(browser, base: str, person: dict) -> dict:
    """The same profile and steps for bench.floor's one-prompt page: the floor of a repeat load."""
    context = new_context(browser, base, person, "allow", viewport=MID_RANGE_PHONE)
    try:
        first = load(context, throttle=True, cpu_slowdown=MID_RANGE_CPU_SLOWDOWN, url=PAGE_SCOPE)
        wait_for_service_worker(first["page"])
        first["page"].close()
        repeat = load(context, throttle=True, cpu_slowdown=MID_RANGE_CPU_SLOWDOWN, url=PAGE_SCOPE)
        repeat["page"].close()
        return {"phone_floor_repeat": repeat}
    finally:
        context.close()


def without_service_worker(browser, base: str, person: dict, log: Log, try_offline: bool) -> dict:
    context = new_context(browser, base, person, "block")
    try:
        log.mark()
        first = load(context, throttle=True)
        first["page"].wait_for_timeout(300)
        first["served"] = log.since()
        first["page"].close()
        repeat = load(context, throttle=True)
        repeat["page"].close()
        result = {"nosw_first": first, "nosw_repeat": repeat}
        if try_offline:
            context.set_offline(True)
            page = context.new_page()
            try:
                page.goto(SCREEN, wait_until="commit", timeout=15_000)
                result["nosw_offline"] = "loaded?!"
            except Exception as error:  # the expected outcome: no document at all
                found = re.search(r"net::\w+", str(error))
                result["nosw_offline"] = found.group(0) if found else str(error).splitlines()[0]
            page.close()
        return result
    finally:
        context.close()


def measure_times(base: str, person: dict, log: Log, repeat: int, shell_size: int) -> tuple[dict, str]:
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[dict]] = {}
    offline_without = ""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for index in range(repeat):
                # Alternate which variant goes first, so a drift in machine load hits both alike.
                runs = [
                    lambda: with_service_worker(browser, base, person, log, shell_size),
                    lambda i=index: without_service_worker(browser, base, person, log, try_offline=i == 0),
                    lambda: mid_range_phone(browser, base, person, shell_size),
                    lambda: mid_range_phone_floor(browser, base, person),
                ]
                for run in runs if index % 2 == 0 else reversed(runs):
                    for name, facts in run().items():
                        if isinstance(facts, str):
                            offline_without = facts
                        else:
                            facts.pop("page", None)
                            samples.setdefault(name, []).append(facts)
                print(
                    f"  repetition {index + 1}/{repeat}: "
                    + ", ".join(f"{name} {facts[-1]['ready']:.0f}" for name, facts in samples.items())
                    + " ms",
                    flush=True,
                )
        finally:
            browser.close()
    return samples, offline_without


# --- report ------------------------------------------------------------------------------------------


def median(rows: list[dict], key: str) -> float | None:
    values = [row[key] for row in rows if row.get(key) is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="loads per scenario (median reported)")
    args = parser.parse_args()

    workdir = scratch_dir("leerlus-bench-pwa-")
    log_path = workdir / "gunicorn.log"
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database("sqlite", "leerlus_bench_pwa") as url,
    ):
        env = bench_env(url, redis.url, workdir)
        person = seed_team(make_app(env), 1)[0]
        # bench.floor: the real app plus the one-prompt page of the floor, on the Procfile's gunicorn.
        with gunicorn(env, log_path, app="bench.floor:app") as base:
            sizes = measure_bytes(base, person)
            print(
                f"Fast 3G = DevTools preset: latency {FAST_3G['latency']} ms, download "
                f"{FAST_3G['downloadThroughput']:,.0f} B/s, upload {FAST_3G['uploadThroughput']:,.0f} B/s; "
                f"{args.repeat} repetitions, fresh browser context each",
                flush=True,
            )
            samples, offline_without = measure_times(
                base, person, Log(log_path), args.repeat, len(sizes["shell"])
            )
    shutil.rmtree(workdir, ignore_errors=True)
    report(sizes, samples, offline_without)


def report(sizes: dict, samples: dict, offline_without: str) -> None:
    shell, worker, resident = sizes["shell"], sizes["worker"], sizes["resident"]
    print("\nBytes (response bodies; gzip = Python gzip per response, mtime 0)")
    print(f"{'what':44} {'raw':>9} {'sent':>9} {'encoding':>9} {'gzip -6':>9} {'gzip -9':>9}")
    for row in [*shell, worker, resident]:
        name = re.sub(r"^https?://[^/]+", "", row["url"]).split("?v=")[0]
        name = "/f/<token>" if name.startswith("/f/") else name
        print(
            f"{name:44} {row['raw']:9,d} {row['sent']:9,d} {row['encoding']:>9} {row['gzip6']:9,d} "
            f"{row['gzip9']:9,d}"
        )
    encodings = sorted({row["encoding"] for row in shell})
    print(
        f"{'precache list total (' + str(len(shell)) + ' URLs)':44} {total(shell, 'raw'):9,d} "
        f"{total(shell, 'sent'):9,d} {'/'.join(encodings):>9} {total(shell, 'gzip6'):9,d} {total(shell, 'gzip9'):9,d}"
    )

    scenarios = [
        ("sw_first", "with SW: first load, Fast 3G"),
        ("sw_repeat_online", "with SW: repeat load, Fast 3G online"),
        ("sw_repeat_offline", "with SW: repeat load, offline"),
        ("nosw_first", "without SW: first load, Fast 3G"),
        ("nosw_repeat", "without SW: repeat load, Fast 3G (HTTP cache)"),
        ("phone_first", "320 px phone, CPU 4x: first load, Fast 3G"),
        ("phone_repeat", "320 px phone, CPU 4x: repeat load with SW, Fast 3G"),
        ("phone_floor_repeat", "  its floor: one-prompt page, same SW steps"),
    ]
    print(
        "\nReflection screen /app/#/nieuw until the first prompt is usable (ms from navigation start; "
        "median, min-max)"
    )
    print(
        f"{'scenario':46} {'median':>7} {'min-max':>12} {'requests':>9} {'on network':>11} {'net bytes':>10} "
        f"{'doc end':>8} {'/me end':>8}"
    )
    for key, label in scenarios:
        rows = samples[key]
        ready = [row["ready"] for row in rows]
        me_end = median(rows, "me_end")
        print(
            f"{label:46} {statistics.median(ready):7.0f} {min(ready):5.0f}-{max(ready):<6.0f} "
            f"{median(rows, 'requests'):9.0f} {median(rows, 'network_requests'):11.0f} "
            f"{median(rows, 'network_bytes'):10,.0f} {median(rows, 'document_end'):8.0f} "
            f"{'-' if me_end is None else f'{me_end:.0f}':>8}"
        )
    print(f"{'without SW: load offline':46} fails: {offline_without}")
    size_of = {re.sub(r"^https?://[^/]+", "", row["url"]): row["raw"] for row in [*shell, worker]}

    def body(method: str, path: str, status: int, logged: int) -> int:
        return logged or (size_of.get(path, 0) if status == 200 else 0)

    visits = []
    for key, label in (
        ("sw_first", "first visit with SW (page + precache)"),
        ("nosw_first", "first visit without SW"),
    ):
        served = [[r for r in row["served"] if r[1].startswith("/app/")] for row in samples[key]]
        count = statistics.median(len(rows) for rows in served)
        size = statistics.median(sum(body(*r) for r in rows) for rows in served)
        print(
            f"{label}: the server answered {count:.0f} requests for /app/ files, {size:,.0f} B of bodies "
            "(median, bytes as sent, so gzipped where the client accepts it)"
        )
        visits.append((f"PWA {label}", f"{count:.0f} requests, {size:,.0f} B served for /app/ (median)"))
    reached = sorted({f"{r[0]} {r[1]}" for row in samples["sw_repeat_offline"] for r in row["served"]})
    print(f"offline repeat loads with SW that reached the server anyway: {reached or 'none'}")
    problems = sorted({error for rows in samples.values() for row in rows for error in row["errors"]})
    if problems:
        print(f"page errors: {problems}")

    shell_line = (
        f"{total(shell, 'gzip9'):,} B gzip -9 ({len(shell)} URLs; raw {total(shell, 'raw'):,} B; "
        f"server sends {total(shell, 'sent'):,} B, Content-Encoding {'/'.join(encodings)})"
    )
    summary("PWA precached shell, gzip -9 bytes", shell_line)
    summary(
        "PWA resident page /f/<token>, gzip -9 bytes",
        f"{resident['gzip9']:,} B (raw {resident['raw']:,} B; server sends {resident['sent']:,} B, "
        f"Content-Encoding {resident['encoding']})",
    )
    # issue #24: ms until usable, first visit and repeat (with the service worker)
    goals = {
        "sw_first": 1200,
        "nosw_first": 1200,
        "phone_first": 1200,
        "sw_repeat_online": 200,
        "phone_repeat": 200,
    }
    for key, label in scenarios:
        ready = [row["ready"] for row in samples[key]]
        goal = f"; goal <= {goals[key]} ms" if key in goals else ""
        summary(
            f"PWA reflection screen, {label}",
            f"{statistics.median(ready):.0f} ms median ({min(ready):.0f}-{max(ready):.0f}, n={len(ready)}{goal})",
        )
    floor = statistics.median(row["ready"] for row in samples["phone_floor_repeat"])
    summary(
        "PWA 320 px phone, CPU 4x: repeat load / its floor",
        f"{statistics.median(row['ready'] for row in samples['phone_repeat']) / floor:.2f} "
        f"(floor {floor:.0f} ms: a one-prompt page from its service worker, same profile)",
    )
    summary("PWA reflection screen, without SW: load offline", f"fails ({offline_without})")
    for name, value in visits:
        summary(name, value)


if __name__ == "__main__":
    main()
