"""Mijn portfolio: the caller's own evidence for a period, as JSON, CSV and PDF.

Every query here is filtered on the caller; there is no parameter that names another person.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, g
from flask_smorest import Blueprint
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server import portfolio
from server.audit import note_denial
from server.auth.access import login_required, own_or_404
from server.digest.cells import effective_k
from server.errors import Problem
from server.extensions import db
from server.intervisie import METHODS
from server.models import (
    REFLECTION_TEXT_FIELDS,
    CasusoverlegAttendance,
    IntervisieCase,
    IntervisieParticipant,
    IntervisieSession,
    InwonerFeedback,
    LearningQuestion,
    PortfolioReflection,
    Reflection,
    ThemeOfTheMonth,
    utcnow,
)
from server.schemas.intervisie import AttendanceOut, PortfolioArgs, PortfolioMarkOut, PortfolioOut
from server.services.learning import contributing_reflections
from server.services.team_themes import theme_label

blp = Blueprint("portfolio", __name__, url_prefix="/api/v1", description="Mijn portfolio")


def _zone() -> ZoneInfo:
    memberships = g.user.memberships
    return ZoneInfo(memberships[0].team.timezone if memberships else "Europe/Amsterdam")


def _bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the medewerker's zone, as UTC instants."""
    return (
        datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC),
    )


def _reflections(lo, hi, zone) -> tuple[list[dict], int]:
    me = g.user.id
    count = len(
        db.session.scalars(
            select(Reflection.id).where(
                Reflection.author_id == me, Reflection.occurred_at >= lo, Reflection.occurred_at < hi
            )
        ).all()
    )
    rows = db.session.scalars(
        select(Reflection)
        .options(selectinload(Reflection.themes))
        .join(PortfolioReflection, PortfolioReflection.reflection_id == Reflection.id)
        .where(
            PortfolioReflection.user_id == me,
            Reflection.author_id == me,
            Reflection.occurred_at >= lo,
            Reflection.occurred_at < hi,
        )
        .order_by(Reflection.occurred_at)
    ).all()
    # The text fields hold the raw words until the retention job swaps in the de-identified ones.
    return [
        {
            "id": str(r.id),
            "date": r.occurred_at.astimezone(zone).date().isoformat(),
            "zone": r.learning_zone,
            "themes": [theme_label(t.theme_id) for t in r.themes],
            "text": "\n".join(getattr(r, f) for f in REFLECTION_TEXT_FIELDS if getattr(r, f)),
            "text_state": "zonder namen" if r.raw_purged_at else "eigen woorden",
        }
        for r in rows
    ], count


def _questions(lo, hi, zone) -> list[dict]:
    rows = db.session.scalars(
        select(LearningQuestion)
        .where(
            LearningQuestion.author_id == g.user.id,
            or_(
                and_(LearningQuestion.created_at >= lo, LearningQuestion.created_at < hi),
                and_(LearningQuestion.closed_at >= lo, LearningQuestion.closed_at < hi),
            ),
        )
        .order_by(LearningQuestion.created_at)
    ).all()
    return [
        {
            "text": q.text,
            "status": q.status,
            "learned": q.learned,
            "created_on": q.created_at.astimezone(zone).date().isoformat(),
            "closed_on": q.closed_at.astimezone(zone).date().isoformat() if q.closed_at else None,
        }
        for q in rows
    ]


def _sessions(start: date, end: date) -> list[dict]:
    me = g.user.id
    attended = set(
        db.session.scalars(
            select(IntervisieParticipant.session_id).where(IntervisieParticipant.user_id == me)
        )
    )
    brought = set(
        db.session.scalars(
            select(IntervisieSession.id)
            .join(IntervisieCase, IntervisieCase.id == IntervisieSession.case_id)
            .where(IntervisieCase.author_id == me)
        )
    )
    rows = db.session.scalars(
        select(IntervisieSession)
        .where(
            IntervisieSession.id.in_(attended | brought),
            IntervisieSession.held_on >= start,
            IntervisieSession.held_on <= end,
        )
        .order_by(IntervisieSession.held_on)
    ).all()
    sessions = []
    for s in rows:
        roles = [
            role
            for role, yes in (
                ("facilitator", s.facilitator_id == me),
                ("brought_in", s.id in brought),
                ("participant", s.id in attended),
            )
            if yes
        ]
        sessions.append(
            {
                "held_on": s.held_on.isoformat(),
                "method": METHODS[s.method].label,
                "theme": theme_label(s.theme_id) if s.theme_id else None,
                "minutes": METHODS[s.method].minutes,
                "attended": s.id in attended,
                "roles": roles,
            }
        )
    return sessions


def _months(start: date, end: date) -> list[dict]:
    me = g.user.id
    going = set(
        db.session.scalars(
            select(CasusoverlegAttendance.theme_of_the_month_id).where(CasusoverlegAttendance.user_id == me)
        )
    )
    months = []
    for membership in g.user.memberships:
        team = membership.team
        for chosen in db.session.scalars(
            select(ThemeOfTheMonth)
            .where(
                ThemeOfTheMonth.team_id == team.id,
                ThemeOfTheMonth.month >= start.strftime("%Y-%m"),
                ThemeOfTheMonth.month <= end.strftime("%Y-%m"),
            )
            .order_by(ThemeOfTheMonth.month)
        ):
            months.append(
                {
                    "id": str(chosen.id),
                    "month": chosen.month,
                    "label": theme_label(chosen.theme_id),
                    "my_contributions": len(contributing_reflections(team, chosen, me)),
                    "casusoverleg_on": chosen.casusoverleg_on.isoformat() if chosen.casusoverleg_on else None,
                    "casusoverleg_attended": chosen.id in going,
                }
            )
    return months


def _feedback(lo, hi) -> dict:
    # The strictest k of the caller's teams: the summary must hide a single answer in each of them.
    k = max((effective_k(m.team.k_threshold) for m in g.user.memberships), default=effective_k(0))
    scores = db.session.scalars(
        select(InwonerFeedback.scores).where(
            InwonerFeedback.medewerker_id == g.user.id,
            InwonerFeedback.submitted_at >= lo,
            InwonerFeedback.submitted_at < hi,
        )
    ).all()
    return portfolio.feedback_summary(list(scores), k)


def gather(start: date | None, end: date | None) -> dict:
    if start is None or end is None:
        missing = {name: ["Verplicht."] for name, value in (("from", start), ("to", end)) if value is None}
        raise Problem(422, "Kies een periode: een begin- en een einddatum.", errors=missing)
    zone = _zone()
    lo, hi = _bounds(start, end, zone)
    reflections, count = _reflections(lo, hi, zone)
    return portfolio.build(
        person=g.user.display_name,
        start=start,
        end=end,
        created_at=utcnow(),
        reflections=reflections,
        reflection_count=count,
        questions=_questions(lo, hi, zone),
        sessions=_sessions(start, end),
        months=_months(start, end),
        feedback=_feedback(lo, hi),
    )


@blp.get("/me/portfolio")
@blp.arguments(PortfolioArgs, location="query")
@blp.response(200, PortfolioOut)
@login_required
def my_portfolio(args):
    return gather(args["start"], args["end"])


def _filename(args, suffix: str) -> str:
    return f"leerlus-portfolio-{args['start'].isoformat()}-{args['end'].isoformat()}.{suffix}"


@blp.get("/me/portfolio.csv")
@blp.arguments(PortfolioArgs, location="query")
@blp.response(200, content_type="text/csv", description="One row per piece of evidence")
@login_required
def my_portfolio_csv(args):
    body = portfolio.to_csv(gather(args["start"], args["end"]))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(args, "csv")}"',
            "Cache-Control": "no-store",
        },
    )


@blp.get("/me/portfolio.pdf")
@blp.arguments(PortfolioArgs, location="query")
@blp.response(200, content_type="application/pdf", description="A4, with its period and creation time")
@login_required
def my_portfolio_pdf(args):
    body = portfolio.to_pdf(gather(args["start"], args["end"]))
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(args, "pdf")}"',
            "Cache-Control": "no-store",
        },
    )


# -- what goes into it -----------------------------------------------------------------------------


@blp.put("/me/portfolio/reflections/<uuid:reflection_id>")
@blp.response(200, PortfolioMarkOut)
@login_required
def mark_reflection(reflection_id):
    reflection = own_or_404(Reflection, reflection_id, "Deze reflectie bestaat niet, of is niet van jou.")
    try:
        with db.session.begin_nested():
            db.session.add(PortfolioReflection(user_id=g.user.id, reflection_id=reflection.id))
    except IntegrityError:  # already marked: PUT is idempotent
        pass
    db.session.commit()
    return {"reflection_id": reflection.id, "in_portfolio": True}


@blp.delete("/me/portfolio/reflections/<uuid:reflection_id>")
@blp.response(200, PortfolioMarkOut)
@login_required
def unmark_reflection(reflection_id):
    reflection = own_or_404(Reflection, reflection_id, "Deze reflectie bestaat niet, of is niet van jou.")
    mark = db.session.scalar(
        select(PortfolioReflection).where(
            PortfolioReflection.user_id == g.user.id, PortfolioReflection.reflection_id == reflection.id
        )
    )
    if mark is not None:
        db.session.delete(mark)
    db.session.commit()
    return {"reflection_id": reflection.id, "in_portfolio": False}


def _month_of_my_team_or_404(month_id) -> ThemeOfTheMonth:
    chosen = db.session.get(ThemeOfTheMonth, month_id)
    if chosen is None or g.user.role_in(chosen.team_id) is None:
        note_denial("not_member" if chosen else "missing", "theme_of_the_month", month_id)
        raise Problem(404, "Dit thema van de maand bestaat niet, of is niet van jouw team.")
    if chosen.casusoverleg_on is None:
        raise Problem(422, "Bij dit thema staat geen casusoverleg gepland.")
    return chosen


@blp.put("/me/casusoverleg/<uuid:month_id>")
@blp.response(200, AttendanceOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")
@login_required
def attend_casusoverleg(month_id):
    """ "Ik was erbij": your own note for your portfolio; nobody else reads it."""
    chosen = _month_of_my_team_or_404(month_id)
    try:
        with db.session.begin_nested():
            db.session.add(CasusoverlegAttendance(user_id=g.user.id, theme_of_the_month_id=chosen.id))
    except IntegrityError:
        pass
    db.session.commit()
    return {"theme_of_the_month_id": chosen.id, "attended": True}


@blp.delete("/me/casusoverleg/<uuid:month_id>")
@blp.response(200, AttendanceOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")
@login_required
def unattend_casusoverleg(month_id):
    chosen = _month_of_my_team_or_404(month_id)
    row = db.session.scalar(
        select(CasusoverlegAttendance).where(
            CasusoverlegAttendance.user_id == g.user.id,
            CasusoverlegAttendance.theme_of_the_month_id == chosen.id,
        )
    )
    if row is not None:
        db.session.delete(row)
    db.session.commit()
    return {"theme_of_the_month_id": chosen.id, "attended": False}
