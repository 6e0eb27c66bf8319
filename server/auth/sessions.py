"""Server-side sessions in the database, carried by one cookie."""

from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import bindparam, delete, select, update

from server.auth.caller import (
    Caller,
    CallerMembership,
    CallerOrganisation,
    CallerOrganisationMembership,
    CallerSession,
    CallerTeam,
)
from server.auth.tokens import new_token, token_hash
from server.errors import Problem
from server.extensions import db
from server.models import AuthSession, Membership, Organisation, OrganisationMembership, Team, User, utcnow

# Sliding expiry is written at most this often, so reads do not turn into writes.
TOUCH_EVERY = timedelta(minutes=5)


def cookie_name() -> str:
    # The __Host- prefix needs Secure, so plain-HTTP development uses an unprefixed name.
    return "__Host-leerlus" if current_app.config["SESSION_COOKIE_SECURE"] else "leerlus_session"


def start_session(user: User) -> tuple[str, AuthSession]:
    """A fresh session id on every login (no fixation); the caller sets the cookie.

    A session starts without a passed second factor: only /auth/mfa or enrolling sets it, so a
    role that requires one is held at enrolment until it has one.
    """
    token = new_token()
    now = utcnow()
    row = AuthSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=new_token(),
        mfa_passed=False,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=current_app.config["SESSION_DAYS"]),
    )
    db.session.add(row)
    return token, row


def set_cookie(response, token: str) -> None:
    response.set_cookie(
        cookie_name(),
        token,
        max_age=current_app.config["SESSION_DAYS"] * 86400,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/",
    )


def clear_cookie(response) -> None:
    response.delete_cookie(
        cookie_name(),
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


# One Core query for the session, its user, their team memberships with teams and their organisation
# memberships with organisations, into plain values (server/auth/caller.py): every request runs it,
# nearly every one checks a role, and the ORM's identity map cost a quarter of a write (docs/
# performance.md, item 19). The two outer joins multiply a user's team and organisation memberships:
# staff have no organisation role and a beleidsmedewerker no team, so the rows stay few. Built once.
_s, _u = AuthSession.__table__, User.__table__
_m, _t = Membership.__table__, Team.__table__
_om, _o = OrganisationMembership.__table__, Organisation.__table__
_SESSION_QUERY = (
    select(
        _s.c.id,
        _s.c.csrf_token,
        _s.c.mfa_passed,
        _s.c.sso_provider,
        _s.c.last_seen_at,
        _s.c.expires_at,
        _u.c.id.label("user_id"),
        _u.c.active,
        _u.c.email,
        _u.c.display_name,
        _u.c.language,
        _u.c.mfa_enabled,
        _u.c.mfa_enrol_required,
        _u.c.notify_off,
        _u.c.quiet_start,
        _u.c.quiet_end,
        _u.c.quiet_weekends,
        _u.c.nudge_delay_minutes,
        _m.c.team_id,
        _m.c.role.label("team_role"),
        _t.c.name.label("team_name"),
        _t.c.timezone,
        _t.c.k_threshold,
        _om.c.organisation_id,
        _om.c.role.label("organisation_role"),
        _o.c.name.label("organisation_name"),
    )
    .select_from(
        _s.join(_u, _u.c.id == _s.c.user_id)
        .outerjoin(_m, _m.c.user_id == _u.c.id)
        .outerjoin(_t, _t.c.id == _m.c.team_id)
        .outerjoin(_om, _om.c.user_id == _u.c.id)
        .outerjoin(_o, _o.c.id == _om.c.organisation_id)
    )
    .where(_s.c.token_hash == bindparam("token_hash"))
    # Oldest membership first: "the first team" (a default in several views) is the same every time.
    .order_by(_m.c.created_at, _m.c.team_id, _om.c.created_at, _om.c.organisation_id)
)


def _caller(rows) -> tuple[CallerSession, Caller]:
    first = rows[0]
    teams = {
        row.team_id: CallerMembership(
            row.team_id, row.team_role, CallerTeam(row.team_id, row.team_name, row.timezone, row.k_threshold)
        )
        for row in rows
        if row.team_id is not None
    }
    organisations = {
        row.organisation_id: CallerOrganisationMembership(
            row.organisation_id,
            row.organisation_role,
            CallerOrganisation(row.organisation_id, row.organisation_name),
        )
        for row in rows
        if row.organisation_id is not None
    }
    session = CallerSession(first.id, first.csrf_token, first.mfa_passed, first.sso_provider)
    user = Caller(
        id=first.user_id,
        email=first.email,
        display_name=first.display_name,
        language=first.language,
        mfa_enabled=first.mfa_enabled,
        mfa_enrol_required=first.mfa_enrol_required,
        notify_off=tuple(first.notify_off),
        quiet_start=first.quiet_start,
        quiet_end=first.quiet_end,
        quiet_weekends=first.quiet_weekends,
        nudge_delay_minutes=first.nudge_delay_minutes,
        memberships=tuple(teams.values()),
        organisation_memberships=tuple(organisations.values()),
    )
    return session, user


def load_session() -> None:
    """before_request: put the caller's session and user (plain values, or None) on g."""
    g.auth_session = None
    g.user = None
    token = request.cookies.get(cookie_name())
    if not token:
        return
    rows = db.session.connection().execute(_SESSION_QUERY, {"token_hash": token_hash(token)}).all()
    now = utcnow()
    # Revoked (row deleted), expired or deactivated: refused on this very request.
    if not rows or rows[0].expires_at <= now or not rows[0].active:
        return
    session, user = _caller(rows)
    if now - rows[0].last_seen_at > TOUCH_EVERY:
        expires = now + timedelta(days=current_app.config["SESSION_DAYS"])
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.id == session.id)
            .values(last_seen_at=now, expires_at=expires)
        )
        db.session.execute(update(User).where(User.id == user.id).values(last_seen_at=now))
        db.session.commit()
    g.auth_session = session
    g.user = user


def account() -> User:
    """The caller's ORM row, for a view that changes the account (g.user is plain values)."""
    return _row(User, g.user.id)


def auth_session_row() -> AuthSession:
    """The request's session as an ORM row, for a view that changes it (g.auth_session is plain)."""
    return _row(AuthSession, g.auth_session.id)


def _row(model, row_id):
    row = db.session.get(model, row_id)
    if row is None:  # revoked or erased since this request's lookup
        raise Problem(401, "Log eerst in.")
    return row


def end_session(session_id) -> None:
    db.session.execute(delete(AuthSession).where(AuthSession.id == session_id))


def end_all_sessions(user_id, except_id=None) -> None:
    stmt = delete(AuthSession).where(AuthSession.user_id == user_id)
    if except_id is not None:
        stmt = stmt.where(AuthSession.id != except_id)
    db.session.execute(stmt)
