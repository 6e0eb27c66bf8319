"""The outbox relay: hands pending outbox events to RQ. It runs in the scheduler process.

Pending is what was never dispatched, and also what was dispatched long ago but is still
unprocessed: if Redis lost the job (restart without persistence) it is enqueued anew; if the job
still exists, the unique job id makes this a no-op.
"""

import logging
import time
from datetime import timedelta

from sqlalchemy import or_, select, update

from server.events import HEARTBEAT_KEY, WAKE_KEY, queue_of
from server.extensions import db
from server.models import OutboxEvent, utcnow
from server.queue import enqueue, redis_connection
from workers.events import handle_event

log = logging.getLogger(__name__)
REDISPATCH_AFTER = timedelta(minutes=10)
RELAY_BATCH = 500


def relay(limit: int = RELAY_BATCH) -> int:
    """Enqueue pending outbox events (at most `limit`); returns how many were handed to RQ."""
    stale = utcnow() - REDISPATCH_AFTER
    query = (
        select(OutboxEvent.id, OutboxEvent.kind, OutboxEvent.request_id)
        .where(
            OutboxEvent.processed_at.is_(None),
            or_(OutboxEvent.dispatched_at.is_(None), OutboxEvent.dispatched_at < stale),
        )
        # New events first: a long refine backlog (hours after a peak) turns stale while it waits,
        # and its re-dispatch (a no-op per job) must not delay a reflection's first job.
        .order_by(OutboxEvent.dispatched_at.is_not(None), OutboxEvent.id)
        .limit(limit)
    )
    with db.engine.connect() as conn:
        ids = list(conn.execute(query))
    sent = []
    try:
        # The request's id travels with its event, so the job's log lines carry it (server/logs.py).
        for event_id, kind, request_id in ids:
            enqueue(
                handle_event,
                event_id,
                job_id=f"outbox-{event_id}",
                queue=queue_of(kind),
                request_id=request_id,
            )
            sent.append(event_id)
    except Exception as error:  # noqa: BLE001 - any Redis failure just postpones delivery
        log.warning(
            "outbox relay postponed (%s); %d event(s) wait", error.__class__.__name__, len(ids) - len(sent)
        )
    if sent:
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Bookkeeping only: if a crash loses this mark the relay sends again, a no-op for the
                # unique job id, so there is no need to wait for a WAL flush.
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            conn.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(sent))
                .values(dispatched_at=utcnow(), attempts=OutboxEvent.attempts + 1)
            )
    return len(sent)


def relay_all() -> int:
    """Relay in batches until nothing is pending (a backlog after an outage can be large)."""
    total = 0
    while (sent := relay()) == RELAY_BATCH:
        total += sent
    return total + sent


def wait_for_wake(timeout: float) -> None:
    """Block until a commit wrote events, or `timeout` seconds; a Redis outage just waits."""
    try:
        redis_connection("worker").blpop([WAKE_KEY], timeout=max(1, round(timeout)))
    except Exception as error:  # noqa: BLE001 - the relay's timer is the fallback
        log.warning("relay wake-up unavailable (%s)", error.__class__.__name__)
        time.sleep(timeout)


def mark_relay_alive(interval: float) -> None:
    """The relay's heartbeat: /readyz reports a relay that stopped passing (no scheduler running)."""
    redis_connection("worker").set(HEARTBEAT_KEY, utcnow().isoformat(), ex=max(10, round(3 * interval)))
