"""Resident feedback: links and cards a medewerker hands out, their answers, and the worker's
processing of an answer (de-identified comment, its language, experience themes, a contact request).

No resident identity, ever: only hashes of a link's token and short code are stored.
"""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from server.auth.tokens import new_token, token_hash
from server.errors import Problem
from server.extensions import db
from server.models import (
    FeedbackLink,
    FeedbackTheme,
    InwonerFeedback,
    Membership,
    Notification,
    Team,
    Visit,
    utcnow,
)
from server.privacy import deidentify
from server.resident import codes
from server.resident.rates import IssuedLink, rate, team_rate
from server.themes import detect_language, get_classifier, theme_by_id

# A link counts once a resident could have seen it (see server.resident.rates).
ISSUED = (
    FeedbackLink.revoked_at.is_(None),
    or_(FeedbackLink.visit_id.is_not(None), FeedbackLink.used_at.is_not(None)),
)


# --- links and cards (the caller commits) ------------------------------------------------------


def new_link(
    author_id, team: Team, args: dict, visit: Visit | None, now: datetime
) -> tuple[str, str, FeedbackLink]:
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
        created_by_id=author_id,
        language=args["language"],
        variant=args.get("variant") or team.feedback_variant,
        code_hash=codes.code_hash(code, secret),
        created_at=now,
        expires_at=now + timedelta(days=team.feedback_link_days),
    )
    db.session.add(link)
    return token, code, link


def link_for_visit(author_id, visit: Visit, args: dict) -> tuple[Team, str, str, FeedbackLink]:
    """A new link for the visit; the visit's older open links stop working."""
    team = db.session.get_one(Team, visit.team_id)
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
    token, code, link = new_link(author_id, team, args, visit, now)
    return team, token, code, link


def held_link(visit: Visit, token: str, typed_code: str) -> tuple[Team, str, str | None, FeedbackLink]:
    """The visit's open link the app still holds (token and code), or 409."""
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


def tie_card(author_id, visit: Visit, typed_code: str) -> FeedbackLink:
    """Tie a card from a batch (and any answer it already has) to the visit it was left at."""
    code = codes.normalise(typed_code)
    link = (
        db.session.scalar(
            select(FeedbackLink).where(
                FeedbackLink.code_hash == codes.code_hash(code, current_app.config["SECRET_KEY"]),
                FeedbackLink.created_by_id == author_id,
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
    return link


def reshare(visit: Visit, now: datetime) -> FeedbackLink:
    """Note the one re-share of the visit's unanswered link (409 if there is none, or it was)."""
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
    return link


# --- reads -------------------------------------------------------------------------------------


def received_by(user_id):
    """The answers to the medewerker's own visits, newest first (a select, for paginate)."""
    return (
        select(InwonerFeedback)
        .where(InwonerFeedback.medewerker_id == user_id)
        .order_by(InwonerFeedback.submitted_at.desc(), InwonerFeedback.id)
    )


def theme_label(theme_id: str) -> str:
    theme = theme_by_id(theme_id)
    return theme.label if theme else theme_id


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


# --- the worker's part -------------------------------------------------------------------------


def process(feedback_id: uuid.UUID) -> InwonerFeedback | None:
    """De-identify the comment, detect its language, classify it, ask for contact; commit.

    None if the answer is gone.
    """
    feedback = db.session.get(InwonerFeedback, feedback_id)
    if feedback is None:
        return None
    comment = deidentify(feedback.comment) if feedback.comment else ""
    feedback.comment_language = comment_language(feedback.comment, feedback.language)
    # Themes come from the de-identified text: the same text anyone else may ever see.
    result = (
        get_classifier().classify(comment, kind="feedback", lang=feedback.comment_language, semantic=True)
        if comment
        else None
    )
    feedback.themes.clear()
    db.session.flush()
    if result is not None:
        feedback.themes.extend(
            FeedbackTheme(
                theme_id=theme_id, score=result.scores.get(theme_id), matched=result.matches.get(theme_id, [])
            )
            for theme_id in result.themes
        )
    feedback.comment_deidentified = comment
    feedback.processed_at = utcnow()
    if feedback.contact_requested and feedback.medewerker_id is not None:
        _ask_for_contact(feedback)
    db.session.commit()
    return feedback


def comment_language(comment: str | None, page_language: str) -> str | None:
    """The language the resident wrote in (one of six); the page's language is only a hint.

    Detected on the raw comment: placeholders in the de-identified text carry no language.
    """
    return detect_language(comment, page_language).lang if comment and comment.strip() else None


def _ask_for_contact(feedback: InwonerFeedback) -> None:
    # The dedupe key makes redelivery (and a correction) leave one notification, not two.
    key = f"feedback-contact:{feedback.id}"
    if db.session.scalar(select(Notification.id).where(Notification.dedupe_key == key)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                Notification(
                    user_id=feedback.medewerker_id,
                    kind="feedback-contact",
                    dedupe_key=key,
                    scheduled_for=utcnow(),
                    ref={"feedback_id": str(feedback.id)},
                )
            )
    except IntegrityError:
        pass  # a concurrent run of this job inserted it first
