"""Visits: the moment a reflection and a resident's feedback hang on. No resident identity, ever."""

from sqlalchemy import exists, select

from server.auth.access import own_or_404
from server.auth.caller import CallerTeam
from server.events import Event, emit
from server.extensions import db
from server.idempotency import find_replay, payload_hash
from server.models import FeedbackLink, Reflection, Visit


def create_or_replay(args: dict, author_id, team: CallerTeam) -> tuple[Visit, bool]:
    """(visit, created). Used on its own and from a reflection that logs its visit in one go."""
    fields = {key: args[key] for key in ("client_id", "occurred_at", "kind", "pseudonym")}
    fingerprint = payload_hash(fields)
    existing = find_replay(Visit, Visit.author_id, author_id, args["client_id"], fingerprint)
    if existing is not None:
        return existing, False
    visit = Visit(author_id=author_id, team_id=team.id, payload_hash=fingerprint, **fields)
    db.session.add(visit)
    db.session.flush()
    emit(Event.VISIT_CREATED, visit_id=visit.id)
    return visit, True


def own_visit_or_404(visit_id) -> Visit:
    return own_or_404(Visit, visit_id, "Dit bezoek bestaat niet, of het is niet van jou.")


def own_visits(author_id):
    """The author's visits, newest first (a select, for paginate)."""
    return select(Visit).where(Visit.author_id == author_id).order_by(Visit.occurred_at.desc())


def has_reflection(visit: Visit) -> bool:
    return bool(db.session.scalar(select(exists().where(Reflection.visit_id == visit.id))))


def feedback_requested(visit: Visit) -> bool:
    return bool(db.session.scalar(select(exists().where(FeedbackLink.visit_id == visit.id))))
