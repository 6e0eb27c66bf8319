"""Weekly theme digests: read (audited), list, and request a (re)build."""

from zoneinfo import ZoneInfo

from flask import g, url_for
from flask_smorest import Blueprint
from sqlalchemy import select

from server.api import paginate
from server.audit import audit
from server.auth.access import LEADS, content_team_or_404, login_required, team_or_404
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.models import Digest, Team, utcnow
from server.schemas.common import PageArgs, page_of
from server.schemas.digests import DigestBuildOut, DigestOut, DigestSummaryOut
from server.services import board
from server.services.digests import claim_row
from server.weeks import parse_week, week_bounds

blp = Blueprint("digests", __name__, url_prefix="/api/v1", description="Weekoverzichten per team")

# What a medewerker may read when the team lets members see themes.
THEMES_SCOPE = ("version", "team", "iso_week", "k", "themes")


def _readable_team(team_id) -> tuple[Team, str]:
    """The team and the caller's scope: full for leads, themes for medewerkers if the team allows."""
    team = content_team_or_404(team_id)
    if g.user.role_in(team.id) == "teamleider":
        return team, "full"
    if team.members_see_themes:
        return team, "themes"
    raise Problem(403, "Het weekoverzicht is voor teamleiders.")


def _week(iso_week: str) -> str:
    try:
        parse_week(iso_week)
    except ValueError as error:
        raise Problem(422, "Onbekende week.", errors={"iso_week": [str(error)]}) from error
    return iso_week


def _digest_url(team_id, iso_week: str) -> str:
    return url_for("digests.get_digest", team_id=team_id, iso_week=iso_week)


@blp.get("/teams/<uuid:team_id>/digests")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(DigestSummaryOut, "DigestPage"))
@login_required
def list_digests(args, team_id):
    team, _ = _readable_team(team_id)
    audit("digest.list", "team", team.id, team_id=team.id)
    db.session.commit()
    stmt = select(Digest).where(Digest.team_id == team.id).order_by(Digest.iso_week.desc())
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
    digest = db.session.scalar(
        select(Digest).where(Digest.team_id == team.id, Digest.iso_week == _week(iso_week))
    )
    if digest is None or digest.content is None:
        raise Problem(404, "Dit weekoverzicht is (nog) niet gemaakt.")
    audit("digest.read", "digest", digest.id, team_id=team.id, reason=scope)
    db.session.commit()
    content = digest.content
    if scope == "themes":
        content = {key: value for key, value in content.items() if key in THEMES_SCOPE}
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
    iso_week = _week(iso_week)
    if week_bounds(iso_week, ZoneInfo(team.timezone))[1] > utcnow():
        raise Problem(
            422, "Deze week is nog niet voorbij.", errors={"iso_week": ["Kies een afgelopen week."]}
        )
    built = db.session.scalar(
        select(Digest.built_at).where(Digest.team_id == team.id, Digest.iso_week == iso_week)
    )
    if built is not None:
        # A published week stays as first built (docs/privacy.md): a rebuild with later rows or another
        # k could single out who wrote, so there is nothing to rebuild.
        raise Problem(409, "Dit weekoverzicht is al gemaakt en staat vast, zodat niemand herkenbaar wordt.")
    audit("digest.build", "team", team.id, team_id=team.id, reason=iso_week)
    claim_row(team.id, iso_week, requested_by=g.user.id)
    # Through the outbox like every other write: with Redis away the build waits instead of failing.
    event = emit(Event.DIGEST_REQUESTED, team_id=team.id, iso_week=iso_week)
    db.session.flush()
    job_id = f"outbox-{event.id}"
    db.session.commit()
    body = {"team_id": team.id, "iso_week": iso_week, "status": "queued", "job_id": job_id}
    return body, 202, {"Location": _digest_url(team.id, iso_week)}
