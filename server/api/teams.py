"""Teams, their settings, members and invitations."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g, jsonify, make_response
from flask_smorest import Blueprint
from sqlalchemy import func, select

from server.accounts_admin import (
    deactivation_refusal,
    installation_bounds,
    is_beheerder,
    membership_change_refusal,
    set_active,
)
from server.api import paginate
from server.api.auth import me_body
from server.audit import audit, note_denial
from server.auth.access import LEADS, is_admin, login_required, role_in_team, team_or_404
from server.auth.links import link_token, link_token_hash, public_url
from server.auth.passwords import hash_password, password_problems, verify_password
from server.auth.sessions import set_cookie, start_session
from server.auth.tokens import token_hash
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db, limiter
from server.models import Invitation, Membership, Team, User, utcnow
from server.ratelimits import LOGIN_LIMIT
from server.retention_bounds import FIELDS, clamped, setting_problems
from server.schemas.accounts import (
    InvitationArgs,
    InvitationOut,
    MemberOut,
    MemberPatchArgs,
    MeOut,
    NewPasswordArgs,
    TeamCreateArgs,
    TeamOut,
    TeamSettings,
)
from server.schemas.common import PageArgs, page_of
from server.weeks import iso_week_of, shift_week

blp = Blueprint("teams", __name__, url_prefix="/api/v1", description="Teams, leden en uitnodigingen")

INVITATION_VALID = timedelta(days=7)


def team_body(team: Team) -> dict:
    body = {column: getattr(team, column) for column in TeamOut._declared_fields if hasattr(team, column)}
    body["role"] = role_in_team(g.user, team.id)
    bounds = installation_bounds()
    body["retention_bounds"] = {field: list(bounds.of(field)) for field in FIELDS}
    return body


@blp.get("/teams")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(TeamOut, "TeamPage"))
@login_required
def list_teams(args):
    stmt = select(Team).order_by(Team.name)
    if not is_admin(g.user):
        stmt = stmt.where(Team.id.in_([m.team_id for m in g.user.memberships]))
    return paginate(stmt, args, team_body)


@blp.post("/teams")
@blp.arguments(TeamCreateArgs)
@blp.response(201, TeamOut)
@login_required
def create_team(args):
    if not is_admin(g.user):
        raise Problem(403, "Alleen een beheerder maakt teams aan.")
    _check_bounds(args)
    # A setting left out starts at the model's default, moved within the installation's bounds.
    defaults = {field: Team.__table__.c[field].default.arg for field in FIELDS if field not in args}
    team = Team(**args | defaults | clamped(installation_bounds(), defaults, only_present=True))
    db.session.add(team)
    db.session.flush()
    db.session.add(Membership(user_id=g.user.id, team_id=team.id, role="beheerder"))
    audit("team.create", "team", team.id, team_id=team.id)
    db.session.commit()
    return team_body(team)


@blp.get("/teams/<uuid:team_id>")
@blp.response(200, TeamOut)
@login_required
def get_team(team_id):
    return team_body(team_or_404(team_id))


@blp.patch("/teams/<uuid:team_id>")
@blp.arguments(TeamSettings)
@blp.response(200, TeamOut)
@login_required
def update_team(args, team_id):
    team = team_or_404(team_id, LEADS)
    _check_bounds(args)
    if "k_threshold" in args and args["k_threshold"] != team.k_threshold:
        _change_k(team, args.pop("k_threshold"))
    for field, value in args.items():
        setattr(team, field, value)
    audit("team.settings", "team", team.id, team_id=team.id)
    db.session.commit()
    return team_body(team)


def _check_bounds(args: dict) -> None:
    """The installation's bounds (docs/privacy.md §4) hold for every team setting, whoever sets it."""
    errors = setting_problems(installation_bounds(), args)
    if errors:
        raise Problem(422, "Dit valt buiten de bewaargrenzen van deze installatie.", errors=errors)


def _change_k(team: Team, k: int) -> None:
    """A new k applies from next week on; earlier weeks keep the highest k they ever had."""
    current = iso_week_of(utcnow(), ZoneInfo(team.timezone))
    team.k_before = max(team.k_threshold, team.k_before or 0)
    team.k_since_week = shift_week(current, 1)
    team.k_threshold = k


def member_body(membership: Membership) -> dict:
    user = membership.user
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "role": membership.role,
        "active": user.active,
    }


@blp.get("/teams/<uuid:team_id>/members")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(MemberOut, "MemberPage"))
@login_required
def list_members(args, team_id):
    team = team_or_404(team_id)
    stmt = (
        select(Membership)
        .join(User)
        .where(Membership.team_id == team.id)
        .order_by(func.lower(User.display_name))
    )
    return paginate(stmt, args, member_body)


def _membership_or_404(team_id, user_id) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
    )
    if membership is None:
        note_denial("not_member", "user", user_id, team_id=team_id, subject_user_id=user_id)
        raise Problem(404, "Dit teamlid bestaat niet.")
    # A teamleider must not demote, deactivate or remove the beheerder who oversees the installation.
    if membership.role == "beheerder" and not is_admin(g.user):
        raise Problem(403, "Alleen een beheerder wijzigt een beheerder.")
    return membership


@blp.patch("/teams/<uuid:team_id>/members/<uuid:user_id>")
@blp.arguments(MemberPatchArgs)
@blp.response(200, MemberOut)
@login_required
def update_member(args, team_id, user_id):
    team = team_or_404(team_id, LEADS)
    membership = _membership_or_404(team.id, user_id)
    if args.get("role") == "beheerder" and not is_admin(g.user):
        raise Problem(403, "Alleen een beheerder maakt iemand beheerder.")
    # Switching an account off acts on every team: one that is beheerder anywhere is the beheerder's.
    if args.get("active") is False and is_beheerder(membership.user) and not is_admin(g.user):
        raise Problem(403, "Alleen een beheerder zet het account van een beheerder uit.")
    refusal = membership_change_refusal(membership, args.get("role", membership.role))
    if not refusal and args.get("active") is False and membership.user.active:
        refusal = deactivation_refusal(g.user, membership.user)
    if refusal:
        raise Problem(409, refusal)
    if "role" in args:
        membership.role = args["role"]
    if "active" in args:
        set_active(membership.user, args["active"])
    audit("member.update", "user", user_id, subject_user_id=user_id, team_id=team.id)
    db.session.commit()
    return member_body(membership)


@blp.delete("/teams/<uuid:team_id>/members/<uuid:user_id>")
@blp.response(204)
@login_required
def remove_member(team_id, user_id):
    team = team_or_404(team_id, LEADS)
    membership = _membership_or_404(team.id, user_id)
    refusal = membership_change_refusal(membership, None)
    if refusal:
        raise Problem(409, refusal)
    db.session.delete(membership)
    audit("member.remove", "user", user_id, subject_user_id=user_id, team_id=team.id)
    db.session.commit()


@blp.post("/teams/<uuid:team_id>/invitations")
@blp.arguments(InvitationArgs)
@blp.response(201, InvitationOut)
@login_required
def invite(args, team_id):
    team = team_or_404(team_id, LEADS)
    if args["role"] == "beheerder" and not is_admin(g.user):
        raise Problem(403, "Alleen een beheerder nodigt een beheerder uit.")
    invitation = Invitation(
        team_id=team.id,
        email=args["email"].strip().lower(),
        role=args["role"],
        token_hash="pending",
        invited_by_id=g.user.id,
        expires_at=utcnow() + INVITATION_VALID,
    )
    db.session.add(invitation)
    db.session.flush()
    invitation.token_hash = link_token_hash("invite", invitation.id)
    emailed = bool(current_app.config.get("SMTP_URL"))
    if emailed:
        emit(Event.INVITATION_CREATED, invitation_id=invitation.id)
    audit("invitation.create", "invitation", invitation.id, team_id=team.id)
    db.session.commit()
    body = {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": invitation.expires_at,
        "emailed": emailed,
    }
    if not emailed:
        body["invite_url"] = invitation_url(invitation)
    return body


def invitation_url(invitation: Invitation) -> str:
    return public_url(f"/app/#/uitnodiging/{link_token('invite', invitation.id)}")


@blp.post("/invitations/<string:token>/accept")
@blp.arguments(NewPasswordArgs)
@blp.alt_response(201, schema=MeOut, description="Joined the team and logged in", success=True)
@limiter.limit(LOGIN_LIMIT)
def accept_invitation(args, token):
    """The invitee sets a password (new account) or joins with their existing one, and is logged in."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        raise Problem(404, "Deze uitnodiging werkt niet meer. Vraag je teamleider om een nieuwe.")
    user = db.session.scalar(select(User).where(func.lower(User.email) == invitation.email))
    if user is None:
        problems = password_problems(args["password"], context=(invitation.email, args.get("display_name")))
        if problems:
            raise Problem(422, problems[0], errors={"password": problems})
        user = User(
            email=invitation.email,
            display_name=args.get("display_name") or invitation.email,
            password_hash=hash_password(args["password"]),
        )
        db.session.add(user)
        db.session.flush()
    elif not verify_password(user.password_hash, args["password"]):
        raise Problem(
            422,
            "Je hebt al een account: gebruik je bestaande wachtwoord.",
            errors={"password": ["Onjuist wachtwoord."]},
        )
    if user.role_in(invitation.team_id) is None:
        db.session.add(Membership(user_id=user.id, team_id=invitation.team_id, role=invitation.role))
    invitation.accepted_at = utcnow()
    token_value, session = start_session(user)
    db.session.commit()
    db.session.refresh(user)
    response = make_response(jsonify(MeOut().dump(me_body(user, session))), 201)
    set_cookie(response, token_value)
    return response
