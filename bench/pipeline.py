"""The event pipeline: from the 201 of a reflection to its processed_at, and worker throughput.

    .venv/bin/python -m bench.pipeline [--latency 20] [--throughput 100] [--burst 1000] [--db postgresql]

Real `leerlus worker` processes (deduce and the classifier preloaded, a forked work horse per job) on
a private redis-server and a database of our own. Latency: one reflection at a time through the API
(in-process test client; the outbox relay after commit hands it to Redis), polled every 10 ms until
processed_at is set, on an idle worker. Throughput: a batch posted at once, one worker, reflections
and texts (4 fields each) per second including de-identification, classification and the team-week
recount. Burst: reflections written straight to the database with their outbox events (as after a
Redis outage), relayed at once and drained by two workers; failed jobs must stay 0.
"""

import argparse
import shutil
import time
import uuid
from datetime import datetime

from bench.support import (
    bench_env,
    database,
    make_app,
    percentile,
    postgres_available,
    reflection_body,
    scratch_dir,
    seed_team,
    start_worker,
    stop,
    summary,
)
from server.embedded import EmbeddedRedis

TEXT_FIELDS = 4


def wait(condition, timeout: float, interval: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


class Pipeline:
    def __init__(self, app, person: dict, redis_url: str):
        from redis import Redis

        self.app, self.person = app, person
        self.redis = Redis.from_url(redis_url)
        self.client = app.test_client()
        name, token = person["cookie"].split("=", 1)
        self.client.set_cookie(name, token)

    def post(self) -> uuid.UUID:
        response = self.client.post("/api/v1/reflections", json=reflection_body(),
                                    headers={"X-CSRF-Token": self.person["csrf"]})
        assert response.status_code == 201, response.get_data(as_text=True)[:300]
        return uuid.UUID(response.get_json()["id"])

    def unprocessed(self, ids: list[uuid.UUID]) -> int:
        from sqlalchemy import func, select

        from server.extensions import db
        from server.models import Reflection

        with self.app.app_context():
            return db.session.scalar(select(func.count()).where(Reflection.id.in_(ids),
                                                                Reflection.processed_at.is_(None)))

    def workers(self) -> int:
        from rq import Worker

        return len(Worker.all(connection=self.redis))

    def failed_jobs(self) -> int:
        from rq.registry import FailedJobRegistry

        from server.queue import QUEUE_NAMES

        return sum(FailedJobRegistry(name, connection=self.redis).count for name in QUEUE_NAMES)

    def write_burst(self, count: int) -> list[uuid.UUID]:
        """Reflections and their outbox events in one transaction, then relayed until none is left."""
        from server.events import emit, relay
        from server.extensions import db
        from server.models import Reflection

        ids = []
        with self.app.app_context():
            for index in range(count):
                body = reflection_body(index)
                reflection = Reflection(client_id=uuid.UUID(body["client_id"]), author_id=self.person["user_id"],
                                        team_id=self.person["team_id"],
                                        occurred_at=datetime.fromisoformat(body["occurred_at"]),
                                        what_happened=body["what_happened"], noticed=body["noticed"],
                                        why=body["why"], next_time=body["next_time"], visibility="team",
                                        learning_zone="learning", energy=3, payload_hash="bench")
                db.session.add(reflection)
                db.session.flush()
                emit("reflection.submitted", reflection_id=reflection.id)
                ids.append(reflection.id)
            db.session.commit()
            while relay():  # the after-commit relay takes 500 at a time
                pass
            db.session.remove()
        return ids


def run(kind: str, args) -> None:
    workdir = scratch_dir(f"leerlus-bench-pipeline-{kind}-")
    workers = []
    with EmbeddedRedis(workdir / "redis", persist=False) as redis, database(kind, "leerlus_bench_pipeline") as url:
        env = bench_env(url, redis.url, workdir)
        app = make_app(env)
        pipeline = Pipeline(app, seed_team(app, 1)[0], redis.url)
        try:
            started = time.monotonic()
            workers.append(start_worker(env, workdir / "worker1.log"))
            wait(lambda: pipeline.workers() >= 1, 180, 0.5, "the first worker to register")
            print(f"{kind}: worker ready after {time.monotonic() - started:.1f} s (deduce and classifier preloaded)")
            warm = [pipeline.post() for _ in range(3)]
            wait(lambda: pipeline.unprocessed(warm) == 0, 120, 0.1, "warm-up reflections")

            latencies = []
            for _ in range(args.latency):
                reflection_id = pipeline.post()
                answered = time.perf_counter()
                wait(lambda rid=reflection_id: pipeline.unprocessed([rid]) == 0, 60, 0.01, "one reflection")
                latencies.append((time.perf_counter() - answered) * 1000)
            median, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
            print(f"{kind}: 201 -> processed_at, idle worker, {args.latency} reflections: "
                  f"median {median:.0f} ms, p95 {p95:.0f} ms")
            summary(f"Pipeline {kind}: 201 -> processed_at (1 idle worker)", f"median {median:.0f} ms, p95 {p95:.0f} ms")

            posted_at = time.perf_counter()
            batch = [pipeline.post() for _ in range(args.throughput)]
            wait(lambda: pipeline.unprocessed(batch) == 0, 900, 0.2, "the throughput batch")
            rate = args.throughput / (time.perf_counter() - posted_at)
            print(f"{kind}: 1 worker, {args.throughput} reflections posted at once: {rate:.1f} reflections/s = "
                  f"{rate * TEXT_FIELDS:.1f} texts/s")
            summary(f"Pipeline {kind}: 1 worker throughput", f"{rate:.1f} reflections/s = {rate * TEXT_FIELDS:.1f} texts/s "
                    "(de-identify + classify + recount)")

            workers.append(start_worker(env, workdir / "worker2.log"))
            wait(lambda: pipeline.workers() >= 2, 180, 0.5, "the second worker to register")
            written = time.perf_counter()
            burst = pipeline.write_burst(args.burst)
            relayed = time.perf_counter()
            wait(lambda: pipeline.unprocessed(burst) == 0, 1200, 0.5, "the burst")
            drained = time.perf_counter()
            failed = pipeline.failed_jobs()
            burst_rate = args.burst / (drained - relayed)
            print(f"{kind}: burst of {args.burst}: written and relayed in {relayed - written:.1f} s, drained by 2 workers "
                  f"in {drained - relayed:.1f} s ({burst_rate:.1f} reflections/s, {burst_rate / rate:.2f}x one worker); "
                  f"failed jobs: {failed}")
            summary(f"Pipeline {kind}: burst of {args.burst}, 2 workers",
                    f"{drained - relayed:.0f} s, {burst_rate:.1f} reflections/s ({burst_rate / rate:.2f}x one worker), "
                    f"failed jobs {failed} (goal 0)")
        finally:
            for worker in workers:
                stop(worker, timeout=60)
    shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, default=20, help="reflections, one at a time")
    parser.add_argument("--throughput", type=int, default=100, help="reflections for one worker")
    parser.add_argument("--burst", type=int, default=1000, help="reflections for two workers")
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    kind = args.db if args.db == "sqlite" or postgres_available() else "sqlite"
    run(kind, args)


if __name__ == "__main__":
    main()
