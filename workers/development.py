"""Background work for learning questions: de-identify a shared question before colleagues see it."""

import uuid

from server.events import Event
from server.extensions import db
from server.models import LearningQuestion
from workers.registry import handles


@handles(Event.LEARNING_QUESTION_SHARED)
def deidentify_question(question_id: str, **_) -> None:
    """Always recompute (idempotent): an edit racing an earlier run is corrected by its own event."""
    from server.privacy import deidentify

    question = db.session.get(LearningQuestion, uuid.UUID(question_id))
    if question is None or not question.shared:
        return
    question.text_deidentified = deidentify(question.text)
    db.session.commit()
