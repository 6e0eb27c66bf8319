"""The scheduler process: the outbox relay and a small loop that enqueues periodic jobs.

Several schedulers may run at once (no leader election): every periodic job is enqueued with a
job id naming its time slot (so RQ refuses the duplicate), and every job is idempotent in the
database anyway (unique digest per team-week, unique notification keys). A missed slot is caught
up because the jobs look at what is due, not at what time it is now.
"""

import logging
import time
from dataclasses import dataclass

from croniter import croniter
from flask import current_app

from server.events import mark_relay_alive, relay_all, wait_for_wake
from server.models import utcnow
from server.queue import enqueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    job: str            # dotted path of an idempotent job function without arguments
    cron: str           # when to enqueue it (UTC; jobs that care about local time compute it themselves)


PERIODIC = [
    Periodic("workers.digest.build_due_digests", "* * * * *"),
    Periodic("workers.push.send_due_notifications", "* * * * *"),
    Periodic("workers.retention.run_retention", "17 * * * *"),
    Periodic("workers.actions.remind_due_actions", "*/15 * * * *"),
]


def tick(now=None) -> list[str]:
    """Enqueue every periodic job whose latest slot is not yet enqueued; returns the job ids."""
    now = now or utcnow()
    enqueued = []
    for periodic in PERIODIC:
        slot = croniter(periodic.cron, now).get_prev(type(now))
        # RQ job ids allow letters, digits, "-" and "_" only.
        job_id = f"cron-{periodic.job.replace('.', '_')}-{slot:%Y%m%dT%H%M}"
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
