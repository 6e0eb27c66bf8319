"""The job every outbox event becomes: route it to the handlers for its kind."""

import logging

from server.extensions import db
from server.models import OutboxEvent, utcnow

log = logging.getLogger(__name__)


def _handlers() -> dict:
    from workers import aggregates, development, feedback, mail, push, reflections

    return {
        "reflection.submitted": [reflections.process_reflection],
        "reflection.updated": [reflections.process_reflection],
        "reflection.deleted": [aggregates.recompute_for_event],
        "feedback.deleted": [aggregates.recompute_for_event],
        "team_themes.changed": [reflections.reclassify_recent],
        "feedback.submitted": [feedback.process_feedback],
        "invitation.created": [mail.send_invitation],
        "password_reset.requested": [mail.send_password_reset],
        "visit.created": [push.schedule_visit_nudge],
        "learning_question.shared": [development.deidentify_question],
    }


def handle_event(event_id: int) -> str:
    """Run every handler for one event; idempotent, so redelivery is safe."""
    try:
        event = db.session.get(OutboxEvent, event_id)
        if event is None:
            return "unknown"
        if event.processed_at is not None:
            return "already processed"
        for handler in _handlers().get(event.kind, []):
            handler(**event.payload)
        event.processed_at = utcnow()
        db.session.commit()
        log.info("event %s (%s) processed", event_id, event.kind)
        return "processed"
    finally:
        # SimpleWorker runs jobs in one process: never carry a session from one job to the next.
        db.session.remove()
