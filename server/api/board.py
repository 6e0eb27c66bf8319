"""The bordsessie board: one team-week's digest with what the stand-up needs around it.

Read-only; the decisions made at the board are the ordinary writes (POST/PATCH /actions with the
week's digest_id, PUT theme-of-the-month), so they go through the PWA's outbox like every write.
"""

from flask_smorest import Blueprint
from sqlalchemy import select

from server.audit import audit
from server.auth.access import LEADS, login_required, team_or_404
from server.digest import board_queries
from server.errors import Problem
from server.extensions import db
from server.models import Digest
from server.schemas.digests import BoardOut
from server.team_themes import allowed_theme_ids, theme_label
from server.weeks import parse_week

blp = Blueprint("board", __name__, url_prefix="/api/v1", description="Bordsessie: het weekbord van een team")


@blp.get("/teams/<uuid:team_id>/board/<string:iso_week>")
@blp.response(200, BoardOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")  # not an ISO week
@login_required
def get_board(team_id, iso_week):
    team = team_or_404(team_id, LEADS)
    try:
        parse_week(iso_week)
    except ValueError as error:
        raise Problem(422, "Onbekende week.", errors={"iso_week": [str(error)]}) from error
    digest = db.session.scalar(select(Digest).where(Digest.team_id == team.id, Digest.iso_week == iso_week))
    if digest is None or digest.content is None:
        raise Problem(404, "Het weekoverzicht van deze week is (nog) niet gemaakt.")
    audit("board.read", "digest", digest.id, team_id=team.id)
    db.session.commit()
    content, cutoff = digest.content, digest.requested_at
    return {
        "team_id": team.id, "iso_week": iso_week, "digest_id": digest.id, "built_at": digest.built_at,
        "content": content,
        "successes": board_queries.successes(team, iso_week, content, cutoff),
        "effects": board_queries.effects(team, iso_week, cutoff),
        "gaps": board_queries.knowledge_gaps(team, iso_week, cutoff),
        "proposal": board_queries.proposal(team, iso_week),
        "actions": board_queries.live_actions(team, iso_week),
        "topic": board_queries.topic(team, iso_week),
        "members": board_queries.members(team),
        "themes": sorted(({"id": theme_id, "label": theme_label(theme_id)} for theme_id in allowed_theme_ids(team.id)),
                         key=lambda theme: theme["label"]),
    }
