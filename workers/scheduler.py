"""The scheduler process: the outbox relay and a small loop that enqueues periodic jobs.

Several schedulers may run at once (no leader election): every periodic job is enqueued with a
job id naming its time slot (so RQ refuses the duplicate), and every job is idempotent in the
database anyway (unique digest per team-week, unique notification keys). A missed slot is caught
up because the jobs look at what is due, not at what time it is now.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from croniter import croniter
from flask import current_app

from server.models import utcnow
from server.queue import enqueue
from workers.actions import remind_due_actions
from workers.digest import build_due_digests
from workers.push import send_due_notifications
from workers.relay import mark_relay_alive, relay_all, wait_for_wake
from workers.retention import run_retention

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    job: Callable[[], object]  # an idempotent job function without arguments
    cron: str  # when to enqueue it (UTC; jobs that care about local time compute it themselves)


PERIODIC = [
    Periodic(build_due_digests, "* * * * *"),
    Periodic(send_due_notifications, "* * * * *"),
    Periodic(run_retention, "17 * * * *"),
    Periodic(remind_due_actions, "*/15 * * * *"),
]


def tick(now=None) -> list[str]:
    """Enqueue every periodic job whose latest slot is not yet enqueued; returns the job ids."""
    now = now or utcnow()
    enqueued = []
    for periodic in PERIODIC:
        slot = croniter(periodic.cron, now).get_prev(type(now))
        # RQ job ids allow letters, digits, "-" and "_" only.
        job_id = (
            f"cron-{periodic.job.__module__.replace('.', '_')}_{periodic.job.__name__}-{slot:%Y%m%dT%H%M}"
        )
        if enqueue(periodic.job, job_id=job_id):
            enqueued.append(job_id)
    return enqueued


def run_scheduler() -> None:
    # The interval bounds how late an event is relayed when its wake-up was lost (Redis outage).
    interval = current_app.config["OUTBOX_RELAY_SECONDS"]
    log.info("scheduler started (relay on wake-up, at least every %s s)", interval)
    next_tick = 0.0
    while True:
        try:
            relay_all()
            mark_relay_alive(interval)
            if time.monotonic() >= next_tick:
                tick()
                next_tick = time.monotonic() + interval
        except Exception:  # noqa: BLE001 - an outage must not stop the loop; the next pass retries
            log.exception("scheduler pass failed")
        wait_for_wake(interval)
