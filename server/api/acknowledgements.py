"""Thanking or answering a shared reflection without learning who wrote it.

The sender sees only that it was sent; the author sees it in the app (answers de-identified by a
worker first) and gets a push. Nothing here names the author, and the same answer comes back for
any shared reflection, so sending cannot be used to probe who wrote what.
"""

import zoneinfo

from flask import g
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import func, select

from server.audit import note_denial
from server.auth.access import login_required
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.idempotency import commit_once
from server.models import Acknowledgement, Reflection, Team, User
from server.schemas.common import PageArgs, StrictSchema, page_of, text
from server.services.notifications import notify
from server.weeks import iso_week_of

blp = Blueprint(
    "acknowledgements",
    __name__,
    url_prefix="/api/v1",
    description="Bedanken of reageren op een gedeelde reflectie, zonder te weten van wie",
)


class AcknowledgementArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("thanks", "reply")))
    text = text(500)


class AcknowledgementSentOut(StrictSchema):
    id = fields.UUID()
    kind = fields.String()
    created_at = fields.DateTime()


class ReceivedOut(StrictSchema):
    id = fields.UUID()
    reflection_id = fields.UUID()
    iso_week = fields.String(metadata={"description": "week of your reflection"})
    kind = fields.String()
    text = fields.String(
        allow_none=True, metadata={"description": "de-identified answer; '' for a thank-you"}
    )
    sender = fields.String(metadata={"description": "who thanked or answered you"})
    created_at = fields.DateTime()


def _shared_reflection_or_404(reflection_id) -> Reflection:
    reflection = db.session.get(Reflection, reflection_id)
    if (
        reflection is None
        or reflection.visibility != "team"
        or reflection.processed_at is None
        or g.user.role_in(reflection.team_id) is None
    ):
        note_denial(
            "not_shared" if reflection else "missing",
            "reflection",
            reflection_id,
            team_id=reflection.team_id if reflection else None,
        )
        raise Problem(404, "Deze reflectie bestaat niet, of is niet met je gedeeld.")
    return reflection


@blp.post("/team/reflections/<uuid:reflection_id>/acknowledgements")
@blp.arguments(AcknowledgementArgs)
@blp.response(201, AcknowledgementSentOut)
@blp.alt_response(200, schema=AcknowledgementSentOut, description="the same client_id again")
@login_required
def acknowledge(args, reflection_id):
    reflection = _shared_reflection_or_404(reflection_id)
    if args["kind"] == "reply" and not args["text"].strip():
        raise Problem(422, "Schrijf een korte reactie.", errors={"text": ["Mag niet leeg zijn."]})

    def create():
        existing = db.session.scalar(
            select(Acknowledgement).where(
                Acknowledgement.from_user_id == g.user.id, Acknowledgement.client_id == args["client_id"]
            )
        )
        if existing is not None:
            return existing, False
        acknowledgement = Acknowledgement(
            client_id=args["client_id"],
            reflection_id=reflection.id,
            from_user_id=g.user.id,
            kind=args["kind"],
            text=args["text"].strip() if args["kind"] == "reply" else "",
            # a thank-you has no text to de-identify: it is visible at once
            text_deidentified="" if args["kind"] == "thanks" else None,
        )
        db.session.add(acknowledgement)
        db.session.flush()
        emit(Event.ACKNOWLEDGEMENT_CREATED, acknowledgement_id=acknowledgement.id)
        # Your own reflection: accepted like any other (an error would tell you nothing new, but the
        # same answer for everyone keeps this endpoint from being a question about authorship).
        if reflection.author_id is not None and reflection.author_id != g.user.id:
            notify(
                reflection.author_id,
                "acknowledged",
                {"acknowledgement_id": acknowledgement.id},
                f"acknowledged:{acknowledgement.id}",
            )
        return acknowledgement, True

    acknowledgement, created = commit_once(create)
    return (
        {"id": acknowledgement.id, "kind": acknowledgement.kind, "created_at": acknowledgement.created_at},
        201 if created else 200,
    )


@blp.get("/me/acknowledgements")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ReceivedOut, "ReceivedAcknowledgementPage"))
@login_required
def received(args):
    """Thanks and (de-identified) answers to your own shared reflections, newest first."""
    stmt = (
        select(Acknowledgement, Reflection.occurred_at, Reflection.team_id, User.display_name)
        .join(Reflection, Reflection.id == Acknowledgement.reflection_id)
        .outerjoin(User, User.id == Acknowledgement.from_user_id)
        .where(
            Reflection.author_id == g.user.id,
            Acknowledgement.from_user_id != g.user.id,
            Acknowledgement.text_deidentified.is_not(None),
        )
    )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.order_by(Acknowledgement.created_at.desc(), Acknowledgement.id)
        .limit(args["page_size"])
        .offset((args["page"] - 1) * args["page_size"])
    ).all()
    zones = {}
    items = []
    for acknowledgement, occurred, team_id, name in rows:
        if team_id not in zones:
            zones[team_id] = zoneinfo.ZoneInfo(db.session.get(Team, team_id).timezone)
        items.append(
            {
                "id": acknowledgement.id,
                "reflection_id": acknowledgement.reflection_id,
                "iso_week": iso_week_of(occurred, zones[team_id]),
                "kind": acknowledgement.kind,
                "text": acknowledgement.text_deidentified,
                "sender": name or "Een collega",
                "created_at": acknowledgement.created_at,
            }
        )
    return {"items": items, "page": args["page"], "page_size": args["page_size"], "total": total}
