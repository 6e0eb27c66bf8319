"""Actions: a concrete next step with an owner and a due date, from a reflection or a digest.

Visible to its owner, its creator and the team's own teamleider; anyone else gets 404. The periodic
reminder for due actions (`remind_due`) lives here too.
"""

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from server.audit import note_denial
from server.auth.caller import Caller, CallerTeam
from server.errors import Problem
from server.extensions import db
from server.models import Action, Digest, Membership, Notification, Reflection, Team, User, utcnow
from server.services.team_themes import allowed_theme_ids


def person(user_id) -> dict | None:
    user = db.session.get(User, user_id) if user_id else None
    return {"id": user.id, "display_name": user.display_name} if user else None


def shown_reflection_id(action: Action, reader: User):
    """Only the reflection's author (who alone may link it) sees which reflection an action came
    from: for anyone else, creator + reflection id would tie a shared reflection to its author."""
    return action.reflection_id if action.created_by_id == reader.id else None


def _is_lead(user: Caller, team_id) -> bool:
    # The team's own teamleider: a beheerder does not read a team's actions by that role alone.
    return user.role_in(team_id) == "teamleider"


def _visible(user: Caller, action: Action | None) -> bool:
    return action is not None and (
        user.id in (action.owner_id, action.created_by_id) or _is_lead(user, action.team_id)
    )


def visible_or_404(user: Caller, action_id) -> Action:
    action = db.session.get(Action, action_id)
    if action is None or not _visible(user, action):
        note_denial(
            "not_visible" if action else "missing",
            "action",
            action_id,
            team_id=action.team_id if action else None,
        )
        raise Problem(404, "Deze actie bestaat niet, of je mag haar niet zien.")
    return action


def _check_owner(user: Caller, team_id, owner_id) -> None:
    """An owner is a member of the team; only leads hand actions to someone else."""
    if owner_id == user.id:
        return
    if not _is_lead(user, team_id):
        raise Problem(403, "Alleen een teamleider geeft een actie aan iemand anders.")
    member = db.session.scalar(
        select(Membership.id)
        .join(User)
        .where(Membership.team_id == team_id, Membership.user_id == owner_id, User.active.is_(True))
    )
    if member is None:
        raise Problem(422, "Kies een eigenaar uit het team.", errors={"owner_id": ["Geen lid van dit team."]})


def _payload_hash(args: dict) -> str:
    # Stored with every action since the first release: changing it would turn replays into 409s.
    payload = {key: value for key, value in args.items() if key != "client_id"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def visible_to(user: Caller, args: dict):
    """The actions the user may see, filtered and ordered by due date (a select, for paginate)."""
    lead_teams = [m.team_id for m in user.memberships if m.role == "teamleider"]
    seen = [Action.owner_id == user.id, Action.created_by_id == user.id, Action.team_id.in_(lead_teams)]
    stmt = select(Action).where(or_(*seen))
    if args.get("status"):
        stmt = stmt.where(Action.status == args["status"])
    if args.get("team_id"):
        stmt = stmt.where(Action.team_id == args["team_id"])
    if args["mine"]:
        stmt = stmt.where(Action.owner_id == user.id)
    return stmt.order_by(Action.due.is_(None), Action.due, Action.created_at.desc(), Action.id)


def create(user: Caller, team: CallerTeam, args: dict) -> tuple[Action, bool]:
    """(action, created); a replay of the same client_id and payload is the original, another
    payload 409. The caller commits (server/idempotency.py::commit_once runs us again on a race)."""
    args = args | {"team_id": team.id, "owner_id": args["owner_id"] or user.id}
    payload_hash = _payload_hash(args)
    existing = db.session.scalar(
        select(Action).where(Action.created_by_id == user.id, Action.client_id == args["client_id"])
    )
    if existing is not None:
        if existing.payload_hash != payload_hash:
            raise Problem(409, "Deze client_id is al gebruikt voor een andere actie.")
        return existing, False
    _check_owner(user, team.id, args["owner_id"])
    if args["reflection_id"]:
        reflection = db.session.get(Reflection, args["reflection_id"])
        if reflection is None or reflection.author_id != user.id or reflection.team_id != team.id:
            raise Problem(
                422, "Onbekende reflectie.", errors={"reflection_id": ["Niet een reflectie van jou."]}
            )
    if args["digest_id"]:
        digest = db.session.get(Digest, args["digest_id"])
        if digest is None or digest.team_id != team.id or not _is_lead(user, team.id):
            raise Problem(422, "Onbekend weekoverzicht.", errors={"digest_id": ["Niet van dit team."]})
    if args["theme_id"] is not None and args["theme_id"] not in allowed_theme_ids(team.id):
        raise Problem(422, "Onbekend thema.", errors={"theme_id": ["Geen thema van dit team."]})
    action = Action(
        client_id=args["client_id"],
        team_id=team.id,
        created_by_id=user.id,
        owner_id=args["owner_id"],
        reflection_id=args["reflection_id"],
        digest_id=args["digest_id"],
        title=args["title"],
        due=args["due"],
        payload_hash=payload_hash,
        theme_id=args["theme_id"],
    )
    db.session.add(action)
    return action, True


def update(user: Caller, action: Action, changes: dict) -> None:
    may_edit = user.id == action.created_by_id or _is_lead(user, action.team_id)
    # The owner moves status and due date; what the action is and whose it is stays with its creator.
    if not may_edit and ({"title", "owner_id"} & changes.keys()):
        raise Problem(403, "Alleen wie de actie maakte, of een teamleider, wijzigt titel of eigenaar.")
    if "owner_id" in changes:
        if changes["owner_id"] is None:
            raise Problem(422, "Een actie heeft een eigenaar.", errors={"owner_id": ["Verplicht."]})
        _check_owner(user, action.team_id, changes["owner_id"])
    for field in ("title", "owner_id", "due"):
        if field in changes:
            setattr(action, field, changes[field])
    if "status" in changes and changes["status"] != action.status:
        action.status = changes["status"]
        action.done_at = utcnow() if changes["status"] == "done" else None
    action.updated_at = utcnow()


def remind_due(now: datetime) -> int:
    """A Notification for the owner of every open action whose due date has come (team time), once
    per action ever (the dedupe key is the action id). Commits; returns how many were reminded."""
    # Prefilter in SQL (no zone is more than a day ahead of UTC), decide per team's local date.
    rows = db.session.execute(
        select(Action, Team.timezone)
        .join(Team, Team.id == Action.team_id)
        .where(
            Action.status == "open",
            Action.owner_id.is_not(None),
            Action.due.is_not(None),
            Action.reminded_at.is_(None),
            Action.due <= (now + timedelta(days=1)).date(),
        )
    ).all()
    reminded = 0
    for action, zone in rows:
        if action.due is None or action.due > now.astimezone(ZoneInfo(zone)).date():
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    Notification(
                        user_id=action.owner_id,
                        kind="action-due",
                        dedupe_key=f"action-due:{action.id}",
                        ref={"action_id": str(action.id)},
                        scheduled_for=now,
                    )
                )
            reminded += 1
        except IntegrityError:  # a concurrent run reminded first
            pass
        action.reminded_at = now
    db.session.commit()
    return reminded
