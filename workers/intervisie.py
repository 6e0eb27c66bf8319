"""Background work for intervisie: de-identify the facilitator's notes before colleagues read them."""

import uuid

from sqlalchemy import select

from server.extensions import db
from server.models import Action, IntervisieSession, TeamLearningNote


def deidentify_session(session_id: str, **_) -> None:
    """Always recompute from the current notes (idempotent): a later edit's own event corrects a race."""
    from server.privacy import deidentify

    session = db.session.get(IntervisieSession, uuid.UUID(session_id))
    if session is None:
        return
    action = db.session.get(Action, session.action_id) if session.action_id else None
    session.notes_deidentified = {
        "questions": [deidentify(item) for item in session.questions],
        "options": [deidentify(item) for item in session.options],
        "insight": deidentify(session.insight) if session.insight else "",
        "beroepscode_title": deidentify(session.beroepscode_title) if session.beroepscode_title else None,
        "action_title": deidentify(action.title) if action else None,
    }
    note = db.session.scalar(select(TeamLearningNote).where(TeamLearningNote.session_id == session.id))
    if note is not None:
        note.text_deidentified = session.notes_deidentified["insight"]
    db.session.commit()
