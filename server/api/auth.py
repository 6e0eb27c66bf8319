"""Login, logout, the current user, password change and reset, second factor."""

import hmac
import time
from datetime import timedelta

import pyotp
import segno
from flask import current_app, g, jsonify, make_response
from flask_smorest import Blueprint
from sqlalchemy import func, select, update

from server.auth import throttle
from server.auth.access import login_required
from server.auth.caller import Caller
from server.auth.links import link_token, link_token_hash, public_url
from server.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from server.auth.sessions import (
    account,
    auth_session_row,
    clear_cookie,
    end_all_sessions,
    end_session,
    set_cookie,
    start_session,
)
from server.auth.tokens import new_token, token_hash
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db, limiter
from server.models import PasswordReset, User, utcnow
from server.ratelimits import LOGIN_LIMIT
from server.schemas.accounts import (
    LoginArgs,
    LoginOut,
    MeOut,
    MePatchArgs,
    MfaArgs,
    MfaSetupOut,
    NewPasswordArgs,
    PasswordChangeArgs,
    RecoveryCodesOut,
    ResetRequestArgs,
)

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Inloggen en je eigen account")

# Wrong second-factor codes, per account (only someone who has the password can make them).
FREE_FAILURES = 5
MAX_LOCK = timedelta(minutes=15)
RESET_VALID = timedelta(hours=2)
# Reset mails per address and hour: more requests are answered the same but send nothing.
RESET_MAILS_PER_HOUR = 3


def me_body(user: User | Caller, session) -> dict:
    """GET /me's answer, from the plain caller or (after a change) the ORM rows: same attribute names."""
    required_roles = current_app.config["MFA_REQUIRED_ROLES"]
    return {
        "user": {"id": user.id, "email": user.email, "display_name": user.display_name},
        "teams": [{"id": m.team_id, "name": m.team.name, "role": m.role} for m in user.memberships],
        "csrf_token": session.csrf_token,
        # The PWA takes "today" and "this week" from the server's clock, not the phone's.
        "server_time": utcnow(),
        "language": user.language,
        "mfa_enabled": user.mfa_enabled,
        # A beheerder's reset of the second factor asks for a new one the same way a role does.
        "mfa_required_by_role": user.mfa_enrol_required
        or any(m.role in required_roles for m in [*user.memberships, *user.organisation_memberships]),
        "organisations": [
            {"id": m.organisation_id, "name": m.organisation.name, "role": m.role}
            for m in user.organisation_memberships
        ],
        "preferences": {
            "notify_off": user.notify_off,
            "quiet_start": user.quiet_start,
            "quiet_end": user.quiet_end,
            "quiet_weekends": user.quiet_weekends,
            "nudge_delay_minutes": user.nudge_delay_minutes,
        },
    }


def _refuse_locked(user: User) -> None:
    if user.locked_until and user.locked_until > utcnow():
        seconds = int((user.locked_until - utcnow()).total_seconds()) + 1
        raise Problem(
            429,
            "Te vaak een verkeerde code. Probeer het straks opnieuw.",
            headers={"Retry-After": str(seconds)},
        )


def _record_failure(user: User) -> None:
    """A wrong second-factor code (at /auth/mfa or at enrolment: one counter, one lock)."""
    user.failed_logins += 1
    extra = user.failed_logins - FREE_FAILURES
    if extra >= 0:
        # A growing delay per account: 30 s, 60 s, 120 s ... up to 15 minutes.
        user.locked_until = utcnow() + min(timedelta(seconds=30 * 2 ** min(extra, 16)), MAX_LOCK)
    db.session.commit()


def _too_many_tries(seconds: int) -> Problem:
    return Problem(
        429,
        "Te vaak een verkeerd wachtwoord. Probeer het straks opnieuw.",
        headers={"Retry-After": str(seconds)},
    )


@blp.post("/auth/login")
@blp.arguments(LoginArgs)
@blp.response(200, LoginOut)
@blp.alt_response(401, "UNAUTHORIZED")  # wrong e-mail address or password
@blp.alt_response(403, "FORBIDDEN")  # a demo account in production
@limiter.limit(LOGIN_LIMIT)
def login(args):
    """Known and unknown addresses take the same path (hash check, counters) and get the same answers."""
    email = args["email"].strip().lower()
    own_key, keys = throttle.login_keys(email)
    wait = throttle.wait_seconds(keys)
    if wait:
        raise _too_many_tries(wait)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    valid = verify_password(user.password_hash if user else None, args["password"])
    if not valid or not user.active:
        throttle.fail(
            [(own_key, throttle.PAIR_FREE), (throttle.throttle_key("account", email), throttle.ACCOUNT_FREE)]
        )
        db.session.commit()
        raise Problem(401, "E-mailadres of wachtwoord klopt niet.")
    if user.is_demo and not current_app.config["DEMO_ACCOUNTS"]:
        raise Problem(403, "Demo-accounts werken niet in productie.")
    throttle.forget(own_key)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(args["password"])
    if g.auth_session is not None:
        end_session(g.auth_session.id)
    token, session = start_session(user)
    user.last_seen_at = utcnow()
    db.session.commit()
    if user.mfa_enabled:
        body = {"mfa_required": True, "csrf_token": session.csrf_token}
    else:
        body = MeOut().dump(me_body(user, session))
    response = make_response(jsonify(body))
    set_cookie(response, token)
    throttle.set_device_cookie(response, email)
    return response


@blp.post("/auth/mfa")
@blp.arguments(MfaArgs)
@blp.response(200, MeOut)
@limiter.limit(LOGIN_LIMIT)
@login_required(allow_pending_mfa=True)
def confirm_mfa(args):
    user = account()
    _refuse_locked(user)
    if not _check_second_factor(user, args["code"]):
        _record_failure(user)
        raise Problem(401, "Die code klopt niet.")
    user.failed_logins = 0
    session = auth_session_row()
    session.mfa_passed = True
    db.session.commit()
    return me_body(user, session)


def _accept_totp(user: User, code: str) -> bool:
    """A valid code (one step of clock drift either way) for a time step not accepted before."""
    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for drift in (-1, 0, 1):
        moment = now + drift * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            step = int(moment // totp.interval)
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _check_second_factor(user: User, code: str) -> bool:
    code = code.replace(" ", "")
    if _accept_totp(user, code):
        return True
    hashed = token_hash(code)
    if hashed in user.recovery_codes:
        # Recovery codes work once.
        user.recovery_codes = [c for c in user.recovery_codes if c != hashed]
        return True
    return False


@blp.post("/me/mfa/setup")
@blp.response(200, MfaSetupOut)
@blp.alt_response(409, "CONFLICT")  # the second factor is already on
@login_required(allow_pending_mfa=True)
def mfa_setup():
    """Start enrolling TOTP: a new secret and its otpauth:// URI (for a QR code in the app)."""
    user = account()
    if user.mfa_enabled:
        raise Problem(409, "Je tweede factor staat al aan.")
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name="Leerlus")
    # Scanned from the screen by an authenticator app; rendered here so the PWA needs no QR code library.
    qr_svg = segno.make(uri, error="m").svg_inline(scale=1, omitsize=True, light="#fff", dark="#000")
    return jsonify(secret=user.totp_secret, otpauth_uri=uri, qr_svg=qr_svg)


@blp.post("/me/mfa/enable")
@blp.arguments(MfaArgs)
@blp.response(200, RecoveryCodesOut)
@blp.alt_response(409, "CONFLICT")  # the second factor is already on
@limiter.limit(LOGIN_LIMIT)
@login_required(allow_pending_mfa=True)
def mfa_enable(args):
    """Enrolment only: an account that has a factor must pass /auth/mfa, so this is no side door
    around its lock. Wrong codes count towards the same lock as /auth/mfa's."""
    user = account()
    if user.mfa_enabled:
        raise Problem(409, "Je tweede factor staat al aan.")
    _refuse_locked(user)
    if not _accept_totp(user, args["code"].replace(" ", "")):
        _record_failure(user)
        raise Problem(422, "Die code klopt niet.", errors={"code": ["Onjuiste code."]})
    user.failed_logins = 0
    codes = [new_token()[:10] for _ in range(10)]
    user.recovery_codes = [token_hash(c) for c in codes]
    user.mfa_enabled = True
    user.mfa_enrol_required = False
    auth_session_row().mfa_passed = True
    db.session.commit()
    return jsonify(recovery_codes=codes)


@blp.post("/auth/logout")
@blp.alt_response(204, description="Logged out; the session cookie is cleared", success=True)
def logout():
    response = make_response("", 204)
    if g.auth_session is not None:
        end_session(g.auth_session.id)
        db.session.commit()
    clear_cookie(response)
    # Wipe what this origin keeps on the device (IndexedDB outbox, caches) on shared phones.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@blp.get("/me")
@blp.response(200, MeOut)
@login_required
def me():
    return me_body(g.user, g.auth_session)


@blp.patch("/me")
@blp.arguments(MePatchArgs)
@blp.response(200, MeOut)
@login_required
def update_me(args):
    user = account()
    for field in ("display_name", "language"):
        if field in args:
            setattr(user, field, args[field])
    for field, value in args.get("preferences", {}).items():
        setattr(user, field, value)
    db.session.commit()
    return me_body(user, g.auth_session)


@blp.post("/me/password")
@blp.arguments(PasswordChangeArgs)
@blp.alt_response(204, description="Password changed", success=True)
@limiter.limit(LOGIN_LIMIT)
@login_required
def change_password(args):
    user = account()
    if not verify_password(user.password_hash, args["current_password"]):
        raise Problem(
            422, "Je huidige wachtwoord klopt niet.", errors={"current_password": ["Onjuist wachtwoord."]}
        )
    problems = password_problems(args["new_password"], context=(user.email, user.display_name))
    if problems:
        raise Problem(422, problems[0], errors={"new_password": problems})
    user.password_hash = hash_password(args["new_password"])
    user.password_changed_at = utcnow()
    # Every other device is logged out and every reset link mailed earlier dies; this session stays.
    end_open_resets(user.id)
    end_all_sessions(user.id, except_id=g.auth_session.id)
    db.session.commit()
    return "", 204


def end_open_resets(user_id) -> None:
    """A new password ends every reset link still open: an older mail in a mailbox is no way back in."""
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )


@blp.post("/auth/password-reset")
@blp.arguments(ResetRequestArgs)
@blp.alt_response(
    202,
    description="Accepted, whether or not the address is known",
    success=True,
    schema={"type": "object", "properties": {"status": {"type": "string", "enum": ["accepted"]}}},
)
@limiter.limit(LOGIN_LIMIT)
def request_password_reset(args):
    """Always 202, whether or not the address exists (no account enumeration)."""
    email = args["email"].strip().lower()
    # Counted for every address, known or not: the same work and the same answer either way, and
    # nobody can fill someone's mailbox with reset mails.
    sent_recently = throttle.count(throttle.throttle_key("reset", email), timedelta(hours=1))
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None and user.active and sent_recently <= RESET_MAILS_PER_HOUR:
        reset = PasswordReset(user_id=user.id, token_hash="pending", expires_at=utcnow() + RESET_VALID)
        db.session.add(reset)
        db.session.flush()
        reset.token_hash = link_token_hash("reset", reset.id)
        if current_app.config.get("SMTP_URL"):
            emit(Event.PASSWORD_RESET_REQUESTED, reset_id=reset.id)
        elif not current_app.config["PRODUCTION"]:
            # Development without SMTP: the developer reads the link from the console.
            current_app.logger.warning(
                "no SMTP configured; password reset link: %s",
                public_url(f"/app/#/wachtwoord/{link_token('reset', reset.id)}"),
            )
    db.session.commit()
    return jsonify(status="accepted"), 202


@blp.post("/auth/password-reset/<string:token>")
@blp.arguments(NewPasswordArgs)
@blp.alt_response(204, description="Password set", success=True)
@limiter.limit(LOGIN_LIMIT)
def confirm_password_reset(args, token):
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise Problem(404, "Deze link werkt niet meer. Vraag een nieuwe aan.")
    user = db.session.get(User, reset.user_id)
    problems = password_problems(args["password"], context=(user.email, user.display_name))
    if problems:
        raise Problem(422, problems[0], errors={"password": problems})
    user.password_hash = hash_password(args["password"])
    user.password_changed_at = utcnow()
    end_open_resets(user.id)
    end_all_sessions(user.id)
    db.session.commit()
    response = make_response("", 204)
    # Whoever could open the mail is the owner: this browser logs in even while others are delayed.
    throttle.set_device_cookie(response, user.email.lower())
    return response
