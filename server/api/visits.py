"""Visits: the moment a reflection and a resident's feedback hang on. No resident identity, ever.

Route → schema → service (server/services/visits.py) → answer.
"""

from flask import g
from flask_smorest import Blueprint

from server.api import paginate
from server.auth.access import login_required, writing_team
from server.idempotency import commit_once
from server.models import Visit
from server.schemas.common import PageArgs, page_of, values_of
from server.schemas.visits import VisitArgs, VisitOut
from server.services import visits

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Bezoeken")


def visit_out(visit: Visit) -> dict:
    return values_of(
        VisitOut,
        visit,
        has_reflection=visits.has_reflection(visit),
        feedback_requested=visits.feedback_requested(visit),
    )


@blp.post("/visits")
@blp.arguments(VisitArgs)
@blp.response(201, VisitOut)
@blp.alt_response(200, schema=VisitOut, description="Replay of an earlier client_id")
@login_required
def create_visit(args):
    team = writing_team(args.get("team_id"))
    visit, created = commit_once(lambda: visits.create_or_replay(args, g.user.id, team))
    return visit_out(visit), 201 if created else 200


@blp.get("/visits")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(VisitOut, "VisitPage"))
@login_required
def list_visits(args):
    return paginate(visits.own_visits(g.user.id), args, visit_out)


@blp.get("/visits/<uuid:visit_id>")
@blp.response(200, VisitOut)
@login_required
def get_visit(visit_id):
    return visit_out(visits.own_visit_or_404(visit_id))
