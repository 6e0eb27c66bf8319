"""Actions: a concrete next step with an owner and a due date, from a reflection or a digest.

Visible to its owner, its creator and the team's leads; anyone else gets 404.
"""

import hashlib
import json

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from server.api import paginate
from server.audit import note_denial
from server.auth.access import login_required, writing_team
from server.errors import Problem
from server.extensions import db
from server.models import Action, Digest, Membership, Reflection, User, utcnow
from server.schemas.actions import ActionCreateArgs, ActionListArgs, ActionOut, ActionPatchArgs
from server.schemas.common import page_of
from server.services.team_themes import allowed_theme_ids

blp = Blueprint(
    "actions", __name__, url_prefix="/api/v1", description="Acties uit reflecties en weekoverzichten"
)


def _person(user_id) -> dict | None:
    user = db.session.get(User, user_id) if user_id else None
    return {"id": user.id, "display_name": user.display_name} if user else None


def action_body(action: Action) -> dict:
    body = {name: getattr(action, name) for name in ActionOut._declared_fields if hasattr(action, name)}
    body["owner"] = _person(action.owner_id)
    body["created_by"] = _person(action.created_by_id)
    # Only the reflection's author (who alone may link it) sees which reflection an action came
    # from: for anyone else, creator + reflection id would tie a shared reflection to its author.
    if action.created_by_id != g.user.id:
        body["reflection_id"] = None
    return body


def _is_lead(team_id) -> bool:
    # The team's own teamleider: a beheerder does not read a team's actions by that role alone.
    return g.user.role_in(team_id) == "teamleider"


def _visible(action: Action | None) -> bool:
    me = g.user.id
    return action is not None and (me in (action.owner_id, action.created_by_id) or _is_lead(action.team_id))


def _action_or_404(action_id) -> Action:
    action = db.session.get(Action, action_id)
    if not _visible(action):
        note_denial(
            "not_visible" if action else "missing",
            "action",
            action_id,
            team_id=action.team_id if action else None,
        )
        raise Problem(404, "Deze actie bestaat niet, of je mag haar niet zien.")
    return action


def _check_owner(team_id, owner_id) -> None:
    """An owner is a member of the team; only leads hand actions to someone else."""
    if owner_id == g.user.id:
        return
    if not _is_lead(team_id):
        raise Problem(403, "Alleen een teamleider geeft een actie aan iemand anders.")
    member = db.session.scalar(
        select(Membership.id)
        .join(User)
        .where(Membership.team_id == team_id, Membership.user_id == owner_id, User.active.is_(True))
    )
    if member is None:
        raise Problem(422, "Kies een eigenaar uit het team.", errors={"owner_id": ["Geen lid van dit team."]})


def _payload_hash(args: dict) -> str:
    payload = {key: value for key, value in args.items() if key != "client_id"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _replay(existing: Action, payload_hash: str):
    if existing.payload_hash != payload_hash:
        raise Problem(409, "Deze client_id is al gebruikt voor een andere actie.")
    return action_body(existing), 200


@blp.get("/actions")
@blp.arguments(ActionListArgs, location="query")
@blp.response(200, page_of(ActionOut, "ActionPage"))
@login_required
def list_actions(args):
    me = g.user
    lead_teams = [m.team_id for m in me.memberships if m.role == "teamleider"]
    seen = [Action.owner_id == me.id, Action.created_by_id == me.id, Action.team_id.in_(lead_teams)]
    stmt = select(Action).where(or_(*seen))
    if args.get("status"):
        stmt = stmt.where(Action.status == args["status"])
    if args.get("team_id"):
        stmt = stmt.where(Action.team_id == args["team_id"])
    if args["mine"]:
        stmt = stmt.where(Action.owner_id == me.id)
    stmt = stmt.order_by(Action.due.is_(None), Action.due, Action.created_at.desc(), Action.id)
    return paginate(stmt, args, action_body)


@blp.post("/actions")
@blp.arguments(ActionCreateArgs)
@blp.response(201, ActionOut)
@blp.alt_response(200, schema=ActionOut, description="the same client_id and payload again: the original")
@login_required
def create_action(args):
    team = writing_team(args["team_id"])
    args["team_id"] = team.id
    args["owner_id"] = args["owner_id"] or g.user.id
    payload_hash = _payload_hash(args)
    existing = db.session.scalar(
        select(Action).where(Action.created_by_id == g.user.id, Action.client_id == args["client_id"])
    )
    if existing is not None:
        return _replay(existing, payload_hash)
    _check_owner(team.id, args["owner_id"])
    if args["reflection_id"]:
        reflection = db.session.get(Reflection, args["reflection_id"])
        if reflection is None or reflection.author_id != g.user.id or reflection.team_id != team.id:
            raise Problem(
                422, "Onbekende reflectie.", errors={"reflection_id": ["Niet een reflectie van jou."]}
            )
    if args["digest_id"]:
        digest = db.session.get(Digest, args["digest_id"])
        if digest is None or digest.team_id != team.id or not _is_lead(team.id):
            raise Problem(422, "Onbekend weekoverzicht.", errors={"digest_id": ["Niet van dit team."]})
    if args["theme_id"] is not None and args["theme_id"] not in allowed_theme_ids(team.id):
        raise Problem(422, "Onbekend thema.", errors={"theme_id": ["Geen thema van dit team."]})
    action = Action(
        client_id=args["client_id"],
        team_id=team.id,
        created_by_id=g.user.id,
        owner_id=args["owner_id"],
        reflection_id=args["reflection_id"],
        digest_id=args["digest_id"],
        title=args["title"],
        due=args["due"],
        payload_hash=payload_hash,
        theme_id=args["theme_id"],
    )
    db.session.add(action)
    try:
        db.session.commit()
    except IntegrityError:  # the same write raced itself (outbox replay): answer like a repeat
        db.session.rollback()
        existing = db.session.scalar(
            select(Action).where(Action.created_by_id == g.user.id, Action.client_id == args["client_id"])
        )
        return _replay(existing, payload_hash)
    return action_body(action), 201


@blp.get("/actions/<uuid:action_id>")
@blp.response(200, ActionOut)
@login_required
def get_action(action_id):
    return action_body(_action_or_404(action_id))


@blp.patch("/actions/<uuid:action_id>")
@blp.arguments(ActionPatchArgs)
@blp.response(200, ActionOut)
@login_required
def update_action(args, action_id):
    action = _action_or_404(action_id)
    may_edit = g.user.id == action.created_by_id or _is_lead(action.team_id)
    # The owner moves status and due date; what the action is and whose it is stays with its creator.
    if not may_edit and ({"title", "owner_id"} & args.keys()):
        raise Problem(403, "Alleen wie de actie maakte, of een teamleider, wijzigt titel of eigenaar.")
    if "owner_id" in args:
        if args["owner_id"] is None:
            raise Problem(422, "Een actie heeft een eigenaar.", errors={"owner_id": ["Verplicht."]})
        _check_owner(action.team_id, args["owner_id"])
    for field in ("title", "owner_id", "due"):
        if field in args:
            setattr(action, field, args[field])
    if "status" in args and args["status"] != action.status:
        action.status = args["status"]
        action.done_at = utcnow() if args["status"] == "done" else None
    action.updated_at = utcnow()
    db.session.commit()
    return action_body(action)
