"""Server-side sessions in the database, carried by one cookie."""

from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from server.auth.tokens import new_token, token_hash
from server.extensions import db
from server.models import AuthSession, Membership, User, utcnow

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


# One query for the session, its user and their memberships with teams: nearly every request checks
# a role, and lazy loads would cost a round trip each. Built once: every request runs it.
_SESSION_QUERY = (
    select(AuthSession, User)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.token_hash == bindparam("token_hash"))
    .options(joinedload(User.memberships).joinedload(Membership.team))
)


def load_session() -> None:
    """before_request: put the session and user (if any) on g."""
    g.auth_session = None
    g.user = None
    token = request.cookies.get(cookie_name())
    if not token:
        return
    found = db.session.execute(_SESSION_QUERY, {"token_hash": token_hash(token)}).unique().first()
    now = utcnow()
    if found is None or found[0].expires_at <= now:
        return
    row, user = found
    if not user.active:
        return
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        row.expires_at = now + timedelta(days=current_app.config["SESSION_DAYS"])
        user.last_seen_at = now
        db.session.commit()
    g.auth_session = row
    g.user = user


def end_session(row: AuthSession) -> None:
    db.session.delete(row)


def end_all_sessions(user_id, except_id=None) -> None:
    stmt = delete(AuthSession).where(AuthSession.user_id == user_id)
    if except_id is not None:
        stmt = stmt.where(AuthSession.id != except_id)
    db.session.execute(stmt)
