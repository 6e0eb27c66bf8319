"""The beheerder's console: accounts across teams and the installation's retention bounds.

Every route is for beheerders only: anyone else gets 403 before any object is looked up, so a
refusal says nothing about whether an account exists. Every change is audited with who did it.
The audit log viewer itself is GET /audit (server/api/privacy.py).
"""

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import func, or_, select

from server.accounts_admin import (
    ceiling,
    deactivation_refusal,
    installation_bounds,
    reset_second_factor,
    set_active,
    store_bounds,
)
from server.api import paginate
from server.audit import audit, note_denial
from server.auth.access import is_admin, login_required
from server.errors import Problem
from server.extensions import db
from server.models import Membership, Team, User
from server.retention_bounds import Bounds, bounds_problems
from server.schemas.admin import (
    AdminUserOut,
    AdminUserPatchArgs,
    RetentionBoundsArgs,
    RetentionBoundsOut,
    UserListArgs,
)
from server.schemas.common import page_of

blp = Blueprint("beheer", __name__, url_prefix="/api/v1/admin", description="Beheer van de installatie")


def _admin_only() -> None:
    if not is_admin(g.user):
        note_denial("admin_only")
        raise Problem(403, "Alleen een beheerder kan dit.")


def _user_or_404(user_id) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise Problem(404, "Dit account bestaat niet.")
    return user


def user_body(user: User) -> dict:
    memberships = sorted(user.memberships, key=lambda m: m.team.name.lower())
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "active": user.active,
        "mfa_enabled": user.mfa_enabled,
        "mfa_enrol_required": user.mfa_enrol_required,
        "roles": sorted({m.role for m in memberships}),
        "teams": [{"id": m.team_id, "name": m.team.name, "role": m.role} for m in memberships],
        "last_seen_at": user.last_seen_at,
        "is_self": user.id == g.user.id,
    }


@blp.get("/users")
@blp.arguments(UserListArgs, location="query")
@blp.response(200, page_of(AdminUserOut, "AdminUserPage"))
@login_required
def list_users(args):
    """Every account with a team role (organisation-only accounts are managed per gemeente)."""
    _admin_only()
    stmt = (
        select(User)
        .where(User.id.in_(select(Membership.user_id)))
        .order_by(func.lower(User.display_name), User.email)
    )
    if args.get("q"):
        like = f"%{args['q'].strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.display_name).like(like), func.lower(User.email).like(like)))
    if "team_id" in args:
        stmt = stmt.where(
            User.id.in_(select(Membership.user_id).where(Membership.team_id == args["team_id"]))
        )
    if "active" in args:
        stmt = stmt.where(User.active.is_(args["active"]))
    page = paginate(stmt, args, user_body)
    audit("admin.users.read", "user", None)
    db.session.commit()
    return page


@blp.patch("/users/<uuid:user_id>")
@blp.arguments(AdminUserPatchArgs)
@blp.response(200, AdminUserOut)
@blp.alt_response(409, "CONFLICT")  # yourself, or the last beheerder
@login_required
def update_user(args, user_id):
    """Deactivate (their sessions end at once) or reactivate an account."""
    _admin_only()
    user = _user_or_404(user_id)
    if args["active"] != user.active:
        if not args["active"]:
            refusal = deactivation_refusal(g.user, user)
            if refusal:
                raise Problem(409, refusal)
        set_active(user, args["active"])
        audit(
            "user.activate" if args["active"] else "user.deactivate", "user", user.id, subject_user_id=user.id
        )
    db.session.commit()
    return user_body(user)


@blp.post("/users/<uuid:user_id>/second-factor-reset")
@blp.response(200, AdminUserOut)
@blp.alt_response(409, "CONFLICT")  # your own: reset it in your settings
@login_required
def reset_user_second_factor(user_id):
    """The old second factor stops working; at their next login they set up a new one."""
    _admin_only()
    user = _user_or_404(user_id)
    if user.id == g.user.id:
        raise Problem(409, "Je eigen tweede factor zet een andere beheerder opnieuw in.")
    reset_second_factor(user)
    audit("user.mfa_reset", "user", user.id, subject_user_id=user.id)
    db.session.commit()
    return user_body(user)


def _retention_body(changed=()) -> dict:
    teams = db.session.scalars(select(Team).order_by(func.lower(Team.name))).all()

    def team_row(team):
        return {name: getattr(team, name) for name in ("id", "name", "raw_text_days", "retention_months")}

    return installation_bounds().as_dict() | {
        "ceiling": ceiling(),
        "teams": [team_row(team) for team in teams],
        "changed_teams": [team_row(team) for team, _ in changed],
    }


@blp.get("/retention")
@blp.response(200, RetentionBoundsOut)
@login_required
def get_retention():
    """The installation's bounds, its ceiling, and every team's current settings."""
    _admin_only()
    return _retention_body()


@blp.put("/retention")
@blp.arguments(RetentionBoundsArgs)
@blp.response(200, RetentionBoundsOut)
@login_required
def put_retention(args):
    """New bounds; a team setting outside them moves to the nearest allowed value (audited per team)."""
    _admin_only()
    bounds = Bounds(**args)
    errors = bounds_problems(bounds, ceiling())
    if errors:
        raise Problem(422, "Deze grenzen kunnen niet in deze installatie.", errors=errors)
    changed = store_bounds(bounds, g.user.id)
    audit(
        "installation.retention",
        "installation",
        None,
        reason=f"ruwe tekst {bounds.raw_text_days_min}-{bounds.raw_text_days_max} dagen, "
        f"gegevens {bounds.retention_months_min}-{bounds.retention_months_max} maanden",
    )
    for team, changes in changed:
        reason = ", ".join(f"{field}={value}" for field, value in changes.items())
        audit("team.settings", "team", team.id, team_id=team.id, reason=f"bewaargrenzen: {reason}")
    db.session.commit()
    return _retention_body(changed)
