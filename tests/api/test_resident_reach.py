"""More residents answer: the youth version, response rates (with k), the one re-share."""

import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.auth.tokens import token_hash
from server.extensions import db
from server.models import FeedbackLink, InwonerFeedback, Team, utcnow
from server.resident.messages import LANGUAGES, YOUTH_ITEMS
from server.resident.rates import IssuedLink, rate, team_rate
from tests.support.factories import add_visit


@pytest.fixture
def team(make_team, make_user, login):
    team_id = make_team("Wijkteam Zuid")
    people = {
        name: make_user(team_id, "medewerker", name=name.capitalize())
        for name in ("alice", "bob", "carol", "dave")
    }
    return {"id": team_id, **people, "client": {"alice": login(people["alice"]), "bob": login(people["bob"])}}


def new_visit(app, author, team_id):
    return add_visit(app, author, team_id)


def nonce_of(html):
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


# --- youth version -------------------------------------------------------------------------------


def test_youth_page_says_je_and_asks_the_youth_care_items(app, team):
    visit = new_visit(app, team["alice"], team["id"])
    body = (
        team["client"]["alice"]
        .post(f"/api/v1/visits/{visit}/feedback-link", json={"variant": "jeugd"})
        .get_json()
    )
    assert body["variant"] == "jeugd"
    client = app.test_client()
    html = client.get(f"/f/{body['token']}").get_data(as_text=True)
    assert "Hoe was het gesprek?" in html and "Je hoeft je naam niet te geven." in html
    assert "Ik werd serieus genomen" in html and "Ik mocht meebeslissen over de hulp" in html
    assert "De medewerker nam mij serieus" not in html  # the Wmo items are not asked
    assert "Helemaal waar" in html and "Wil je nog iets zeggen?" in html
    text = re.sub(r"<[^>]+>", " ", html)
    # "je", never "u"/"uw", to a young person.
    assert not re.search(r"\b(u|uw|Uw|U)\b", text), re.findall(r".{20}\b(?:u|uw|Uw|U)\b.{20}", text)
    assert html.count('type="radio"') == 2 * 5 + 2
    thanks = client.post(
        f"/f/{body['token']}",
        data={
            "nonce": nonce_of(html),
            "jeugd_serieus": "5",
            "jeugd_meebeslissen": "3",
            "serieus": "1",
            "contact": "nee",
        },
    )
    assert thanks.status_code == 200 and "Bedankt!" in thanks.get_data(as_text=True)
    with app.app_context():
        [answer] = db.session.scalars(select(InwonerFeedback)).all()
        # Only the items this page asked: a forged Wmo field is ignored.
        assert answer.scores == {"jeugd_serieus": 5, "jeugd_meebeslissen": 3}


def test_youth_page_keeps_the_privacy_rules(app, team):
    visit = new_visit(app, team["alice"], team["id"])
    token = (
        team["client"]["alice"]
        .post(f"/api/v1/visits/{visit}/feedback-link", json={"variant": "jeugd"})
        .get_json()["token"]
    )
    response = app.test_client().get(f"/f/{token}")
    html = response.get_data(as_text=True)
    assert (
        "Set-Cookie" not in response.headers
        and "default-src 'none'" in response.headers["Content-Security-Policy"]
    )
    assert "naam" in html and not re.search(r'name="(naam|name|email|telefoon|phone)"', html)
    assert "We gebruiken geen cookies en volgen je niet." in html


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_youth_items_exist_in_every_language(app, team, lang):
    visit = new_visit(app, team["alice"], team["id"])
    token = (
        team["client"]["alice"]
        .post(f"/api/v1/visits/{visit}/feedback-link", json={"variant": "jeugd", "language": lang})
        .get_json()["token"]
    )
    html = app.test_client().get(f"/f/{token}").get_data(as_text=True)
    assert YOUTH_ITEMS[lang]["jeugd_serieus"] in html and YOUTH_ITEMS[lang]["jeugd_meebeslissen"] in html


def test_team_default_variant_and_per_visit_choice(app, team, make_user, login):
    lead = make_user(team["id"], "teamleider")
    settings = login(lead).patch(f"/api/v1/teams/{team['id']}", json={"feedback_variant": "jeugd"})
    assert settings.status_code == 200 and settings.get_json()["feedback_variant"] == "jeugd"
    assert (
        login(lead).patch(f"/api/v1/teams/{team['id']}", json={"feedback_variant": "kind"}).status_code == 422
    )
    visit = new_visit(app, team["alice"], team["id"])
    by_default = team["client"]["alice"].post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()
    assert by_default["variant"] == "jeugd"
    # The medewerker chooses per visit: an adult at a youth team's visit still gets the Wmo page.
    adult = (
        team["client"]["alice"]
        .post(f"/api/v1/visits/{visit}/feedback-link", json={"variant": "wmo"})
        .get_json()
    )
    assert "De medewerker nam mij serieus" in app.test_client().get(f"/f/{adult['token']}").get_data(
        as_text=True
    )


# --- response rates --------------------------------------------------------------------------------


def test_rate_and_team_rate_by_hand():
    links = [
        IssuedLink("a", True),
        IssuedLink("a", False),
        IssuedLink("a", True),
        IssuedLink("b", False),
        IssuedLink("c", True),
        IssuedLink(None, False),
    ]
    assert rate(links) == {"issued": 6, "answered": 3, "rate": 0.5}
    assert rate([]) == {"issued": 0, "answered": 0, "rate": None}
    # Others than the viewer "a": b and c (None is a deleted account, not a person to count).
    assert team_rate(links, k=2, viewer="a") == {"issued": 6, "answered": 3, "rate": 0.5}
    assert team_rate(links, k=3, viewer="a") is None
    # Someone outside the team (a teamleider, viewer None) sees it with three issuers: a, b, c.
    assert team_rate(links, k=3) == {"issued": 6, "answered": 3, "rate": 0.5}
    assert rate([IssuedLink("a", True)] * 2 + [IssuedLink("a", False)]) == {
        "issued": 3,
        "answered": 2,
        "rate": 0.667,
    }


NOW = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)


def add_link(app, team_id, author, created, *, answered=False, revoked=False, batch=False):
    with app.app_context():
        visit_id = None if batch else new_visit(app, author, team_id)
        db.session.add(
            FeedbackLink(
                token_hash=token_hash(secrets.token_urlsafe(16)),
                visit_id=visit_id,
                team_id=team_id,
                created_by_id=author,
                created_at=created,
                expires_at=created + timedelta(days=14),
                used_at=created + timedelta(hours=2) if answered else None,
                revoked_at=created + timedelta(minutes=5) if revoked else None,
            )
        )
        db.session.commit()


def test_monthly_response_rate_by_hand_with_k(app, team, monkeypatch):
    monkeypatch.setattr("server.api.feedback.utcnow", lambda: NOW)
    day = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    a, t = team["alice"], team["id"]
    # Alice, December (Amsterdam time):
    add_link(app, t, a, day, answered=True)
    add_link(app, t, a, day, answered=True)
    add_link(app, t, a, day)
    add_link(app, t, a, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), answered=True)  # 1 Dec 00:30 local
    add_link(app, t, a, day, revoked=True)  # replaced: never seen by a resident
    add_link(app, t, a, day, batch=True)  # card still in her bag
    add_link(app, t, a, day, batch=True, answered=True)  # card answered: issued after all
    add_link(app, t, a, datetime(2026, 11, 30, 22, 30, tzinfo=UTC), answered=True)  # 30 Nov local
    # Alice: issued 5 (3 + the early-December one + the answered card), answered 4.
    add_link(app, t, team["bob"], day, answered=True)
    add_link(app, t, team["bob"], day)
    add_link(app, t, team["carol"], day)

    month = team["client"]["alice"].get("/api/v1/feedback").get_json()["response_rate_month"]
    assert month == {"month": "2026-12", "issued": 5, "answered": 4, "rate": 0.8, "team": None}
    # Two colleagues besides Alice issued links; k = 3 needs three.
    add_link(app, t, team["dave"], day, answered=True)
    month = team["client"]["alice"].get("/api/v1/feedback").get_json()["response_rate_month"]
    # Team: 5 + 2 + 1 + 1 = 9 issued, 4 + 1 + 0 + 1 = 6 answered.
    assert month["team"] == {"issued": 9, "answered": 6, "rate": 0.667}
    # Bob's own figure is his alone; his colleagues besides him are Alice, Carol, Dave: k met.
    bob = team["client"]["bob"].get("/api/v1/feedback").get_json()["response_rate_month"]
    assert bob == {
        "month": "2026-12",
        "issued": 2,
        "answered": 1,
        "rate": 0.5,
        "team": {"issued": 9, "answered": 6, "rate": 0.667},
    }
    # A higher k hides the team's rate again.
    with app.app_context():
        db.session.get(Team, t).k_threshold = 4
        db.session.commit()
    assert team["client"]["alice"].get("/api/v1/feedback").get_json()["response_rate_month"]["team"] is None


# --- re-share once ---------------------------------------------------------------------------------


def test_an_unanswered_link_may_be_reshared_once(app, team):
    visit = new_visit(app, team["alice"], team["id"])
    client = team["client"]["alice"]
    body = client.post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()
    first = client.post(f"/api/v1/visits/{visit}/feedback-link/reshare")
    assert first.status_code == 200 and first.get_json()["expires_at"] == body["expires_at"]
    second = client.post(f"/api/v1/visits/{visit}/feedback-link/reshare")
    assert second.status_code == 409 and second.mimetype == "application/problem+json"
    assert "al een keer" in second.get_json()["detail"]
    # The same link still works: nothing new was made, nothing was sent.
    assert app.test_client().get(f"/f/{body['token']}").status_code == 200
    with app.app_context():
        assert len(db.session.scalars(select(FeedbackLink)).all()) == 1


def test_no_reshare_when_answered_expired_or_not_yours(app, team):
    client = team["client"]["alice"]
    answered = new_visit(app, team["alice"], team["id"])
    token = client.post(f"/api/v1/visits/{answered}/feedback-link", json={}).get_json()["token"]
    resident = app.test_client()
    html = resident.get(f"/f/{token}").get_data(as_text=True)
    resident.post(f"/f/{token}", data={"nonce": nonce_of(html), "serieus": "4"})
    assert client.post(f"/api/v1/visits/{answered}/feedback-link/reshare").status_code == 409

    expired = new_visit(app, team["alice"], team["id"])
    client.post(f"/api/v1/visits/{expired}/feedback-link", json={})
    with app.app_context():
        link = db.session.scalar(select(FeedbackLink).where(FeedbackLink.visit_id == expired))
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.post(f"/api/v1/visits/{expired}/feedback-link/reshare").status_code == 409

    never = new_visit(app, team["alice"], team["id"])
    assert client.post(f"/api/v1/visits/{never}/feedback-link/reshare").status_code == 409
    assert team["client"]["bob"].post(f"/api/v1/visits/{never}/feedback-link/reshare").status_code == 404


# --- the digest shows the team's response rate next to the scores -------------------------------


def test_digest_response_rate_by_hand_with_k():
    from datetime import date

    from server.digest.builder import build
    from server.digest.rows import DigestInput, LinkRow

    def links(week, *rows):
        return [LinkRow(medewerker=who, week=week, answered=answered) for who, answered in rows]

    data = DigestInput(
        team_id="t",
        team_name="T",
        iso_week="2026-W47",
        k=3,
        members=frozenset("abcd"),
        week_end=date(2026, 11, 22),
        score_items=["serieus"],
        links=(
            links("2026-W47", ("a", True), ("a", False), ("b", True), ("c", False), ("c", False))
            + links("2026-W46", ("a", True), ("a", True), ("b", False), ("b", True))  # 2 issuers < k
            + links("2026-W45", ("a", True), ("b", True), ("c", True), ("c", False))
        ),
    )
    numbers = build(data)["numbers"]
    # W47: 2 of 5 answered, by 3 medewerkers (= k): shown. W46: only a and b: suppressed.
    rate = numbers["feedback_response_rate"]
    assert rate["value"] == 0.4
    assert [cell.get("value") for cell in rate["trend"]["previous"]] == [None, None, 0.75, None]
    assert build(data)["residents"]["response_rate"]["value"] == 0.4
    # With k = 4 the same week is suppressed.
    assert build(DigestInput(**{**data.__dict__, "k": 4}))["numbers"]["feedback_response_rate"]["suppressed"]


def test_digest_counts_links_issued_in_the_week_and_answers_before_it_was_published(app, team):
    from workers.digest import build_digest

    week_day = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # Wednesday of 2026-W47
    t = team["id"]
    add_link(app, t, team["alice"], week_day, answered=True)
    add_link(app, t, team["bob"], week_day, answered=True)
    add_link(app, t, team["carol"], week_day)
    add_link(app, t, team["carol"], week_day, revoked=True)  # replaced: not issued
    add_link(app, t, team["dave"], week_day, batch=True)  # card never handed out: not issued
    with app.app_context():
        content = build_digest(t, "2026-W47")
    assert content["numbers"]["feedback_response_rate"]["value"] == 0.67
    assert content["residents"]["response_rate"]["value"] == 0.67


def test_a_youth_teams_digest_shows_the_youth_scores(app, team):
    from workers.digest import build_digest

    with app.app_context():
        db.session.get(Team, team["id"]).feedback_variant = "jeugd"
        db.session.commit()
    with app.app_context():
        scores = build_digest(team["id"], "2026-W47")["residents"]["scores"]
    assert scores["jeugd_serieus"]["label"] == "Ik werd serieus genomen (jongeren)"
    assert scores["jeugd_serieus"]["suppressed"] is True  # no answers: nothing made up
    assert "serieus" in scores  # the team's Wmo items stay


def test_digest_mail_carries_the_response_rate(app, team):
    from server.models import Digest
    from workers.digest import build_digest, mail_context

    week_day = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    for who, answered in (("alice", True), ("bob", False), ("carol", False), ("dave", True)):
        add_link(app, team["id"], team[who], week_day, answered=answered)
    with app.app_context():
        build_digest(team["id"], "2026-W47")
        digest = db.session.scalar(select(Digest))
        rows = dict(mail_context(db.session.get(Team, team["id"]), digest)["rows"])
    assert rows["Beantwoorde feedbacklinks"] == "50%"
