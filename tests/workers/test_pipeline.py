"""The event pipeline end to end: a reflection written through the API is processed by a real RQ worker."""

import json
from datetime import UTC, datetime

from redis import Redis

from tests.support.factories import reflection

CANARY = (
    "Bij mw Fatima El Amrani (Kerkstraat 12, 1234 AB Hoofddorp) geweest, tel 06-12345678, "
    "BSN 111222333, mail fatima.elamrani@gmail.amsterdam. De deurwaarder stond op de stoep."
)
CANARY_BITS = ["Fatima", "Amrani", "Kerkstraat", "1234 AB", "06-12345678", "111222333", "gmail.amsterdam"]


def test_shared_reflection_reaches_the_team_deidentified(team_setup, run_jobs, app, redis_url):
    alice = team_setup["client"]["alice"]
    body = reflection(what_happened=CANARY, visibility="team")
    created = alice.post("/api/v1/reflections", json=body).get_json()
    assert created["processed_at"] is None
    # Not processed yet: the team sees nothing at all.
    assert team_setup["client"]["bob"].get("/api/v1/team/reflections").get_json()["total"] == 0

    run_jobs()

    mine = alice.get(f"/api/v1/reflections/{created['id']}").get_json()
    assert mine["processed_at"] is not None
    assert mine["what_happened"] == CANARY  # the author keeps their own words
    assert "geldzorgen-schulden" in {t["id"] for t in mine["themes"]}
    team_view = team_setup["client"]["bob"].get("/api/v1/team/reflections").get_json()
    assert team_view["total"] == 1
    shown = json.dumps(team_view)
    for bit in CANARY_BITS:
        assert bit not in shown, bit
    assert "deurwaarder" in shown
    assert "Alice" not in shown and str(team_setup["alice"]) not in shown
    # Nothing personal ever sits in Redis: jobs carry ids only.
    redis = Redis.from_url(redis_url)
    for key in redis.keys("*"):
        dumped = repr(redis.dump(key))
        for bit in CANARY_BITS:
            assert bit not in dumped


def test_private_reflection_counts_in_aggregates_but_is_never_shown(team_setup, run_jobs, app):
    alice = team_setup["client"]["alice"]
    alice.post("/api/v1/reflections", json=reflection(visibility="private", themes=["geldzorgen-schulden"]))
    run_jobs()
    assert team_setup["client"]["lead"].get("/api/v1/team/reflections").get_json()["total"] == 0
    with app.app_context():
        from server.extensions import db
        from server.models import TeamWeekTheme

        row = db.session.get(TeamWeekTheme, (team_setup["team"], _this_week(), "geldzorgen-schulden"))
        assert row is not None and row.reflections == 1 and row.authors == 1


def _this_week() -> str:
    from zoneinfo import ZoneInfo

    from server.weeks import iso_week_of

    return iso_week_of(datetime.now(UTC), ZoneInfo("Europe/Amsterdam"))


def test_aggregates_are_idempotent_and_follow_deletes(team_setup, run_jobs, app):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    a = alice.post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"])).get_json()
    bob.post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"]))
    run_jobs()
    from workers.aggregates import recompute_team_week

    with app.app_context():
        from server.extensions import db
        from server.models import TeamWeekTheme

        for _ in range(3):
            recompute_team_week(team_setup["team"], datetime.now(UTC))
        row = db.session.get(TeamWeekTheme, (team_setup["team"], _this_week(), "gespreksvoering"))
        assert (row.reflections, row.authors) == (2, 2)
    alice.delete(f"/api/v1/reflections/{a['id']}")
    run_jobs()
    with app.app_context():
        db.session.expire_all()
        row = db.session.get(TeamWeekTheme, (team_setup["team"], _this_week(), "gespreksvoering"))
        assert (row.reflections, row.authors) == (1, 1)
