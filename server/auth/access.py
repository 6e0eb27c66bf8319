"""Who may do what: login checks, CSRF, and per-object authorisation helpers.

Objects a caller may not see answer 404 (not 403), so their existence does not leak.

Every refusal of a logged-in caller is audited (server/audit.py, "access.denied"): check_request
registers the hook for each API request, and the helpers below say what they refused just before
they raise. A 404 is recorded the same way whether the object is someone else's or does not exist,
so the audit write does not make one answer slower than the other.
"""

import re
import uuid
from functools import wraps

from flask import after_this_request, current_app, g, request

from server.audit import audit_denial, note_denial
from server.auth.caller import Caller, CallerTeam
from server.auth.tokens import same
from server.errors import Problem
from server.extensions import db
from server.models import Team

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
LEADS = ("teamleider", "beheerder")
CSRF_EXEMPT = {"/api/v1/auth/login"}
# The attribute login_required sets on its wrapper: how the OpenAPI docs see a view is guarded.
LOGIN_MARK = "login_required"


def _mfa_missing(user: Caller) -> bool:
    required = current_app.config["MFA_REQUIRED_ROLES"]
    needs = (
        user.mfa_enabled
        or user.mfa_enrol_required
        or bool(required)
        and (
            any(m.role in required for m in user.memberships)
            or any(m.role in required for m in user.organisation_memberships)
        )
    )
    return needs and not g.auth_session.mfa_passed


def login_required(view=None, *, allow_pending_mfa: bool = False):
    def decorate(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if g.get("user") is None:
                raise Problem(401, "Log eerst in.")
            if not allow_pending_mfa and _mfa_missing(g.user):
                note_denial("mfa")
                raise Problem(
                    403, "Bevestig eerst je inlog met je tweede factor.", type_="/problems/mfa-required"
                )
            return fn(*args, **kwargs)

        setattr(wrapper, LOGIN_MARK, {"allow_pending_mfa": allow_pending_mfa})
        return wrapper

    return decorate(view) if view else decorate


def is_admin(user: Caller) -> bool:
    """A beheerder manages the whole installation (every team)."""
    return any(m.role == "beheerder" for m in user.memberships)


def role_in_team(user: Caller, team_id) -> str | None:
    role = user.role_in(team_id)
    if role is None and is_admin(user):
        return "beheerder"
    return role


def team_or_404(team_id, roles: tuple[str, ...] | None = None) -> Team:
    """The team if the caller belongs to it (404 otherwise); 403 if their role is not enough."""
    team = db.session.get(Team, team_id) if isinstance(team_id, uuid.UUID) else None
    role = role_in_team(g.user, team_id) if team else None
    if team is None or role is None:
        note_denial("not_member" if team else "missing", team_id=team_id)
        raise Problem(404, "Dit team bestaat niet, of je hoort er niet bij.")
    if roles and role not in roles:
        note_denial("role", team_id=team.id)
        raise Problem(403, "Je rol in dit team geeft hier geen toegang toe.")
    return team


def own_or_404(model, object_id, detail: str):
    """The caller's own row (by author_id); anyone else — teamleiders included — gets 404."""
    row = db.session.get(model, object_id)
    if row is None or row.author_id != g.user.id:
        note_denial(
            "not_owner" if row else "missing",
            _object_type(model),
            object_id,
            team_id=getattr(row, "team_id", None),
        )
        raise Problem(404, detail)
    return row


def _object_type(model) -> str:
    """LearningQuestion -> learning_question, as the audit log names object types."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def own_reference_or_422(model, object_id, field: str, detail: str) -> None:
    """A body field that must name the caller's own row: 422, since the URL itself is fine."""
    if object_id is None:
        return
    row = db.session.get(model, object_id)
    if row is None or row.author_id != g.user.id:
        raise Problem(422, detail, errors={field: ["Onbekend."]})


def writing_team(team_id) -> CallerTeam:
    """The team a write goes to: implicit for a single team, required when someone has several.

    The caller's own membership answers it, without a query (its id, name, time zone and k)."""
    memberships = g.user.memberships
    if team_id is None:
        if len(memberships) == 1:
            return memberships[0].team
        if not memberships:
            note_denial("no_team")
            raise Problem(403, "Je hoort nog bij geen team.")
        raise Problem(422, "Kies een team.", errors={"team_id": ["Verplicht als je in meerdere teams zit."]})
    for membership in memberships:
        if membership.team_id == team_id:
            return membership.team
    raise Problem(422, "Kies een team waar je bij hoort.", errors={"team_id": ["Onbekend team."]})


def check_request() -> None:
    """before_request for the API: audit refusals, content type and CSRF on every state change."""
    if not request.path.startswith("/api/"):
        return
    if g.get("user") is not None:
        after_this_request(audit_denial)
    if request.method not in STATE_CHANGING:
        return
    if request.content_length and not request.is_json:
        raise Problem(415, "Stuur de body als application/json.")
    if g.get("auth_session") is not None and request.path not in CSRF_EXEMPT:
        sent = request.headers.get("X-CSRF-Token", "")
        if not sent or not same(sent, g.auth_session.csrf_token):
            note_denial("csrf")
            raise Problem(
                403, "De CSRF-token ontbreekt of klopt niet. Laad de app opnieuw.", type_="/problems/csrf"
            )


# Roles that read a team's content (shared texts, questions, digests, actions, its learning agenda).
# A beheerder administers teams and users; reading content takes membership of that team in one of
# these roles (docs/privacy.md §3).
CONTENT_ROLES = ("medewerker", "teamleider")


def content_team_or_404(team_id, roles: tuple[str, ...] = CONTENT_ROLES) -> Team:
    """team_or_404 for content: the caller's own membership role must be one of `roles`."""
    team = team_or_404(team_id)
    if g.user.role_in(team.id) not in roles:
        note_denial("content_role", team_id=team.id)
        raise Problem(403, "Je rol in dit team geeft geen toegang tot deze inhoud.")
    return team


# What an account with only an organisation role (a beleidsmedewerker) may reach: its own account and
# the organisation's aggregates. Everything else answers 403 before any object is looked up, so a
# refusal says nothing about whether the object exists.
ORGANISATION_SCOPE = (
    "/api/v1/auth/",
    "/api/v1/me",
    "/api/v1/organisations",
    "/api/v1/organisation-invitations/",
    "/api/v1/invitations/",
    "/api/v1/openapi.json",
    "/api/v1/push/vapid-public-key",
)


def organisation_scope() -> None:
    """before_request: keep organisation-only accounts out of everything team-level."""
    user = g.get("user")
    if (
        user is None
        or user.memberships
        or not user.organisation_memberships
        or not request.path.startswith("/api/")
        or request.path.startswith(ORGANISATION_SCOPE)
    ):
        return
    note_denial("organisation_scope")
    raise Problem(403, "Als beleidsmedewerker zie je alleen de cijfers van je gemeente.")
