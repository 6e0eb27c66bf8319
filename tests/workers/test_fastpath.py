"""The worker's fast path in round trips (issue #24, items 21-22): a reflection's job is one transaction
for its themes and its team week's recount mark plus the event's mark, and reads no row twice."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from server.events import Event
from server.extensions import db
from server.models import OutboxEvent, TeamWeekRecount, TeamWeekTheme
from server.weeks import iso_week_of
from tests.support.factories import reflection
from tests.support.sql import recorded_statements
from workers.events import handle_event


def _submitted_event(app, reflection_id: str) -> int:
    with app.app_context():
        events = db.session.execute(
            select(OutboxEvent.id, OutboxEvent.payload).where(OutboxEvent.kind == Event.REFLECTION_SUBMITTED)
        ).all()
        return next(event_id for event_id, payload in events if payload["reflection_id"] == reflection_id)


def test_a_reflection_job_commits_twice_and_marks_its_team_week(team_setup, app):
    alice = team_setup["client"]["alice"]
    body = reflection(what_happened="Huisbezoek over de schulden en de post die zich opstapelt.")
    created = alice.post("/api/v1/reflections", json=body).get_json()["id"]
    event_id = _submitted_event(app, created)

    with app.app_context():
        engine = db.engine
    commits: list[int] = []

    def count(conn) -> None:
        commits.append(1)

    event.listen(engine, "commit", count)
    try:
        with recorded_statements(app) as statements, app.app_context():
            assert handle_event(event_id) == "processed"
    finally:
        event.remove(engine, "commit", count)

    # The reflection with its team week's mark, then the event's mark (the path before item 21
    # committed three times: the themes, the recount, the mark).
    assert len(commits) == 2, statements
    # Each row read once: the old path reloaded the expired reflection and event after a commit.
    outbox_reads = [s for s in statements if s.startswith("select") and "from outbox_events" in s]
    reflection_reads = [s for s in statements if s.startswith("select") and "from reflections" in s]
    assert len(outbox_reads) == 1, outbox_reads
    assert len(reflection_reads) == 1, reflection_reads
    # The job does not count (item 22): it marks the week, and the mark's event has it counted.
    assert not [s for s in statements if "team_week_themes" in s], statements
    week = iso_week_of(datetime.now(UTC), ZoneInfo("Europe/Amsterdam"))
    with app.app_context():
        mark = db.session.get(TeamWeekRecount, (team_setup["team"], week))
        assert mark is not None and mark.requests == 1
        recount = db.session.scalar(select(OutboxEvent.id).where(OutboxEvent.kind == Event.TEAM_WEEK_RECOUNT))
        assert db.session.get(OutboxEvent, event_id).processed_at is not None
        db.session.remove()
    with app.app_context():
        assert handle_event(recount) == "processed"
    with app.app_context():
        counted = db.session.scalar(
            select(TeamWeekTheme.reflections).where(
                TeamWeekTheme.team_id == team_setup["team"],
                TeamWeekTheme.iso_week == week,
                TeamWeekTheme.theme_id == "geldzorgen-schulden",
            )
        )
        assert db.session.get(TeamWeekRecount, (team_setup["team"], week)) is None
    assert counted == 1


def test_a_reflection_detects_its_language_once(team_setup, app, monkeypatch):
    """Once for the reflection, not once per field in the de-identifier and again in the classifier
    (the old path: five times for four texts); the result is the same de-identified text."""
    from server.privacy import deidentify
    from server.services import reflections
    from server.themes import classifier, language

    alice = team_setup["client"]["alice"]
    body = reflection(
        what_happened="Bij mevrouw Jansen geweest over de schulden; haar dochter Fatima belde mee."
    )
    created = alice.post("/api/v1/reflections", json=body).get_json()["id"]
    real = language.detect_language
    calls: list[str] = []

    def counted(text, hint=None):
        calls.append(text)
        return real(text, hint)

    # Every name the callers reach it by: the de-identifier imports it from the module when it runs.
    for module in (language, classifier, reflections):
        monkeypatch.setattr(module, "detect_language", counted, raising=False)
    with app.app_context():
        processed = reflections.process(uuid.UUID(created))
        shared = dict(processed.deidentified)
        db.session.remove()
    assert len(calls) == 1, calls
    monkeypatch.setattr(language, "detect_language", real)
    assert shared["what_happened"] == deidentify(body["what_happened"])
    assert "Jansen" not in shared["what_happened"] and "Fatima" not in shared["what_happened"]
