"""The notifications inbox: GET /notifications (own only, unread count), marking read, and a contact
request linked to the visit it came from (date, kind, the medewerker's own note)."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import Notification, Reflection, utcnow
from tests.api.test_feedback import submit
from tests.support.factories import add_visit


def make_visit(app, author_id, team_id, pseudonym=None):
    return add_visit(app, author_id, team_id, kind="telefonisch", ago=timedelta(days=2), pseudonym=pseudonym)


def add_notification(app, user_id, kind="digest", ref=None, created=None):
    with app.app_context():
        row = Notification(
            user_id=user_id,
            kind=kind,
            ref=ref or {},
            dedupe_key=f"test:{uuid.uuid4()}",
            scheduled_for=utcnow(),
            created_at=created or utcnow(),
        )
        db.session.add(row)
        db.session.commit()
        return str(row.id)


def test_contact_request_is_in_the_inbox_with_its_visit(app, team_setup, run_jobs):
    alice = team_setup["client"]["alice"]
    visit_id = make_visit(app, team_setup["alice"], team_setup["team"], pseudonym="Mevr. met de kat")
    token = alice.post(f"/api/v1/visits/{visit_id}/feedback-link", json={}).get_json()["token"]
    submit(app.test_client(), token, comment="Bel me even terug over de aanvraag.", contact="ja")
    run_jobs()

    inbox = alice.get("/api/v1/notifications")
    assert inbox.status_code == 200, inbox.get_json()
    body = inbox.get_json()
    assert body["total"] == 1 and body["unread"] == 1 and body["page"] == 1
    [item] = body["items"]
    assert item["kind"] == "feedback-contact" and item["read_at"] is None
    assert item["title"] == "Een inwoner vraagt om contact"
    assert item["visit"]["id"] == str(visit_id)
    assert item["visit"]["kind"] == "telefonisch"
    assert item["visit"]["note"] == "Mevr. met de kat"
    assert item["visit"]["occurred_at"]

    # Nobody else sees it: not a colleague, not the teamleider, not someone of another team.
    for name in ("bob", "lead", "stranger"):
        other = team_setup["client"][name]
        assert other.get("/api/v1/notifications").get_json()["total"] == 0
        assert other.get(f"/api/v1/notifications/{item['id']}").status_code == 404
        assert other.patch(f"/api/v1/notifications/{item['id']}", json={"read": True}).status_code == 404
    with app.app_context():
        assert db.session.get(Notification, uuid.UUID(item["id"])).read_at is None

    marked = alice.patch(f"/api/v1/notifications/{item['id']}", json={"read": True})
    assert marked.status_code == 200 and marked.get_json()["read_at"]
    after = alice.get("/api/v1/notifications").get_json()
    assert after["unread"] == 0 and after["items"][0]["read_at"]
    assert alice.get("/api/v1/notifications?unread=true").get_json()["total"] == 0
    again = alice.patch(f"/api/v1/notifications/{item['id']}", json={"read": False}).get_json()
    assert again["read_at"] is None
    assert alice.get("/api/v1/notifications").get_json()["unread"] == 1


def test_own_reflection_is_the_note_when_the_visit_has_no_pseudonym(app, team_setup):
    visit_id = make_visit(app, team_setup["alice"], team_setup["team"])
    with app.app_context():
        db.session.add(
            Reflection(
                client_id=uuid.uuid4(),
                author_id=team_setup["alice"],
                team_id=team_setup["team"],
                visit_id=visit_id,
                occurred_at=utcnow() - timedelta(days=2),
                what_happened="Lang gesprek over de schulden " + "en nog veel meer " * 20,
                visibility="private",
                payload_hash="1" * 64,
            )
        )
        db.session.commit()
        feedback_ref = {"visit_id": str(visit_id)}
    add_notification(app, team_setup["alice"], "feedback-contact", feedback_ref)
    [item] = team_setup["client"]["alice"].get("/api/v1/notifications").get_json()["items"]
    note = item["visit"]["note"]
    assert note.startswith("Lang gesprek over de schulden") and note.endswith("…") and len(note) <= 120


def test_inbox_lists_news_newest_first_without_reminders_and_marks_all_read(app, team_setup):
    alice = team_setup["alice"]
    now = utcnow()
    old = add_notification(
        app, alice, "digest", {"team_id": str(team_setup["team"])}, now - timedelta(days=3)
    )
    new = add_notification(app, alice, "acknowledged", {}, now - timedelta(hours=1))
    add_notification(app, alice, "nudge", {"visit_id": str(uuid.uuid4())})
    add_notification(app, alice, "test")
    add_notification(app, alice, "digest", {}, now + timedelta(days=1))  # not yet
    add_notification(app, team_setup["bob"], "digest")
    client = team_setup["client"]["alice"]
    body = client.get("/api/v1/notifications").get_json()
    assert [item["id"] for item in body["items"]] == [new, old]
    assert body["unread"] == 2 and body["items"][0]["visit"] is None
    assert client.get("/api/v1/notifications?page_size=1&page=2").get_json()["items"][0]["id"] == old

    done = client.post("/api/v1/notifications/read")
    assert done.status_code == 200 and done.get_json() == {"marked": 2, "unread": 0}
    assert client.get("/api/v1/notifications?unread=false").get_json()["total"] == 2
    with app.app_context():
        bobs = db.session.scalars(select(Notification).where(Notification.user_id == team_setup["bob"])).all()
        assert [row.read_at for row in bobs] == [None]


def test_inbox_refuses_strangers_and_bad_input(app, team_setup, anonymous):
    assert anonymous.get("/api/v1/notifications").status_code == 401
    assert anonymous.post("/api/v1/notifications/read").status_code in (401, 403)
    client = team_setup["client"]["alice"]
    mine = add_notification(app, team_setup["alice"])
    bad = client.patch(f"/api/v1/notifications/{mine}", json={"read": "misschien"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "read" in bad.get_json()["errors"]
    assert client.patch(f"/api/v1/notifications/{mine}", json={}).status_code == 422
    assert client.get("/api/v1/notifications?page_size=101").status_code == 422
    assert client.get("/api/v1/notifications?unread=soms").status_code == 422
    assert client.get(f"/api/v1/notifications/{uuid.uuid4()}").status_code == 404
    # Without the CSRF token a write is refused (403), whoever owns the row.
    no_csrf = team_setup["client"]["alice"]
    token, no_csrf.csrf = no_csrf.csrf, None
    try:
        assert no_csrf.patch(f"/api/v1/notifications/{mine}", json={"read": True}).status_code == 403
    finally:
        no_csrf.csrf = token
