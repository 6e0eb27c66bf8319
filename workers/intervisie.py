"""Background work for intervisie: de-identify the facilitator's notes before colleagues read them."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from server.events import Event
from server.extensions import db
from server.models import Action, IntervisieSession, TeamLearningNote
from server.privacy import deidentify
from workers.registry import handles


@handles(Event.INTERVISIE_SESSION_NOTED)
def deidentify_session(session_id: str, **_) -> None:
    """Always recompute from the current notes (idempotent): a later edit's own event corrects a race."""
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


def purge_raw_notes(team, now) -> int:
    """After the team's raw-text period only the de-identified notes remain, for the facilitator too."""
    cutoff = now - timedelta(days=team.raw_text_days)
    sessions = db.session.scalars(
        select(IntervisieSession).where(
            IntervisieSession.team_id == team.id,
            IntervisieSession.created_at < cutoff,
            IntervisieSession.notes_deidentified.is_not(None),
        )
    ).all()
    purged = 0
    for session in sessions:
        clean = session.notes_deidentified or {}
        replaced = {
            "questions": clean.get("questions", []),
            "options": clean.get("options", []),
            "insight": clean.get("insight", ""),
            "beroepscode_title": clean.get("beroepscode_title"),
        }
        if any(getattr(session, field) != value for field, value in replaced.items()):
            for field, value in replaced.items():
                setattr(session, field, value)
            purged += 1
    notes = db.session.scalars(
        select(TeamLearningNote).where(
            TeamLearningNote.team_id == team.id,
            TeamLearningNote.created_at < cutoff,
            TeamLearningNote.text_deidentified.is_not(None),
            TeamLearningNote.text != TeamLearningNote.text_deidentified,
        )
    ).all()
    for note in notes:
        note.text = note.text_deidentified or ""
    return purged + len(notes)
