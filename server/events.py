"""The one way to emit an event: an outbox row in the caller's transaction (`emit(Event.X, id=...)`).

Every kind is an `Event` constant; `workers/events.py` maps each to its handlers and a test checks
that none is without one. The relay that hands events to RQ runs in the scheduler process
(`workers/relay.py`). A commit that wrote events only wakes it (one small Redis command), so a
request never pays for enqueueing. Without a wake-up (Redis was down, a wake-up was lost) the relay
still passes every OUTBOX_RELAY_SECONDS, so an event written during an outage is delivered when
Redis returns. Delivery is at-least-once; every handler is idempotent (it recomputes from source
rows), and the unique job id keeps a second relay of the same event out of the queue.
"""

import logging
import time
from enum import StrEnum
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy import event as sa_event

from server.extensions import db
from server.logs import current_request_id
from server.models import OutboxEvent
from server.queue import DEFAULT_QUEUE, REFINE_QUEUE, redis_connection

log = logging.getLogger(__name__)
_WROTE_EVENTS = "leerlus_wrote_events"
WAKE_KEY = "leerlus:outbox:wake"
HEARTBEAT_KEY = "leerlus:outbox:relay-alive"
# After Redis refused us, commits skip the wake-up for a while (the relay's timer covers them).
_redis_down_until = 0.0
BACKOFF_SECONDS = 5.0


class Event(StrEnum):
    """Every kind of event the outbox carries (the value is what the row stores)."""

    REFLECTION_SUBMITTED = "reflection.submitted"
    REFLECTION_UPDATED = "reflection.updated"
    # The fast path was unsure of a processed reflection's themes: classify again with e5.
    REFLECTION_REFINE = "reflection.refine"
    REFLECTION_DELETED = "reflection.deleted"
    # A team week's counts are out of date: written with its team_week_recounts mark (workers/aggregates.py).
    TEAM_WEEK_RECOUNT = "team_week.recount"
    FEEDBACK_SUBMITTED = "feedback.submitted"
    FEEDBACK_DELETED = "feedback.deleted"
    TEAM_THEMES_CHANGED = "team_themes.changed"
    INVITATION_CREATED = "invitation.created"
    PASSWORD_RESET_REQUESTED = "password_reset.requested"
    VISIT_CREATED = "visit.created"
    LEARNING_QUESTION_SHARED = "learning_question.shared"
    DIGEST_REQUESTED = "digest.requested"
    NOTIFICATION_READY = "notification.ready"
    INTERVISIE_SESSION_NOTED = "intervisie_session.noted"
    TEAM_NOTE_SAVED = "team_note.saved"
    ACKNOWLEDGEMENT_CREATED = "acknowledgement.created"


# The RQ queue of an event's job, when it is not the default one.
_QUEUES = {Event.REFLECTION_REFINE: REFINE_QUEUE}


def queue_of(kind: str) -> str:
    """The queue the relay puts this kind's job on (an unknown kind fails in the default queue)."""
    try:
        return _QUEUES.get(Event(kind), DEFAULT_QUEUE)
    except ValueError:
        return DEFAULT_QUEUE


def _event_row(kind: Event, ids: dict) -> dict:
    # An unknown kind fails here, in the request that wrote it, instead of in a worker later.
    return {
        "kind": Event(kind).value,
        "payload": {key: str(value) for key, value in ids.items()},
        "request_id": current_request_id(),
    }


def emit(kind: Event, **ids) -> OutboxEvent:
    """Record that something happened. Pass identifiers only (they end up in Redis)."""
    event = OutboxEvent(**_event_row(kind, ids))
    db.session.add(event)
    return event


_INSERT_EVENT = insert(cast(Table, OutboxEvent.__table__))  # the table: a plain Core INSERT


def emit_now(kind: Event, **ids) -> None:
    """`emit`, written at once with one Core INSERT in the caller's transaction.

    For the hot write path (POST /reflections, docs/performance.md item 15), which inserts its own
    row with Core too: the ORM unit of work cost more CPU than the statements themselves. Same row,
    same transaction, same wake-up after commit."""
    db.session.execute(_INSERT_EVENT, _event_row(kind, ids))
    db.session.info[_WROTE_EVENTS] = True


def relay_alive() -> bool:
    return bool(redis_connection().exists(HEARTBEAT_KEY))


def _wake_relay() -> None:
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
    for name, listener in (
        ("after_flush", _note_events),
        ("after_commit", _wake_after_commit),
        ("after_soft_rollback", _forget),
    ):
        if not sa_event.contains(db.session, name, listener):
            sa_event.listen(db.session, name, listener)
