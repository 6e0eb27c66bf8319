"""The demo team: idempotent seeding, top-up on a later date, enough data per week, demo logins."""

import os
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from server.demo import PASSWORD, seed_demo
from server.extensions import db
from server.models import InwonerFeedback, OutboxEvent, Reflection, Visit
from server.weeks import iso_week_of, shift_week

# A Wednesday: the current ISO week already has a few days in it.
TODAY = date(2026, 3, 11)
ZONE = ZoneInfo("Europe/Amsterdam")
THIS_WEEK = "2026-W11"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _authors_per_week() -> dict[str, set]:
    authors = defaultdict(set)
    for author_id, occurred_at in db.session.execute(select(Reflection.author_id, Reflection.occurred_at)):
        authors[iso_week_of(occurred_at, ZONE)].add(author_id)
    return authors


def test_seeding_twice_creates_nothing_new_and_fills_every_week(ctx):
    first = seed_demo(today=TODAY)
    assert first["created"]["reflections"] > 300
    assert first["created"]["feedback"] > 0
    counts = {model: _count(model) for model in (Visit, Reflection, InwonerFeedback, OutboxEvent)}

    again = seed_demo(today=TODAY)

    assert again["team_id"] == first["team_id"]
    assert set(again["created"].values()) == {0}
    assert {model: _count(model) for model in counts} == counts
    authors = _authors_per_week()
    for back in range(8):
        week = shift_week(THIS_WEEK, -back)
        assert len(authors[week]) >= 3, week
    assert not [
        r for r in db.session.scalars(select(Reflection.occurred_at)) if r.astimezone(ZONE).date() > TODAY
    ]


def test_every_new_reflection_and_answer_gets_its_event(ctx):
    seed_demo(today=TODAY)
    announced = defaultdict(set)
    for event in db.session.scalars(select(OutboxEvent)):
        announced[event.kind].update(event.payload.values())
    assert announced["reflection.submitted"] == {str(i) for i in db.session.scalars(select(Reflection.id))}
    assert announced["feedback.submitted"] == {str(i) for i in db.session.scalars(select(InwonerFeedback.id))}


def test_a_later_date_tops_up_only_the_newest_weeks(ctx):
    seed_demo(today=TODAY)
    before = set(db.session.scalars(select(Reflection.client_id)))

    later = seed_demo(today=TODAY + timedelta(days=10))

    added = db.session.scalars(select(Reflection).where(Reflection.client_id.not_in(before))).all()
    assert later["created"]["reflections"] == len(added) > 0
    assert {iso_week_of(r.occurred_at, ZONE) for r in added} == {THIS_WEEK, shift_week(THIS_WEEK, 1)}
    assert seed_demo(today=TODAY + timedelta(days=10))["created"]["reflections"] == 0


def test_demo_accounts_log_in_in_development_but_not_in_production(ctx, anonymous, tmp_path):
    from server import create_app

    summary = seed_demo(today=TODAY)
    assert "medewerker6@demo.leerlus.nl" in summary["logins"]
    for email in ("teamleider@demo.leerlus.nl", "medewerker4@demo.leerlus.nl"):
        response = anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["teams"][0]["name"] == "Wijkteam De Horst"

    db.session.remove()
    os.environ.setdefault("LEERLUS_INSTANCE_PATH", str(tmp_path))
    production = create_app(
        {
            "TESTING": True,
            "LEERLUS_ENV": "production",
            "SECRET_KEY": "test-secret",
            "PUBLIC_BASE_URL": "https://leerlus.test",
        }
    )
    response = production.test_client().post(
        "/api/v1/auth/login",
        json={"email": "medewerker1@demo.leerlus.nl", "password": PASSWORD},
        base_url="https://leerlus.test",
    )
    assert response.status_code == 403
    assert response.content_type.startswith("application/problem+json")


# The demo and the digest on the calendar's edges: the same data and the same weeks on any day.
EDGES = {
    "week-53-thursday": (datetime(2026, 12, 31, 10, 0, tzinfo=ZONE), "2026-W52"),
    "new-years-day": (datetime(2027, 1, 1, 9, 0, tzinfo=ZONE), "2026-W52"),
    "monday-after-week-53": (datetime(2027, 1, 4, 8, 0, tzinfo=ZONE), "2026-W53"),
    "dst-starts-sunday": (datetime(2027, 3, 28, 12, 0, tzinfo=ZONE), "2027-W11"),
    "monday-after-dst-starts": (datetime(2027, 3, 29, 7, 30, tzinfo=ZONE), "2027-W12"),
    "dst-ends-sunday": (datetime(2026, 10, 25, 12, 0, tzinfo=ZONE), "2026-W42"),
    "sunday-late-in-2020-w53": (datetime(2021, 1, 3, 23, 30, tzinfo=ZONE), "2020-W52"),
}


@pytest.mark.parametrize("moment, last_week", EDGES.values(), ids=EDGES.keys())
def test_demo_and_digest_hold_on_the_calendars_edges(ctx, clock, moment, last_week):
    from workers.digest import build_digest

    clock(moment)
    summary = seed_demo()
    assert seed_demo()["created"]["reflections"] == 0  # the same day plans the same data

    this_week = iso_week_of(moment, ZONE)
    assert shift_week(this_week, -1) == last_week
    authors = _authors_per_week()
    for back in range(1, 8):
        assert len(authors[shift_week(this_week, -back)]) >= 3, shift_week(this_week, -back)
    assert max(db.session.scalars(select(Reflection.occurred_at))) <= moment

    content = build_digest(summary["team_id"], last_week)
    assert content["iso_week"] == last_week
    reflections = content["numbers"]["reflections"]
    assert reflections["value"] > 0
    # The four weeks before exist in the data, across a year's end or a clock change alike.
    assert [week["value"] > 0 for week in reflections["trend"]["previous"]] == [True] * 4
    assert content["themes"]["items"]
    assert content["suggestion"]
