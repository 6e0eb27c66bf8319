"""The one way to emit an event: an outbox row in the caller's transaction, relayed to RQ after commit.

A relay right after commit keeps latency low; the scheduler relays again on a timer, so an event
written while Redis is down is delivered when Redis returns. Delivery is at-least-once; every
handler is idempotent (it recomputes from source rows).
"""

import logging
import time
from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import or_, select, update

from server.extensions import db
from server.models import OutboxEvent, utcnow

log = logging.getLogger(__name__)
_PENDING = "leerlus_outbox_ids"
# After Redis refused us, requests skip the in-request relay for a while (the timer relays).
_redis_down_until = 0.0
BACKOFF_SECONDS = 5.0
REDISPATCH_AFTER = timedelta(minutes=10)


def emit(kind: str, **ids) -> OutboxEvent:
    """Record that something happened. Pass identifiers only (they end up in Redis)."""
    event = OutboxEvent(kind=kind, payload={key: str(value) for key, value in ids.items()})
    db.session.add(event)
    return event


def relay(event_ids: list[int] | None = None, limit: int = 500) -> int:
    """Enqueue outbox events; returns how many were handed to RQ.

    With `event_ids` (the events a commit just wrote) they are sent as they are; without, the
    timer's pass picks up what is undispatched, and also what was dispatched long ago but is still
    unprocessed: if Redis lost the job (restart without persistence) it is enqueued anew; if the
    job still exists, the unique job id makes this a no-op.
    """
    global _redis_down_until
    from server.queue import enqueue

    if event_ids is not None:
        ids = list(event_ids)
    else:
        stale = utcnow() - REDISPATCH_AFTER
        query = (select(OutboxEvent.id)
                 .where(OutboxEvent.processed_at.is_(None),
                        or_(OutboxEvent.dispatched_at.is_(None), OutboxEvent.dispatched_at < stale))
                 .order_by(OutboxEvent.id).limit(limit))
        with db.engine.connect() as conn:
            ids = list(conn.execute(query).scalars())
    sent = []
    try:
        for event_id in ids:
            enqueue("workers.events.handle_event", event_id, job_id=f"outbox-{event_id}")
            sent.append(event_id)
    except Exception as error:  # noqa: BLE001 - any Redis failure just postpones delivery
        _redis_down_until = time.monotonic() + BACKOFF_SECONDS
        log.warning("outbox relay postponed (%s); %d event(s) wait", error.__class__.__name__,
                    len(ids) - len(sent))
    if sent:
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Bookkeeping only: if a crash loses this mark the timer relays again, a no-op for the
                # unique job id, so the request need not wait for a second WAL flush.
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            conn.execute(update(OutboxEvent).where(OutboxEvent.id.in_(sent))
                         .values(dispatched_at=utcnow(), attempts=OutboxEvent.attempts + 1))
    return len(sent)


def _collect_ids(session, flush_context):
    # In after_flush the new rows have their ids but session.new still lists them.
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxEvent)]
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


def _relay_after_commit(session):
    ids = session.info.pop(_PENDING, None)
    if not ids or time.monotonic() < _redis_down_until:
        return
    try:
        relay(sorted(ids))
    except Exception:  # noqa: BLE001 - the commit already succeeded; the timer will relay
        log.exception("outbox relay after commit failed")


def _forget(session, previous_transaction):
    session.info.pop(_PENDING, None)


def install() -> None:
    """Hook the relay into the session lifecycle (idempotent: tests create many apps)."""
    for name, listener in (("after_flush", _collect_ids), ("after_commit", _relay_after_commit),
                           ("after_soft_rollback", _forget)):
        if not sa_event.contains(db.session, name, listener):
            sa_event.listen(db.session, name, listener)
