"""Issue #15 (data items): attacks on what team-visible outputs reveal, each pinned by a test.

1. raw words through themes[].matched; 3. a beheerder identifying authors or reading content;
4. k-anonymity attacks by a teamleider; 8. an action tying a shared reflection to its author.
"""

import json
import uuid

from sqlalchemy import delete, select

from tests.test_reflections import reflection

RAW = ("Mevrouw Annie de Vries (82 jaar) uit de Kalverstraat 12 heeft een huurachterstand; de deurwaarder "
       "stond op de stoep.")
RAW_WORDS = ["vries", "kalverstraat", "annie"]


def _team_visible_matches_occur_in_shown_text(items: list[dict]) -> None:
    for item in items:
        shown = " ".join(" ".join(item[f] for f in ("what_happened", "noticed", "why", "next_time")).split()).lower()
        for theme in item["themes"]:
            for word in theme["matched"]:
                assert " ".join(word.split()).lower() in shown, (word, shown)


# -- 1. matched words come from the de-identified text ------------------------------------------------

def test_team_view_matched_words_never_carry_raw_words(team_setup, run_jobs):
    """Attack: a team theme with keywords 'straat' and 'vries' made the team view show
    ["vries", "kalverstraat"] next to "[PERSOON-1] ... [ADRES]"."""
    lead, alice, bob = (team_setup["client"][n] for n in ("lead", "alice", "bob"))
    created = lead.post(f"/api/v1/teams/{team_setup['team']}/themes",
                        json={"label": "Buurt", "keywords": ["straat", "vries", "annie"]})
    assert created.status_code == 201, created.get_json()
    alice.post("/api/v1/reflections", json=reflection(what_happened=RAW, visibility="team"))
    run_jobs()
    for reader in (bob, lead):
        page = reader.get("/api/v1/team/reflections").get_json()
        assert page["total"] == 1
        _team_visible_matches_occur_in_shown_text(page["items"])
        matched = json.dumps([t["matched"] for t in page["items"][0]["themes"]]).lower()
        for word in RAW_WORDS:
            assert word not in matched, word


def test_a_name_keyword_cannot_count_private_reflections(team_setup, run_jobs, app):
    """Attack (issue 4c, the root): a team theme whose keyword is a resident's name counted private
    reflections that mention the name, because the worker classified the raw text."""
    from server.extensions import db
    from server.models import ReflectionTheme

    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    theme = lead.post(f"/api/v1/teams/{team_setup['team']}/themes",
                      json={"label": "Bewoner", "keywords": ["annie", "vries"]}).get_json()
    alice.post("/api/v1/reflections", json=reflection(what_happened=RAW, visibility="private"))
    run_jobs()
    with app.app_context():
        hits = db.session.scalars(select(ReflectionTheme).where(ReflectionTheme.theme_id == theme["id"])).all()
        assert hits == []


def test_legacy_raw_matches_are_filtered_from_the_team_view(team_setup, run_jobs, app):
    """Rows matched on raw text before the fix: the team view drops words its reader cannot see."""
    from server.extensions import db
    from server.models import Reflection, ReflectionTheme

    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    created = alice.post("/api/v1/reflections", json=reflection(what_happened=RAW, visibility="team")).get_json()
    run_jobs()
    with app.app_context():
        row = db.session.get(Reflection, uuid.UUID(created["id"]))
        db.session.execute(delete(ReflectionTheme).where(ReflectionTheme.reflection_id == row.id))
        db.session.add(ReflectionTheme(reflection_id=row.id, theme_id="wonen", source="classifier", score=0.9,
                                       matched=["kalverstraat", "82 jaar", "huurachterstand", "Vries"]))
        db.session.commit()
    item = bob.get("/api/v1/team/reflections").get_json()["items"][0]
    _team_visible_matches_occur_in_shown_text([item])
    assert item["themes"][0]["matched"] == ["huurachterstand"]
    # The author's own view is the author's own text: nothing is hidden from them.
    mine = alice.get(f"/api/v1/reflections/{created['id']}").get_json()
    assert "kalverstraat" in mine["themes"][0]["matched"]


# -- 8. an action does not tie a shared reflection to its author ------------------------------------

def test_an_action_from_a_shared_reflection_does_not_reveal_its_author(team_setup, run_jobs):
    """Attack: the teamleider matched the action's reflection_id (with created_by) to the team view."""
    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    shared = alice.post("/api/v1/reflections", json=reflection(visibility="team")).get_json()
    run_jobs()
    action = alice.post("/api/v1/actions", json={"client_id": str(uuid.uuid4()), "title": "Budgetcoach bellen",
                                                 "reflection_id": shared["id"]})
    assert action.status_code == 201, action.get_json()
    action = action.get_json()
    assert action["reflection_id"] == shared["id"]  # the author keeps the link
    team_ids = {item["id"] for item in lead.get("/api/v1/team/reflections").get_json()["items"]}
    assert shared["id"] in team_ids
    seen = [lead.get(f"/api/v1/actions/{action['id']}").get_json(),
            *lead.get("/api/v1/actions").get_json()["items"]]
    for body in seen:
        assert body["reflection_id"] is None
        assert not team_ids & set(json.dumps(body).split('"'))
