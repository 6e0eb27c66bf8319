"""Resident feedback for medewerkers: ask for it on a visit, read what residents said.

Only the medewerker whose visit it was sees the answers, and only the de-identified comment
(once the worker has processed it). Their response rate is theirs alone.
"""

from zoneinfo import ZoneInfo

import segno
from flask import current_app, g
from flask_smorest import Blueprint

from server.api import paginate
from server.auth.access import login_required, team_or_404
from server.auth.links import public_url
from server.extensions import db
from server.models import FeedbackLink, InwonerFeedback, Team, utcnow
from server.resident import codes, form_items
from server.resident.card import Card, cards_pdf
from server.resident.messages import LANGUAGES, texts
from server.resident.share import card_sentence, question_count, share_texts
from server.schemas.common import PageArgs, values_of
from server.schemas.feedback import (
    FeedbackCardArgs,
    FeedbackCardBatchArgs,
    FeedbackCodeArgs,
    FeedbackCodeOut,
    FeedbackLinkArgs,
    FeedbackLinkOut,
    FeedbackOut,
    FeedbackPage,
    FeedbackThemeOut,
    ReshareOut,
)
from server.services import feedback, visits

blp = Blueprint("feedback", __name__, url_prefix="/api/v1", description="Feedback van inwoners")

PDF_RESPONSE = {
    "description": "The card(s) as a PDF",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def code_address() -> str:
    """Where a resident types a card's code, as printed: without the scheme."""
    return public_url("/f/code").split("://", 1)[-1]


def _card(team: Team, token: str, code: str, link: FeedbackLink) -> Card:
    return Card(
        url=public_url(f"/f/{token}"),
        code=codes.display(code),
        address=code_address(),
        team=team.name,
        expires=link.expires_at.astimezone(ZoneInfo(team.timezone)).date(),
        language=link.language,
        direction=LANGUAGES[link.language][1],
        texts=texts(link.language, link.variant),
        sentence=card_sentence(link.language, link.variant, question_count(form_items(link))),
    )


def _pdf(data: bytes, name: str):
    response = current_app.response_class(data, status=201, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@blp.post("/visits/<uuid:visit_id>/feedback-link")
@blp.arguments(FeedbackLinkArgs)
@blp.response(201, FeedbackLinkOut)
@login_required
def create_link(args, visit_id):
    team, token, code, link = feedback.link_for_visit(g.user.id, visits.own_visit_or_404(visit_id), args)
    db.session.commit()
    url = public_url(f"/f/{token}")
    qr_svg = segno.make(url, error="m").svg_inline(
        scale=1, omitsize=True, light="#fff", title="QR-code voor de feedbacklink"
    )
    return {
        "token": token,
        "url": url,
        "expires_at": link.expires_at,
        "language": link.language,
        "variant": link.variant,
        "code": codes.display(code),
        "code_url": code_address(),
        "qr_svg": qr_svg,
        **share_texts(
            link.language, link.variant, team=team.name, count=question_count(form_items(link)), url=url
        ),
    }


@blp.post("/visits/<uuid:visit_id>/feedback-card")
@blp.arguments(FeedbackCardArgs)
@blp.doc(responses={"201": PDF_RESPONSE})
@blp.alt_response(409, "CONFLICT")  # the link the app holds is no longer open
@login_required
def create_card(args, visit_id):
    """A leave-behind card for this visit: for the open link the app holds (token and code), or for
    a fresh link (an older unanswered one then stops working)."""
    visit = visits.own_visit_or_404(visit_id)
    if args["token"] or args["code"]:
        team, token, code, link = feedback.held_link(visit, args["token"] or "", args["code"] or "")
    else:
        team, token, code, link = feedback.link_for_visit(g.user.id, visit, args)
        db.session.commit()
    return _pdf(cards_pdf([_card(team, token, code, link)], args["layout"]), "feedbackkaart")


@blp.post("/teams/<uuid:team_id>/feedback-cards")
@blp.arguments(FeedbackCardBatchArgs)
@blp.doc(responses={"201": PDF_RESPONSE})
@login_required
def create_card_batch(args, team_id):
    """Cards for the week's planned visits: each a fresh link, tied to a visit only when used for it."""
    team = team_or_404(team_id)
    now = utcnow()
    made = [feedback.new_link(g.user.id, team, args, None, now) for _ in range(args["count"])]
    db.session.commit()
    return _pdf(
        cards_pdf([_card(team, token, code, link) for token, code, link in made], args["layout"]),
        "feedbackkaarten",
    )


@blp.post("/visits/<uuid:visit_id>/feedback-code")
@blp.arguments(FeedbackCodeArgs)
@blp.response(200, FeedbackCodeOut)
@login_required
def tie_card(args, visit_id):
    """Tie a card from a batch to the visit it was left at, by the code printed on it."""
    visit = visits.own_visit_or_404(visit_id)
    link = feedback.tie_card(g.user.id, visit, args["code"])
    db.session.commit()
    return {"visit_id": visit.id, "answered": link.used_at is not None}


@blp.post("/visits/<uuid:visit_id>/feedback-link/reshare")
@blp.response(200, ReshareOut)
@blp.alt_response(409, "CONFLICT")  # answered, expired, or re-shared before
@login_required
def reshare(visit_id):
    """Note the one re-share of the visit's unanswered link. The app shares the same link again
    (it still holds it); Leerlus itself never contacts a resident."""
    now = utcnow()
    link = feedback.reshare(visits.own_visit_or_404(visit_id), now)
    db.session.commit()
    return {"expires_at": link.expires_at, "reshared_at": now}


def feedback_out(answer: InwonerFeedback) -> dict:
    processed = answer.processed_at is not None
    return values_of(
        FeedbackOut,
        answer,
        comment=answer.comment_deidentified if processed else None,
        comment_language=answer.comment_language if processed else None,
        processed=processed,
        themes=[
            values_of(FeedbackThemeOut, theme, id=theme.theme_id, label=feedback.theme_label(theme.theme_id))
            for theme in answer.themes
        ]
        if processed
        else [],
    )


@blp.get("/feedback")
@blp.arguments(PageArgs, location="query")
@blp.response(200, FeedbackPage)
@login_required
def list_feedback(args):
    page = paginate(feedback.received_by(g.user.id), args, feedback_out)
    page["response_rate"] = feedback.response_rate(g.user.id)
    page["response_rate_month"] = feedback.response_rate_month(g.user.id, utcnow())
    return page
