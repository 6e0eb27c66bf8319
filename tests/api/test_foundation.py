"""Accounts, sessions, CSRF and the API's error conventions."""

import pytest

from tests.conftest import TEST_PASSWORD


def test_login_returns_user_teams_and_csrf(team_setup):
    client = team_setup["client"]["lead"]
    me = client.get("/api/v1/me").get_json()
    assert me["teams"] == [{"id": str(team_setup["team"]), "name": "Wijkteam Test", "role": "teamleider"}]
    assert me["csrf_token"] == client.csrf
    assert me["user"]["display_name"] == "Lead"


def test_wrong_password_is_401_problem(team_setup, app, anonymous):
    with app.app_context():
        from server.extensions import db
        from server.models import User

        email = db.session.get(User, team_setup["alice"]).email
    response = anonymous.post("/api/v1/auth/login", json={"email": email, "password": "nope"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 401


def test_me_without_login_is_401(anonymous):
    response = anonymous.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_state_change_without_csrf_is_403(team_setup):
    client = team_setup["client"]["alice"]
    client.csrf = None
    response = client.patch("/api/v1/me", json={"display_name": "X"})
    assert response.status_code == 403
    assert response.get_json()["type"] == "/problems/csrf"


def test_logout_ends_the_session_server_side(team_setup):
    client = team_setup["client"]["alice"]
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("{not json", "application/json", 400),
        ('{"display_name": 5}', "application/json", 422),
        ('{"display_name": "ok", "is_admin": true}', "application/json", 422),
        ("display_name=x", "application/x-www-form-urlencoded", 415),
        ('{"display_name": "' + "x" * (1024 * 1024 + 10) + '"}', "application/json", 413),
    ],
)
def test_bad_input_gets_problem_documents(team_setup, body, content_type, status):
    client = team_setup["client"]["alice"]
    response = client.http.open(
        "/api/v1/me",
        method="PATCH",
        data=body,
        content_type=content_type,
        headers={"X-CSRF-Token": client.csrf},
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if status == 422:
        assert response.get_json()["errors"]


def test_unknown_route_and_method_are_problems(anonymous):
    assert anonymous.get("/api/v1/nope").mimetype == "application/problem+json"
    response = anonymous.http.put("/api/v1/me")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"


def test_nul_byte_is_refused_not_a_500(team_setup):
    response = team_setup["client"]["alice"].patch("/api/v1/me", json={"display_name": "a\x00b"})
    assert response.status_code == 422


def test_repeated_failures_lock_the_account_with_retry_after(team_setup, app, anonymous):
    with app.app_context():
        from server.extensions import db
        from server.models import User

        email = db.session.get(User, team_setup["bob"]).email
    statuses = [
        anonymous.post("/api/v1/auth/login", json={"email": email, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [401] * 5
    locked = anonymous.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0


def test_invitation_flow_without_smtp_shows_link(team_setup, anonymous, app):
    lead = team_setup["client"]["lead"]
    response = lead.post(
        f"/api/v1/teams/{team_setup['team']}/invitations",
        json={"email": "nieuw@test.leerlus.nl", "role": "medewerker"},
    )
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["invite_url"]
    token = url.rsplit("/", 1)[1]
    accepted = anonymous.post(
        f"/api/v1/invitations/{token}/accept",
        json={"password": "een lang wachtwoord", "display_name": "Nieuw"},
    )
    assert accepted.status_code == 201
    assert accepted.get_json()["teams"][0]["role"] == "medewerker"
    someone_else = app.test_client()
    again = someone_else.post(f"/api/v1/invitations/{token}/accept", json={"password": "een lang wachtwoord"})
    assert again.status_code == 404


def test_medewerker_cannot_invite_and_stranger_cannot_see_team(team_setup):
    alice = team_setup["client"]["alice"]
    response = alice.post(f"/api/v1/teams/{team_setup['team']}/invitations", json={"email": "x@y.nl"})
    assert response.status_code == 403
    assert team_setup["client"]["stranger"].get(f"/api/v1/teams/{team_setup['team']}").status_code == 404


def test_healthz_and_openapi(anonymous):
    assert anonymous.get("/healthz").get_json() == {"status": "ok"}
    assert anonymous.get("/readyz").status_code == 200
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/auth/login" in spec["paths"]


def test_readyz_counts_failed_jobs_of_every_queue(app, anonymous):
    """A refine job that failed for good is a dead letter like any other (it read only `default`)."""
    from rq.job import Job

    from server.queue import REFINE_QUEUE, get_queue

    with app.app_context():
        queue = get_queue(REFINE_QUEUE)
        job = Job.create("workers.reflections.refine_reflection", args=("x",), connection=queue.connection)
        job.save()
        queue.failed_job_registry.add(job, ttl=60, exc_string="boom")
    assert anonymous.get("/readyz").get_json()["failed_jobs"] == 1
