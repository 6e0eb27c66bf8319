"""Intervisie from a shared reflection: consent, anonymity, a guided session, a followed-up action,
and the insight kept as a de-identified team learning note."""

import json
import uuid

from tests.support.factories import reflection

# A fixed day, never today: nothing here may depend on when the suite runs.
OCCURRED = "2026-03-10T09:30:00+01:00"
HELD_ON = "2026-03-12"
NAMED = "Huisbezoek bij mevrouw Fatima El Amrani, Kerkstraat 12: de deurwaarder stond op de stoep."


def _shared_reflection(client, run_jobs, **overrides) -> dict:
    body = reflection(occurred_at=OCCURRED, what_happened=NAMED, visibility="team", **overrides)
    created = client.post("/api/v1/reflections", json=body)
    assert created.status_code == 201, created.get_json()
    run_jobs()
    return created.get_json()


def _offer(client, **body):
    return client.post("/api/v1/intervisie/cases", json={"client_id": str(uuid.uuid4())} | body)


def _start(client, case_id, method="actieleren", **extra):
    return client.post(
        "/api/v1/intervisie/sessions",
        json={"client_id": str(uuid.uuid4()), "case_id": case_id, "method": method, "held_on": HELD_ON}
        | extra,
    )


def test_methods_list_the_steps_with_timings(team_setup):
    body = team_setup["client"]["alice"].get("/api/v1/intervisie/methods").get_json()
    methods = {m["id"]: m for m in body["items"]}
    assert set(methods) == {"actieleren", "incidentmethode", "moreel_beraad"}
    assert [s["key"] for s in methods["actieleren"]["steps"]][:5] == [
        "inbreng",
        "open_vragen",
        "richtingen",
        "actie_eigenaar",
        "actie",
    ]
    assert all(s["minutes"] > 0 for m in methods.values() for s in m["steps"])
    assert methods["actieleren"]["minutes"] == sum(s["minutes"] for s in methods["actieleren"]["steps"])
    assert any(s["collects"] == "article" for s in methods["moreel_beraad"]["steps"])
    assert "Beroepscode" in body["beroepscode"]


def test_methods_speak_the_readers_language(team_setup):
    alice = team_setup["client"]["alice"]
    dutch = {m["id"]: m for m in alice.get("/api/v1/intervisie/methods").get_json()["items"]}
    assert alice.patch("/api/v1/me", json={"language": "en"}).status_code == 200
    english = {m["id"]: m for m in alice.get("/api/v1/intervisie/methods").get_json()["items"]}
    assert (dutch["actieleren"]["label"], english["actieleren"]["label"]) == ("Actieleren", "Action learning")
    assert english["moreel_beraad"]["steps"][0]["title"] == "Case and dilemma"
    # Every text of every method is translated: no English step equals its Dutch source.
    for method_id, method in english.items():
        for step, source in zip(method["steps"], dutch[method_id]["steps"], strict=True):
            assert step["title"] != source["title"] and step["guide"] != source["guide"]


def test_only_the_author_offers_only_a_shared_deidentified_reflection(team_setup, run_jobs):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    private = alice.post("/api/v1/reflections", json=reflection(occurred_at=OCCURRED)).get_json()
    run_jobs()
    refused = _offer(alice, reflection_id=private["id"])
    assert refused.status_code == 422 and "reflection_id" in refused.get_json()["errors"]
    shared = _shared_reflection(alice, run_jobs)
    # A colleague cannot turn someone else's reflection into a case.
    assert _offer(bob, reflection_id=shared["id"]).status_code == 422
    both = _offer(alice, reflection_id=shared["id"], learning_question_id=str(uuid.uuid4()))
    assert both.status_code == 422
    assert _offer(alice).status_code == 422
    # Unshared learning question: refused as well.
    question = alice.post(
        "/api/v1/learning-questions", json={"text": "Hoe begin ik over schulden?"}
    ).get_json()
    assert _offer(alice, learning_question_id=question["id"]).status_code == 422


def test_a_session_from_a_shared_reflection_to_a_followed_up_action(team_setup, run_jobs):
    alice, bob, lead, stranger = (team_setup["client"][n] for n in ("alice", "bob", "lead", "stranger"))
    shared = _shared_reflection(alice, run_jobs)

    offered = _offer(alice, reflection_id=shared["id"])
    assert offered.status_code == 201, offered.get_json()
    case = offered.get_json()
    for bit in ("Fatima", "Amrani", "Kerkstraat"):
        assert bit not in case["text"]
    assert "deurwaarder" in case["text"]

    # Colleagues see the case, but nothing that points at its author.
    seen = bob.get("/api/v1/intervisie/cases").get_json()
    assert seen["total"] == 1
    item = seen["items"][0]
    assert item["presenter"] is None and item["mine"] is False
    raw = json.dumps(seen)
    assert str(team_setup["alice"]) not in raw and "Alice" not in raw and "T09:30" not in raw
    assert stranger.get(f"/api/v1/intervisie/cases?team_id={team_setup['team']}").status_code == 404

    started = _start(bob, case["id"], theme_id="geldzorgen-schulden")
    assert started.status_code == 201, started.get_json()
    session = started.get_json()
    path = f"/api/v1/intervisie/sessions/{session['id']}"
    assert session["i_facilitate"] and session["theme"]["id"] == "geldzorgen-schulden"
    assert [p["display_name"] for p in session["participants"]] == ["Bob"]
    # A case is discussed once, and its author can no longer withdraw it.
    assert _start(lead, case["id"]).status_code == 409
    assert alice.delete(f"/api/v1/intervisie/cases/{case['id']}").status_code == 409

    notes = {
        "step": 1,
        "participant_ids": [str(team_setup["alice"]), str(team_setup["lead"])],
        "questions": ["Wat had mevrouw Fatima El Amrani zelf al geprobeerd?", "Wie belde de deurwaarder?"],
        "options": ["Samen een betalingsregeling voorstellen", "Schuldhulp erbij halen"],
    }
    updated = bob.patch(path, json=notes)
    assert updated.status_code == 200, updated.get_json()
    assert updated.get_json()["questions"][0].startswith(
        "Wat had mevrouw Fatima"
    )  # the facilitator's own words
    assert {p["display_name"] for p in updated.get_json()["participants"]} == {"Alice", "Bob", "Lead"}

    # Only the facilitator writes; outsiders do not even see the session.
    assert alice.patch(path, json={"step": 2}).status_code == 403
    assert stranger.get(path).status_code == 404
    assert bob.patch(path, json={"step": 99}).status_code == 422
    assert bob.patch(path, json={"participant_ids": [str(team_setup["stranger"])]}).status_code == 422

    # Colleagues read the notes only after the worker de-identified them.
    pending = alice.get(path).get_json()
    assert pending["notes_visible"] is False and pending["questions"] == []
    run_jobs()
    visible = alice.get(path).get_json()
    assert visible["notes_visible"] is True and len(visible["questions"]) == 2
    assert "Fatima" not in json.dumps(visible) and "Amrani" not in json.dumps(visible)
    assert visible["case"]["presenter"] is None

    # The action: its owner must be a participant; it is then an ordinary action for its owner.
    outsider = bob.post(
        f"{path}/action",
        json={"client_id": str(uuid.uuid4()), "title": "Bellen", "owner_id": str(team_setup["stranger"])},
    )
    assert outsider.status_code == 422 and "owner_id" in outsider.get_json()["errors"]
    action_body = {
        "client_id": str(uuid.uuid4()),
        "title": "Betalingsregeling voorstellen met schuldhulp",
        "owner_id": str(team_setup["alice"]),
        "due": "2026-03-26",
    }
    assert alice.post(f"{path}/action", json=action_body).status_code == 403
    with_action = bob.post(f"{path}/action", json=action_body)
    assert with_action.status_code == 201, with_action.get_json()
    assert with_action.get_json()["action"]["owner"]["display_name"] == "Alice"
    assert bob.post(f"{path}/action", json=action_body).status_code == 200  # replay
    assert bob.post(f"{path}/action", json=action_body | {"client_id": str(uuid.uuid4())}).status_code == 409
    mine = alice.get("/api/v1/actions?mine=true").get_json()["items"]
    assert [a["title"] for a in mine] == ["Betalingsregeling voorstellen met schuldhulp"]
    assert lead.get("/api/v1/actions?status=open").get_json()["total"] == 1  # on the lead's board too
    done = alice.patch(f"/api/v1/actions/{mine[0]['id']}", json={"status": "done"})
    assert done.status_code == 200 and done.get_json()["done_at"] is not None
    assert bob.get(path).get_json()["action"]["status"] == "done"

    # Closing needs the insight; it becomes a team learning note on the theme, de-identified.
    refused = bob.patch(path, json={"status": "closed"})
    assert refused.status_code == 422 and "insight" in refused.get_json()["errors"]
    insight = "Bij Fatima El Amrani leerden we: eerst vragen wat iemand zelf al probeerde."
    closed = bob.patch(path, json={"insight": insight, "status": "closed"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert bob.patch(path, json={"step": 2}).status_code == 409
    notes_path = f"/api/v1/teams/{team_setup['team']}/learning-notes"
    assert alice.get(notes_path).get_json()["total"] == 0  # not before the worker de-identified it
    run_jobs()
    kept = alice.get(f"{notes_path}?theme_id=geldzorgen-schulden").get_json()
    assert kept["total"] == 1
    note = kept["items"][0]
    assert "eerst vragen wat iemand zelf al probeerde" in note["text"] and "Fatima" not in note["text"]
    assert note["theme"]["id"] == "geldzorgen-schulden" and note["session_id"] == session["id"]
    assert alice.get(f"{notes_path}?theme_id=wonen").get_json()["total"] == 0
    assert stranger.get(notes_path).status_code == 404


def test_presenting_yourself_shows_your_name(team_setup, run_jobs):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    shared = _shared_reflection(alice, run_jobs)
    case = _offer(alice, reflection_id=shared["id"], present_myself=True).get_json()
    assert bob.get("/api/v1/intervisie/cases").get_json()["items"][0]["presenter"]["display_name"] == "Alice"
    # Until a session uses it, the author can take the case back.
    assert bob.delete(f"/api/v1/intervisie/cases/{case['id']}").status_code == 404
    assert alice.delete(f"/api/v1/intervisie/cases/{case['id']}").status_code == 204
    assert bob.get("/api/v1/intervisie/cases").get_json()["total"] == 0


def test_moreel_beraad_names_the_beroepscode_article(team_setup, run_jobs):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    question = alice.post(
        "/api/v1/learning-questions",
        json={"text": "Mag ik de huisarts bellen als mevrouw dat niet wil, terwijl ik me zorgen maak?"},
    ).get_json()
    alice.patch(f"/api/v1/learning-questions/{question['id']}", json={"shared": True})
    run_jobs()
    case = _offer(alice, learning_question_id=question["id"]).get_json()
    assert case["source"] == "learning_question"
    session = _start(bob, case["id"], method="moreel_beraad").get_json()
    path = f"/api/v1/intervisie/sessions/{session['id']}"
    refused = bob.patch(
        path, json={"insight": "Autonomie weegt zwaar, maar niet altijd.", "status": "closed"}
    )
    assert refused.status_code == 422 and "beroepscode_article" in refused.get_json()["errors"]
    assert bob.patch(path, json={"beroepscode_article": 30}).status_code == 422
    # The refused close saved nothing: a PATCH is all or nothing.
    closed = bob.patch(
        path,
        json={
            "beroepscode_article": 1,
            "beroepscode_title": "De mens tot zijn recht laten komen",
            "insight": "Autonomie weegt zwaar, maar niet altijd.",
            "status": "closed",
        },
    )
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["beroepscode_article"] == 1


def test_retention_keeps_only_deidentified_notes_then_deletes_the_session(app, team_setup):
    from datetime import UTC, datetime, timedelta

    from server.extensions import db
    from server.models import IntervisieCase, IntervisieParticipant, IntervisieSession, Team, TeamLearningNote
    from workers.retention import run_retention

    made = datetime(2026, 3, 12, 15, tzinfo=UTC)
    with app.app_context():
        case = IntervisieCase(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team_setup["team"],
            author_id=team_setup["alice"],
            source="reflection",
            text="Casus",
            themes=[],
            status="used",
            created_at=made,
        )
        db.session.add(case)
        db.session.flush()
        session = IntervisieSession(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team_setup["team"],
            case_id=case.id,
            facilitator_id=team_setup["bob"],
            method="actieleren",
            held_on=made.date(),
            status="closed",
            questions=["Wat wilde Fatima zelf?"],
            options=[],
            insight="Fatima leerde ons: eerst vragen.",
            notes_deidentified={
                "questions": ["Wat wilde [naam 1] zelf?"],
                "options": [],
                "insight": "[naam 1] leerde ons: eerst vragen.",
                "beroepscode_title": None,
            },
            created_at=made,
            closed_at=made,
        )
        db.session.add(session)
        db.session.flush()
        db.session.add_all(
            [
                IntervisieParticipant(session_id=session.id, user_id=team_setup["alice"]),
                TeamLearningNote(
                    team_id=team_setup["team"],
                    session_id=session.id,
                    method="actieleren",
                    text=session.insight,
                    text_deidentified=session.notes_deidentified["insight"],
                    created_at=made,
                ),
            ]
        )
        db.session.commit()
        session_id = session.id
        months = db.session.get(Team, team_setup["team"]).retention_months

    with app.app_context():
        run_retention(now=made + timedelta(days=29))
        assert db.session.get(IntervisieSession, session_id).questions == ["Wat wilde Fatima zelf?"]
    with app.app_context():
        run_retention(now=made + timedelta(days=31))
        kept = db.session.get(IntervisieSession, session_id)
        assert kept.questions == ["Wat wilde [naam 1] zelf?"] and "Fatima" not in kept.insight
        assert "Fatima" not in db.session.query(TeamLearningNote).one().text
    with app.app_context():
        run_retention(now=made + timedelta(days=round(months * 30.44) + 2))
        assert db.session.get(IntervisieSession, session_id) is None
        assert (
            db.session.query(IntervisieCase).count() == 0 and db.session.query(TeamLearningNote).count() == 0
        )
        assert db.session.query(IntervisieParticipant).count() == 0


def test_export_and_erasure_take_intervisie_along(app, team_setup):
    from datetime import date

    from server.extensions import db
    from server.models import IntervisieCase, IntervisieParticipant, IntervisieSession
    from tests.conftest import TEST_PASSWORD

    with app.app_context():
        case = IntervisieCase(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team_setup["team"],
            author_id=team_setup["alice"],
            source="reflection",
            text="Casus van Alice",
            themes=[],
            status="used",
        )
        db.session.add(case)
        db.session.flush()
        session = IntervisieSession(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team_setup["team"],
            case_id=case.id,
            facilitator_id=team_setup["bob"],
            method="actieleren",
            held_on=date(2026, 3, 12),
            questions=["Wat wilde Fatima?"],
            notes_deidentified={
                "questions": ["Wat wilde [naam 1]?"],
                "options": [],
                "insight": "",
                "beroepscode_title": None,
            },
        )
        db.session.add(session)
        db.session.flush()
        db.session.add_all(
            [
                IntervisieParticipant(session_id=session.id, user_id=team_setup["alice"]),
                IntervisieParticipant(session_id=session.id, user_id=team_setup["bob"]),
            ]
        )
        db.session.commit()
        session_id = session.id

    exported = team_setup["client"]["alice"].get("/api/v1/me/export").get_json()["intervisie"]
    assert [c["text"] for c in exported["cases_offered"]] == ["Casus van Alice"]
    assert exported["sessions_attended"][0]["notes"] is None  # Bob's notes are Bob's
    bobs = team_setup["client"]["bob"].get("/api/v1/me/export").get_json()["intervisie"]
    assert bobs["cases_offered"] == [] and bobs["sessions_attended"][0]["notes"]["questions"] == [
        "Wat wilde Fatima?"
    ]

    assert (
        team_setup["client"]["bob"].delete("/api/v1/me", json={"password": TEST_PASSWORD}).status_code == 204
    )
    with app.app_context():
        kept = db.session.get(IntervisieSession, session_id)
        assert kept.facilitator_id is None and kept.questions == ["Wat wilde [naam 1]?"]
    assert (
        team_setup["client"]["alice"].delete("/api/v1/me", json={"password": TEST_PASSWORD}).status_code
        == 204
    )
    with app.app_context():
        assert db.session.query(IntervisieCase).count() == 0
        assert db.session.get(IntervisieSession, session_id).case_id is None
        assert db.session.query(IntervisieParticipant).count() == 0
