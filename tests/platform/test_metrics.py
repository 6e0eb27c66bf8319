"""/metrics: off without a token, route templates as labels, and a real Prometheus scraping a real
gunicorn (several processes) while a real worker runs: the series exist and move."""

import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import func, select

from bench.support import gunicorn
from server.embedded import free_port, start_worker, stop, wait_until
from tests.conftest import TEST_PASSWORD
from tests.support.processes import worker_env

PROMETHEUS = Path("/usr/bin/prometheus")
TOKEN = "scrape-token-for-tests"


def reflection(text="Huisbezoek: de deurwaarder stond op de stoep.") -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "what_happened": text,
    }


def test_metrics_do_not_exist_without_a_token_and_need_it(app, anonymous, monkeypatch):
    assert anonymous.get("/metrics").status_code == 404
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    assert anonymous.get("/metrics").status_code == 401
    assert anonymous.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = anonymous.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    assert "leerlus_outbox_pending_events 0.0" in answer.get_data(as_text=True)


def test_latency_is_labelled_by_route_template_never_by_id(app, team_setup, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    alice = team_setup["client"]["alice"]
    created = alice.post("/api/v1/reflections", json=reflection()).get_json()
    assert alice.get(f"/api/v1/reflections/{created['id']}").status_code == 200
    assert anonymous.get("/f/some-secret-link-token").status_code in (404, 410)
    text = anonymous.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    assert 'route="/api/v1/reflections/<uuid:reflection_id>"' in text
    assert created["id"] not in text and "some-secret-link-token" not in text
    assert "leerlus_outbox_pending_events 1.0" in text


class Prometheus:
    """The Debian prometheus server, scraping one target every second, on a private port and folder."""

    def __init__(self, target: str, folder: Path):
        self.port = free_port()
        config = folder / "prometheus.yml"
        config.write_text(f"""
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: leerlus
    metrics_path: /metrics
    authorization:
      credentials: {TOKEN}
    static_configs:
      - targets: ["{target}"]
""")
        self.log = (folder / "prometheus.log").open("wb")
        self.process = subprocess.Popen(
            [
                str(PROMETHEUS),
                f"--config.file={config}",
                f"--storage.tsdb.path={folder / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def value(self, expr: str) -> float | None:
        """The single value of an instant query, or None while it has no result."""
        assert self.process.poll() is None, "prometheus exited"
        try:
            answer = requests.get(
                f"http://127.0.0.1:{self.port}/api/v1/query", params={"query": expr}, timeout=5
            )
        except requests.ConnectionError:
            return None
        result = answer.json()["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    def wait_for(self, expr: str, check, what: str) -> float:
        def holds():
            value = self.value(expr)
            return value is not None and check(value) and (value,)

        return wait_until(holds, 120, interval=0.5, what=f"{what} ({expr})")[0]

    def stop(self) -> None:
        stop(self.process)
        self.log.close()


@pytest.mark.skipif(
    not PROMETHEUS.exists(), reason="Debian package prometheus not installed (.ci/run installs it)"
)
def test_a_real_prometheus_scrapes_series_that_exist_and_move(
    app, team_setup, database_url, redis_url, tmp_path
):
    from server.extensions import db
    from server.models import Notification, OutboxEvent, User, utcnow
    from server.queue import enqueue
    from server.weeks import iso_week_of, shift_week
    from workers.digest import rebuild
    from workers.push import send_notification
    from workers.relay import mark_relay_alive, relay

    multiproc = tmp_path / "multiproc"
    multiproc.mkdir()
    env = worker_env(database_url, redis_url, tmp_path) | {
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    worker = None
    with gunicorn(env, tmp_path / "web.log") as base:
        prometheus = Prometheus(base.removeprefix("http://"), tmp_path)
        try:
            prometheus.wait_for('up{job="leerlus"}', lambda v: v == 1, "the first scrape")
            # Every series is there from the first scrape, before anything happened.
            assert prometheus.value("leerlus_outbox_pending_events") == 0
            assert prometheus.value('leerlus_rq_queue_jobs{queue="default"}') == 0
            assert prometheus.value('leerlus_rq_failed_jobs{queue="default"}') == 0
            assert prometheus.value("leerlus_relay_last_heartbeat_timestamp_seconds") == 0
            assert prometheus.value("leerlus_rq_workers") == 0

            session = requests.Session()
            with app.app_context():
                email = db.session.get(User, team_setup["alice"]).email
            login = session.post(
                f"{base}/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD}
            )
            assert login.status_code == 200
            csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
            for _ in range(3):
                assert (
                    session.post(f"{base}/api/v1/reflections", json=reflection(), headers=csrf).status_code
                    == 201
                )
            prometheus.wait_for(
                'sum(leerlus_http_request_duration_seconds_count{route="/api/v1/reflections",'
                'method="POST",status="201"})',
                lambda v: v == 3,
                "three POSTs counted over the processes",
            )
            prometheus.wait_for("leerlus_outbox_pending_events", lambda v: v == 3, "three pending events")
            prometheus.wait_for(
                "leerlus_outbox_oldest_pending_age_seconds", lambda v: v > 0, "the backlog ageing"
            )

            with app.app_context():
                assert relay() == 3
                mark_relay_alive(60)
                week = shift_week(iso_week_of(utcnow(), ZoneInfo("Europe/Amsterdam")), -1)
                enqueue(rebuild, str(team_setup["team"]), week, job_id="metrics-digest")
                note = Notification(
                    user_id=team_setup["alice"],
                    kind="test",
                    dedupe_key="metrics-test",
                    ref={},
                    scheduled_for=utcnow() - timedelta(minutes=1),
                )
                db.session.add(note)
                db.session.commit()
                enqueue(send_notification, str(note.id), job_id="metrics-push")
            prometheus.wait_for(
                'leerlus_rq_queue_jobs{queue="default"}', lambda v: v == 5, "five queued jobs"
            )
            prometheus.wait_for(
                "leerlus_relay_last_heartbeat_timestamp_seconds",
                lambda v: v > datetime.now(UTC).timestamp() - 120,
                "the relay's heartbeat",
            )

            # A worker on the same host shares the directory: its series appear at the web's /metrics.
            worker = start_worker(env, tmp_path / "worker.log")
            prometheus.wait_for("leerlus_rq_workers", lambda v: v == 1, "the worker registering")
            prometheus.wait_for(
                "leerlus_rq_worker_last_heartbeat_timestamp_seconds",
                lambda v: v > datetime.now(UTC).timestamp() - 120,
                "the worker's heartbeat",
            )
            prometheus.wait_for(
                'leerlus_rq_queue_jobs{queue="default"}', lambda v: v == 0, "the queue drained"
            )

            def relayed_until_drained() -> bool:
                # The jobs emit events of their own (a team week's recount, item 22 of
                # docs/performance.md; a refine, item 18): relayed here as the scheduler would.
                with app.app_context():
                    relay()
                    pending = select(func.count()).select_from(OutboxEvent)
                    return db.session.scalar(pending.where(OutboxEvent.processed_at.is_(None))) == 0

            wait_until(relayed_until_drained, 120, 1, "the jobs' own events processed")
            prometheus.wait_for("leerlus_outbox_pending_events", lambda v: v == 0, "the outbox drained")
            prometheus.wait_for("leerlus_outbox_oldest_pending_age_seconds", lambda v: v == 0, "no backlog")
            prometheus.wait_for(
                "sum(leerlus_digest_build_duration_seconds_count)", lambda v: v == 1, "a digest build"
            )
            prometheus.wait_for(
                'sum(leerlus_push_results_total{result="skipped"})',
                lambda v: v == 1,
                "a push without subscription, skipped",
            )
        finally:
            if worker is not None:
                stop(worker)
            prometheus.stop()
