"""The demo team: idempotent seeding, top-up on a later date, enough data per week, demo logins."""

import os
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from server.demo import PASSWORD, seed_demo
from server.extensions import db
from server.models import InwonerFeedback, OutboxEvent, Reflection, Visit
from server.weeks import iso_week_of, shift_week

# A Wednesday: the current ISO week already has a few days in it.
TODAY = date(2026, 3, 11)
ZONE = ZoneInfo("Europe/Amsterdam")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seeding_twice_creates_nothing_new(ctx):
    first = seed_demo(today=TODAY)
    assert first["created"]["reflections"] > 300
    assert first["created"]["feedback"] > 0
    counts = {model: _count(model) for model in (Visit, Reflection, InwonerFeedback, OutboxEvent)}

    again = seed_demo(today=TODAY)

    assert again["team_id"] == first["team_id"]
    assert set(again["created"].values()) == {0}
    assert {model: _count(model) for model in counts} == counts


def test_every_new_reflection_and_answer_has_its_event(ctx):
    summary = seed_demo(today=TODAY)
    kinds = defaultdict(set)
    for event in db.session.scalars(select(OutboxEvent)):
        kinds[event.kind].add(next(iter(event.payload.values())))
    reflections = {str(r) for r in db.session.scalars(select(Reflection.id))}
    answers = {str(f) for f in db.session.scalars(select(InwonerFeedback.id))}
    assert kinds["reflection.submitted"] == reflections
    assert kinds["feedback.submitted"] == answers
    assert len(reflections) == summary["created"]["reflections"]


def test_a_later_date_tops_up_only_the_newest_weeks(ctx):
    seed_demo(today=TODAY)
    before = set(db.session.scalars(select(Reflection.client_id)))
    cutoff = max(db.session.scalars(select(Reflection.occurred_at)))

    later = seed_demo(today=TODAY + timedelta(days=10))

    added = db.session.scalars(select(Reflection).where(Reflection.client_id.not_in(before))).all()
    assert later["created"]["reflections"] == len(added) > 0
    assert all(reflection.occurred_at > cutoff - timedelta(hours=4) for reflection in added)
    assert seed_demo(today=TODAY + timedelta(days=10))["created"]["reflections"] == 0


def test_every_recent_week_has_reflections_from_at_least_three_medewerkers(ctx):
    seed_demo(today=TODAY)
    authors = defaultdict(set)
    for author_id, occurred_at in db.session.execute(select(Reflection.author_id, Reflection.occurred_at)):
        authors[iso_week_of(occurred_at, ZONE)].add(author_id)
    year, week_number, _ = TODAY.isocalendar()
    this_week = f"{year}-W{week_number:02d}"
    for back in range(8):
        week = shift_week(this_week, -back)
        assert len(authors[week]) >= 3, week


def test_demo_users_log_in_in_development(ctx, anonymous):
    summary = seed_demo(today=TODAY)
    assert "medewerker1@demo.leerlus.nl" in summary["logins"]
    for email in ("teamleider@demo.leerlus.nl", "medewerker4@demo.leerlus.nl"):
        response = anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["teams"][0]["name"] == "Wijkteam De Horst"


def test_demo_login_is_refused_in_production(ctx, tmp_path):
    from server import create_app

    seed_demo(today=TODAY)
    db.session.remove()
    os.environ.setdefault("LEERLUS_INSTANCE_PATH", str(tmp_path))
    production = create_app({"TESTING": True, "LEERLUS_ENV": "production", "SECRET_KEY": "test-secret",
                             "PUBLIC_BASE_URL": "https://leerlus.test"})
    with production.app_context():
        response = production.test_client().post(
            "/api/v1/auth/login", json={"email": "medewerker1@demo.leerlus.nl", "password": PASSWORD},
            base_url="https://leerlus.test")
    assert response.status_code == 403
    assert response.content_type.startswith("application/problem+json")
