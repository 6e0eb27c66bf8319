"""The one clock: tests, demos and the PWA read the same "now"; LEERLUS_TODAY only outside production."""

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server import clock as server_clock
from server.clock import parse_today, shift_to_day, utcnow

AMS = ZoneInfo("Europe/Amsterdam")


def test_travel_to_fixes_the_moment_and_time_runs_on(clock):
    moment = datetime(2027, 1, 4, 8, 0, tzinfo=AMS)
    clock(moment)
    first = utcnow()
    assert timedelta(0) <= first - moment < timedelta(seconds=5)
    assert utcnow() >= first


def test_shifting_by_whole_days_keeps_the_time_of_day():
    try:
        real = datetime.now(UTC)
        shift_to_day(date(2026, 2, 28))
        shifted = utcnow()
        assert shifted.date() in (date(2026, 2, 28), date(2026, 3, 1))  # a run across midnight
        assert abs((shifted - real) - (shifted.date() - real.date())) < timedelta(seconds=5)
    finally:
        server_clock.reset()
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=1)


def test_the_setting_is_a_date_or_a_clear_error():
    assert parse_today(None) is None and parse_today("") is None
    assert parse_today("2026-11-25") == date(2026, 11, 25)
    with pytest.raises(RuntimeError, match="LEERLUS_TODAY"):
        parse_today("25-11-2026")


def test_leerlus_today_moves_the_clock_in_development_only(monkeypatch, tmp_path):
    from server import create_app

    monkeypatch.setenv("LEERLUS_TODAY", "2026-11-25")
    monkeypatch.setenv("LEERLUS_INSTANCE_PATH", os.environ.get("LEERLUS_INSTANCE_PATH", str(tmp_path)))
    try:
        create_app({"TESTING": True, "SECRET_KEY": "x"})
        assert utcnow().date() in (date(2026, 11, 25), date(2026, 11, 26))
        server_clock.reset()
        production = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "LEERLUS_ENV": "production",
                "PUBLIC_BASE_URL": "https://leerlus.test",
            }
        )
        assert production.config["LEERLUS_TODAY"] is None
        assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=1)
    finally:
        server_clock.reset()


def test_the_app_learns_the_servers_time_from_get_me(team_setup, clock):
    moment = datetime(2026, 11, 28, 10, 0, tzinfo=AMS)
    clock(moment)
    body = team_setup["client"]["alice"].get("/api/v1/me").get_json()
    served = datetime.fromisoformat(body["server_time"])
    assert timedelta(0) <= served - moment < timedelta(seconds=5)
