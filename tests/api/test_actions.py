"""Actions: idempotent creation, owners from the team, who sees what, and due reminders."""

import uuid
from datetime import date, timedelta

import pytest


@pytest.fixture
def people(team_setup, make_user, login):
    team_setup["carol"] = make_user(team_setup["team"], "medewerker", name="Carol")
    team_setup["client"]["carol"] = login(team_setup["carol"])
    return team_setup


def new_action(client, **fields):
    body = {"client_id": str(uuid.uuid4()), "title": "Sociale kaart schuldhulp bijwerken", **fields}
    return client.post("/api/v1/actions", json=body), body


def test_same_client_id_returns_the_original_and_a_different_payload_conflicts(people):
    alice = people["client"]["alice"]
    first, body = new_action(alice, due="2026-12-04")
    assert first.status_code == 201
    created = first.get_json()
    assert created["owner"]["display_name"] == "Alice" and created["status"] == "open"
    again = alice.post("/api/v1/actions", json=body)
    assert again.status_code == 200 and again.get_json()["id"] == created["id"]
    assert alice.post("/api/v1/actions", json={**body, "title": "Iets anders"}).status_code == 409
    assert alice.get("/api/v1/actions").get_json()["total"] == 1


def test_owner_must_be_a_team_member_and_only_leads_assign_others(people):
    lead, alice = people["client"]["lead"], people["client"]["alice"]
    assert new_action(alice, owner_id=str(people["bob"]))[0].status_code == 403
    assert new_action(lead, owner_id=str(people["stranger"]))[0].status_code == 422
    response, _ = new_action(lead, owner_id=str(people["bob"]), due="2026-12-01")
    assert response.status_code == 201 and response.get_json()["owner"]["id"] == str(people["bob"])
    assert new_action(alice, title="")[0].status_code == 422
    assert new_action(alice, unknown=1)[0].status_code == 422


def test_visible_to_owner_creator_and_leads_only(people):
    lead = people["client"]["lead"]
    action = new_action(lead, owner_id=str(people["bob"]))[0].get_json()
    url = f"/api/v1/actions/{action['id']}"
    for who in ("lead", "bob"):
        assert people["client"][who].get(url).status_code == 200
    for who in ("alice", "stranger"):
        assert people["client"][who].get(url).status_code == 404
        assert people["client"][who].patch(url, json={"status": "done"}).status_code == 404
    assert people["client"]["alice"].get("/api/v1/actions").get_json()["total"] == 0
    assert people["client"]["bob"].get("/api/v1/actions?mine=true").get_json()["total"] == 1
    assert lead.get("/api/v1/actions?status=done").get_json()["total"] == 0


def test_owner_moves_status_creator_and_leads_edit_the_rest(people):
    lead, bob = people["client"]["lead"], people["client"]["bob"]
    action = new_action(lead, owner_id=str(people["bob"]))[0].get_json()
    url = f"/api/v1/actions/{action['id']}"
    assert bob.patch(url, json={"title": "Anders"}).status_code == 403
    done = bob.patch(url, json={"status": "done"}).get_json()
    assert done["status"] == "done" and done["done_at"]
    reopened = bob.patch(url, json={"status": "open"}).get_json()
    assert reopened["done_at"] is None
    moved = lead.patch(url, json={"owner_id": str(people["carol"]), "due": "2026-12-11"}).get_json()
    assert moved["owner"]["display_name"] == "Carol" and moved["due"] == "2026-12-11"
    assert bob.get(url).status_code == 404  # no longer owner, never creator
    assert lead.patch(url, json={"status": "later"}).status_code == 422


def test_action_from_a_reflection_must_be_your_own(people, app):
    from server.extensions import db
    from server.models import Reflection, utcnow

    with app.app_context():
        reflection = Reflection(
            client_id=uuid.uuid4(),
            author_id=people["bob"],
            team_id=people["team"],
            occurred_at=utcnow(),
            what_happened="x",
            next_time="Volgende keer eerder bellen",
            payload_hash="x",
        )
        db.session.add(reflection)
        db.session.commit()
        reflection_id = str(reflection.id)
    assert new_action(people["client"]["alice"], reflection_id=reflection_id)[0].status_code == 422
    response, _ = new_action(people["client"]["bob"], reflection_id=reflection_id, title="Eerder bellen")
    assert response.status_code == 201 and response.get_json()["reflection_id"] == reflection_id


def test_owner_is_reminded_once_when_due(people, app, run_jobs):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Notification
    from server.queue import enqueue
    from workers.actions import remind_due_actions

    lead = people["client"]["lead"]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    due = new_action(lead, owner_id=str(people["bob"]), due=yesterday)[0].get_json()
    new_action(lead, owner_id=str(people["alice"]), due=(date.today() + timedelta(days=3)).isoformat())
    done = new_action(lead, owner_id=str(people["carol"]), due=yesterday)[0].get_json()
    lead.patch(f"/api/v1/actions/{done['id']}", json={"status": "done"})
    for run in range(2):
        with app.app_context():
            enqueue(remind_due_actions, job_id=f"remind-{run}")
        run_jobs(relay_first=False)
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.kind == "action-due")).all()
        assert [(n.dedupe_key, n.user_id, n.ref) for n in notes] == [
            (f"action-due:{due['id']}", people["bob"], {"action_id": due["id"]})
        ]
