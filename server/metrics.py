"""Prometheus metrics at /metrics (prometheus-client), for the gemeente's monitoring.

Two kinds of series:
- counted where things happen: request latency per route template (never per id or token), digest
  build durations (worker), push results by class (worker). Under gunicorn several processes count:
  with PROMETHEUS_MULTIPROC_DIR set (server/gunicorn_config.py sets one up) prometheus-client writes
  each process's numbers to files there and /metrics adds them up. Give a worker on the same host
  the same directory and its series appear at the web's /metrics too.
- read at scrape time from the database and Redis (StateCollector): outbox pending count and the
  age of the oldest pending event, RQ queue depths and failed jobs, RQ worker and relay heartbeats.
  Every web process answers these the same, so they need no multiprocess bookkeeping.

/metrics is off unless METRICS_TOKEN is set, and then answers only `Authorization: Bearer <token>`.
"""

import hmac
import time
from datetime import datetime

from flask import Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily

from server.logs import route_template

REQUEST_SECONDS = Histogram(
    "leerlus_http_request_duration_seconds",
    "Time to answer a request, per route template.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DIGEST_BUILD_SECONDS = Histogram(
    "leerlus_digest_build_duration_seconds",
    "Time to build one team-week digest.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
PUSH_RESULTS = Counter(
    "leerlus_push_results_total", "Notifications handled by the push worker, by outcome.", ["result"]
)


class StateCollector:
    """Gauges computed from the database and Redis when Prometheus scrapes."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        # The database and Redis parts load at the first scrape: server/__init__ imports this module,
        # and so runs it for every `import server.x`, pure packages included.
        from sqlalchemy import func, select

        from server.events import HEARTBEAT_KEY
        from server.extensions import db
        from server.models import OutboxEvent, utcnow

        now = utcnow()
        pending, oldest = db.session.execute(
            select(func.count(), func.min(OutboxEvent.created_at)).where(OutboxEvent.processed_at.is_(None))
        ).one()
        if isinstance(oldest, str):  # SQLite hands min() back as text
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        yield GaugeMetricFamily(
            "leerlus_outbox_pending_events", "Outbox events not yet processed.", value=pending
        )
        yield GaugeMetricFamily(
            "leerlus_outbox_oldest_pending_age_seconds",
            "Age of the oldest unprocessed outbox event (0 when none).",
            value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        )
        yield from self._redis_state(now, HEARTBEAT_KEY)

    def _redis_state(self, now, heartbeat_key):
        # At scrape time, as in collect().
        from rq import Worker
        from rq.registry import FailedJobRegistry

        from server.queue import QUEUE_NAMES, get_queue, redis_connection

        up = GaugeMetricFamily("leerlus_redis_up", "1 when Redis answered this scrape.")
        try:
            redis = redis_connection()
            depth = GaugeMetricFamily(
                "leerlus_rq_queue_jobs", "Jobs waiting in an RQ queue.", labels=["queue"]
            )
            failed = GaugeMetricFamily(
                "leerlus_rq_failed_jobs", "Jobs in an RQ queue's failed registry.", labels=["queue"]
            )
            for name in QUEUE_NAMES:
                queue = get_queue(name)
                depth.add_metric([name], queue.count)
                failed.add_metric([name], FailedJobRegistry(queue=queue).count)
            workers = Worker.all(connection=redis)
            beats = [w.last_heartbeat for w in workers if w.last_heartbeat]
            relay_beat = redis.get(heartbeat_key)
        except Exception:  # noqa: BLE001 - a scrape during a Redis outage still reports the database side
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield depth
        yield failed
        yield GaugeMetricFamily(
            "leerlus_rq_workers", "RQ workers registered (alive within their TTL).", value=len(workers)
        )
        yield GaugeMetricFamily(
            "leerlus_rq_worker_last_heartbeat_timestamp_seconds",
            "Unix time of the most recent heartbeat of any RQ worker (0: none).",
            value=max((_aware(b, now).timestamp() for b in beats), default=0),
        )
        yield GaugeMetricFamily(
            "leerlus_relay_last_heartbeat_timestamp_seconds",
            "Unix time of the outbox relay's last pass (0: none within its expiry).",
            value=datetime.fromisoformat(relay_beat.decode()).timestamp() if relay_beat else 0,
        )


def _aware(moment: datetime, now: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


# prometheus-client chose per-process files or memory when it was imported; follow that choice (the
# environment variable may have been set later in this process, e.g. by importing the gunicorn config).
_MULTIPROCESS = values.ValueClass is not values.MutexValue


def _registry(app) -> CollectorRegistry:
    if _MULTIPROCESS:
        from prometheus_client import multiprocess  # only under gunicorn with several workers

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUEST_SECONDS, DIGEST_BUILD_SECONDS, PUSH_RESULTS):
            registry.register(collector)
    registry.register(StateCollector(app))
    return registry


def init_app(app) -> None:
    # server.errors brings SQLAlchemy: here rather than at the top, for the reason in collect().
    from server.errors import Problem

    @app.after_request
    def _observe(response):
        started = g.get("request_started")  # set by server/logs.py, the first hook of every request
        if started is not None:
            REQUEST_SECONDS.labels(request.method, route_template(), str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response

    def metrics():
        token = current_app.config.get("METRICS_TOKEN")
        if not token:
            raise Problem(404, "Deze pagina bestaat niet.")
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise Problem(401, "Geef het metrics-token mee.")
        return Response(
            generate_latest(_registry(current_app._get_current_object())), mimetype=CONTENT_TYPE_LATEST
        )

    app.add_url_rule("/metrics", "metrics", metrics)
