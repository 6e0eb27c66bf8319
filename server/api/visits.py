"""Visits: the moment a reflection and a resident's feedback hang on. No resident identity, ever."""

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import exists, select

from server.api import paginate
from server.auth.access import login_required, own_or_404, writing_team
from server.events import Event, emit
from server.extensions import db
from server.idempotency import commit_once, find_replay, payload_hash
from server.models import FeedbackLink, Reflection, Visit
from server.schemas.common import PageArgs, page_of
from server.schemas.work import VisitArgs, VisitOut

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Bezoeken")


def visit_body(visit: Visit) -> dict:
    return {
        "id": visit.id,
        "client_id": visit.client_id,
        "occurred_at": visit.occurred_at,
        "kind": visit.kind,
        "pseudonym": visit.pseudonym,
        "has_reflection": db.session.scalar(select(exists().where(Reflection.visit_id == visit.id))),
        "feedback_requested": db.session.scalar(select(exists().where(FeedbackLink.visit_id == visit.id))),
    }


def create_or_replay_visit(args: dict, team) -> tuple[Visit, bool]:
    """(visit, created). Used on its own and from a reflection that logs its visit in one go."""
    fields = {key: args[key] for key in ("client_id", "occurred_at", "kind", "pseudonym")}
    fingerprint = payload_hash(fields)
    existing = find_replay(Visit, Visit.author_id, g.user.id, args["client_id"], fingerprint)
    if existing is not None:
        return existing, False
    visit = Visit(author_id=g.user.id, team_id=team.id, payload_hash=fingerprint, **fields)
    db.session.add(visit)
    db.session.flush()
    emit(Event.VISIT_CREATED, visit_id=visit.id)
    return visit, True


def own_visit_or_404(visit_id) -> Visit:
    return own_or_404(Visit, visit_id, "Dit bezoek bestaat niet, of het is niet van jou.")


@blp.post("/visits")
@blp.arguments(VisitArgs)
@blp.response(201, VisitOut)
@blp.alt_response(200, schema=VisitOut, description="Replay of an earlier client_id")
@login_required
def create_visit(args):
    team = writing_team(args.get("team_id"))
    visit, created = commit_once(lambda: create_or_replay_visit(args, team))
    return visit_body(visit), 201 if created else 200


@blp.get("/visits")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(VisitOut, "VisitPage"))
@login_required
def list_visits(args):
    stmt = select(Visit).where(Visit.author_id == g.user.id).order_by(Visit.occurred_at.desc())
    return paginate(stmt, args, visit_body)


@blp.get("/visits/<uuid:visit_id>")
@blp.response(200, VisitOut)
@login_required
def get_visit(visit_id):
    return visit_body(own_visit_or_404(visit_id))
