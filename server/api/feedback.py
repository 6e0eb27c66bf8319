"""Resident feedback for medewerkers: ask for it on a visit, read what residents said.

Only the medewerker whose visit it was sees the answers, and only the de-identified comment
(once the worker has processed it). Their response rate is theirs alone.
"""

from datetime import timedelta

import segno
from flask import g
from flask_smorest import Blueprint
from sqlalchemy import func, select, update

from server.api import paginate
from server.audit import note_denial
from server.auth.access import login_required
from server.auth.links import public_url
from server.auth.tokens import new_token, token_hash
from server.errors import Problem
from server.extensions import db
from server.models import FeedbackLink, InwonerFeedback, Team, Visit, utcnow
from server.schemas.common import PageArgs
from server.schemas.feedback import FeedbackLinkArgs, FeedbackLinkOut, FeedbackPage

blp = Blueprint("feedback", __name__, url_prefix="/api/v1", description="Feedback van inwoners")


@blp.post("/visits/<uuid:visit_id>/feedback-link")
@blp.arguments(FeedbackLinkArgs)
@blp.response(201, FeedbackLinkOut)
@login_required
def create_link(args, visit_id):
    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.author_id != g.user.id:
        note_denial("not_owner" if visit else "missing", "visit", visit_id,
                    team_id=visit.team_id if visit else None)
        raise Problem(404, "Dit bezoek bestaat niet, of het is niet van jou.")
    team = db.session.get(Team, visit.team_id)
    now = utcnow()
    # Only the newest link of a visit works: the server cannot show an old one again anyway.
    db.session.execute(update(FeedbackLink)
                       .where(FeedbackLink.visit_id == visit.id, FeedbackLink.used_at.is_(None),
                              FeedbackLink.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    token = new_token()
    link = FeedbackLink(token_hash=token_hash(token), visit_id=visit.id, team_id=visit.team_id,
                        created_by_id=g.user.id, language=args["language"], created_at=now,
                        expires_at=now + timedelta(days=team.feedback_link_days))
    db.session.add(link)
    db.session.commit()
    url = public_url(f"/f/{token}")
    qr_svg = segno.make(url, error="m").svg_inline(scale=1, omitsize=True, light="#fff",
                                                    title="QR-code voor de feedbacklink")
    return {"token": token, "url": url, "expires_at": link.expires_at, "language": link.language,
            "qr_svg": qr_svg}


def feedback_body(feedback: InwonerFeedback) -> dict:
    processed = feedback.processed_at is not None
    return {
        "id": feedback.id, "visit_id": feedback.visit_id, "submitted_at": feedback.submitted_at,
        "corrected_at": feedback.corrected_at, "scores": feedback.scores,
        "comment": feedback.comment_deidentified if processed else None,
        "contact_requested": feedback.contact_requested, "language": feedback.language,
        "comment_language": feedback.comment_language if processed else None,
        "processed": processed,
        "themes": [{"id": t.theme_id, "score": t.score, "label": _theme_label(t.theme_id)}
                   for t in feedback.themes] if processed else [],
    }


def _theme_label(theme_id: str) -> str:
    from server.themes import theme_by_id

    theme = theme_by_id(theme_id)
    return theme.label if theme else theme_id


def response_rate(user_id) -> dict:
    # Replaced (revoked) links were never seen by a resident, so they do not count as issued.
    issued, answered = db.session.execute(
        select(func.count(FeedbackLink.id), func.count(FeedbackLink.used_at))
        .where(FeedbackLink.created_by_id == user_id, FeedbackLink.revoked_at.is_(None))).one()
    return {"issued": issued, "answered": answered, "rate": round(answered / issued, 3) if issued else None}


@blp.get("/feedback")
@blp.arguments(PageArgs, location="query")
@blp.response(200, FeedbackPage)
@login_required
def list_feedback(args):
    stmt = (select(InwonerFeedback).where(InwonerFeedback.medewerker_id == g.user.id)
            .order_by(InwonerFeedback.submitted_at.desc(), InwonerFeedback.id))
    page = paginate(stmt, args, feedback_body)
    page["response_rate"] = response_rate(g.user.id)
    return page
