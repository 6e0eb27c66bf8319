"""Learning questions, the personal overview, theme of the month and the knowledge map."""

import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.factories import reflection

ZONE = ZoneInfo("Europe/Amsterdam")
NAMED = (
    "Hoe help ik mevrouw Fatima El Amrani (Kerkstraat 12) met haar huurachterstand zonder het over te nemen?"
)
NAMED_BITS = ["Fatima", "Amrani", "Kerkstraat"]


def question(**overrides) -> dict:
    body = {
        "client_id": str(uuid.uuid4()),
        "text": "Hoe zet ik een gesprek over schulden open zonder te oordelen?",
    }
    return body | overrides


def _this_week() -> str:
    return _week_of(datetime.now(UTC))


def _weeks_back(weeks: int) -> str:
    from server.weeks import shift_week

    return shift_week(_this_week(), -weeks)


def _week_of(moment: datetime) -> str:
    from server.weeks import iso_week_of

    return iso_week_of(moment, ZONE)


def _week_start(weeks_back: int) -> datetime:
    """Tuesday noon (local) of the ISO week `weeks_back` before this one."""
    from server.weeks import shift_week, week_bounds

    start = week_bounds(shift_week(_this_week(), -weeks_back), ZONE)[0]
    return min(start + timedelta(days=1, hours=12), datetime.now(UTC))  # never in the future on a Monday


def _add_reflection(app, team_id, author_id, themes, when=None, zone="learning", energy=3, received=None):
    """`received`: when the row and its themes reached the server (default now)."""
    from server.extensions import db
    from server.models import Reflection, ReflectionTheme

    known = {"received_at": received} if received else {}
    with app.app_context():
        row = Reflection(
            client_id=uuid.uuid4(),
            author_id=author_id,
            team_id=team_id,
            occurred_at=when or datetime.now(UTC),
            what_happened="x",
            learning_zone=zone,
            energy=energy,
            payload_hash="x",
            themes=[
                ReflectionTheme(
                    theme_id=theme, source="author", **({"assigned_at": received} if received else {})
                )
                for theme in themes
            ],
            **known,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def _share_and_process(client, question_id, run_jobs) -> None:
    assert client.patch(f"/api/v1/learning-questions/{question_id}", json={"shared": True}).status_code == 200
    run_jobs()


# -- own questions --------------------------------------------------------------------------------------


def test_create_replay_and_validation(team_setup):
    alice = team_setup["client"]["alice"]
    body = question(due="2026-12-31")
    first = alice.post("/api/v1/learning-questions", json=body)
    assert first.status_code == 201, first.get_json()
    created = first.get_json()
    assert created["status"] == "open" and created["shared"] is False and created["visible_to_team"] is False
    assert created["helpers"] == [] and created["due"] == "2026-12-31"
    again = alice.post("/api/v1/learning-questions", json=body)
    assert again.status_code == 200 and again.get_json()["id"] == created["id"]
    assert alice.post("/api/v1/learning-questions", json=body | {"text": "iets anders"}).status_code == 409
    # Without client_id it is a plain create.
    assert alice.post("/api/v1/learning-questions", json={"text": "Nog een vraag"}).status_code == 201
    assert alice.get("/api/v1/learning-questions").get_json()["total"] == 2
    for change, field in (
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"due": "morgen"}, "due"),
        ({"surprise": 1}, "surprise"),
    ):
        response = alice.post("/api/v1/learning-questions", json=question(**change))
        assert response.status_code == 422 and field in response.get_json()["errors"], change


def test_question_from_a_reflection_must_be_your_own_reflection(team_setup):
    bobs = team_setup["client"]["bob"].post("/api/v1/reflections", json=reflection()).get_json()
    alice = team_setup["client"]["alice"]
    response = alice.post("/api/v1/learning-questions", json=question(reflection_id=bobs["id"]))
    assert response.status_code == 422 and "reflection_id" in response.get_json()["errors"]
    own = alice.post("/api/v1/reflections", json=reflection()).get_json()
    created = alice.post("/api/v1/learning-questions", json=question(reflection_id=own["id"])).get_json()
    assert created["reflection_id"] == own["id"]
    # One tap later: a new reflection linked to the open question.
    alice.post("/api/v1/reflections", json=reflection(learning_question_id=created["id"]))
    assert alice.get(f"/api/v1/learning-questions/{created['id']}").get_json()["linked_reflections"] == 1


def test_closing_needs_what_you_learned(team_setup):
    alice = team_setup["client"]["alice"]
    created = alice.post("/api/v1/learning-questions", json=question()).get_json()
    path = f"/api/v1/learning-questions/{created['id']}"
    refused = alice.patch(path, json={"status": "closed"})
    assert refused.status_code == 422 and "learned" in refused.get_json()["errors"]
    assert alice.patch(path, json={"status": "closed", "learned": "  "}).status_code == 422
    closed = alice.patch(path, json={"status": "closed", "learned": "Eerst vragen wat er al geprobeerd is."})
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed" and closed.get_json()["closed_at"] is not None
    # A closed question keeps its closing sentence.
    assert alice.patch(path, json={"learned": ""}).status_code == 422
    reopened = alice.patch(path, json={"status": "open"}).get_json()
    assert reopened["status"] == "open" and reopened["closed_at"] is None
    assert alice.get("/api/v1/learning-questions?status=open").get_json()["total"] == 1


def test_private_question_is_404_for_everyone_else(team_setup):
    created = team_setup["client"]["alice"].post("/api/v1/learning-questions", json=question()).get_json()
    path = f"/api/v1/learning-questions/{created['id']}"
    for name in ("bob", "lead", "stranger"):
        client = team_setup["client"][name]
        assert client.get(path).status_code == 404, name
        assert client.patch(path, json={"shared": True}).status_code == 404, name
        assert client.delete(path).status_code == 404, name
        assert client.post(f"{path}/helpers").status_code == 404, name
        assert client.get("/api/v1/learning-questions").get_json()["total"] == 0, name
    for name in ("bob", "lead"):
        assert team_setup["client"][name].get("/api/v1/team/learning-questions").get_json()["total"] == 0


def test_shared_question_reaches_the_team_only_deidentified_and_without_author(team_setup, run_jobs):
    alice, bob, lead = (team_setup["client"][n] for n in ("alice", "bob", "lead"))
    created = alice.post("/api/v1/learning-questions", json=question(text=NAMED)).get_json()
    alice.patch(f"/api/v1/learning-questions/{created['id']}", json={"shared": True})
    # Shared but not yet processed: nobody sees anything.
    assert bob.get("/api/v1/team/learning-questions").get_json()["total"] == 0
    assert bob.post(f"/api/v1/learning-questions/{created['id']}/helpers").status_code == 404

    run_jobs()

    assert alice.get(f"/api/v1/learning-questions/{created['id']}").get_json()["text"] == NAMED
    for client in (bob, lead):
        page = client.get("/api/v1/team/learning-questions").get_json()
        assert page["total"] == 1
        item = page["items"][0]
        assert set(item) == {
            "id",
            "iso_week",
            "text",
            "status",
            "themes",
            "helpers",
            "i_know_something",
            "mine",
        }
        assert "huurachterstand" in item["text"] and item["mine"] is False
        shown = json.dumps(page)
        for bit in [*NAMED_BITS, "Alice", str(team_setup["alice"])]:
            assert bit not in shown, bit
    assert alice.get("/api/v1/team/learning-questions").get_json()["items"][0]["mine"] is True
    assert (
        team_setup["client"]["stranger"]
        .get(f"/api/v1/team/learning-questions?team_id={team_setup['team']}")
        .status_code
        == 404
    )

    # An edited text disappears from the team until the worker has de-identified it again.
    alice.patch(f"/api/v1/learning-questions/{created['id']}", json={"text": "Hoe werkt de Wmo-aanvraag?"})
    assert bob.get("/api/v1/team/learning-questions").get_json()["total"] == 0
    run_jobs()
    assert (
        bob.get("/api/v1/team/learning-questions").get_json()["items"][0]["text"]
        == "Hoe werkt de Wmo-aanvraag?"
    )
    # Unsharing takes it away at once.
    alice.patch(f"/api/v1/learning-questions/{created['id']}", json={"shared": False})
    assert bob.get("/api/v1/team/learning-questions").get_json()["total"] == 0


def test_helpers_are_named_to_the_asker_only(team_setup, run_jobs):
    alice, bob, lead = (team_setup["client"][n] for n in ("alice", "bob", "lead"))
    created = alice.post("/api/v1/learning-questions", json=question()).get_json()
    _share_and_process(alice, created["id"], run_jobs)
    helpers = f"/api/v1/learning-questions/{created['id']}/helpers"

    first = bob.post(helpers)
    assert first.status_code == 201 and first.get_json()["i_know_something"] is True
    assert bob.post(helpers).status_code == 200  # a double tap changes nothing
    assert alice.post(helpers).status_code == 422  # not on your own question
    assert team_setup["client"]["stranger"].post(helpers).status_code == 404

    mine = alice.get(f"/api/v1/learning-questions/{created['id']}").get_json()
    assert mine["helpers"] == [{"id": str(team_setup["bob"]), "display_name": "Bob"}]
    lead_view = lead.get("/api/v1/team/learning-questions").get_json()
    assert lead_view["items"][0]["helpers"] == 1 and lead_view["items"][0]["i_know_something"] is False
    assert "Bob" not in json.dumps(lead_view) and str(team_setup["bob"]) not in json.dumps(lead_view)

    assert bob.delete(f"{helpers}/me").status_code == 204
    assert alice.get(f"/api/v1/learning-questions/{created['id']}").get_json()["helpers"] == []


# -- theme of the month ----------------------------------------------------------------------------------


def _seed_rising(
    app, make_user, team_id, theme="geldzorgen-schulden", now_authors=5, before=3, weeks_back=1
) -> list:
    """A theme rising in the week `weeks_back` before this one (the suggestion reads last week), next
    to "gespreksvoering", steady at 4: reflections of new colleagues, each written in its own week
    (a row that came later is not counted before the week's digest). Returns the reflections' ids."""
    people = [
        make_user(team_id, "medewerker", name=f"Collega {n}") for n in range(max(now_authors, before, 4))
    ]
    ids = []
    for back in range(5):
        when = _week_start(weeks_back + back)
        for person in people[: now_authors if back == 0 else before]:
            ids.append(_add_reflection(app, team_id, person, [theme], when=when, received=when))
        for person in people[:4]:
            ids.append(_add_reflection(app, team_id, person, ["gespreksvoering"], when=when, received=when))
    return ids


def _remove(app, ids) -> None:
    from server.extensions import db
    from server.models import Reflection

    with app.app_context():
        for row_id in ids:
            db.session.delete(db.session.get(Reflection, row_id))
        db.session.commit()


def test_theme_of_the_month_from_suggestion_to_contribution(
    team_setup, app, make_user, login, run_jobs, clock
):
    team = team_setup["team"]
    alice, bob, lead = (team_setup["client"][n] for n in ("alice", "bob", "lead"))
    path = f"/api/v1/teams/{team}/theme-of-the-month"
    # A shared open question on the theme strengthens the suggestion and is shown with it.
    source = alice.post("/api/v1/reflections", json=reflection(themes=["geldzorgen-schulden"])).get_json()
    asked = alice.post(
        "/api/v1/learning-questions",
        json=question(reflection_id=source["id"], text="Wanneer schakel ik schuldhulp in?"),
    ).get_json()
    _share_and_process(alice, asked["id"], run_jobs)
    seeded = _seed_rising(app, make_user, team)

    before = lead.get(path).get_json()
    assert before["theme_id"] is None
    suggestion = before["suggestion"]
    assert suggestion["theme_id"] == "geldzorgen-schulden" and suggestion["trend"] == "rising"
    assert "Stijgt" in suggestion["reason"] and "leervraag" in suggestion["reason"]
    assert suggestion["questions"] == [{"id": asked["id"], "text": "Wanneer schakel ik schuldhulp in?"}]
    # Members see what was chosen; the suggestion is for whoever picks.
    assert alice.get(path).get_json()["suggestion"] is None
    _remove(app, seeded)  # they made the suggestion; the month's figure below counts this test's rows

    body = {
        "theme_id": suggestion["theme_id"],
        "description": "Vroegsignalering van schulden.",
        "links": [{"title": "Handreiking", "url": "https://example.org/schulden"}],
        "casusoverleg_on": "2026-12-17",
    }
    assert alice.put(path, json=body).status_code == 403
    assert team_setup["client"]["stranger"].put(path, json=body).status_code == 404
    assert lead.put(path, json=body | {"theme_id": "bestaat-niet"}).status_code == 422
    assert lead.put(path, json=body | {"links": [{"url": "javascript:alert(1)"}]}).status_code == 422
    saved = lead.put(path, json=body)
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["set_by"]["display_name"] == "Lead"

    seen = alice.get(path).get_json()
    assert seen["theme_id"] == "geldzorgen-schulden" and seen["label"]
    assert seen["description"] == body["description"] and seen["casusoverleg_on"] == "2026-12-17"
    assert seen["links"] == body["links"]
    # Alice's earlier reflection this month counts; the team figure needs k distinct authors.
    assert seen["my_contributions"] == 1 and seen["contributions"]["suppressed"] is True

    new = alice.post("/api/v1/reflections", json=reflection(themes=["geldzorgen-schulden"])).get_json()
    other = alice.post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"])).get_json()
    assert alice.get(path).get_json()["my_contributions"] == 2
    overview = alice.get("/api/v1/me/overview").get_json()
    assert overview["theme_of_the_month"]["theme_id"] == "geldzorgen-schulden"
    assert overview["theme_of_the_month"]["my_contributions"] == 2
    marks = {item["id"]: item["contributes_to_theme_of_the_month"] for item in overview["recent_reflections"]}
    assert marks[new["id"]] is True and marks[other["id"]] is False

    bob.post("/api/v1/reflections", json=reflection(themes=["geldzorgen-schulden"]))
    carol = login(make_user(team, "medewerker", name="Carol"))
    carol.post("/api/v1/reflections", json=reflection(themes=["geldzorgen-schulden"]))
    assert bob.get(path).get_json()["my_contributions"] == 1
    # The team figure counts ended weeks only: it does not move with each reflection, which would
    # tell whoever watched it who just wrote about the theme.
    assert lead.get(path).get_json()["contributions"]["suppressed"] is True
    written = datetime.now(UTC)
    clock(written + timedelta(days=7))
    month = lead.get(f"{path}?month={written.astimezone(ZONE):%Y-%m}").get_json()
    assert month["contributions"] == {"reflections": 4, "authors": 3, "to_week": _week_of(written)}


def test_no_suggestion_without_a_rising_theme(team_setup, app, make_user):
    _seed_rising(app, make_user, team_setup["team"], now_authors=2)  # below k = 3
    answer = (
        team_setup["client"]["lead"].get(f"/api/v1/teams/{team_setup['team']}/theme-of-the-month").get_json()
    )
    assert answer["suggestion"] is None


def test_the_running_week_and_a_published_week_do_not_move_the_suggestion(team_setup, app, make_user):
    """Counts of the running week move with every reflection: a reason read before and after a
    colleague's visit would tell what they wrote about. Once last week is published, the board's
    proposal decides, over the digest's figures: a row dated into that week later moves nothing."""
    from workers.digest import build_digest

    team = team_setup["team"]
    path = f"/api/v1/teams/{team}/theme-of-the-month"
    lead = team_setup["client"]["lead"]
    _seed_rising(app, make_user, team, theme="wonen", weeks_back=0)
    assert lead.get(path).get_json()["suggestion"] is None
    _seed_rising(app, make_user, team)
    assert lead.get(path).get_json()["suggestion"]["theme_id"] == "geldzorgen-schulden"
    with app.app_context():
        build_digest(team, _weeks_back(1))
    published = lead.get(path).get_json()["suggestion"]
    assert published["theme_id"] == "geldzorgen-schulden" and published["iso_week"] == _weeks_back(1)
    for _ in range(3):
        author = make_user(team, "medewerker")
        _add_reflection(app, team, author, ["eenzaamheid-netwerk"], when=_week_start(1))
    assert lead.get(path).get_json()["suggestion"] == published


def test_the_suggestion_does_not_show_what_the_digests_suppressed(team_setup, app, make_user):
    """One colleague a week on the theme stays under k in every digest; a reason "tegen gemiddeld 1"
    would publish it. The weeks before count as published: this theme is new, not rising."""
    team = team_setup["team"]
    _seed_rising(app, make_user, team, now_authors=3, before=1)
    path = f"/api/v1/teams/{team}/theme-of-the-month"
    suggestion = team_setup["client"]["lead"].get(path).get_json()["suggestion"]
    assert suggestion["theme_id"] == "geldzorgen-schulden" and suggestion["trend"] == "new"
    assert "gemiddeld" not in suggestion["reason"]


def test_a_lead_cannot_lift_a_theme_into_the_suggestion(team_setup, app, make_user):
    """Sock puppets: the lead's own reflection does not make up k for a rising theme (privacy.md §3)."""
    team = team_setup["team"]
    path = f"/api/v1/teams/{team}/theme-of-the-month"
    lead = team_setup["client"]["lead"]
    when = _week_start(1)
    for author in ("lead", "alice", "bob"):
        _add_reflection(app, team, team_setup[author], ["wonen"], when=when, received=when)
    # three distinct authors, one of them the lead: only two count towards k = 3
    assert lead.get(path).get_json()["suggestion"] is None

    carol = make_user(team, "medewerker", name="Carol")
    _add_reflection(app, team, carol, ["wonen"], when=when, received=when)
    suggestion = lead.get(path).get_json()["suggestion"]
    assert suggestion["theme_id"] == "wonen" and suggestion["trend"] == "new"


# -- knowledge map ---------------------------------------------------------------------------------------


def test_knowledge_map_gaps_keepers_and_k_suppression(team_setup, app, make_user, login):
    team = team_setup["team"]
    carol = make_user(team, "medewerker", name="Carol")
    authors = [team_setup["alice"], team_setup["bob"], carol]
    # Each written in its own week: a row dated into an ended week later counts from the next cut-off.
    for author in authors:
        when = _week_start(2)
        _add_reflection(app, team, author, ["geldzorgen-schulden", "wonen"], when=when, received=when)
        early = _week_start(9)  # outside the 8 weeks
        _add_reflection(app, team, author, ["gespreksvoering"], when=early, received=early)
    for author in authors[:2]:
        _add_reflection(app, team, author, ["eenzaamheid-netwerk"], when=_week_start(0))
    lead = team_setup["client"]["lead"]
    keeper = lead.patch(f"/api/v1/teams/{team}/themes/wonen", json={"keeper_ids": [str(team_setup["bob"])]})
    assert keeper.status_code == 200, keeper.get_json()

    answer = lead.get(f"/api/v1/teams/{team}/knowledge-map")
    assert answer.status_code == 200
    themes = {item["id"]: item for item in answer.get_json()["themes"]}
    assert themes["geldzorgen-schulden"]["authors"] == 3 and themes["geldzorgen-schulden"]["gap"] is True
    assert themes["wonen"]["gap"] is False
    assert themes["wonen"]["keepers"] == [{"id": str(team_setup["bob"]), "display_name": "Bob"}]
    for theme_id in ("eenzaamheid-netwerk", "gespreksvoering"):
        assert themes[theme_id]["authors"]["suppressed"] is True and themes[theme_id]["gap"] is False
    assert answer.get_json()["themes"][0]["id"] == "geldzorgen-schulden"  # gaps first
    assert all(item["group"] != "ervaring" for item in themes.values())

    assert team_setup["client"]["alice"].get(f"/api/v1/teams/{team}/knowledge-map").status_code == 200
    assert team_setup["client"]["stranger"].get(f"/api/v1/teams/{team}/knowledge-map").status_code == 404
    lead.patch(f"/api/v1/teams/{team}", json={"members_see_themes": False})
    assert team_setup["client"]["alice"].get(f"/api/v1/teams/{team}/knowledge-map").status_code == 403


# -- personal overview -----------------------------------------------------------------------------------


def _add_feedback(app, team_id, medewerker_id, scores, when):
    from server.extensions import db
    from server.models import FeedbackLink, InwonerFeedback, Visit

    with app.app_context():
        visit = Visit(
            client_id=uuid.uuid4(),
            author_id=medewerker_id,
            team_id=team_id,
            occurred_at=when,
            kind="huisbezoek",
            payload_hash="x",
        )
        db.session.add(visit)
        db.session.flush()
        link = FeedbackLink(
            token_hash=secrets.token_hex(32),
            visit_id=visit.id,
            team_id=team_id,
            expires_at=when + timedelta(days=14),
            used_at=when,
        )
        db.session.add(link)
        db.session.flush()
        db.session.add(
            InwonerFeedback(
                link_id=link.id,
                team_id=team_id,
                visit_id=visit.id,
                medewerker_id=medewerker_id,
                submitted_at=when,
                scores=scores,
            )
        )
        db.session.commit()


def test_overview_is_my_own_week_by_week(team_setup, app):
    team, alice_id = team_setup["team"], team_setup["alice"]
    alice = team_setup["client"]["alice"]
    _add_reflection(app, team, alice_id, ["geldzorgen-schulden"], when=_week_start(0), zone="panic", energy=2)
    _add_reflection(
        app,
        team,
        alice_id,
        ["geldzorgen-schulden", "gespreksvoering"],
        when=_week_start(0),
        zone="learning",
        energy=4,
    )
    _add_reflection(app, team, alice_id, ["gespreksvoering"], when=_week_start(2), zone="comfort")
    _add_reflection(app, team, team_setup["bob"], ["eenzaamheid-netwerk"], when=_week_start(0))
    _add_feedback(app, team, alice_id, {"serieus": 5, "samen_oplossingen": 4}, _week_start(0))
    _add_feedback(app, team, alice_id, {"serieus": 3, "samen_oplossingen": 2}, _week_start(0))
    _add_feedback(app, team, team_setup["bob"], {"serieus": 1, "samen_oplossingen": 1}, _week_start(0))
    alice.post("/api/v1/learning-questions", json=question())
    closed = alice.post("/api/v1/learning-questions", json=question(text="Wat doet de SHV?")).get_json()
    alice.patch(f"/api/v1/learning-questions/{closed['id']}", json={"status": "closed", "learned": "Veel."})

    answer = alice.get("/api/v1/me/overview?weeks=4")
    assert answer.status_code == 200
    overview = answer.get_json()
    weeks = overview["weeks"]
    assert [w["iso_week"] for w in weeks][-1] == _this_week() and len(weeks) == 4
    now = weeks[-1]
    assert now["reflections"] == 2
    assert now["zones"] == {"comfort": 0, "learning": 1, "panic": 1, "none": 0}
    assert now["energy"] == 3.0
    assert {t["id"]: t["count"] for t in now["themes"]} == {"geldzorgen-schulden": 2, "gespreksvoering": 1}
    assert now["resident_scores"] == {
        "responses": 2,
        "average": 3.5,
        "items": {"serieus": 4.0, "samen_oplossingen": 3.0},
    }
    assert weeks[-3]["zones"]["comfort"] == 1 and weeks[-2]["reflections"] == 0
    assert weeks[-2]["resident_scores"] == {"responses": 0, "average": None, "items": {}}
    totals = {t["id"]: t for t in overview["themes"]}
    assert totals["gespreksvoering"]["per_week"] == [0, 1, 0, 1]
    assert "eenzaamheid-netwerk" not in totals  # Bob's reflection is not Alice's
    assert overview["questions"]["open"] == 1 and overview["questions"]["closed"] == 1
    assert overview["questions"]["recently_learned"][0]["learned"] == "Veel."
    assert overview["theme_of_the_month"] is None

    assert len(alice.get("/api/v1/me/overview").get_json()["weeks"]) == 12
    for bad in ("0", "53", "veel"):
        assert alice.get(f"/api/v1/me/overview?weeks={bad}").status_code == 422
    # Bob's overview knows nothing of Alice.
    bobs = team_setup["client"]["bob"].get("/api/v1/me/overview?weeks=4").get_json()
    assert bobs["weeks"][-1]["reflections"] == 1 and bobs["weeks"][-1]["resident_scores"]["average"] == 1.0
    assert bobs["questions"]["open"] == 0


@pytest.mark.parametrize("month", ["2026-13", "26-11", "november"])
def test_theme_of_the_month_month_format(team_setup, month):
    lead = team_setup["client"]["lead"]
    path = f"/api/v1/teams/{team_setup['team']}/theme-of-the-month"
    assert lead.get(f"{path}?month={month}").status_code == 422
    assert lead.put(path, json={"theme_id": "gespreksvoering", "month": month}).status_code == 422
