"""Reflections and visits: idempotent writes, validation, and who may read what."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.factories import reflection
from tests.support.sql import recorded_statements


def test_create_then_replay_returns_the_original(team_setup):
    alice = team_setup["client"]["alice"]
    body = reflection()
    first = alice.post("/api/v1/reflections", json=body)
    assert first.status_code == 201, first.get_json()
    again = alice.post("/api/v1/reflections", json=body)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert alice.get("/api/v1/reflections").get_json()["total"] == 1


def test_same_client_id_with_other_payload_is_409(team_setup):
    alice = team_setup["client"]["alice"]
    body = reflection()
    alice.post("/api/v1/reflections", json=body)
    response = alice.post("/api/v1/reflections", json=body | {"what_happened": "iets anders"})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"


def test_replay_answers_the_original_even_when_its_theme_was_removed_since(team_setup):
    """The first attempt skips the replay lookup; a replay that fails validation now still replays."""
    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    theme = lead.post(f"/api/v1/teams/{team_setup['team']}/themes", json={"label": "Energiearmoede"})
    theme_id = theme.get_json()["id"]
    body = reflection(themes=[theme_id])
    first = alice.post("/api/v1/reflections", json=body)
    assert first.status_code == 201, first.get_json()
    assert lead.delete(f"/api/v1/teams/{team_setup['team']}/themes/{theme_id}").status_code == 204
    again = alice.post("/api/v1/reflections", json=body)
    assert again.status_code == 200, again.get_json()
    assert again.get_json() == first.get_json()
    # A new reflection with that theme is refused, and a changed payload under the old id is 409.
    assert alice.post("/api/v1/reflections", json=reflection(themes=[theme_id])).status_code == 422
    assert alice.post("/api/v1/reflections", json=body | {"what_happened": "anders"}).status_code == 409


def test_a_new_reflection_is_one_transaction_without_a_replay_lookup(app, team_setup):
    """What the write costs in statements (bench.api compares it to the floor: docs/performance.md)."""
    alice = team_setup["client"]["alice"]
    alice.post("/api/v1/reflections", json=reflection())  # warm: the session is not touched again
    with recorded_statements(app) as statements:
        body = reflection()
        response = alice.post("/api/v1/reflections", json=body)
    assert response.status_code == 201, response.get_json()
    selects = [s for s in statements if s.startswith("select") and "from" in s]
    inserts = [s.split("(")[0] for s in statements if s.startswith("insert")]
    assert len(selects) == 1 and "from auth_sessions" in selects[0], statements  # the session, once
    assert sorted(inserts) == ["insert into outbox_events ", "insert into reflections "], statements
    # And the answer is what a read gives back.
    stored = alice.get(f"/api/v1/reflections/{response.get_json()['id']}").get_json()
    assert stored == response.get_json()


def test_a_new_reflection_with_a_new_visit_and_chips_is_stored_as_answered(app, team_setup):
    """The write's rows go in with Core INSERTs: the visit (ORM) before the reflection that refers to
    it, the author's chips, and one outbox event in the same commit."""
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import OutboxEvent

    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    theme_id = lead.post(f"/api/v1/teams/{team_setup['team']}/themes", json={"label": "Energiearmoede"})
    theme_id = theme_id.get_json()["id"]
    visit = {"client_id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC).isoformat()}
    with app.app_context():
        events_before = db.session.scalar(select(func.count()).select_from(OutboxEvent))
    response = alice.post(
        "/api/v1/reflections", json=reflection(visit=visit, themes=[theme_id], suggested=[theme_id])
    )
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["visit_id"] is not None
    assert [(t["id"], t["source"]) for t in answer["themes"]] == [(theme_id, "suggested")]
    assert alice.get(f"/api/v1/reflections/{answer['id']}").get_json() == answer
    with app.app_context():
        kinds = db.session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.id).offset(events_before))
        assert "reflection.submitted" in list(kinds)


def test_client_ids_are_scoped_per_author(team_setup):
    body = reflection()
    a = team_setup["client"]["alice"].post("/api/v1/reflections", json=body)
    b = team_setup["client"]["bob"].post("/api/v1/reflections", json=body)
    assert a.status_code == b.status_code == 201
    assert a.get_json()["id"] != b.get_json()["id"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"what_happened": ""}, "what_happened"),
        ({"what_happened": "   "}, "what_happened"),
        ({"what_happened": "x" * 2001}, "what_happened"),
        ({"noticed": "x" * 2001}, "noticed"),
        ({"learning_zone": "bored"}, "learning_zone"),
        ({"energy": 6}, "energy"),
        ({"energy": "high"}, "energy"),
        ({"visibility": "public"}, "visibility"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"occurred_at": "gisteren"}, "occurred_at"),
        ({"occurred_at": "2026-11-28T10:00:00"}, "occurred_at"),
        ({"themes": ["bestaat-niet"]}, "themes"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_every_validation_rule_answers_422_with_the_field(team_setup, change, field):
    response = team_setup["client"]["alice"].post("/api/v1/reflections", json=reflection(**change))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_occurred_at_more_than_a_day_ahead_is_refused(team_setup):
    future = (datetime.now(UTC) + timedelta(hours=25)).isoformat()
    response = team_setup["client"]["alice"].post("/api/v1/reflections", json=reflection(occurred_at=future))
    assert response.status_code == 422
    assert "toekomst" in response.get_json()["errors"]["occurred_at"][0]
    skewed = (datetime.now(UTC) + timedelta(hours=5)).isoformat()
    assert (
        team_setup["client"]["alice"]
        .post("/api/v1/reflections", json=reflection(occurred_at=skewed))
        .status_code
        == 201
    )


def test_private_reflection_is_404_for_everyone_else(team_setup):
    created = team_setup["client"]["alice"].post("/api/v1/reflections", json=reflection()).get_json()
    for name in ("bob", "lead", "stranger"):
        response = team_setup["client"][name].get(f"/api/v1/reflections/{created['id']}")
        assert response.status_code == 404, name
        assert (
            team_setup["client"][name]
            .patch(f"/api/v1/reflections/{created['id']}", json={"energy": 1})
            .status_code
            == 404
        )
        assert team_setup["client"][name].delete(f"/api/v1/reflections/{created['id']}").status_code == 404


def test_author_themes_are_kept_with_source_author(team_setup):
    body = reflection(themes=["geldzorgen-schulden", "gespreksvoering"], suggested=["gespreksvoering"])
    created = team_setup["client"]["alice"].post("/api/v1/reflections", json=body).get_json()
    sources = {t["id"]: t["source"] for t in created["themes"]}
    assert sources == {"geldzorgen-schulden": "author", "gespreksvoering": "suggested"}


def test_reflection_can_log_its_visit_in_one_go(team_setup):
    alice = team_setup["client"]["alice"]
    visit = {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "kind": "huisbezoek",
    }
    created = alice.post("/api/v1/reflections", json=reflection(visit=visit)).get_json()
    visits = alice.get("/api/v1/visits").get_json()
    assert visits["total"] == 1
    assert created["visit_id"] == visits["items"][0]["id"]
    assert visits["items"][0]["has_reflection"] is True
    # Someone else's visit cannot be referenced.
    bob = team_setup["client"]["bob"]
    response = bob.post("/api/v1/reflections", json=reflection(visit_id=created["visit_id"]))
    assert response.status_code == 404


def test_list_is_paginated_newest_first_and_filterable(team_setup):
    alice = team_setup["client"]["alice"]
    now = datetime.now(UTC)
    for days in range(5):
        alice.post(
            "/api/v1/reflections",
            json=reflection(
                occurred_at=(now - timedelta(days=days)).isoformat(),
                what_happened=f"dag {days}",
                themes=["gespreksvoering"] if days % 2 else [],
            ),
        )
    page = alice.get("/api/v1/reflections?page=1&page_size=2").get_json()
    assert page["total"] == 5 and page["page_size"] == 2 and len(page["items"]) == 2
    assert [i["what_happened"] for i in page["items"]] == ["dag 0", "dag 1"]
    assert alice.get("/api/v1/reflections?theme=gespreksvoering").get_json()["total"] == 2
    assert alice.get("/api/v1/reflections?page_size=101").status_code == 422
    # Dates at the calendar's edges would overflow the conversion to the team's time zone.
    for query in ("since=0001-01-01", "until=9999-12-31"):
        refused = alice.get(f"/api/v1/reflections?{query}")
        assert refused.status_code == 422, query
        assert refused.get_json()["errors"]


def test_edit_within_a_day_resets_processing_and_later_is_refused(team_setup, app):
    alice = team_setup["client"]["alice"]
    created = alice.post("/api/v1/reflections", json=reflection()).get_json()
    edited = alice.patch(f"/api/v1/reflections/{created['id']}", json={"energy": 5})
    assert edited.status_code == 200 and edited.get_json()["energy"] == 5
    with app.app_context():
        from server.extensions import db
        from server.models import Reflection

        row = db.session.get(Reflection, uuid.UUID(created["id"]))
        row.received_at = datetime.now(UTC) - timedelta(hours=25)
        db.session.commit()
    assert alice.patch(f"/api/v1/reflections/{created['id']}", json={"energy": 1}).status_code == 403


def test_delete_by_author(team_setup):
    alice = team_setup["client"]["alice"]
    created = alice.post("/api/v1/reflections", json=reflection()).get_json()
    assert alice.delete(f"/api/v1/reflections/{created['id']}").status_code == 204
    assert alice.get(f"/api/v1/reflections/{created['id']}").status_code == 404


def test_suggest_explains_itself(team_setup):
    response = team_setup["client"]["alice"].post(
        "/api/v1/themes/suggest", json={"text": "De deurwaarder stond op de stoep, ze heeft schulden."}
    )
    items = response.get_json()["items"]
    assert items[0]["id"] == "geldzorgen-schulden"
    assert items[0]["matched"]


def test_themes_list_has_taxonomy_and_team_themes(team_setup):
    lead = team_setup["client"]["lead"]
    created = lead.post(
        f"/api/v1/teams/{team_setup['team']}/themes",
        json={"label": "Energiearmoede", "keywords": ["energietoeslag", "stookkosten"]},
    )
    assert created.status_code == 201, created.get_json()
    ids = {t["id"] for t in team_setup["client"]["alice"].get("/api/v1/themes").get_json()["items"]}
    assert {"geldzorgen-schulden", created.get_json()["id"]} <= ids
    assert "ervaring-bejegening" in ids  # listed (for feedback), but not accepted on a reflection
    response = team_setup["client"]["alice"].post(
        "/api/v1/reflections", json=reflection(themes=["ervaring-bejegening"])
    )
    assert response.status_code == 422
    # Medewerkers cannot add team themes; other teams cannot see them.
    assert (
        team_setup["client"]["alice"]
        .post(f"/api/v1/teams/{team_setup['team']}/themes", json={"label": "X"})
        .status_code
        == 403
    )
    assert (
        team_setup["client"]["stranger"].get(f"/api/v1/teams/{team_setup['team']}/themes").status_code == 404
    )
    assert (
        team_setup["client"]["stranger"].get(f"/api/v1/themes?team_id={team_setup['team']}").status_code
        == 404
    )


def test_themes_list_follows_the_team_asked_for(app, team_setup, make_user, login):
    """Someone in two teams sees the team themes of the team they are working in."""
    lead = team_setup["client"]["lead"]
    own = lead.post(f"/api/v1/teams/{team_setup['team']}/themes", json={"label": "Energiearmoede"}).get_json()
    other_lead = login(make_user(team_setup["other_team"], "teamleider"))
    other = other_lead.post(
        f"/api/v1/teams/{team_setup['other_team']}/themes", json={"label": "Laaggeletterdheid"}
    )
    from server.extensions import db
    from server.models import Membership

    with app.app_context():
        db.session.add(
            Membership(user_id=team_setup["alice"], team_id=team_setup["other_team"], role="medewerker")
        )
        db.session.commit()
    alice = team_setup["client"]["alice"]

    def team_themes(query=""):
        return {
            t["label"]
            for t in alice.get(f"/api/v1/themes{query}").get_json()["items"]
            if t["group"] == "team"
        }

    assert team_themes(f"?team_id={team_setup['other_team']}") == {other.get_json()["label"]}
    assert team_themes(f"?team_id={team_setup['team']}") == {own["label"]}
