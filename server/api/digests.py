"""Weekly theme digests: read (audited), list, and request a (re)build.

Route → schema → service (server/services/digests.py) → answer.
"""

from flask import g, url_for
from flask_smorest import Blueprint

from server.api import paginate
from server.auth.access import LEADS, content_team_or_404, login_required, team_or_404
from server.extensions import db
from server.schemas.common import PageArgs, page_of
from server.schemas.digests import DigestBuildOut, DigestOut, DigestSummaryOut
from server.services import board, digests

blp = Blueprint("digests", __name__, url_prefix="/api/v1", description="Weekoverzichten per team")


def _readable_team(team_id):
    """The team and the caller's scope: full for leads, themes for medewerkers if the team allows."""
    team = content_team_or_404(team_id)
    return team, digests.scope_of(g.user, team)


def _digest_url(team_id, iso_week: str) -> str:
    return url_for("digests.get_digest", team_id=team_id, iso_week=iso_week)


@blp.get("/teams/<uuid:team_id>/digests")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(DigestSummaryOut, "DigestPage"))
@login_required
def list_digests(args, team_id):
    team, _ = _readable_team(team_id)
    stmt = digests.history(team)
    db.session.commit()
    return paginate(
        stmt,
        args,
        lambda digest: {
            "iso_week": digest.iso_week,
            "status": "built" if digest.content is not None else "queued",
            "built_at": digest.built_at,
            "url": _digest_url(team.id, digest.iso_week),
        },
    )


@blp.get("/teams/<uuid:team_id>/digests/<string:iso_week>")
@blp.response(200, DigestOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")  # not an ISO week
@login_required
def get_digest(team_id, iso_week):
    team, scope = _readable_team(team_id)
    digest, content = digests.read(team, iso_week, scope)
    db.session.commit()
    # The topic proposal of the board and the leeragenda (one function), for the page to show.
    proposal = board.proposal(team, digest.iso_week) if scope == "full" else None
    return {
        "team_id": team.id,
        "iso_week": digest.iso_week,
        "built_at": digest.built_at,
        "scope": scope,
        "content": content,
        "proposal": proposal,
    }


@blp.post("/teams/<uuid:team_id>/digests/<string:iso_week>/build")
@blp.response(202, DigestBuildOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")  # not an ISO week, or not over yet
@blp.alt_response(409, "CONFLICT")  # built already: a published week is frozen
@login_required
def request_build(team_id, iso_week):
    team = team_or_404(team_id, LEADS)
    event = digests.request_build(team, iso_week, g.user)
    job_id = f"outbox-{event.id}"
    db.session.commit()
    body = {"team_id": team.id, "iso_week": iso_week, "status": "queued", "job_id": job_id}
    return body, 202, {"Location": _digest_url(team.id, iso_week)}
