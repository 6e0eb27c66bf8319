"""Resident feedback for medewerkers: ask for it on a visit, read what residents said.

Only the medewerker whose visit it was sees the answers, and only the de-identified comment
(once the worker has processed it). Their response rate is theirs alone.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import segno
from flask import current_app, g
from flask_smorest import Blueprint
from sqlalchemy import func, or_, select, update

from server.api import paginate
from server.audit import note_denial
from server.auth.access import login_required, team_or_404
from server.auth.links import public_url
from server.auth.tokens import new_token, token_hash
from server.errors import Problem
from server.extensions import db
from server.models import FeedbackLink, InwonerFeedback, Membership, Team, Visit, utcnow
from server.resident import codes, form_items
from server.resident.card import Card, cards_pdf
from server.resident.messages import LANGUAGES, texts
from server.resident.rates import IssuedLink, rate, team_rate
from server.resident.share import card_sentence, question_count, share_texts
from server.schemas.common import PageArgs
from server.schemas.feedback import (
    FeedbackCardArgs,
    FeedbackCardBatchArgs,
    FeedbackCodeArgs,
    FeedbackCodeOut,
    FeedbackLinkArgs,
    FeedbackLinkOut,
    FeedbackPage,
    ReshareOut,
)

blp = Blueprint("feedback", __name__, url_prefix="/api/v1", description="Feedback van inwoners")

PDF_RESPONSE = {
    "description": "The card(s) as a PDF",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def _own_visit(visit_id) -> Visit:
    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.author_id != g.user.id:
        note_denial(
            "not_owner" if visit else "missing", "visit", visit_id, team_id=visit.team_id if visit else None
        )
        raise Problem(404, "Dit bezoek bestaat niet, of het is niet van jou.")
    return visit


def _new_link(team: Team, args: dict, visit: Visit | None, now: datetime) -> tuple[str, str, FeedbackLink]:
    """A fresh link with its short code: (token, code, row). Only hashes of both are stored."""
    token, code = new_token(), codes.new_code()
    secret = current_app.config["SECRET_KEY"]
    # 40 random bits: a clash with an existing card is unlikely but possible, so draw again.
    while db.session.scalar(
        select(FeedbackLink.id).where(FeedbackLink.code_hash == codes.code_hash(code, secret))
    ):
        code = codes.new_code()
    link = FeedbackLink(
        token_hash=token_hash(token),
        visit_id=visit.id if visit else None,
        team_id=team.id,
        created_by_id=g.user.id,
        language=args["language"],
        variant=args.get("variant") or team.feedback_variant,
        code_hash=codes.code_hash(code, secret),
        created_at=now,
        expires_at=now + timedelta(days=team.feedback_link_days),
    )
    db.session.add(link)
    return token, code, link


def _for_visit(visit: Visit, args: dict) -> tuple[Team, str, str, FeedbackLink]:
    team = db.session.get(Team, visit.team_id)
    now = utcnow()
    # Only the newest link of a visit works: the server cannot show an old one again anyway.
    db.session.execute(
        update(FeedbackLink)
        .where(
            FeedbackLink.visit_id == visit.id,
            FeedbackLink.used_at.is_(None),
            FeedbackLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    token, code, link = _new_link(team, args, visit, now)
    db.session.commit()
    return team, token, code, link


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
    team, token, code, link = _for_visit(_own_visit(visit_id), args)
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
    visit = _own_visit(visit_id)
    if args["token"] or args["code"]:
        team, token, code, link = _held_link(visit, args["token"] or "", args["code"] or "")
    else:
        team, token, code, link = _for_visit(visit, args)
    return _pdf(cards_pdf([_card(team, token, code, link)], args["layout"]), "feedbackkaart")


def _held_link(visit: Visit, token: str, typed_code: str) -> tuple[Team, str, str | None, FeedbackLink]:
    code = codes.normalise(typed_code)
    link = db.session.scalar(
        select(FeedbackLink).where(
            FeedbackLink.visit_id == visit.id,
            FeedbackLink.token_hash == token_hash(token),
            FeedbackLink.code_hash == codes.code_hash(code or "", current_app.config["SECRET_KEY"]),
            FeedbackLink.used_at.is_(None),
            FeedbackLink.revoked_at.is_(None),
            FeedbackLink.expires_at > utcnow(),
        )
    )
    if link is None:
        raise Problem(409, "Deze link werkt niet meer (beantwoord, verlopen of vervangen). Maak een nieuwe.")
    return db.session.get_one(Team, visit.team_id), token, code, link


@blp.post("/teams/<uuid:team_id>/feedback-cards")
@blp.arguments(FeedbackCardBatchArgs)
@blp.doc(responses={"201": PDF_RESPONSE})
@login_required
def create_card_batch(args, team_id):
    """Cards for the week's planned visits: each a fresh link, tied to a visit only when used for it."""
    team = team_or_404(team_id)
    now = utcnow()
    made = [_new_link(team, args, None, now) for _ in range(args["count"])]
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
    visit = _own_visit(visit_id)
    code = codes.normalise(args["code"])
    link = (
        db.session.scalar(
            select(FeedbackLink).where(
                FeedbackLink.code_hash == codes.code_hash(code, current_app.config["SECRET_KEY"]),
                FeedbackLink.created_by_id == g.user.id,
                FeedbackLink.team_id == visit.team_id,
                FeedbackLink.revoked_at.is_(None),
            )
        )
        if code
        else None
    )
    if link is None or (link.visit_id is not None and link.visit_id != visit.id):
        raise Problem(422, "Deze code hoort niet bij een kaartje van jou dat nog vrij is.")
    link.visit_id = visit.id
    answer = db.session.scalar(select(InwonerFeedback).where(InwonerFeedback.link_id == link.id))
    if answer is not None:
        answer.visit_id = visit.id
    db.session.commit()
    return {"visit_id": visit.id, "answered": link.used_at is not None}


@blp.post("/visits/<uuid:visit_id>/feedback-link/reshare")
@blp.response(200, ReshareOut)
@blp.alt_response(409, "CONFLICT")  # answered, expired, or re-shared before
@login_required
def reshare(visit_id):
    """Note the one re-share of the visit's unanswered link. The app shares the same link again
    (it still holds it); Leerlus itself never contacts a resident."""
    visit = _own_visit(visit_id)
    now = utcnow()
    link = db.session.scalar(
        select(FeedbackLink)
        .where(FeedbackLink.visit_id == visit.id, FeedbackLink.revoked_at.is_(None))
        .order_by(FeedbackLink.created_at.desc())
        .limit(1)
    )
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise Problem(409, "Er is geen open link bij dit bezoek: hij is al beantwoord of verlopen.")
    # Conditional, so two taps at once still make one re-share.
    done = db.session.execute(
        update(FeedbackLink)
        .where(FeedbackLink.id == link.id, FeedbackLink.reshared_at.is_(None))
        .values(reshared_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise Problem(409, "Je hebt deze link al een keer opnieuw gedeeld. Nog een keer kan niet.")
    db.session.commit()
    return {"expires_at": link.expires_at, "reshared_at": now}


def feedback_body(feedback: InwonerFeedback) -> dict:
    processed = feedback.processed_at is not None
    return {
        "id": feedback.id,
        "visit_id": feedback.visit_id,
        "submitted_at": feedback.submitted_at,
        "corrected_at": feedback.corrected_at,
        "scores": feedback.scores,
        "comment": feedback.comment_deidentified if processed else None,
        "contact_requested": feedback.contact_requested,
        "language": feedback.language,
        "comment_language": feedback.comment_language if processed else None,
        "processed": processed,
        "themes": [
            {"id": t.theme_id, "score": t.score, "label": _theme_label(t.theme_id)} for t in feedback.themes
        ]
        if processed
        else [],
    }


def _theme_label(theme_id: str) -> str:
    from server.themes import theme_by_id

    theme = theme_by_id(theme_id)
    return theme.label if theme else theme_id


# A link counts once a resident could have seen it (see server.resident.rates).
ISSUED = (
    FeedbackLink.revoked_at.is_(None),
    or_(FeedbackLink.visit_id.is_not(None), FeedbackLink.used_at.is_not(None)),
)


def response_rate(user_id) -> dict:
    issued, answered = db.session.execute(
        select(func.count(FeedbackLink.id), func.count(FeedbackLink.used_at)).where(
            FeedbackLink.created_by_id == user_id, *ISSUED
        )
    ).one()
    return {"issued": issued, "answered": answered, "rate": round(answered / issued, 3) if issued else None}


def month_bounds(now: datetime, zone: ZoneInfo) -> tuple[str, datetime, datetime]:
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, 1, tzinfo=zone)
    end = datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=zone)
    return f"{local.year}-{local.month:02d}", start.astimezone(UTC), end.astimezone(UTC)


def response_rate_month(user_id, now: datetime) -> dict:
    """Your links asked for this month and how many were answered; the team's rate above k."""
    team = db.session.scalar(
        select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == user_id)
        .order_by(Team.created_at, Team.id)
        .limit(1)
    )
    month, start, end = month_bounds(now, ZoneInfo(team.timezone if team else "Europe/Amsterdam"))
    window = (*ISSUED, FeedbackLink.created_at >= start, FeedbackLink.created_at < end)
    mine = [
        IssuedLink(str(user_id), used is not None)
        for used in db.session.scalars(
            select(FeedbackLink.used_at).where(FeedbackLink.created_by_id == user_id, *window)
        )
    ]
    team_figure = None
    if team is not None:
        links = [
            IssuedLink(str(by) if by else None, used is not None)
            for by, used in db.session.execute(
                select(FeedbackLink.created_by_id, FeedbackLink.used_at).where(
                    FeedbackLink.team_id == team.id, *window
                )
            )
        ]
        team_figure = team_rate(links, team.k_threshold, viewer=str(user_id))
    return {"month": month, **rate(mine), "team": team_figure}


@blp.get("/feedback")
@blp.arguments(PageArgs, location="query")
@blp.response(200, FeedbackPage)
@login_required
def list_feedback(args):
    stmt = (
        select(InwonerFeedback)
        .where(InwonerFeedback.medewerker_id == g.user.id)
        .order_by(InwonerFeedback.submitted_at.desc(), InwonerFeedback.id)
    )
    page = paginate(stmt, args, feedback_body)
    page["response_rate"] = response_rate(g.user.id)
    page["response_rate_month"] = response_rate_month(g.user.id, utcnow())
    return page
