"""The outbox relay: a commit that wrote events wakes the scheduler's relay, which queues them at once."""

from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import select

from server.embedded import start_leerlus, stop, wait_until
from tests.support.factories import reflection
from tests.support.processes import worker_env


def _wake_ups(redis_url) -> int:
    from server.events import WAKE_KEY

    return Redis.from_url(redis_url).llen(WAKE_KEY)


def test_only_a_commit_that_wrote_events_wakes_the_relay(team_setup, login, redis_url):
    # team_setup's four logins committed sessions, and this one does too: no events, no wake-up.
    alice = login(team_setup["alice"])
    assert _wake_ups(redis_url) == 0
    for n in range(3):
        assert (
            alice.post("/api/v1/reflections", json=reflection(what_happened=f"bezoek {n}")).status_code == 201
        )
    # However many commits, one wake-up waits: the relay passes once for all of them.
    assert _wake_ups(redis_url) == 1


def test_the_scheduler_relays_a_new_event_without_waiting_for_its_timer(
    team_setup, app, database_url, redis_url, tmp_path
):
    from server.extensions import db
    from server.models import OutboxEvent

    queue = Queue("default", connection=Redis.from_url(redis_url), serializer=JSONSerializer)
    # A timer far beyond the test: only a wake-up can relay in time.
    env = worker_env(database_url, redis_url, tmp_path) | {"OUTBOX_RELAY_SECONDS": "300"}
    probe = team_setup["client"]["alice"]
    assert probe.get("/readyz").get_json()["relay"] == "no relay pass seen"
    scheduler = start_leerlus(["scheduler"], env, tmp_path / "scheduler.log")
    try:
        # Its first pass enqueues the periodic jobs; after that it waits for a wake-up.
        wait_until(
            lambda: any(job_id.startswith("cron-") for job_id in queue.job_ids),
            60,
            0.2,
            "the scheduler's first pass",
        )
        ready = probe.get("/readyz").get_json()
        ready.pop("themes")  # reported next to the relay, checked in test_multilingual.py
        assert ready == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok"},
            "relay": "ok",
            "failed_jobs": 0,
        }
        created = team_setup["client"]["alice"].post("/api/v1/reflections", json=reflection())
        assert created.status_code == 201
        with app.app_context():
            event_id = db.session.scalar(select(OutboxEvent.id).order_by(OutboxEvent.id.desc()))
        wait_until(lambda: f"outbox-{event_id}" in queue.job_ids, 15, 0.1, "the event in the queue")

        def marked_dispatched():  # the relay marks the event right after queueing it
            with app.app_context():
                return db.session.scalar(select(OutboxEvent.dispatched_at).where(OutboxEvent.id == event_id))

        wait_until(marked_dispatched, 15, 0.1, "the event marked dispatched")
    finally:
        stop(scheduler)
