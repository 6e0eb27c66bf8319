"""What `make run` exposes and which passwords get in (issue #15, item 14): the web process listens
on this machine only unless told otherwise, and one password policy holds everywhere, the command
line included, with a packaged list of common and breached passwords."""

import importlib
import uuid

import pytest

from server.config import listen_host, open_to_network_warning
from tests.platform.test_cli import leerlus

WEAK = ["leerlus-demo", "Leerlus2026", "wachtwoord123", "welkom01", "password123", "qwertyuiop"]


def test_development_listens_on_this_machine_only_by_default(monkeypatch):
    assert listen_host({}) == "127.0.0.1"
    assert open_to_network_warning({}) is None
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.setenv("LEERLUS_ENV", "development")
    monkeypatch.setenv("PORT", "8123")
    import server.gunicorn_config as gunicorn_config

    assert importlib.reload(gunicorn_config).bind == "127.0.0.1:8123"


def test_opening_development_to_the_network_is_explicit_and_warned_about(monkeypatch, capsys):
    assert listen_host({"HOST": "0.0.0.0"}) == "0.0.0.0"
    assert "demo-accounts" in open_to_network_warning({"HOST": "0.0.0.0"})
    monkeypatch.setenv("HOST", "0.0.0.0")
    import server.gunicorn_config as gunicorn_config

    assert importlib.reload(gunicorn_config).bind.startswith("0.0.0.0:")
    assert "LET OP" in capsys.readouterr().err
    monkeypatch.delenv("HOST")
    importlib.reload(gunicorn_config)


def test_production_listens_for_its_proxy():
    assert listen_host({"LEERLUS_ENV": "production"}) == "0.0.0.0"
    assert open_to_network_warning({"LEERLUS_ENV": "production"}) is None


@pytest.mark.parametrize("password", WEAK)
def test_weak_and_breached_passwords_are_refused_by_the_policy(password):
    from server.auth.passwords import password_problems

    assert password_problems(password), password


def test_a_password_made_of_the_persons_own_address_or_name_is_refused():
    from server.auth.passwords import password_problems

    context = ("fatima.elamrani@gemeente.example.nl", "Fatima El Amrani")
    assert password_problems("fatima.elamrani", context=context)
    assert password_problems("FatimaElAmrani1", context=context)
    assert not password_problems("een lang wachtwoord", context=context)


def test_every_api_route_that_sets_a_password_applies_the_policy(app, anonymous, team_setup):
    from server.auth.links import link_token
    from server.extensions import db
    from server.models import Invitation, User

    alice = team_setup["client"]["alice"]
    changed = alice.post(
        "/api/v1/me/password",
        json={"current_password": "correct horse battery", "new_password": "leerlus-demo"},
    )
    assert changed.status_code == 422 and "new_password" in changed.get_json()["errors"]

    lead = team_setup["client"]["lead"]
    invited = lead.post(
        f"/api/v1/teams/{team_setup['team']}/invitations", json={"email": "nieuw@wijk.example.org"}
    )
    with app.app_context():
        token = link_token("invite", db.session.get(Invitation, uuid.UUID(invited.get_json()["id"])).id)
        email = db.session.get(User, team_setup["alice"]).email
    accepted = anonymous.post(f"/api/v1/invitations/{token}/accept", json={"password": "welkom01"})
    assert accepted.status_code == 422 and "password" in accepted.get_json()["errors"]

    assert anonymous.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    from sqlalchemy import select

    from server.models import PasswordReset

    with app.app_context():
        reset = link_token("reset", db.session.scalars(select(PasswordReset)).one().id)
    refused = anonymous.post(f"/api/v1/auth/password-reset/{reset}", json={"password": "wachtwoord123"})
    assert refused.status_code == 422 and "password" in refused.get_json()["errors"]


def test_leerlus_user_create_refuses_the_demo_password_in_production(app):
    result = leerlus(
        "user",
        "create",
        "--email",
        "beheer@cli.nl",
        "--name",
        "Beheer",
        "--team",
        "CLI-team",
        "--role",
        "beheerder",
        stdin="leerlus-demo\nleerlus-demo\n",
        env_extra={"LEERLUS_ENV": "production", "SECRET_KEY": "s", "PUBLIC_BASE_URL": "https://x.test"},
    )
    assert result.returncode != 0 and "makkelijk te raden" in result.stderr, result.stderr
    refused_name = leerlus(
        "user",
        "create",
        "--email",
        "b@cli.nl",
        "--name",
        "Be\r\nheer",
        "--team",
        "CLI-team",
        stdin="een lang wachtwoord\neen lang wachtwoord\n",
    )
    assert refused_name.returncode != 0 and "één regel" in refused_name.stderr
