"""Mijn portfolio: own items only, resident answers only above k, the period and creation time on the PDF."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

# A controlled clock: the data lives in March 2026 and the export is made on 2 April 2026.
MADE_AT = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
MARCH = "from=2026-03-01&to=2026-03-31"


def _at(day: int, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, 11, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("server.api.portfolio.utcnow", lambda: MADE_AT)


def _reflection(author, team, when, what, themes=(), purged=False):
    from server.extensions import db
    from server.models import Reflection, ReflectionTheme

    row = Reflection(
        client_id=uuid.uuid4(),
        author_id=author,
        team_id=team,
        occurred_at=when,
        what_happened=what,
        next_time="Eerst luisteren.",
        learning_zone="learning",
        payload_hash="x",
        raw_purged_at=when + timedelta(days=31) if purged else None,
        themes=[ReflectionTheme(theme_id=t, source="author") for t in themes],
    )
    db.session.add(row)
    db.session.flush()
    return row.id


def _feedback(medewerker, team, when, scores, comment=""):
    from server.extensions import db
    from server.models import FeedbackLink, InwonerFeedback, Visit

    visit = Visit(
        client_id=uuid.uuid4(),
        author_id=medewerker,
        team_id=team,
        occurred_at=when,
        kind="huisbezoek",
        payload_hash="x",
    )
    db.session.add(visit)
    db.session.flush()
    link = FeedbackLink(
        token_hash=uuid.uuid4().hex,
        visit_id=visit.id,
        team_id=team,
        created_by_id=medewerker,
        expires_at=when + timedelta(days=14),
    )
    db.session.add(link)
    db.session.flush()
    db.session.add(
        InwonerFeedback(
            link_id=link.id,
            team_id=team,
            visit_id=visit.id,
            medewerker_id=medewerker,
            submitted_at=when,
            scores=scores,
            comment=comment,
        )
    )


def _seed(app, s) -> dict:
    """Alice's March, Bob's March, and some of Alice's life outside March."""
    from server.extensions import db
    from server.models import (
        IntervisieCase,
        IntervisieParticipant,
        IntervisieSession,
        LearningQuestion,
        ThemeOfTheMonth,
    )

    team, alice, bob = s["team"], s["alice"], s["bob"]
    with app.app_context():
        ids = {
            "raw": _reflection(
                alice, team, _at(3), "ALICE-EIGEN-WOORDEN over de huurachterstand.", ["geldzorgen-schulden"]
            ),
            "purged": _reflection(alice, team, _at(5), "ALICE-ZONDER-NAMEN bij [naam 1].", purged=True),
            "unmarked": _reflection(alice, team, _at(7), "ALICE-NIET-GEKOZEN"),
            "february": _reflection(alice, team, _at(20, 2), "ALICE-FEBRUARI"),
            "bob": _reflection(bob, team, _at(4), "BOB-GEHEIM over zijn bezoek."),
        }
        db.session.add_all(
            [
                LearningQuestion(
                    author_id=alice,
                    team_id=team,
                    text="ALICE-VRAAG: hoe begin ik over schulden?",
                    status="closed",
                    learned="Eerst vragen wat al geprobeerd is.",
                    created_at=_at(2),
                    closed_at=_at(25),
                ),
                LearningQuestion(author_id=bob, team_id=team, text="BOB-VRAAG", created_at=_at(2)),
            ]
        )
        case = IntervisieCase(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team,
            author_id=alice,
            source="reflection",
            text="Casus",
            themes=[],
            status="used",
        )
        other_case = IntervisieCase(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team,
            author_id=bob,
            source="reflection",
            text="Casus van Bob",
            themes=[],
            status="used",
        )
        db.session.add_all([case, other_case])
        db.session.flush()
        mine = IntervisieSession(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team,
            case_id=case.id,
            facilitator_id=bob,
            method="actieleren",
            theme_id="geldzorgen-schulden",
            held_on=date(2026, 3, 12),
            status="closed",
            insight="BOB-NOTITIE",
        )
        without_me = IntervisieSession(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team,
            case_id=other_case.id,
            facilitator_id=bob,
            method="moreel_beraad",
            held_on=date(2026, 3, 19),
        )
        db.session.add_all([mine, without_me])
        db.session.flush()
        db.session.add_all(
            [
                IntervisieParticipant(session_id=mine.id, user_id=alice),
                IntervisieParticipant(session_id=mine.id, user_id=bob),
                IntervisieParticipant(session_id=without_me.id, user_id=bob),
            ]
        )
        month = ThemeOfTheMonth(
            team_id=team, month="2026-03", theme_id="geldzorgen-schulden", casusoverleg_on=date(2026, 3, 20)
        )
        db.session.add(month)
        # Two answers in March (below k = 3); three in May, one of them without the second item.
        _feedback(alice, team, _at(9), {"serieus": 5, "samen_oplossingen": 4}, "INWONER-COMMENTAAR")
        _feedback(alice, team, _at(10), {"serieus": 2, "samen_oplossingen": 3})
        _feedback(bob, team, _at(11), {"serieus": 1, "samen_oplossingen": 1})
        _feedback(bob, team, _at(12), {"serieus": 1, "samen_oplossingen": 1})
        _feedback(bob, team, _at(13), {"serieus": 1, "samen_oplossingen": 1})
        _feedback(alice, team, _at(4, 5), {"serieus": 4, "samen_oplossingen": 4})
        _feedback(alice, team, _at(5, 5), {"serieus": 5, "samen_oplossingen": 2})
        _feedback(alice, team, _at(6, 5), {"serieus": 3})
        db.session.commit()
        ids["month"] = month.id
    return ids


def test_portfolio_holds_own_items_only_and_suppresses_small_counts(app, team_setup, clock):
    ids = _seed(app, team_setup)
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    for key in ("raw", "purged", "february"):
        assert alice.put(f"/api/v1/me/portfolio/reflections/{ids[key]}").status_code == 200
    assert alice.put(f"/api/v1/me/portfolio/reflections/{ids['raw']}").status_code == 200  # idempotent
    assert bob.put(f"/api/v1/me/portfolio/reflections/{ids['bob']}").status_code == 200
    # Nobody marks someone else's reflection.
    assert alice.put(f"/api/v1/me/portfolio/reflections/{ids['bob']}").status_code == 404
    assert alice.put(f"/api/v1/me/casusoverleg/{ids['month']}").status_code == 200
    assert team_setup["client"]["stranger"].put(f"/api/v1/me/casusoverleg/{ids['month']}").status_code == 404

    body = alice.get(f"/api/v1/me/portfolio?{MARCH}").get_json()
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert body["created_at"].startswith("2026-04-02T10:00")
    texts = [r["text"] for r in body["reflections"]]
    assert (
        len(texts) == 2 and texts[0].startswith("ALICE-EIGEN-WOORDEN") and texts[1].startswith("ALICE-ZONDER")
    )
    assert [r["text_state"] for r in body["reflections"]] == ["eigen woorden", "zonder namen"]
    assert body["totals"] == {
        "reflections": 3,
        "portfolio_reflections": 2,
        "learning_questions_closed": 1,
        "intervisie_attended": 1,
        "intervisie_brought_in": 1,
        "intervisie_hours": 0.92,
        "casusoverleg_attended": 1,
    }
    assert [q["learned"] for q in body["learning_questions"]] == ["Eerst vragen wat al geprobeerd is."]
    assert body["intervisie"][0]["roles"] == ["brought_in", "participant"]
    assert body["themes_of_the_month"][0]["my_contributions"] == 1
    # Two answers in March: below k, so no count and no average at all.
    assert body["resident_feedback"] == {
        "responses": None,
        "suppressed": True,
        "k": 3,
        "average": None,
        "items": {},
    }

    may = alice.get("/api/v1/me/portfolio?from=2026-05-01&to=2026-05-31").get_json()["resident_feedback"]
    assert may["responses"] == 3 and may["items"] == {"serieus": 4.0}  # the second item has only 2 scores
    assert may["average"] == 4.0

    pdf = alice.get(f"/api/v1/me/portfolio.pdf?{MARCH}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "2026-03-01-2026-03-31.pdf" in pdf.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf.data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "2026-03-01" in text and "2026-03-31" in text and "2026-04-02 10:00" in text
    for own in ("ALICE-EIGEN-WOORDEN", "ALICE-ZONDER-NAMEN", "ALICE-VRAAG", "Actieleren"):
        assert own in text, own
    for foreign in (
        "BOB-GEHEIM",
        "BOB-VRAAG",
        "BOB-NOTITIE",
        "Casus van Bob",
        "Moreel beraad",
        "INWONER",
        "ALICE-NIET-GEKOZEN",
        "ALICE-FEBRUARI",
        "Bob",
    ):
        assert foreign not in text, foreign

    exported = alice.get(f"/api/v1/me/portfolio.csv?{MARCH}")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True)), delimiter=";"))
    assert rows[0] == ["soort", "datum", "uren", "thema", "omschrijving", "toelichting"]
    kinds = [row[0] for row in rows[1:]]
    assert kinds.count("reflectie") == 2 and kinds.count("intervisie") == 1 and kinds.count("leervraag") == 1
    flat = exported.get_data(as_text=True)
    assert "BOB" not in flat and "INWONER" not in flat and "te weinig antwoorden" in flat


def test_bob_sees_only_his_own_portfolio(app, team_setup, clock):
    ids = _seed(app, team_setup)
    bob = team_setup["client"]["bob"]
    bob.put(f"/api/v1/me/portfolio/reflections/{ids['bob']}")
    body = bob.get(f"/api/v1/me/portfolio?{MARCH}").get_json()
    assert [r["text"][:9] for r in body["reflections"]] == ["BOB-GEHEI"]
    # Bob led Alice's session and sat in another: facilitator, not the one who brought Alice's case in.
    assert [s["roles"] for s in body["intervisie"]] == [
        ["facilitator", "participant"],
        ["facilitator", "brought_in", "participant"],
    ]
    assert body["resident_feedback"]["responses"] == 3  # his own three answers, not Alice's two
    assert "ALICE" not in str(body)


def test_unmarking_and_bad_periods(team_setup, app, clock):
    ids = _seed(app, team_setup)
    alice = team_setup["client"]["alice"]
    alice.put(f"/api/v1/me/portfolio/reflections/{ids['raw']}")
    assert alice.delete(f"/api/v1/me/portfolio/reflections/{ids['raw']}").get_json()["in_portfolio"] is False
    assert alice.get(f"/api/v1/me/portfolio?{MARCH}").get_json()["reflections"] == []
    for query, field in (
        ("from=2026-03-31&to=2026-03-01", "to"),
        ("from=gisteren&to=2026-03-01", "from"),
        ("to=2026-03-01", "from"),
        ("from=2001-01-01&to=2026-03-01", "to"),
        ("from=0001-01-01&to=0001-01-02", "from"),
        ("from=2026-01-01&to=9999-12-31", "to"),
    ):
        for suffix in ("", ".pdf", ".csv"):
            response = alice.get(f"/api/v1/me/portfolio{suffix}?{query}")
            assert response.status_code == 422 and field in response.get_json()["errors"], (query, suffix)
    assert team_setup["client"]["lead"].get(f"/api/v1/me/portfolio?{MARCH}").get_json()["reflections"] == []
