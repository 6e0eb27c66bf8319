"""The scheduler loop: periodic jobs are enqueued once per slot, however many schedulers run."""

from datetime import UTC, datetime, timedelta

from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

from workers.scheduler import PERIODIC, tick


def test_two_schedulers_in_the_same_minute_enqueue_each_job_once(app, redis_url):
    now = datetime(2026, 11, 30, 7, 0, 30, tzinfo=UTC)
    with app.app_context():
        first = tick(now)
        second = tick(now + timedelta(seconds=20))
    every_minute = [p for p in PERIODIC if p.cron == "* * * * *"]
    assert len(first) >= len(every_minute)
    assert second == []
    queue = Queue("default", connection=Redis.from_url(redis_url), serializer=JSONSerializer)
    assert sorted(queue.job_ids) == sorted(first)


def test_the_next_slot_is_enqueued_again(app):
    now = datetime(2026, 11, 30, 7, 0, 30, tzinfo=UTC)
    with app.app_context():
        tick(now)
        later = tick(now + timedelta(minutes=1))
    assert any("build_due_digests" in job_id for job_id in later)
