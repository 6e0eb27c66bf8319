"""Emerging signals are computed from shared, de-identified text when the digest is built."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.support.factories import reflection


def _last_week() -> tuple[str, str]:
    from server.weeks import iso_week_of

    moment = datetime.now(UTC) - timedelta(days=7)
    return iso_week_of(moment, ZoneInfo("Europe/Amsterdam")), moment.isoformat()


def test_a_new_term_shared_by_k_colleagues_becomes_a_signal(team_setup, make_user, login, run_jobs, app):
    week, moment = _last_week()
    carol = login(make_user(team_setup["team"], "medewerker"))
    writers = [team_setup["client"]["alice"], team_setup["client"]["bob"], carol]
    for client in writers:
        client.post(
            "/api/v1/reflections",
            json=reflection(
                occurred_at=moment,
                visibility="team",
                what_happened="Mw vroeg naar de isolatiepremie van de gemeente, ik wist niet hoe die werkt.",
            ),
        )
    run_jobs()
    from workers.digest import build_digest

    with app.app_context():
        content = build_digest(team_setup["team"], week)
        from server.extensions import db
        from server.models import TeamWeekSignal

        terms = [row.term for row in db.session.query(TeamWeekSignal).filter_by(team_id=team_setup["team"])]
    assert "isolatiepremie" in terms
    assert "isolatiepremie" in str(content)


def test_private_text_never_becomes_a_signal(team_setup, make_user, login, run_jobs, app):
    week, moment = _last_week()
    carol = login(make_user(team_setup["team"], "medewerker"))
    for client in (team_setup["client"]["alice"], team_setup["client"]["bob"], carol):
        client.post(
            "/api/v1/reflections",
            json=reflection(
                occurred_at=moment,
                visibility="private",
                what_happened="Mw vroeg naar de isolatiepremie van de gemeente, ik wist niet hoe die werkt.",
            ),
        )
    run_jobs()
    from workers.digest import build_digest

    with app.app_context():
        build_digest(team_setup["team"], week)
        from server.extensions import db
        from server.models import TeamWeekSignal

        assert db.session.query(TeamWeekSignal).count() == 0
