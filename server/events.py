"""The one way to emit an event: an outbox row in the caller's transaction, relayed to RQ by the relay.

The relay runs in the scheduler process. A commit that wrote events only wakes it (one small Redis
command), so a request never pays for enqueueing; the relay then hands every pending event to RQ in
one pass, for all web processes at once. Without a wake-up (Redis was down, a wake-up was lost) the
relay still passes every OUTBOX_RELAY_SECONDS, so an event written during an outage is delivered
when Redis returns. Delivery is at-least-once; every handler is idempotent (it recomputes from
source rows), and the unique job id keeps a second relay of the same event out of the queue.
"""

import logging
import time
from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import or_, select, update

from server.extensions import db
from server.models import OutboxEvent, utcnow

log = logging.getLogger(__name__)
_WROTE_EVENTS = "leerlus_wrote_events"
WAKE_KEY = "leerlus:outbox:wake"
HEARTBEAT_KEY = "leerlus:outbox:relay-alive"
# After Redis refused us, commits skip the wake-up for a while (the relay's timer covers them).
_redis_down_until = 0.0
BACKOFF_SECONDS = 5.0
REDISPATCH_AFTER = timedelta(minutes=10)
RELAY_BATCH = 500


def emit(kind: str, **ids) -> OutboxEvent:
    """Record that something happened. Pass identifiers only (they end up in Redis)."""
    from server.logs import current_request_id

    event = OutboxEvent(kind=kind, payload={key: str(value) for key, value in ids.items()},
                        request_id=current_request_id())
    db.session.add(event)
    return event


def relay(limit: int = RELAY_BATCH) -> int:
    """Enqueue pending outbox events (at most `limit`); returns how many were handed to RQ.

    Pending is what was never dispatched, and also what was dispatched long ago but is still
    unprocessed: if Redis lost the job (restart without persistence) it is enqueued anew; if the
    job still exists, the unique job id makes this a no-op.
    """
    from server.queue import enqueue

    stale = utcnow() - REDISPATCH_AFTER
    query = (select(OutboxEvent.id, OutboxEvent.request_id)
             .where(OutboxEvent.processed_at.is_(None),
                    or_(OutboxEvent.dispatched_at.is_(None), OutboxEvent.dispatched_at < stale))
             .order_by(OutboxEvent.id).limit(limit))
    with db.engine.connect() as conn:
        ids = list(conn.execute(query))
    sent = []
    try:
        for event_id, request_id in ids:
            enqueue("workers.events.handle_event", event_id, job_id=f"outbox-{event_id}", request_id=request_id)
            sent.append(event_id)
    except Exception as error:  # noqa: BLE001 - any Redis failure just postpones delivery
        log.warning("outbox relay postponed (%s); %d event(s) wait", error.__class__.__name__,
                    len(ids) - len(sent))
    if sent:
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Bookkeeping only: if a crash loses this mark the relay sends again, a no-op for the
                # unique job id, so there is no need to wait for a WAL flush.
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            conn.execute(update(OutboxEvent).where(OutboxEvent.id.in_(sent))
                         .values(dispatched_at=utcnow(), attempts=OutboxEvent.attempts + 1))
    return len(sent)


def relay_all() -> int:
    """Relay in batches until nothing is pending (a backlog after an outage can be large)."""
    total = 0
    while (sent := relay()) == RELAY_BATCH:
        total += sent
    return total + sent


def wait_for_wake(timeout: float) -> None:
    """Block until a commit wrote events, or `timeout` seconds; a Redis outage just waits."""
    from server.queue import redis_connection

    try:
        redis_connection("worker").blpop([WAKE_KEY], timeout=max(1, round(timeout)))
    except Exception as error:  # noqa: BLE001 - the relay's timer is the fallback
        log.warning("relay wake-up unavailable (%s)", error.__class__.__name__)
        time.sleep(timeout)


def mark_relay_alive(interval: float) -> None:
    """The relay's heartbeat: /readyz reports a relay that stopped passing (no scheduler running)."""
    from server.queue import redis_connection

    redis_connection("worker").set(HEARTBEAT_KEY, utcnow().isoformat(), ex=max(10, round(3 * interval)))


def relay_alive() -> bool:
    from server.queue import redis_connection

    return bool(redis_connection().exists(HEARTBEAT_KEY))


def _wake_relay() -> None:
    from server.queue import redis_connection

    # One round trip; the list holds at most one wake-up, however many commits there were.
    redis_connection("web").pipeline(transaction=False).lpush(WAKE_KEY, 1).ltrim(WAKE_KEY, 0, 0).execute()


def _note_events(session, flush_context):
    if any(isinstance(obj, OutboxEvent) for obj in session.new):
        session.info[_WROTE_EVENTS] = True


def _wake_after_commit(session):
    global _redis_down_until
    if not session.info.pop(_WROTE_EVENTS, False) or time.monotonic() < _redis_down_until:
        return
    try:
        _wake_relay()
    except Exception as error:  # noqa: BLE001 - the commit already succeeded; the relay's timer delivers
        _redis_down_until = time.monotonic() + BACKOFF_SECONDS
        log.warning("relay wake-up failed (%s); the timer relays", error.__class__.__name__)


def _forget(session, previous_transaction):
    session.info.pop(_WROTE_EVENTS, None)


def install() -> None:
    """Hook the wake-up into the session lifecycle (idempotent: tests create many apps)."""
    for name, listener in (("after_flush", _note_events), ("after_commit", _wake_after_commit),
                           ("after_soft_rollback", _forget)):
        if not sa_event.contains(db.session, name, listener):
            sa_event.listen(db.session, name, listener)
