"""The job every outbox event becomes: route it to the handlers registered for its kind."""

import logging

from sqlalchemy import update

from server.events import Event
from server.extensions import db
from server.models import OutboxEvent, utcnow

# Every module with an @handles(...) job, so the table is complete before the first event.
from workers import aggregates, digest, feedback, intervisie, learning, mail, push, reflections  # noqa: F401
from workers.registry import HANDLERS

log = logging.getLogger(__name__)


class UnhandledEvent(RuntimeError):
    """An event nobody handles: the job fails (RQ keeps it as failed, /readyz counts it) and the
    event stays unprocessed, instead of being marked done with nothing done."""


def handlers_for(kind: str) -> list:
    try:
        return HANDLERS.get(Event(kind), [])
    except ValueError:
        return []


def handle_event(event_id: int) -> str:
    """Run every handler for one event; idempotent, so redelivery is safe."""
    try:
        event = db.session.get(OutboxEvent, event_id)
        if event is None:
            return "unknown"
        if event.processed_at is not None:
            return "already processed"
        handlers = handlers_for(event.kind)
        if not handlers:
            log.error("outbox event %s has kind %r, which no handler takes", event_id, event.kind)
            raise UnhandledEvent(f"no handler for event kind {event.kind!r}")
        kind, payload = event.kind, event.payload
        for handler in handlers:
            handler(**payload)
        # A Core UPDATE: the handlers committed, and marking the expired ORM row would reload it first.
        db.session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(processed_at=utcnow())
        )
        db.session.commit()
        log.info("event %s (%s) processed", event_id, kind)
        return "processed"
    finally:
        # SimpleWorker runs jobs in one process: never carry a session from one job to the next.
        db.session.remove()
