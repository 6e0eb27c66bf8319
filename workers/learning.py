"""Background work for learning questions: de-identify a shared question before colleagues see it."""

import uuid

from server.events import Event
from server.extensions import db
from server.models import Acknowledgement, LearningQuestion, TeamNote
from server.privacy import deidentify
from workers.registry import handles


@handles(Event.LEARNING_QUESTION_SHARED)
def deidentify_question(question_id: str, **_) -> None:
    """Always recompute (idempotent): an edit racing an earlier run is corrected by its own event."""
    question = db.session.get(LearningQuestion, uuid.UUID(question_id))
    if question is None or not question.shared:
        return
    question.text_deidentified = deidentify(question.text)
    db.session.commit()


@handles(Event.TEAM_NOTE_SAVED)
def deidentify_team_note(note_id: str, **_) -> None:
    """The teamleider's note or residents' line, de-identified before anyone but its writer sees it.

    Recomputed from the current text (idempotent); an edit in between gets its own event.
    """
    note = db.session.get(TeamNote, uuid.UUID(note_id))
    if note is None:
        return
    note.text_deidentified = deidentify(note.text)
    note.said_deidentified = deidentify(note.said) if note.said else ""
    db.session.commit()


@handles(Event.ACKNOWLEDGEMENT_CREATED)
def deidentify_acknowledgement(acknowledgement_id: str, **_) -> None:
    """An answer to a shared reflection reaches its author only de-identified."""
    acknowledgement = db.session.get(Acknowledgement, uuid.UUID(acknowledgement_id))
    if acknowledgement is None:
        return
    acknowledgement.text_deidentified = deidentify(acknowledgement.text) if acknowledgement.text else ""
    db.session.commit()
