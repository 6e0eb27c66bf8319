"""The board API on the demo team with a fixed clock: what it shows, who may see it, and that it
names no author and no count under k. Decisions are the ordinary action / theme-of-the-month writes."""

import json
import uuid
from datetime import UTC, date, datetime

import pytest

TODAY = date(2026, 11, 25)  # a Wednesday in 2026-W48
WEEK, NEXT = "2026-W47", "2026-W48"


def demo_login(app, email):
    from server.demo import PASSWORD
    from tests.conftest import ApiClient

    client = app.test_client()
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return ApiClient(client, response.get_json()["csrf_token"])


@pytest.fixture
def demo(app):
    from sqlalchemy import select

    from server.demo import seed_demo
    from server.extensions import db
    from server.models import User
    from workers.digest import build_digest

    with app.app_context():
        summary = seed_demo(today=TODAY)
        build_digest(summary["team_id"], WEEK)
        users = {
            user.email.split("@")[0]: user
            for user in db.session.scalars(select(User))
            if user.email.endswith("@demo.leerlus.nl")
        }
        ids = {name: user.id for name, user in users.items()}
        names = [user.display_name for user in users.values()]
    return {
        "team": summary["team_id"],
        "ids": ids,
        "names": names,
        "lead": demo_login(app, "teamleider@demo.leerlus.nl"),
        "member": demo_login(app, "medewerker1@demo.leerlus.nl"),
    }


def _walk(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    yield path, value


def test_board_for_the_teamleider_only(demo):
    path = f"/api/v1/teams/{demo['team']}/board/{WEEK}"
    assert demo["member"].get(path).status_code in (403, 404)
    assert demo["lead"].get(f"/api/v1/teams/{demo['team']}/board/2026-W99").status_code == 422
    assert demo["lead"].get(f"/api/v1/teams/{demo['team']}/board/2026-W40").status_code == 404
    board = demo["lead"].get(path).get_json()
    assert board["iso_week"] == WEEK and board["content"]["iso_week"] == WEEK
    assert {"carried", "decided", "previous_decisions"} <= set(board["actions"])
    assert len(board["members"]) == 8 and all(m["display_name"] for m in board["members"])
    assert len(board["gaps"]) <= 3
    assert board["topic"]["month"] == "2026-11"
    # Open actions first: every open or blocked action of the team is carried.
    assert any(a["status"] == "open" for a in board["actions"]["carried"])


def test_board_names_no_author_and_no_count_under_k(demo, app):
    from server.extensions import db
    from server.models import Team

    board = demo["lead"].get(f"/api/v1/teams/{demo['team']}/board/{WEEK}").get_json()
    with app.app_context():
        k = db.session.get(Team, uuid.UUID(demo["team"])).k_threshold
    # Names and ids appear only where people are named on purpose: owners, keepers, the member list.
    named = {key: board.pop(key) for key in ("members", "actions")}
    board["content"].pop("actions")
    board["successes"].pop("actions_done")
    for card in board["effects"]:
        card["action"].pop("owner")
    if board["proposal"]:
        board["proposal"].pop("keepers")
    board["content"]["suggestion"] and board["content"]["suggestion"].pop("keepers")
    text = json.dumps(board, ensure_ascii=False)
    for user_id in demo["ids"].values():
        assert str(user_id) not in text
    for name in demo["names"]:
        assert f'"{name}"' not in text
    # Every published people-count is at least k.
    for path, value in _walk(board):
        if path.endswith((".authors", ".intentions_worked.value", ".compliments.value")) and isinstance(
            value, int
        ):
            assert value >= k, (path, value)
    assert named["members"]


def test_decisions_at_the_board_show_in_next_weeks_board(demo, app):
    from server.extensions import db
    from server.models import Action
    from workers.digest import build_digest

    lead, team = demo["lead"], demo["team"]
    board = lead.get(f"/api/v1/teams/{team}/board/{WEEK}").get_json()
    theme = board["content"]["themes"]["items"][0]["id"]
    owner = demo["ids"]["medewerker2"]
    created = lead.post(
        "/api/v1/actions",
        json={
            "client_id": str(uuid.uuid4()),
            "team_id": team,
            "title": "Sociale kaart schuldhulp bijwerken",
            "owner_id": str(owner),
            "due": "2026-12-04",
            "digest_id": board["digest_id"],
            "theme_id": theme,
        },
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["theme_id"] == theme
    assert (
        lead.post(
            "/api/v1/actions",
            json={"client_id": str(uuid.uuid4()), "team_id": team, "title": "x", "theme_id": "geen-thema"},
        ).status_code
        == 422
    )
    carried = board["actions"]["carried"][0]
    assert (
        lead.patch(f"/api/v1/actions/{carried['id']}", json={"status": "blocked"}).get_json()["status"]
        == "blocked"
    )
    assert (
        lead.put(
            f"/api/v1/teams/{team}/theme-of-the-month",
            json={"theme_id": theme, "month": board["topic"]["month"]},
        ).status_code
        == 200
    )

    again = lead.get(f"/api/v1/teams/{team}/board/{WEEK}").get_json()
    assert [a["title"] for a in again["actions"]["decided"]] == ["Sociale kaart schuldhulp bijwerken"]
    assert again["topic"]["theme_id"] == theme
    assert any(a["id"] == carried["id"] and a["status"] == "blocked" for a in again["actions"]["carried"])

    with app.app_context():
        db.session.get(Action, uuid.UUID(created.get_json()["id"])).created_at = datetime(
            2026, 11, 30, 9, tzinfo=UTC
        )
        db.session.commit()
        build_digest(team, NEXT)
    following = lead.get(f"/api/v1/teams/{team}/board/{NEXT}").get_json()
    assert [a["title"] for a in following["actions"]["previous_decisions"]] == [
        "Sociale kaart schuldhulp bijwerken"
    ]


def test_one_proposal_for_board_and_leeragenda_and_at_most_three_gaps(demo, monkeypatch):
    import server.services.learning

    # Controlled clock: Monday 23 November 2026, the morning of the bordsessie about WEEK.
    monkeypatch.setattr(server.services.learning, "utcnow", lambda: datetime(2026, 11, 23, 9, tzinfo=UTC))
    lead, team = demo["lead"], demo["team"]
    board = lead.get(f"/api/v1/teams/{team}/board/{WEEK}").get_json()
    agenda = lead.get(f"/api/v1/teams/{team}/theme-of-the-month?month=2026-11").get_json()["suggestion"]
    assert board["proposal"]["theme_id"] == agenda["theme_id"]
    digest = lead.get(f"/api/v1/teams/{team}/digests/{WEEK}").get_json()
    assert digest["proposal"] == board["proposal"]  # the weekoverzicht shows the same
    assert agenda["reason"].startswith(board["proposal"]["reason"])

    knowledge = lead.get(f"/api/v1/teams/{team}/knowledge-map").get_json()
    marked = [item["id"] for item in knowledge["themes"] if item["gap"]]
    assert 1 <= len(knowledge["gaps"]) <= 3
    assert (
        sorted(marked)
        == sorted(gap["theme_id"] for gap in knowledge["gaps"])
        == sorted(gap["theme_id"] for gap in board["gaps"])
    )
    for gap in knowledge["gaps"]:
        assert gap["authors"] >= 3 and "aandachtsfunctionaris" in gap["why"]
        assert not next(item for item in knowledge["themes"] if item["id"] == gap["theme_id"])["keepers"]


def test_a_colleague_who_knows_something_closes_a_gap(demo, app, monkeypatch):
    """ "Ik weet hier iets van" on a shared question with the theme takes the theme off the gap list."""
    from sqlalchemy import select

    import server.services.learning
    from server.extensions import db
    from server.models import LearningQuestion, LearningQuestionHelper, Reflection, ReflectionTheme

    monkeypatch.setattr(server.services.learning, "utcnow", lambda: datetime(2026, 11, 23, 9, tzinfo=UTC))
    lead, team = demo["lead"], demo["team"]
    gaps = lead.get(f"/api/v1/teams/{team}/knowledge-map").get_json()["gaps"]
    first = gaps[0]["theme_id"]
    with app.app_context():
        source = db.session.scalar(
            select(Reflection)
            .join(ReflectionTheme)
            .where(Reflection.team_id == uuid.UUID(team), ReflectionTheme.theme_id == first)
            .limit(1)
        )
        question = LearningQuestion(
            author_id=source.author_id,
            team_id=source.team_id,
            reflection_id=source.id,
            text="Hoe pak ik dit aan?",
            text_deidentified="Hoe pak ik dit aan?",
            shared=True,
        )
        db.session.add(question)
        db.session.flush()
        db.session.add(LearningQuestionHelper(question_id=question.id, user_id=demo["ids"]["medewerker4"]))
        db.session.commit()
    after = [gap["theme_id"] for gap in lead.get(f"/api/v1/teams/{team}/knowledge-map").get_json()["gaps"]]
    assert first not in after


def test_the_owner_gets_the_effect_card_four_to_six_weeks_after_the_due_week(demo, app, make_user, login):
    from server.extensions import db
    from server.models import Action, Membership

    lead, team = demo["lead"], demo["team"]
    owner = demo["ids"]["medewerker6"]
    with app.app_context():
        action = Action(
            client_id=uuid.uuid4(),
            team_id=uuid.UUID(team),
            created_by_id=demo["ids"]["teamleider"],
            owner_id=owner,
            title="Wachtlijst GGZ: overbrugging",
            due=date(2026, 10, 23),
            status="done",
            theme_id="psychische-gezondheid",
            payload_hash="x",
            created_at=datetime(2026, 10, 20, 9, tzinfo=UTC),
        )
        db.session.add(action)
        db.session.commit()
        action_id = action.id
        outsider = make_user(None, name="Buiten")
        db.session.add(Membership(user_id=outsider, team_id=uuid.UUID(team), role="medewerker"))
        db.session.commit()
    owner_client = demo_login(app, "medewerker6@demo.leerlus.nl")
    path = f"/api/v1/actions/{action_id}/effect"
    assert owner_client.get(f"{path}?week=2026-W46").status_code == 404  # three weeks after: too early
    card = owner_client.get(f"{path}?week=2026-W47").get_json()
    assert card["theme"]["id"] == "psychische-gezondheid" and card["after"]["weeks"] == [
        "2026-W44",
        "2026-W47",
    ]
    for period in (card["before"], card["after"]):
        for cell in period.values():
            if isinstance(cell, dict) and "count" in cell and "of" in cell:
                assert cell["of"] >= cell["count"] >= 0
    assert lead.get(f"{path}?week=2026-W49").status_code == 200  # six weeks after: still
    assert lead.get(f"{path}?week=2026-W50").status_code == 404  # seven: gone
    assert login(outsider).get(f"{path}?week=2026-W47").status_code == 404  # not theirs to see
    # The board shows the same card.
    board = lead.get(f"/api/v1/teams/{team}/board/{WEEK}").get_json()
    assert [c for c in board["effects"] if c["action"]["id"] == str(action_id)][0]["after"] == card["after"]


def test_a_small_team_board_shows_no_count_under_k(team_setup, app):
    """Two medewerkers, k = 3: whatever they write, the board publishes no figure about them."""
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Reflection, utcnow
    from tests.support.factories import reflection
    from workers.digest import build_digest

    alice, bob, lead = (team_setup["client"][n] for n in ("alice", "bob", "lead"))
    when = datetime(2026, 11, 18, 10, tzinfo=UTC).isoformat()  # Wednesday of WEEK
    for client in (alice, bob, alice):
        created = client.post(
            "/api/v1/reflections",
            json=reflection(
                occurred_at=when,
                visibility="team",
                previous_intention_outcome="ja",
                what_happened="Het lukte: samen met mw de aanvraag gedaan.",
            ),
        )
        assert created.status_code == 201, created.get_json()
    with app.app_context():
        for row in db.session.scalars(select(Reflection)):
            row.deidentified = {"what_happened": row.what_happened, "next_time": row.next_time}
            row.processed_at = utcnow()
        db.session.commit()
        build_digest(str(team_setup["team"]), WEEK)
    board = lead.get(f"/api/v1/teams/{team_setup['team']}/board/{WEEK}").get_json()
    assert board["successes"]["intentions_worked"]["suppressed"] is True
    assert board["successes"]["quotes"] == []
    assert board["successes"]["compliments"]["suppressed"] is True
    assert board["gaps"] == [] and board["proposal"] is None
    assert board["content"]["numbers"]["reflections"]["suppressed"] is True
    named = json.dumps({key: value for key, value in board.items() if key not in ("members", "actions")})
    for person in ("alice", "bob"):
        assert str(team_setup[person]) not in named
