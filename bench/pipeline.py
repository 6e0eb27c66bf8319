"""The event pipeline: 201 -> processed_at on an idle worker, one worker's throughput, a burst on two.

    .venv/bin/python -m bench.pipeline [--latency 20] [--throughput 200] [--rounds 2] [--burst 1000] [--threads 8]
                                       [--db postgresql sqlite] [--budget 540]

Production's processes, on a private redis-server and a database of our own: gunicorn from the
Procfile's web line, `leerlus scheduler` (the outbox relay's timer and periodic jobs) and `leerlus
worker` (deduce and the classifier preloaded once, jobs run in that process: RQ SimpleWorker;
`--processes 2` forks two such workers from one preloaded parent: RQ WorkerPool, as WORKER_PROCESSES=2
runs in production). Every reflection is a real `POST /api/v1/reflections` over HTTP with a
medewerker's session cookie; the outbox relay hands its event to Redis as it does in production.

- Latency: one reflection at a time on an idle worker, from the 201 until processed_at is set
  (polled every 10 ms; the fast path's themes are there then); RQ's own timestamps split it into
  queue wait (enqueued -> started) and job; and until every event is done (the e5 refine job too,
  when the fast path was unsure: the final themes).
- Throughput, one worker: workers suspended (as `rq suspend`), a batch posted and queued, then
  resumed; the rate is reflections over the span of their processed_at (the worker's clock: neither
  the client nor RQ's one-second suspension poll counts), best of --rounds, with the worker's CPU per
  reflection until the default queue is done: the last processed_at and the team-week recounts the
  backlog marked (robust to a loaded machine). A reflection has 4 texts, each de-identified; the
  classification and the team-week recount are included (one recount job per marked team week
  since item 22, counted per round). Then the refine backlog (e5 jobs on the low-priority queue,
  which the worker takes once the default queue is empty): the time from then until every event is
  done, and the worker's CPU in it per refined reflection (with the recounts the refinements marked).
- Burst: --burst reflections posted by --threads client threads for 16 medewerkers in 8 teams while
  `leerlus worker --processes 2` drains them. Reported: drain time from the first 201 and from the last
  201, the workers' own rate (processed_at span) while the posts come in and after, failed jobs (RQ
  failed registry), retries waiting (scheduled registry), tracebacks in the logs, and that every
  reflection has processed_at and de-identified text without the sample's name and phone number.

Databases run in turn, PostgreSQL first; a later one skips its burst once half of --budget is used,
so `make bench`'s timeout is not reached on a loaded machine.
"""

import argparse
import http.cookiejar
import json
import os
import random
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.support import (
    ROOT,
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
from server.embedded import EmbeddedRedis, start_leerlus, start_worker, stop, wait_until

TEXT_FIELDS = 4
TEAMS, PER_TEAM = 8, 2
# What de-identification must have taken out of reflection_body()'s texts.
IDENTIFYING = ("Jansen", "Fatima", "06-12345678")
MIXED_FIELDS = ("noticed", "why", "next_time")


def corpus_reflections(count: int = 300) -> list[str]:
    """Dutch reflections of the theme corpus, a fixed sample. The worker sends a text to e5 only when
    the fast path is unsure (server.themes.semantic.needs_e5), so its cost depends on the text: one
    text repeated measures either none or all of that cost, a mix measures the share a team sends."""
    texts = [
        item["text"]
        for path in sorted((ROOT / "server" / "themes" / "corpus").glob("*.jsonl"))
        for item in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if item["kind"] == "reflection" and item.get("lang", "nl") == "nl"
    ]
    return random.Random(24).sample(texts, count)


TEXTS = corpus_reflections()


def mixed_body(index: int) -> dict:
    """reflection_body() (with the personal data to de-identify) whose other fields come from the corpus."""
    body = reflection_body(index)
    for offset, field in enumerate(MIXED_FIELDS):
        body[field] = TEXTS[(index * len(MIXED_FIELDS) + offset) % len(TEXTS)]
    return body


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Client:
    """POSTs reflections over HTTP: a requests.Session per thread, each request as one medewerker."""

    def __init__(self, base: str, people: list[dict]):
        self.base, self.people = base, people
        self.local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            session = requests.Session()
            # Cookies go in by hand per request (medewerkers alternate); the jar must not add its own.
            session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
            self.local.session = session
        return self.local.session

    def post(self, index: int) -> tuple[int, str | None, float]:
        """(status, reflection id or None, time of the answer)."""
        person = self.people[index % len(self.people)]
        response = self._session().post(
            f"{self.base}/api/v1/reflections",
            json=mixed_body(index),
            timeout=60,
            headers={"Cookie": person["cookie"], "X-CSRF-Token": person["csrf"]},
        )
        answered = time.time()  # wall clock, to compare with processed_at
        return response.status_code, response.json()["id"] if response.status_code == 201 else None, answered

    def post_many(self, count: int, threads: int):
        """Returns (ids, statuses, first 201, last 201)."""
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(self.post, range(count)))
        times = [at for status, _, at in results if status == 201]
        return (
            [rid for _, rid, _ in results if rid],
            Counter(status for status, _, _ in results),
            min(times),
            max(times),
        )


class Observer:
    """Reads what the workers did: the database (processed_at, de-identified text) and RQ's registries."""

    def __init__(self, app, redis_url: str):
        from redis import Redis

        self.app = app
        self.redis = Redis.from_url(redis_url)

    def _scalar(self, query):
        from server.extensions import db

        with self.app.app_context(), db.engine.connect() as conn:
            return conn.execute(query).scalar()

    def processed_at(self, reflection_id: str):
        from sqlalchemy import select

        from server.models import Reflection

        return self._scalar(select(Reflection.processed_at).where(Reflection.id == uuid.UUID(reflection_id)))

    def unprocessed(self) -> int:
        """Reflections and outbox events still waiting (0 = every job has done its database work)."""
        from sqlalchemy import func, select

        from server.models import OutboxEvent, Reflection

        return self._scalar(select(func.count()).where(Reflection.processed_at.is_(None))) + self._scalar(
            select(func.count()).where(OutboxEvent.processed_at.is_(None))
        )

    def default_pending(self) -> int:
        """Outbox events still waiting other than e5 refinements: what the default queue still has to do
        (the fast path and, since item 22, the team-week recounts it marked)."""
        from sqlalchemy import func, select

        from server.models import OutboxEvent

        return self._scalar(
            select(func.count()).where(
                OutboxEvent.processed_at.is_(None), OutboxEvent.kind != "reflection.refine"
            )
        )

    def recounts(self) -> int:
        """Team-week recount jobs so far (item 22; none before it, when every job recounted its week)."""
        from sqlalchemy import func, select

        from server.models import OutboxEvent

        return self._scalar(select(func.count()).where(OutboxEvent.kind == "team_week.recount"))

    def refined(self, ids: list[str]) -> int:
        """Outbox events for these reflections other than their submission: the e5 refine jobs."""
        from sqlalchemy import select

        from server.events import Event
        from server.extensions import db
        from server.models import OutboxEvent

        wanted = set(ids)
        with self.app.app_context(), db.engine.connect() as conn:
            rows = conn.execute(
                select(OutboxEvent.payload).where(OutboxEvent.kind != Event.REFLECTION_SUBMITTED)
            )
            return sum(1 for (payload,) in rows if payload.get("reflection_id") in wanted)

    def processed_times(self, ids: list[str]) -> list[float]:
        """The reflections' processed_at (set by the workers), as sorted epoch seconds."""
        return sorted(row[0].timestamp() for row in self._rows(ids, "processed_at") if row[0] is not None)

    def leaked(self, ids: list[str]) -> int:
        """Reflections whose de-identified text is missing or still holds the sample's identifiers."""
        return sum(
            1
            for (texts,) in self._rows(ids, "deidentified")
            if not texts or any(word in value for value in texts.values() for word in IDENTIFYING)
        )

    def _rows(self, ids: list[str], column: str):
        from sqlalchemy import select

        from server.extensions import db
        from server.models import Reflection

        with self.app.app_context(), db.engine.connect() as conn:
            return conn.execute(
                select(getattr(Reflection, column)).where(Reflection.id.in_([uuid.UUID(x) for x in ids]))
            ).all()

    def job_timings(self, ids: list[str]) -> list[tuple[float, float]]:
        """(queue wait, job) in ms for the reflections' outbox jobs, from RQ's own timestamps."""
        from rq.job import Job
        from rq.serializers import JSONSerializer
        from sqlalchemy import select

        from server.extensions import db
        from server.models import OutboxEvent

        wanted = set(ids)
        with self.app.app_context(), db.engine.connect() as conn:
            events = [
                event_id
                for event_id, payload in conn.execute(select(OutboxEvent.id, OutboxEvent.payload))
                if payload.get("reflection_id") in wanted
            ]
        jobs = Job.fetch_many(
            [f"outbox-{event_id}" for event_id in events], connection=self.redis, serializer=JSONSerializer
        )
        return [
            (
                (job.started_at - job.enqueued_at).total_seconds() * 1000,
                (job.ended_at - job.started_at).total_seconds() * 1000,
            )
            for job in jobs
            if job and job.enqueued_at and job.started_at and job.ended_at
        ]

    def queued(self) -> int:
        from rq import Queue
        from rq.serializers import JSONSerializer

        from server.queue import QUEUE_NAMES

        return sum(
            Queue(name, connection=self.redis, serializer=JSONSerializer).count for name in QUEUE_NAMES
        )

    def workers(self) -> int:
        from rq import Worker

        return len(Worker.all(connection=self.redis))

    def registries(self) -> dict:
        from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

        from server.queue import QUEUE_NAMES

        return {
            label: sum(registry(name, connection=self.redis).count for name in QUEUE_NAMES)
            for label, registry in (
                ("failed", FailedJobRegistry),
                ("retries waiting", ScheduledJobRegistry),
                ("started", StartedJobRegistry),
            )
        }


def cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU of the worker's whole process group so far."""
    total = 0
    for pid in subprocess.run(
        ["pgrep", "-g", str(process.pid)], capture_output=True, text=True
    ).stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


def busy_since(start: tuple[int, int]) -> str:
    busy, total = (now - then for now, then in zip(machine_ticks(), start, strict=True))
    return f"machine CPU {100 * busy / total:.0f} % busy" if total else "machine CPU unknown"


def backlog(observer, client, worker, count: int, threads: int):
    """Suspend the workers, post `count`, resume; (rate by processed_at span, rate by wall clock from
    the resume, reflections processed after the resume, worker CPU ms per reflection until the last
    processed_at and every team-week recount are done, load average, refined reflections, s from then
    until every event is done, worker CPU ms per refined reflection in that time, recount jobs in the
    two parts)."""
    from rq.suspension import resume, suspend

    suspend(observer.redis)
    try:
        ids, statuses, _, _ = client.post_many(count, threads)
        assert statuses == {201: count}, statuses
        # All relayed (the worker may have taken one job before it saw the suspension).
        wait_until(lambda: observer.queued() >= count - 1, 60, 0.05, "the batch to be queued")
        cpu, resumed, ticks = cpu_seconds(worker), time.time(), machine_ticks()
        recounts = observer.recounts()
    finally:
        resume(observer.redis)
    wait_until(lambda: len(observer.processed_times(ids)) == count, 240, 0.02, "the fast path")
    # The recounts the backlog marked run on the default queue after it, before any e5 job: their CPU
    # belongs to the fast path's (before item 22 each job recounted its week itself).
    wait_until(lambda: observer.default_pending() == 0, 240, 0.02, "the team-week recounts")
    wall, fast_cpu, busy = time.time() - resumed, cpu_seconds(worker) - cpu, busy_since(ticks)
    fast_recounts = observer.recounts() - recounts
    fast_done = time.time()
    wait_until(lambda: observer.unprocessed() == 0, 600, 0.05, "the refine backlog")
    drain, refine_cpu, refined = (
        time.time() - fast_done,
        cpu_seconds(worker) - cpu - fast_cpu,
        observer.refined(ids),
    )
    # The worker may have taken one job from BLPOP before it saw the suspension.
    times = [at for at in observer.processed_times(ids) if at >= resumed]
    return (
        worker_rate(times),
        len(times) / wall,
        len(times),
        fast_cpu * 1000 / len(times),
        f"{busy}, load {loadavg()}",
        refined,
        drain,
        refine_cpu * 1000 / refined if refined else float("nan"),
        (fast_recounts, observer.recounts() - recounts - fast_recounts),
    )


def worker_rate(times: list[float]) -> float:
    """Reflections per second from the span of their processed_at: (n - 1) intervals."""
    span = times[-1] - times[0] if times else 0
    return (len(times) - 1) / span if len(times) > 1 and span > 0 else float("nan")


def memory(process: subprocess.Popen) -> str:
    """PSS (shared pages split between sharers) and RSS of the worker's whole process group, in MB."""
    pids = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    pss, rss = 0, []
    for pid in pids:
        try:
            fields = dict(
                line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
            )
        except OSError:
            continue
        pss += int(fields["Pss"].split()[0])
        rss.append(int(fields["Rss"].split()[0]) // 1024)
    return f"PSS {pss // 1024} MB in total, RSS {' + '.join(map(str, rss))} MB ({len(rss)} processes)"


def tracebacks(workdir: Path) -> int:
    return sum(log.read_text(errors="replace").count("Traceback") for log in workdir.glob("*.log"))


def run(kind: str, args, burst: int) -> None:
    workdir = scratch_dir(f"leerlus-bench-pipeline-{kind}-")
    measure(kind, args, burst, workdir)
    shutil.rmtree(workdir, ignore_errors=True)  # kept, with its logs, when the run failed


def measure(kind: str, args, burst: int, workdir: Path) -> None:
    from rq.suspension import resume

    processes = []
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        database(kind, f"leerlus_bench_pipeline_{os.getpid()}") as url,  # own name: a shared machine
    ):
        env = bench_env(url, redis.url, workdir)
        app = make_app(env)
        people = [person for _ in range(TEAMS) for person in seed_team(app, PER_TEAM)]
        observer = Observer(app, redis.url)
        with gunicorn(env, workdir / "web.log") as base:
            client = Client(base, people)
            try:
                started = time.monotonic()
                processes.append(start_leerlus(["scheduler"], env, workdir / "scheduler.log"))
                worker = start_worker(env, workdir / "worker1.log")
                processes.append(worker)
                wait_until(lambda: observer.workers() >= 1, 300, 0.5, "the worker to register")
                print(
                    f"{kind}: worker ready after {time.monotonic() - started:.1f} s (deduce and classifier "
                    "preloaded)",
                    flush=True,
                )
                client.post_many(3, 1)
                wait_until(lambda: observer.unprocessed() == 0, 120, 0.1, "the warm-up reflections")

                # (a) 201 -> processed_at, one idle worker.
                latencies, finals, ids = [], [], []
                for index in range(args.latency):
                    wait_until(lambda: observer.unprocessed() == 0, 60, 0.05, "an idle worker")
                    time.sleep(0.2)  # let the previous job's RQ bookkeeping finish: the worker waits in BLPOP
                    status, reflection_id, answered = client.post(index)
                    assert status == 201, status
                    wait_until(
                        lambda rid=reflection_id: observer.processed_at(rid), 60, 0.01, "one reflection"
                    )
                    latencies.append((time.time() - answered) * 1000)
                    ids.append(reflection_id)
                    wait_until(lambda: observer.unprocessed() == 0, 60, 0.01, "its refine job")
                    finals.append((time.time() - answered) * 1000)
                median, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
                final_median, final_p95 = percentile(finals, 0.5), percentile(finals, 0.95)
                timings = observer.job_timings(ids)
                waited, job = (
                    percentile([w for w, _ in timings], 0.5),
                    percentile([j for _, j in timings], 0.5),
                )
                print(
                    f"{kind}: 201 -> processed_at, idle worker, {args.latency} reflections: median {median:.0f} ms, "
                    f"p95 {p95:.0f} ms, max {max(latencies):.0f} ms (RQ: median queue wait {waited:.0f} ms, "
                    f"job {job:.0f} ms); until every event is done (final themes, {observer.refined(ids)} refined): "
                    f"median {final_median:.0f} ms, p95 {final_p95:.0f} ms; worker memory: {memory(worker)}; "
                    f"load {loadavg()}",
                    flush=True,
                )
                summary(
                    f"Pipeline {kind}: 201 -> processed_at, 1 idle worker (goal median < 1 s)",
                    f"median {median:.0f} ms, p95 {p95:.0f} ms (n={args.latency}; in RQ: queue wait {waited:.0f} ms,"
                    f" job {job:.0f} ms, medians; load average {os.getloadavg()[0]:.1f})",
                )

                # (b) one worker's throughput on a backlog, in rounds (a loaded machine moves single rounds).
                rounds = [
                    backlog(observer, client, worker, args.throughput, args.threads)
                    for _ in range(args.rounds)
                ]
                for number, (
                    per_s,
                    wall_rate,
                    count,
                    cpu,
                    load,
                    refined,
                    drain,
                    refine_cpu,
                    recounts,
                ) in enumerate(rounds, 1):
                    print(
                        f"{kind}: 1 worker, round {number}, backlog of {args.throughput} ({count} after resume): "
                        f"{per_s:.1f} reflections/s = {per_s * TEXT_FIELDS:.0f} texts/s by processed_at span, "
                        f"{wall_rate:.1f}/s wall from resume (includes RQ's 1 s suspension poll); worker CPU "
                        f"{cpu:.1f} ms per reflection with {recounts[0]} team-week recount jobs; then {refined} refined (e5) in {drain:.1f} s, worker CPU "
                        f"{refine_cpu:.0f} ms per refined reflection with {recounts[1]} recount jobs; {load}",
                        flush=True,
                    )
                rate, cpu = max(r[0] for r in rounds), min(r[3] for r in rounds)
                summary(
                    f"Pipeline {kind}: 1 worker throughput (best of {args.rounds}; goal >= 30/s)",
                    f"{rate:.1f} reflections/s = {rate * TEXT_FIELDS:.0f} texts/s (rounds: "
                    f"{', '.join(f'{r[0]:.1f}' for r in rounds)}; backlog of {args.throughput}; de-identify 4 texts "
                    f"+ classify + team-week recount); worker CPU {cpu:.1f} ms per reflection = "
                    f"{1000 / cpu:.0f}/s on a core of its own; load average {os.getloadavg()[0]:.1f}",
                )
                summary(
                    f"Pipeline {kind}: refine backlog after the fast path (e5, low-priority queue)",
                    "; ".join(
                        f"{r[5]} of {args.throughput} refined in {r[6]:.1f} s, {r[7]:.0f} ms worker CPU each"
                        for r in rounds
                    )
                    + f"; load average {os.getloadavg()[0]:.1f}",
                )
                if not burst:
                    return

                # (c) a burst on two workers (one preloaded parent, WorkerPool), posted while they drain.
                stop(worker, timeout=60)
                processes.remove(worker)
                wait_until(lambda: observer.workers() == 0, 60, 0.2, "the single worker to leave")
                worker = start_worker(env, workdir / "worker2.log", processes=2)
                processes.append(worker)
                started = time.monotonic()
                wait_until(lambda: observer.workers() >= 2, 300, 0.5, "two pool workers to register")
                print(f"{kind}: 2 pool workers ready after {time.monotonic() - started:.1f} s", flush=True)
                cpu = cpu_seconds(worker)
                ids, statuses, first, last = client.post_many(burst, args.threads)
                posted = machine_ticks()
                wait_until(lambda: observer.unprocessed() == 0, 300, 0.05, "the burst")
                drained, busy = time.time(), busy_since(posted)
                cpu = (cpu_seconds(worker) - cpu) * 1000 / len(ids)
                times = observer.processed_times(ids)
                # The workers' own rate while the web also took CPU for the posts, and after the last 201.
                during, after = (
                    worker_rate([t for t in times if t <= last]),
                    worker_rate([t for t in times if t > last]),
                )
                registries, leaked, logged = observer.registries(), observer.leaked(ids), tracebacks(workdir)
                errors = sum(n for status, n in statuses.items() if status != 201)
                print(
                    f"{kind}: burst of {burst} posted by {args.threads} threads in {last - first:.1f} s "
                    f"({len(ids) / (last - first):.0f}/s, statuses {dict(statuses)}); drained {drained - first:.1f} s "
                    f"after the first 201 ({len(ids) / (drained - first):.1f} reflections/s) and {drained - last:.1f} s "
                    f"after the last",
                    flush=True,
                )
                print(
                    f"{kind}: the workers' rate by processed_at: {during:.1f}/s while posting, {after:.1f}/s after "
                    f"({after / rate:.2f}x one worker's best; {busy} after the posts); workers' CPU {cpu:.1f} ms "
                    f"per reflection; pool memory: {memory(worker)}",
                    flush=True,
                )
                print(
                    f"{kind}: processed_at set on {len(times)}/{len(ids)}, de-identification missing or leaking in "
                    f"{leaked}; RQ {registries}; tracebacks in logs: {logged}",
                    flush=True,
                )
                summary(
                    f"Pipeline {kind}: burst of {burst}, 2 workers (WorkerPool)",
                    f"drained {drained - first:.0f} s after the first 201 = {len(ids) / (drained - first):.1f} "
                    f"reflections/s, {drained - last:.1f} s after the last (posting took {last - first:.0f} s); "
                    f"workers {during:.1f}/s while posting, {after:.1f}/s after = {after / rate:.2f}x one",
                )
                summary(
                    f"Pipeline {kind}: burst of {burst}, errors (goal all 0)",
                    f"non-201 {errors}, failed jobs {registries['failed']}, retries waiting "
                    f"{registries['retries waiting']}, without processed_at {len(ids) - len(times)}, "
                    f"de-identification missing/leaking {leaked}, tracebacks {logged}",
                )
            finally:
                resume(observer.redis)
                for process in processes:
                    stop(process, timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, default=20, help="reflections, one at a time")
    parser.add_argument("--throughput", type=int, default=200, help="backlog for one worker")
    parser.add_argument("--rounds", type=int, default=2, help="backlog rounds for one worker")
    parser.add_argument("--burst", type=int, default=1000, help="reflections for two workers (0: skip)")
    parser.add_argument("--threads", type=int, default=8, help="client threads posting a batch")
    parser.add_argument("--db", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    parser.add_argument(
        "--budget",
        type=float,
        default=540,
        help="seconds; a later database skips its burst once half of this is used",
    )
    args = parser.parse_args()
    started = time.monotonic()
    print(f"load average at start: {loadavg()} (nproc {os.cpu_count()})", flush=True)
    for kind in args.db:
        if kind == "postgresql" and not postgres_available():
            print("postgresql: not reachable, skipped", flush=True)
            continue
        burst = args.burst
        if burst and time.monotonic() - started > args.budget / 2:
            print(
                f"{kind}: burst skipped, {time.monotonic() - started:.0f} s of the {args.budget:.0f} s budget used",
                flush=True,
            )
            burst = 0
        run(kind, args, burst)
        print(f"load average after {kind}: {loadavg()}", flush=True)
    print(f"load average at end: {loadavg()}; took {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
