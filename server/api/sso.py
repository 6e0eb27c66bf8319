"""Single sign-on: "Inloggen met je werkaccount" through the employer's OpenID Provider (Authlib).

Authlib runs the authorization code flow with PKCE (S256), a random state kept in the signed Flask
session cookie and used once, and a nonce; it checks the ID token's signature against the IdP's
keys and its iss, aud, exp, iat and nonce with at most OIDC_CLOCK_SKEW_SECONDS of leeway. What the
token then allows is decided in server/auth/oidc.py and here: a verified e-mail address matched to
an existing user or an open invitation, or a configured group→team mapping; nobody else gets in.
"""

import logging
import re
import uuid

from authlib.integrations.flask_client import OAuth
from flask import Blueprint, current_app, g, jsonify, make_response, redirect, request
from sqlalchemy import func, select

from server.audit import audit
from server.auth.links import public_url
from server.auth.oidc import Provider, parse_providers, verified_email
from server.auth.sessions import clear_cookie, end_session, set_cookie, start_session
from server.errors import Problem
from server.extensions import db
from server.models import Invitation, Membership, Team, User, utcnow

log = logging.getLogger(__name__)
bp = Blueprint("sso", __name__, url_prefix="/api/v1/auth/sso")

# What a password opens: closed when an installation signs in through its IdP only.
_PASSWORD_PATHS = re.compile(
    r"/api/v1/(auth/login|auth/password-reset(/[^/]+)?|me/password|invitations/[^/]+/accept)"
)


def init_app(app) -> None:
    providers = parse_providers(app.config.get("OIDC_PROVIDERS"))
    oauth = OAuth(app)
    for provider in providers.values():
        oauth.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256"},
        )
    app.extensions["leerlus_sso"] = (providers, oauth)
    app.register_blueprint(bp)
    app.before_request(_refuse_local_passwords)


def _refuse_local_passwords() -> None:
    if (
        not current_app.config["LOCAL_PASSWORDS"]
        and request.method == "POST"
        and _PASSWORD_PATHS.fullmatch(request.path)
    ):
        raise Problem(403, "Inloggen gaat hier met je werkaccount.", type_="/problems/sso-only")


def _provider(name: str):
    providers, oauth = current_app.extensions["leerlus_sso"]
    if name not in providers:
        raise Problem(404, "Deze inlogmogelijkheid bestaat hier niet.")
    return providers[name], oauth.create_client(name)


@bp.get("")
def list_providers():
    """What the login screen offers."""
    providers, _ = current_app.extensions["leerlus_sso"]
    return jsonify(
        local_passwords=current_app.config["LOCAL_PASSWORDS"],
        providers=[
            {"name": p.name, "label": p.label, "login_url": f"/api/v1/auth/sso/{p.name}/login"}
            for p in providers.values()
        ],
    )


@bp.get("/<name>/login")
def login(name):
    _, client = _provider(name)
    return client.authorize_redirect(public_url(f"/api/v1/auth/sso/{name}/callback"))


@bp.get("/<name>/callback")
def callback(name):
    provider, client = _provider(name)
    try:
        # Authlib checks the audience only when told to (by default just azp, which a token with
        # several audiences and our azp passes), and the issuer against the discovery document:
        # both are pinned to this installation's configuration here.
        options = {
            "iss": {"essential": True, "values": [provider.issuer]},
            "aud": {"essential": True, "values": [provider.client_id]},
        }
        token = client.authorize_access_token(
            leeway=current_app.config["OIDC_CLOCK_SKEW_SECONDS"], claims_options=options
        )
    except Exception as error:  # noqa: BLE001 - any protocol or token failure is a refused login
        # The class and Authlib's description name the failed check (a claim, never its value).
        return _refuse(
            provider, "mislukt", f"{error.__class__.__name__}: {getattr(error, 'description', '')}"
        )
    claims = token.get("userinfo")
    if not claims:  # Authlib validates an ID token only when there is one: require it
        return _refuse(provider, "mislukt", "no ID token")
    email = verified_email(claims)
    if email is None:
        return _refuse(provider, "email-niet-bevestigd", "e-mail address not verified")
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None and not user.active:
        return _refuse(provider, "geen-toegang", "inactive user")
    user = _join_invitations(user, email, claims)
    if user is None:
        user = _join_mapped_teams(provider, email, claims)
    if user is None:
        return _refuse(provider, "geen-uitnodiging", "no user, invitation or mapped group")
    if user.is_demo and not current_app.config["DEMO_ACCOUNTS"]:
        return _refuse(provider, "geen-toegang", "demo account")
    if g.get("auth_session") is not None:
        end_session(g.auth_session.id)
    token_value, session = start_session(user)
    session.sso_provider = provider.name
    # The IdP's strong authentication stands in for TOTP; otherwise /auth/mfa still applies.
    session.mfa_passed = provider.satisfies_second_factor(claims)
    user.last_seen_at = utcnow()
    audit("auth.sso_login", "user", user.id, subject_user_id=user.id, reason=provider.name, actor_id=user.id)
    db.session.commit()
    log.info("sso login via %s", provider.name)
    response = redirect("/app/")
    set_cookie(response, token_value)
    return response


def _refuse(provider: Provider, code: str, why: str):
    db.session.rollback()
    log.warning("sso login via %s refused: %s", provider.name, why)
    return redirect(f"/app/#/login?sso={code}")


def _join_invitations(user: User | None, email: str, claims: dict) -> User | None:
    """Open invitations for this address become memberships (and the account, if there is none)."""
    now = utcnow()
    invitations = db.session.scalars(
        select(Invitation).where(
            func.lower(Invitation.email) == email,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
    ).all()
    if user is None and not invitations:
        return None
    if user is None:
        user = _new_user(email, claims)
    for invitation in invitations:
        if user.role_in(invitation.team_id) is None:
            db.session.add(Membership(user_id=user.id, team_id=invitation.team_id, role=invitation.role))
        invitation.accepted_at = now
    db.session.flush()
    db.session.refresh(user)
    return user


def _join_mapped_teams(provider: Provider, email: str, claims: dict) -> User | None:
    targets = {_uuid(team_id): role for team_id, role in provider.teams_for_groups(claims)}
    targets = {
        team_id: role
        for team_id, role in targets.items()
        if team_id is not None and db.session.get(Team, team_id) is not None
    }
    if not targets:
        return None
    user = _new_user(email, claims)
    for team_id, role in targets.items():
        db.session.add(Membership(user_id=user.id, team_id=team_id, role=role))
    db.session.flush()
    db.session.refresh(user)
    return user


def _new_user(email: str, claims: dict) -> User:
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    # No password: this account signs in through its IdP (a reset link can still give it one).
    user = User(email=email, display_name=(name or email)[:200], password_hash=None)
    db.session.add(user)
    db.session.flush()
    return user


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@bp.post("/logout")
def logout():
    """End the Leerlus session; answer the IdP's end-session URL when the login came from one."""
    session = g.get("auth_session")
    logout_url = None
    if session is not None:
        name = session.sso_provider
        end_session(session.id)
        db.session.commit()
        providers, oauth = current_app.extensions["leerlus_sso"]
        if name in providers:
            client = oauth.create_client(name)
            if client.load_server_metadata().get("end_session_endpoint"):
                logout_url = client.create_logout_url(
                    post_logout_redirect_uri=public_url("/app/"), client_id=providers[name].client_id
                )["url"]
    response = make_response(jsonify(logout_url=logout_url))
    clear_cookie(response)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
