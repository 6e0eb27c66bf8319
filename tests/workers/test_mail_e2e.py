"""Every e-mail Leerlus sends, end to end in production mode (issue #15, item 5): the API request,
the outbox, the RQ worker, a real SMTP conversation with a local server (aiosmtpd), and the link in
the mail doing what it promises."""

import re
import socket
from email import message_from_bytes, policy
from pathlib import Path

import pyotp
import pytest
from redis import Redis

from tests.api.test_mfa import BASE, HttpsClient
from tests.api.test_mfa import login as production_login
from tests.conftest import TEST_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "server" / "templates" / "email"
# Each kind of mail and the test below that sends it for real.
COVERED = {"password_reset", "invitation", "digest"}


@pytest.fixture
def inbox():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(
                (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
            )
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.url = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


@pytest.fixture
def prod(app, inbox):
    from server import create_app

    return create_app(
        {
            "TESTING": True,
            "LEERLUS_ENV": "production",
            "SECRET_KEY": "s",
            "PUBLIC_BASE_URL": BASE,
            "SMTP_URL": inbox.url,
        }
    )


def work(prod, redis_url) -> None:
    """The production worker's loop, once: relay the outbox, run every job (failures stay failed)."""
    from rq.registry import FailedJobRegistry

    from server.queue import QUEUE_NAMES
    from workers.relay import relay
    from workers.runner import make_worker

    with prod.app_context():
        relay()
        connection = Redis.from_url(redis_url)
        make_worker(connection).work(burst=True)
        from rq import Queue

        failed = [
            job_id
            for name in QUEUE_NAMES
            for job_id in FailedJobRegistry(queue=Queue(name, connection=connection)).get_job_ids()
        ]
    assert not failed, f"jobs failed: {failed}"


def only_message(inbox, to: str):
    assert [tos for tos, _ in inbox.messages] == [[to]]
    message = inbox.messages[0][1]
    for header in ("Subject", "To", "From"):
        assert "\n" not in str(message[header]) and "\r" not in str(message[header])
    return message


def link_token(message, fragment: str) -> str:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    found = re.search(rf"{re.escape(BASE)}/app/#/{fragment}/([A-Za-z0-9_-]+)", text)
    assert found, text
    assert found.group(0) in html
    return found.group(1)


def test_every_mail_template_is_sent_end_to_end_below():
    assert {p.stem for p in TEMPLATES.glob("*.txt")} == COVERED
    assert {p.stem for p in TEMPLATES.glob("*.html")} == COVERED


def test_password_reset_mail_arrives_and_its_link_sets_a_new_password(
    prod, inbox, redis_url, make_team, make_user
):
    user = make_user(make_team(), "medewerker", name="Anna de Vries")
    with prod.app_context():
        from server.extensions import db
        from server.models import User

        email = db.session.get(User, user).email
    anonymous = HttpsClient(prod.test_client())
    assert anonymous.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    work(prod, redis_url)
    message = only_message(inbox, email)
    assert message["Subject"] == "Nieuw wachtwoord voor Leerlus"
    assert "Hallo Anna de Vries" in message.get_body(("plain",)).get_content()
    token = link_token(message, "wachtwoord")
    assert (
        anonymous.post(
            f"/api/v1/auth/password-reset/{token}", json={"password": "een nieuwe lange zin"}
        ).status_code
        == 204
    )
    login = anonymous.post("/api/v1/auth/login", json={"email": email, "password": "een nieuwe lange zin"})
    assert login.status_code == 200


def test_invitation_mail_arrives_with_a_hostile_team_name_and_its_link_joins(
    prod, inbox, redis_url, make_team, make_user
):
    from server.extensions import db
    from server.models import Team

    team = make_team()
    with prod.app_context():
        # A name stored before names were checked: the header must stay one line, with no Bcc of its own.
        db.session.get(Team, team).name = "Wijkteam\r\nBcc: aanvaller@example.org"
        db.session.commit()
    secret = pyotp.random_base32()
    lead = make_user(team, "teamleider", name="Lea", mfa_enabled=True, totp_secret=secret)
    client, _ = production_login(prod, lead)
    assert client.post("/api/v1/auth/mfa", json={"code": pyotp.TOTP(secret).now()}).status_code == 200
    invited = client.post(f"/api/v1/teams/{team}/invitations", json={"email": "nieuw@wijk.example.org"})
    assert invited.status_code == 201 and invited.get_json()["emailed"] is True
    work(prod, redis_url)
    message = only_message(inbox, "nieuw@wijk.example.org")
    assert (
        message["Bcc"] is None
        and message["Subject"] == "Uitnodiging voor Wijkteam Bcc: aanvaller@example.org in Leerlus"
    )
    assert "Lea nodigt je uit" in message.get_body(("plain",)).get_content()
    token = link_token(message, "uitnodiging")
    joined = HttpsClient(prod.test_client()).post(
        f"/api/v1/invitations/{token}/accept",
        json={"password": "een nieuwe lange zin", "display_name": "Nieuw"},
    )
    assert joined.status_code == 201 and joined.get_json()["teams"][0]["id"] == str(team)


def test_digest_mail_arrives(prod, inbox, make_team, make_user):
    from server.extensions import db
    from server.models import User

    team = make_team("Wijkteam Oost")
    lead = make_user(team, "teamleider")
    with prod.app_context():
        from workers.digest import build_and_deliver

        email = db.session.get(User, lead).email
        assert build_and_deliver(str(team), "2026-W47") == "delivered to 1"
    message = only_message(inbox, email)
    assert message["Subject"] == "Weekoverzicht 2026-W47 — Wijkteam Oost"
    assert f"{BASE}/app/#/digest/{team}/2026-W47" in message.get_body(("plain",)).get_content()
    assert TEST_PASSWORD not in message.as_string()
