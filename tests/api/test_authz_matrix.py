"""Authorisation matrix (security-tests T1): every route x method x actor against one policy table.

The table is checked against `app.url_map`, so a new endpoint without a policy entry fails here
with its name. Every object is real (made through the API or the models) and belongs to the
`owner`; each actor requests every object URL and the status must equal the table. Where the
table says 404, the answer must also be byte-for-byte the answer for an id that does not exist,
so a 404 never tells a caller that something is there.
"""

import base64
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.conftest import TEST_PASSWORD, ApiClient

# Denied actors first and the owner last, so a request that changes or removes an object
# (the owner's DELETE) runs after everyone else has tried it.
ACTORS = ("anonymous", "stranger", "other_lead", "admin", "colleague", "lead", "owner")
LOGGED_IN = ACTORS[1:]


@dataclass(frozen=True)
class Case:
    path: str  # str.format template over the world's ids
    expect: dict
    body: Callable | None = None  # world -> JSON body, called per request (fresh client_ids)
    fresh: Callable | None = None  # (world, make_user) -> extra ids, made anew for every actor
    note: str = ""


def statuses(default: int | None = None, **per_actor) -> dict:
    """A row of the table: `default` for every logged-in actor, anonymous 401, overrides by name."""
    row = {actor: default for actor in LOGGED_IN} | {"anonymous": 401}
    row.update(per_actor)
    return row


def public(status: int) -> dict:
    return dict.fromkeys(ACTORS, status)


def own(ok: int) -> dict:
    """Only the owner; everyone else 404 (a teamleider and a beheerder included)."""
    return statuses(404, owner=ok)


def team_member(ok: int) -> dict:
    """Anyone in the team, and the beheerder; other teams 404."""
    return statuses(ok, stranger=404, other_lead=404)


def team_lead(ok: int) -> dict:
    """Teamleider and beheerder; medewerkers of the team 403 (role), other teams 404."""
    return statuses(ok, owner=403, colleague=403, stranger=404, other_lead=404)


def team_content(ok: int) -> dict:
    """A team's content: its medewerkers and teamleider; a beheerder by that role alone 403 (issue #15)."""
    return team_member(ok) | {"admin": 403}


def team_content_lead(ok: int) -> dict:
    """Content for the team's teamleider only: medewerkers and the beheerder 403, other teams 404."""
    return team_lead(ok) | {"admin": 403}


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def subscription_body(endpoint: str) -> dict:
    key = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    b64 = base64.urlsafe_b64encode
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {
            "p256dh": b64(key).rstrip(b"=").decode(),
            "auth": b64(b"0123456789abcdef").rstrip(b"=").decode(),
        },
    }


def push_endpoint() -> str:
    return f"https://fcm.googleapis.com/fcm/send/{uuid.uuid4().hex}"


def _fresh_member(role):
    def make(world, make_user):
        return {"member": str(make_user(world["team"], role))}

    return make


def _fresh_reflection(world, make_user):
    return {"reflection": world["make_reflection"]()}


def _fresh_question(world, make_user):
    return {"question": world["make_question"]()}


def _fresh_subscription(world, make_user):
    endpoint = push_endpoint()
    response = world["clients"]["owner"].post("/api/v1/push/subscriptions", json=subscription_body(endpoint))
    assert response.status_code == 201, response.get_json()
    return {"endpoint": endpoint}


def _reflection_body(world, **extra):
    return {
        "client_id": new_id(),
        "occurred_at": now_iso(),
        "what_happened": "Huisbezoek, lastig gesprek.",
    } | extra


P = "/api/v1"
POLICY: dict[tuple[str, str], list[Case]] = {
    # -- public or capability-bearing routes ------------------------------------------------------
    ("GET", "/"): [Case("/", public(302))],
    ("GET", "/app"): [Case("/app", public(301))],
    ("GET", "/app/"): [Case("/app/", public(200))],
    ("GET", "/app/index.html"): [Case("/app/index.html", public(200))],
    ("GET", "/app/sw.js"): [Case("/app/sw.js", public(200))],
    ("GET", "/app/<path:filename>"): [
        Case("/app/manifest.webmanifest", public(200)),
        Case("/app/../pyproject.toml", public(404)),
    ],
    ("GET", "/healthz"): [Case("/healthz", public(200))],
    ("GET", "/readyz"): [Case("/readyz", public(200))],
    ("GET", f"{P}/openapi.json"): [Case(f"{P}/openapi.json", public(200))],
    ("GET", f"{P}/push/vapid-public-key"): [Case(f"{P}/push/vapid-public-key", public(200))],
    # The token is the capability: the same for everyone, logged in or not.
    ("GET", "/f/<token>"): [Case("/f/{feedback_token}", public(200)), Case("/f/{ghost_token}", public(404))],
    ("POST", "/f/<token>"): [
        Case("/f/{feedback_token}", public(400), note="no form nonce: nothing consumed")
    ],
    ("GET", "/f/code"): [Case("/f/code", public(200))],
    ("POST", "/f/code"): [Case("/f/code", public(422), note="no code typed: 'a code has 8 characters'")],
    ("GET", "/f/"): [Case("/f/", public(200))],
    ("POST", "/f/"): [Case("/f/", public(422), note="no code typed: 'a code has 8 characters'")],
    ("GET", "/f/read-aloud.js"): [Case("/f/read-aloud.js", public(200))],
    ("POST", f"{P}/auth/login"): [
        Case(
            f"{P}/auth/login",
            public(401),
            body=lambda w: {"email": "niemand@test.leerlus.nl", "password": "x" * 12},
        )
    ],
    ("POST", f"{P}/auth/logout"): [Case(f"{P}/auth/logout", public(204))],
    # Single sign-on (tests/api/test_sso.py drives it against a real IdP); none configured here.
    ("GET", f"{P}/auth/sso"): [Case(f"{P}/auth/sso", public(200))],
    ("GET", f"{P}/auth/sso/<name>/login"): [Case(f"{P}/auth/sso/{{ghost_token}}/login", public(404))],
    ("GET", f"{P}/auth/sso/<name>/callback"): [Case(f"{P}/auth/sso/{{ghost_token}}/callback", public(404))],
    ("POST", f"{P}/auth/sso/logout"): [Case(f"{P}/auth/sso/logout", public(200))],
    # Off without METRICS_TOKEN; with it, only the bearer token opens it (tests/platform/test_metrics.py).
    ("GET", "/metrics"): [Case("/metrics", public(404))],
    ("POST", f"{P}/auth/password-reset"): [
        Case(f"{P}/auth/password-reset", public(202), body=lambda w: {"email": "niemand@test.leerlus.nl"})
    ],
    ("POST", f"{P}/auth/password-reset/<string:token>"): [
        Case(f"{P}/auth/password-reset/{{ghost_token}}", public(404), body=lambda w: {"password": "x" * 12})
    ],
    ("POST", f"{P}/invitations/<string:token>/accept"): [
        Case(f"{P}/invitations/{{ghost_token}}/accept", public(404), body=lambda w: {"password": "x" * 12})
    ],
    # -- the caller's own account ------------------------------------------------------------------
    ("POST", f"{P}/auth/mfa"): [
        Case(
            f"{P}/auth/mfa",
            statuses(401),
            body=lambda w: {"code": "000000"},
            note="no second factor set up: every code is wrong",
        )
    ],
    ("GET", f"{P}/me"): [Case(f"{P}/me", statuses(200))],
    ("PATCH", f"{P}/me"): [Case(f"{P}/me", statuses(200), body=lambda w: {"language": "nl"})],
    ("DELETE", f"{P}/me"): [
        Case(
            f"{P}/me",
            statuses(422),
            body=lambda w: {"password": "wrong password"},
            note="past authorisation; the password check stops the erasure",
        )
    ],
    ("GET", f"{P}/me/export"): [Case(f"{P}/me/export", statuses(200))],
    ("GET", f"{P}/me/overview"): [Case(f"{P}/me/overview", statuses(200))],
    ("POST", f"{P}/me/password"): [
        Case(
            f"{P}/me/password",
            statuses(422),
            body=lambda w: {"current_password": "wrong", "new_password": "y" * 12},
        )
    ],
    ("POST", f"{P}/me/mfa/setup"): [Case(f"{P}/me/mfa/setup", statuses(200))],
    ("POST", f"{P}/me/mfa/enable"): [
        Case(f"{P}/me/mfa/enable", statuses(422), body=lambda w: {"code": "000000"})
    ],
    # -- visits, reflections, feedback ---------------------------------------------------------------
    ("GET", f"{P}/visits"): [Case(f"{P}/visits", statuses(200))],
    ("POST", f"{P}/visits"): [
        Case(f"{P}/visits", statuses(201), body=lambda w: {"client_id": new_id(), "occurred_at": now_iso()})
    ],
    ("GET", f"{P}/visits/<uuid:visit_id>"): [Case(f"{P}/visits/{{visit}}", own(200))],
    ("POST", f"{P}/visits/<uuid:visit_id>/feedback-link"): [
        Case(f"{P}/visits/{{visit}}/feedback-link", own(201), body=lambda w: {})
    ],
    ("POST", f"{P}/visits/<uuid:visit_id>/feedback-card"): [
        Case(f"{P}/visits/{{visit}}/feedback-card", own(201), body=lambda w: {})
    ],
    ("POST", f"{P}/visits/<uuid:visit_id>/feedback-link/reshare"): [
        Case(f"{P}/visits/{{visit}}/feedback-link/reshare", own(200))
    ],
    ("POST", f"{P}/visits/<uuid:visit_id>/feedback-code"): [
        Case(
            f"{P}/visits/{{visit}}/feedback-code",
            own(422),
            body=lambda w: {"code": "0000-0000"},
            note="past authorisation: no such card; tying another's card is attacked in test_resident_cards",
        )
    ],
    ("POST", f"{P}/teams/<uuid:team_id>/feedback-cards"): [
        Case(f"{P}/teams/{{team}}/feedback-cards", team_member(201), body=lambda w: {"count": 1})
    ],
    ("GET", f"{P}/feedback"): [Case(f"{P}/feedback", statuses(200))],
    ("GET", f"{P}/reflections"): [Case(f"{P}/reflections", statuses(200))],
    ("POST", f"{P}/reflections"): [Case(f"{P}/reflections", statuses(201), body=_reflection_body)],
    ("GET", f"{P}/reflections/<uuid:reflection_id>"): [
        Case(f"{P}/reflections/{{reflection}}", own(200)),
        Case(
            f"{P}/reflections/{{shared_reflection}}", own(200), note="shared: the raw text stays the author's"
        ),
    ],
    ("PATCH", f"{P}/reflections/<uuid:reflection_id>"): [
        Case(f"{P}/reflections/{{reflection}}", own(200), body=lambda w: {"energy": 4})
    ],
    ("DELETE", f"{P}/reflections/<uuid:reflection_id>"): [
        Case(f"{P}/reflections/{{reflection}}", own(204), fresh=_fresh_reflection)
    ],
    ("GET", f"{P}/team/reflections"): [
        Case(f"{P}/team/reflections", statuses(200, admin=403)),
        Case(f"{P}/team/reflections?team_id={{team}}", team_content(200)),
    ],
    # -- development -----------------------------------------------------------------------------------
    ("GET", f"{P}/learning-questions"): [Case(f"{P}/learning-questions", statuses(200))],
    ("POST", f"{P}/learning-questions"): [
        Case(f"{P}/learning-questions", statuses(201), body=lambda w: {"text": "Hoe bespreek ik geldzorgen?"})
    ],
    ("GET", f"{P}/learning-questions/<uuid:question_id>"): [
        Case(f"{P}/learning-questions/{{question}}", own(200)),
        Case(f"{P}/learning-questions/{{shared_question}}", own(200)),
    ],
    ("PATCH", f"{P}/learning-questions/<uuid:question_id>"): [
        Case(f"{P}/learning-questions/{{question}}", own(200), body=lambda w: {"due": "2030-01-31"})
    ],
    ("DELETE", f"{P}/learning-questions/<uuid:question_id>"): [
        Case(f"{P}/learning-questions/{{question}}", own(204), fresh=_fresh_question)
    ],
    ("POST", f"{P}/learning-questions/<uuid:question_id>/helpers"): [
        # Shared questions reach the team, never other teams nor the beheerder; the asker cannot help herself.
        Case(
            f"{P}/learning-questions/{{shared_question}}/helpers",
            statuses(404, colleague=201, lead=201, owner=422),
        ),
        Case(
            f"{P}/learning-questions/{{question}}/helpers", statuses(404), note="private: not even the asker"
        ),
    ],
    ("DELETE", f"{P}/learning-questions/<uuid:question_id>/helpers/me"): [
        Case(
            f"{P}/learning-questions/{{shared_question}}/helpers/me",
            statuses(404, colleague=204, lead=204, owner=204),
        ),
        Case(f"{P}/learning-questions/{{question}}/helpers/me", statuses(404)),
    ],
    ("GET", f"{P}/team/learning-questions"): [
        Case(f"{P}/team/learning-questions", statuses(200, admin=403)),
        Case(f"{P}/team/learning-questions?team_id={{team}}", team_content(200)),
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/theme-of-the-month"): [
        Case(f"{P}/teams/{{team}}/theme-of-the-month", team_content(200))
    ],
    ("PUT", f"{P}/teams/<uuid:team_id>/theme-of-the-month"): [
        Case(
            f"{P}/teams/{{team}}/theme-of-the-month",
            team_content_lead(200),
            body=lambda w: {"theme_id": "geldzorgen-schulden", "description": "Schulden herkennen"},
        )
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/knowledge-map"): [
        Case(
            f"{P}/teams/{{team}}/knowledge-map",
            team_content_lead(200),
            note="team keeps members_see_themes off",
        )
    ],
    # -- actions -----------------------------------------------------------------------------------------
    ("GET", f"{P}/actions"): [Case(f"{P}/actions", statuses(200))],
    ("POST", f"{P}/actions"): [
        Case(
            f"{P}/actions",
            statuses(201),
            body=lambda w: {"client_id": new_id(), "title": "Sociale kaart bijwerken"},
        )
    ],
    ("GET", f"{P}/actions/<uuid:action_id>"): [
        # The team's leads follow actions up; colleagues and other teams do not see them.
        Case(f"{P}/actions/{{action}}", statuses(404, lead=200, owner=200))
    ],
    ("PATCH", f"{P}/actions/<uuid:action_id>"): [
        Case(f"{P}/actions/{{action}}", statuses(404, lead=200, owner=200), body=lambda w: {"status": "open"})
    ],
    # -- teams and administration ------------------------------------------------------------------------
    ("GET", f"{P}/teams"): [Case(f"{P}/teams", statuses(200))],
    ("POST", f"{P}/teams"): [
        Case(f"{P}/teams", statuses(403, admin=201), body=lambda w: {"name": "Nieuw team"})
    ],
    ("GET", f"{P}/teams/<uuid:team_id>"): [Case(f"{P}/teams/{{team}}", team_member(200))],
    ("PATCH", f"{P}/teams/<uuid:team_id>"): [
        Case(f"{P}/teams/{{team}}", team_lead(200), body=lambda w: {"digest_hour": 8})
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/members"): [Case(f"{P}/teams/{{team}}/members", team_member(200))],
    ("PATCH", f"{P}/teams/<uuid:team_id>/members/<uuid:user_id>"): [
        Case(
            f"{P}/teams/{{team}}/members/{{member}}",
            team_lead(200),
            body=lambda w: {"active": False},
            fresh=_fresh_member("medewerker"),
        ),
        # A teamleider manages medewerkers and teamleiders, not the beheerder who oversees them.
        Case(
            f"{P}/teams/{{team}}/members/{{member}}",
            team_lead(200) | {"lead": 403},
            body=lambda w: {"role": "medewerker"},
            fresh=_fresh_member("beheerder"),
        ),
    ],
    ("DELETE", f"{P}/teams/<uuid:team_id>/members/<uuid:user_id>"): [
        Case(f"{P}/teams/{{team}}/members/{{member}}", team_lead(204), fresh=_fresh_member("medewerker")),
        Case(
            f"{P}/teams/{{team}}/members/{{member}}",
            team_lead(204) | {"lead": 403},
            fresh=_fresh_member("beheerder"),
        ),
    ],
    ("POST", f"{P}/teams/<uuid:team_id>/invitations"): [
        Case(
            f"{P}/teams/{{team}}/invitations", team_lead(201), body=lambda w: {"email": f"{new_id()}@test.nl"}
        )
    ],
    ("GET", f"{P}/audit"): [Case(f"{P}/audit", statuses(403, admin=200))],
    # -- the beheerder's console: 403 for everyone else before any account is looked up ----------------
    ("GET", f"{P}/admin/users"): [Case(f"{P}/admin/users", statuses(403, admin=200))],
    ("PATCH", f"{P}/admin/users/<uuid:user_id>"): [
        Case(
            f"{P}/admin/users/{{member}}",
            statuses(403, admin=200),
            body=lambda w: {"active": False},
            fresh=_fresh_member("medewerker"),
        ),
        Case(
            f"{P}/admin/users/{{ghost}}",
            statuses(403, admin=404),
            body=lambda w: {"active": False},
            fresh=lambda w, make_user: {"ghost": new_id()},
            note="an account that does not exist",
        ),
    ],
    ("POST", f"{P}/admin/users/<uuid:user_id>/second-factor-reset"): [
        Case(
            f"{P}/admin/users/{{member}}/second-factor-reset",
            statuses(403, admin=200),
            fresh=_fresh_member("medewerker"),
        )
    ],
    ("GET", f"{P}/admin/retention"): [Case(f"{P}/admin/retention", statuses(403, admin=200))],
    ("PUT", f"{P}/admin/retention"): [
        Case(
            f"{P}/admin/retention",
            statuses(403, admin=200),
            body=lambda w: {
                "raw_text_days_min": 1,
                "raw_text_days_max": 30,
                "retention_months_min": 1,
                "retention_months_max": 24,
            },
        )
    ],
    # -- themes ----------------------------------------------------------------------------------------
    ("GET", f"{P}/themes"): [Case(f"{P}/themes", statuses(200))],
    ("POST", f"{P}/themes/suggest"): [
        Case(f"{P}/themes/suggest", statuses(200), body=lambda w: {"text": "huurachterstand en schulden"})
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/themes"): [Case(f"{P}/teams/{{team}}/themes", team_member(200))],
    ("POST", f"{P}/teams/<uuid:team_id>/themes"): [
        Case(f"{P}/teams/{{team}}/themes", team_lead(201), body=lambda w: {"label": f"Thema {new_id()[:8]}"})
    ],
    ("PATCH", f"{P}/teams/<uuid:team_id>/themes/<string:theme_id>"): [
        Case(f"{P}/teams/{{team}}/themes/{{theme}}", team_lead(200), body=lambda w: {"description": "x"}),
        Case(
            f"{P}/teams/{{other_team}}/themes/{{theme}}",
            statuses(404, stranger=403),
            body=lambda w: {"description": "x"},
            note="a team theme through another team's URL",
        ),
    ],
    ("DELETE", f"{P}/teams/<uuid:team_id>/themes/<string:theme_id>"): [
        Case(f"{P}/teams/{{team}}/themes/{{theme}}", team_lead(204))
    ],
    # -- digests ---------------------------------------------------------------------------------------
    ("GET", f"{P}/teams/<uuid:team_id>/digests"): [
        Case(f"{P}/teams/{{team}}/digests", team_content_lead(200))
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/digests/<string:iso_week>"): [
        Case(f"{P}/teams/{{team}}/digests/{{week}}", team_content_lead(200))
    ],
    ("POST", f"{P}/teams/<uuid:team_id>/digests/<string:iso_week>/build"): [
        # A week without a digest: a built one is frozen (409 for everyone who may build).
        Case(f"{P}/teams/{{team}}/digests/2026-W10/build", team_lead(202))
    ],
    # -- bordsessie: board, notes, acknowledgements, effect cards -----------------------------------------
    ("GET", f"{P}/teams/<uuid:team_id>/board/<string:iso_week>"): [
        Case(f"{P}/teams/{{team}}/board/{{week}}", team_lead(200))
    ],
    ("PUT", f"{P}/teams/<uuid:team_id>/notes/<string:audience>/<string:iso_week>"): [
        Case(
            f"{P}/teams/{{team}}/notes/medewerkers/{{week}}",
            team_lead(200),
            body=lambda w: {"text": "We spreken met de POH af wie overbrugt."},
        )
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/notes/<string:audience>/<string:iso_week>"): [
        Case(f"{P}/teams/{{team}}/notes/medewerkers/{{week}}", team_lead(200), note="after the PUT row")
    ],
    ("POST", f"{P}/teams/<uuid:team_id>/notes/<string:audience>/<string:iso_week>/publish"): [
        Case(
            f"{P}/teams/{{team}}/notes/medewerkers/{{week}}/publish",
            team_lead(409),
            note="past authorisation; no worker ran, so it is not de-identified yet",
        )
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/notes/medewerkers"): [
        Case(f"{P}/teams/{{team}}/notes/medewerkers", team_member(200))
    ],
    ("POST", f"{P}/team/reflections/<uuid:reflection_id>/acknowledgements"): [
        # Anyone in the team who can read the shared reflection (its author too: the same answer for
        # everyone); the beheerder reads no reflections; a private one looks missing.
        Case(
            f"{P}/team/reflections/{{shared_reflection}}/acknowledgements",
            statuses(404, colleague=201, lead=201, owner=201),
            body=lambda w: {"client_id": new_id(), "kind": "thanks"},
        ),
        Case(
            f"{P}/team/reflections/{{reflection}}/acknowledgements",
            statuses(404),
            body=lambda w: {"client_id": new_id(), "kind": "thanks"},
        ),
    ],
    ("GET", f"{P}/me/acknowledgements"): [Case(f"{P}/me/acknowledgements", statuses(200))],
    ("GET", f"{P}/actions/<uuid:action_id>/effect"): [
        Case(
            f"{P}/actions/{{action}}/effect",
            statuses(404),
            note="no theme, so no card; the same answer as an action you may not see",
        )
    ],
    # -- push ------------------------------------------------------------------------------------------
    ("GET", f"{P}/push/subscriptions"): [Case(f"{P}/push/subscriptions", statuses(200))],
    ("POST", f"{P}/push/subscriptions"): [
        Case(f"{P}/push/subscriptions", statuses(201), body=lambda w: subscription_body(push_endpoint()))
    ],
    ("DELETE", f"{P}/push/subscriptions"): [
        Case(f"{P}/push/subscriptions?endpoint={{endpoint}}", own(204), fresh=_fresh_subscription)
    ],
    # Runs after the POST row above gave every actor a subscription of their own.
    ("POST", f"{P}/push/test"): [Case(f"{P}/push/test", statuses(202))],
    ("GET", f"{P}/notifications/<uuid:notification_id>"): [
        Case(f"{P}/notifications/{{notification}}", own(200))
    ],
    ("PATCH", f"{P}/notifications/<uuid:notification_id>"): [
        Case(f"{P}/notifications/{{notification}}", own(200), body=lambda w: {"read": True})
    ],
    ("GET", f"{P}/notifications"): [Case(f"{P}/notifications", statuses(200))],
    ("POST", f"{P}/notifications/read"): [Case(f"{P}/notifications/read", statuses(200))],
    # -- intervisie and portfolio ----------------------------------------------------------------------
    ("GET", f"{P}/intervisie/methods"): [Case(f"{P}/intervisie/methods", statuses(200))],
    ("GET", f"{P}/intervisie/cases"): [
        Case(f"{P}/intervisie/cases", statuses(200)),
        Case(f"{P}/intervisie/cases?team_id={{team}}", team_member(200)),
    ],
    ("POST", f"{P}/intervisie/cases"): [
        Case(
            f"{P}/intervisie/cases",
            statuses(422, owner=201),
            note="only the author offers her shared reflection",
            body=lambda w: {"client_id": new_id(), "reflection_id": w["ids"]["shared_reflection"]},
        )
    ],
    ("DELETE", f"{P}/intervisie/cases/<uuid:case_id>"): [
        Case(f"{P}/intervisie/cases/{{case}}", own(204), fresh=lambda w, _: {"case": w["make_case"]()})
    ],
    ("GET", f"{P}/intervisie/sessions"): [
        Case(f"{P}/intervisie/sessions", statuses(200)),
        Case(f"{P}/intervisie/sessions?team_id={{team}}", team_member(200)),
    ],
    ("POST", f"{P}/intervisie/sessions"): [
        Case(
            f"{P}/intervisie/sessions",
            statuses(422, colleague=201, lead=201, owner=201),
            fresh=lambda w, _: {"case": w["make_case"]()},
            body=lambda w: {
                "client_id": new_id(),
                "case_id": w["ids"]["case"],
                "method": "actieleren",
                "held_on": "2026-03-12",
            },
            note="any member may lead an intervisie of her team",
        )
    ],
    ("GET", f"{P}/intervisie/sessions/<uuid:session_id>"): [
        Case(f"{P}/intervisie/sessions/{{session}}", team_member(200))
    ],
    ("PATCH", f"{P}/intervisie/sessions/<uuid:session_id>"): [
        Case(
            f"{P}/intervisie/sessions/{{session}}",
            statuses(403, stranger=404, other_lead=404, owner=200),
            body=lambda w: {"step": 1},
            note="only the facilitator writes",
        )
    ],
    ("POST", f"{P}/intervisie/sessions/<uuid:session_id>/action"): [
        Case(
            f"{P}/intervisie/sessions/{{session}}/action",
            statuses(403, stranger=404, other_lead=404, owner=201),
            fresh=lambda w, _: {"session": w["make_session"]()},
            body=lambda w: {"client_id": new_id(), "title": "Bellen", "owner_id": str(w["people"]["owner"])},
        )
    ],
    ("GET", f"{P}/teams/<uuid:team_id>/learning-notes"): [
        Case(f"{P}/teams/{{team}}/learning-notes", team_member(200))
    ],
    ("GET", f"{P}/me/portfolio"): [Case(f"{P}/me/portfolio?from=2026-01-01&to=2026-12-31", statuses(200))],
    ("GET", f"{P}/me/portfolio.csv"): [
        Case(f"{P}/me/portfolio.csv?from=2026-01-01&to=2026-12-31", statuses(200))
    ],
    ("GET", f"{P}/me/portfolio.pdf"): [
        Case(f"{P}/me/portfolio.pdf?from=2026-01-01&to=2026-12-31", statuses(200))
    ],
    ("PUT", f"{P}/me/portfolio/reflections/<uuid:reflection_id>"): [
        Case(f"{P}/me/portfolio/reflections/{{reflection}}", own(200))
    ],
    ("DELETE", f"{P}/me/portfolio/reflections/<uuid:reflection_id>"): [
        Case(f"{P}/me/portfolio/reflections/{{reflection}}", own(200))
    ],
    ("PUT", f"{P}/me/casusoverleg/<uuid:month_id>"): [
        Case(
            f"{P}/me/casusoverleg/{{month}}",
            statuses(200, stranger=404, other_lead=404, admin=404),
            note="your own attendance, in your own team",
        )
    ],
    ("DELETE", f"{P}/me/casusoverleg/<uuid:month_id>"): [
        Case(f"{P}/me/casusoverleg/{{month}}", statuses(200, stranger=404, other_lead=404, admin=404))
    ],
    # -- the gemeente (organisation level; the beleidsmedewerker's own matrix: test_organisation_api.py) --
    ("GET", f"{P}/organisations"): [
        Case(f"{P}/organisations", statuses(200), note="each sees only their own")
    ],
    ("POST", f"{P}/organisations"): [
        Case(f"{P}/organisations", statuses(403, admin=201), body=lambda w: {"name": "Gemeente Nieuw"})
    ],
    ("GET", f"{P}/organisations/<uuid:organisation_id>"): [
        Case(
            f"{P}/organisations/{{organisation}}",
            statuses(404, admin=200),
            note="a teamleider of one of its teams does not see the gemeente",
        )
    ],
    ("PATCH", f"{P}/organisations/<uuid:organisation_id>"): [
        Case(
            f"{P}/organisations/{{organisation}}", statuses(404, admin=200), body=lambda w: {"k_threshold": 5}
        )
    ],
    ("POST", f"{P}/organisations/<uuid:organisation_id>/invitations"): [
        Case(
            f"{P}/organisations/{{organisation}}/invitations",
            statuses(404, admin=201),
            body=lambda w: {"email": f"{new_id()}@gemeente.nl"},
        )
    ],
    ("GET", f"{P}/organisation-invitations/<string:token>"): [
        Case(f"{P}/organisation-invitations/{{ghost_token}}", public(404))
    ],
    ("POST", f"{P}/organisation-invitations/<string:token>/accept"): [
        Case(
            f"{P}/organisation-invitations/{{ghost_token}}/accept",
            public(404),
            body=lambda w: {"password": "x" * 12},
        )
    ],
    ("GET", f"{P}/organisations/<uuid:organisation_id>/overview"): [
        Case(f"{P}/organisations/{{organisation}}/overview", statuses(404, admin=200))
    ],
    ("GET", f"{P}/organisations/<uuid:organisation_id>/export.csv"): [
        Case(f"{P}/organisations/{{organisation}}/export.csv", statuses(404, admin=200))
    ],
}


# A new team makes the beheerder a member of two teams, and logging out ends every actor's session.
RUN_LAST = (("POST", "/api/v1/teams"), ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/sso/logout"))


def _rules(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_policy(app):
    """A new endpoint without a row in POLICY fails here, by name."""
    routes = _rules(app)
    uncovered = sorted(routes - POLICY.keys())
    stale = sorted(POLICY.keys() - routes)
    assert not uncovered, (
        "routes without an authorisation policy in tests/api/test_authz_matrix.py:\n"
        + "\n".join(f"  {method} {rule}" for method, rule in uncovered)
    )
    assert not stale, "policy rows for routes that no longer exist:\n" + "\n".join(
        f"  {method} {rule}" for method, rule in stale
    )


def _client(app, ip: str, user_id=None) -> ApiClient:
    """Each actor from its own address, so the per-IP login limit never mixes into the matrix."""
    from server.extensions import db
    from server.models import User

    http = app.test_client()
    http.environ_base["REMOTE_ADDR"] = ip
    if user_id is None:
        return ApiClient(http)
    with app.app_context():
        email = db.session.get(User, user_id).email
    response = http.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.get_json()
    return ApiClient(http, response.get_json()["csrf_token"])


@pytest.fixture
def world(app, make_team, make_user):
    """One team with objects of every kind owned by `owner`, and one actor of every kind."""
    from server.extensions import db
    from server.models import (
        Digest,
        IntervisieCase,
        IntervisieParticipant,
        IntervisieSession,
        LearningQuestion,
        Organisation,
        Reflection,
        Team,
        ThemeOfTheMonth,
        utcnow,
    )
    from server.services.notifications import notify
    from server.weeks import iso_week_of

    team = make_team("Wijkteam Matrix", members_see_themes=False)
    other_team = make_team("Ander team")
    admin_team = make_team("Beheer")
    people = {
        "owner": make_user(team, "medewerker", name="Olga"),
        "colleague": make_user(team, "medewerker", name="Cor"),
        "lead": make_user(team, "teamleider", name="Lea"),
        "stranger": make_user(other_team, "medewerker", name="Sam"),
        "other_lead": make_user(other_team, "teamleider", name="Otto"),
        "admin": make_user(admin_team, "beheerder", name="Bea"),
    }
    clients = {actor: _client(app, f"127.0.1.{n}", people.get(actor)) for n, actor in enumerate(ACTORS, 1)}
    owner, lead = clients["owner"], clients["lead"]

    def created(response) -> str:
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()["id"]

    def make_reflection(**extra) -> str:
        return created(owner.post("/api/v1/reflections", json=_reflection_body(None, **extra)))

    def make_question(**extra) -> str:
        return created(owner.post("/api/v1/learning-questions", json={"text": "Hoe pak ik dit aan?"} | extra))

    visit = created(owner.post("/api/v1/visits", json={"client_id": new_id(), "occurred_at": now_iso()}))
    link = owner.post(f"/api/v1/visits/{visit}/feedback-link", json={})
    assert link.status_code == 201
    shared_question = make_question()
    assert (
        owner.patch(f"/api/v1/learning-questions/{shared_question}", json={"shared": True}).status_code == 200
    )
    ids = {
        "team": str(team),
        "other_team": str(other_team),
        "visit": visit,
        "feedback_token": link.get_json()["token"],
        "ghost_token": "x" * 43,
        "reflection": make_reflection(),
        "shared_reflection": make_reflection(visibility="team"),
        "question": make_question(),
        "shared_question": shared_question,
        "action": created(owner.post("/api/v1/actions", json={"client_id": new_id(), "title": "Bellen"})),
        "theme": created(lead.post(f"/api/v1/teams/{team}/themes", json={"label": "Wijkteam-thema"})),
        "member": str(people["colleague"]),
        "endpoint": push_endpoint(),
    }
    assert (
        owner.post("/api/v1/push/subscriptions", json=subscription_body(ids["endpoint"])).status_code == 201
    )
    with app.app_context():
        # What the de-identification worker would have written, without loading its NLP models here.
        db.session.get(Reflection, uuid.UUID(ids["shared_reflection"])).processed_at = utcnow()
        db.session.get(Reflection, uuid.UUID(ids["shared_reflection"])).deidentified = {
            "what_happened": "[x]"
        }
        db.session.get(LearningQuestion, uuid.UUID(shared_question)).text_deidentified = "Hoe pak ik dit aan?"
        ids["week"] = iso_week_of(utcnow() - timedelta(days=14), ZoneInfo("Europe/Amsterdam"))
        db.session.add(
            Digest(
                team_id=team,
                iso_week=ids["week"],
                built_at=utcnow(),
                content={"version": 1, "iso_week": ids["week"], "themes": []},
            )
        )
        ids["notification"] = str(notify(people["owner"], "test", {}, f"test:{new_id()}", when=utcnow()))
        month = ThemeOfTheMonth(
            team_id=team, month="2026-03", theme_id="geldzorgen-schulden", casusoverleg_on=date(2026, 3, 20)
        )
        db.session.add(month)
        organisation = Organisation(name="Gemeente Matrix")
        db.session.add(organisation)
        db.session.flush()
        db.session.get(Team, team).organisation_id = organisation.id
        ids["organisation"] = str(organisation.id)
        db.session.commit()
        ids["month"] = str(month.id)

    def make_case() -> str:
        """A case the owner offered (as POST /intervisie/cases leaves it)."""
        with app.app_context():
            case = IntervisieCase(
                client_id=uuid.uuid4(),
                payload_hash="x",
                team_id=team,
                author_id=people["owner"],
                source="reflection",
                text="Casus zonder namen",
                themes=[],
            )
            db.session.add(case)
            db.session.commit()
            return str(case.id)

    def make_session() -> str:
        """A session the owner leads, with herself as participant."""
        with app.app_context():
            session = IntervisieSession(
                client_id=uuid.uuid4(),
                payload_hash="x",
                team_id=team,
                facilitator_id=people["owner"],
                method="actieleren",
                held_on=date(2026, 3, 12),
            )
            db.session.add(session)
            db.session.flush()
            db.session.add(IntervisieParticipant(session_id=session.id, user_id=people["owner"]))
            db.session.commit()
            return str(session.id)

    ids["session"] = make_session()
    return {
        "ids": ids,
        "clients": clients,
        "people": people,
        "team": team,
        "make_reflection": make_reflection,
        "make_question": make_question,
        "make_case": make_case,
        "make_session": make_session,
    }


def _ghost_path(template: str, ids: dict) -> str:
    """The path with its innermost object replaced by one that does not exist."""
    last = re.findall(r"{(\w+)}", template)[-1]
    return template.format(**ids | {last: new_id()})


def _call(client: ApiClient, method: str, path: str, body):
    return client._call(method, path, json=body) if body is not None else client._call(method, path)


def test_authorisation_matrix(app, world, make_user):
    mismatches, leaks, cells = [], [], 0
    order = sorted(POLICY.items(), key=lambda item: RUN_LAST.index(item[0]) if item[0] in RUN_LAST else -1)
    for (method, rule), cases in order:
        for case in cases:
            for actor in ACTORS:
                ids = dict(world["ids"])
                if case.fresh:
                    ids |= case.fresh(world, make_user)
                path = case.path.format(**ids)
                # A body sees the fresh ids too (a new case to start a session from).
                body = case.body(world | {"ids": ids}) if case.body else None
                client = world["clients"][actor]
                response = _call(client, method, path, body)
                cells += 1
                expected = case.expect[actor]
                if response.status_code != expected:
                    detail = response.get_json(silent=True) or response.data[:120]
                    mismatches.append(
                        f"{method} {rule} as {actor} [{path}]: {response.status_code}, "
                        f"expected {expected} {case.note} -> {detail}"
                    )
                elif expected == 404 and rule.startswith("/api/"):
                    ghost = _call(client, method, _ghost_path(case.path, ids), body)
                    if (ghost.status_code, ghost.get_json()) != (404, response.get_json()):
                        leaks.append(
                            f"{method} {path} as {actor}: a hidden object answers differently "
                            f"from a missing one ({ghost.status_code}, {ghost.get_json()})"
                        )
    assert cells > 500
    assert not mismatches, f"{len(mismatches)} of {cells} cells differ from the policy:\n" + "\n".join(
        mismatches
    )
    assert not leaks, "\n".join(leaks)
