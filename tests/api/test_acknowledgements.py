"""Acknowledging a shared reflection: the sender never learns the author; the author sees it (an
answer only de-identified); nobody else sees anything of it."""

import json
import uuid

from sqlalchemy import select

from server.extensions import db
from server.models import Notification, Reflection, utcnow
from tests.support.factories import reflection


def _shared(app, client, **fields):
    created = client.post("/api/v1/reflections", json=reflection(visibility="team", **fields)).get_json()
    with app.app_context():  # what the de-identification worker does, without running it
        row = db.session.get(Reflection, uuid.UUID(created["id"]))
        row.deidentified = {"what_happened": row.what_happened, "noticed": "", "why": "", "next_time": ""}
        row.processed_at = utcnow()
        db.session.commit()
    return created["id"]


def _ack(client, reflection_id, kind="thanks", text="", client_id=None):
    return client.post(
        f"/api/v1/team/reflections/{reflection_id}/acknowledgements",
        json={"client_id": client_id or str(uuid.uuid4()), "kind": kind, "text": text},
    )


def test_thanks_and_answer_reach_the_author_only(team_setup, app, run_jobs):
    alice, bob, lead, stranger = (team_setup["client"][n] for n in ("alice", "bob", "lead", "stranger"))
    shared = _shared(app, alice)
    private = alice.post("/api/v1/reflections", json=reflection()).get_json()["id"]

    thanks = _ack(lead, shared)
    assert thanks.status_code == 201
    same = str(uuid.uuid4())
    assert _ack(bob, shared, client_id=same).status_code == 201
    assert _ack(bob, shared, client_id=same).status_code == 200  # a replay, not a second one
    reply = _ack(
        lead, shared, "reply", "Goed gedaan. Bel gerust Kees Jansen op 06-12345678 voor de SHV-route."
    )
    assert reply.status_code == 201
    # The sender's answers name no author, and a private or foreign reflection looks like a missing one.
    for answer in (thanks, reply):
        body = json.dumps(answer.get_json())
        assert str(team_setup["alice"]) not in body and "Alice" not in body
        assert set(answer.get_json()) == {"id", "kind", "created_at"}
    assert _ack(lead, private).status_code == 404
    assert _ack(stranger, shared).status_code == 404
    assert _ack(lead, str(uuid.uuid4())).status_code == 404
    assert _ack(lead, shared, "reply", "  ").status_code == 422
    # Your own: accepted like any other, so the endpoint answers no question about who wrote what.
    assert _ack(alice, shared).status_code == 201

    received = alice.get("/api/v1/me/acknowledgements").get_json()
    assert [item["kind"] for item in received["items"]] == [
        "thanks",
        "thanks",
    ]  # the answer is being de-identified
    run_jobs()
    received = alice.get("/api/v1/me/acknowledgements").get_json()
    assert received["total"] == 3
    answer = next(item for item in received["items"] if item["kind"] == "reply")
    assert (
        answer["sender"] == "Lead"
        and "06-12345678" not in answer["text"]
        and "Kees Jansen" not in answer["text"]
    )
    assert answer["reflection_id"] == shared
    for other in (bob, lead):
        assert other.get("/api/v1/me/acknowledgements").get_json()["items"] == []
    with app.app_context():
        told = {
            row.user_id
            for row in db.session.scalars(select(Notification).where(Notification.kind == "acknowledged"))
        }
    assert told == {team_setup["alice"]}
