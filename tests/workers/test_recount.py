"""One team-week recount per backlog (issue #24, docs/performance.md item 22): a reflection's job marks
its team week in its own transaction (`team_week_recounts`), and the mark's TEAM_WEEK_RECOUNT job
deletes the mark and commits before it counts. The counts end right however the jobs interleave or fail."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from server.events import Event
from server.extensions import db
from server.models import OutboxEvent, TeamWeekTheme
from server.weeks import iso_week_of
from tests.support.factories import reflection
from tests.support.sql import recorded_statements

# A Wednesday morning: the week is the same in UTC and in Amsterdam.
START = datetime(2026, 12, 9, 9, 30, tzinfo=UTC)
WEEK = iso_week_of(START, ZoneInfo("Europe/Amsterdam"))
DEBTS = "geldzorgen-schulden"  # what the classifier finds in the factory's text


def _post(client, themes=("gespreksvoering",)) -> str:
    body = reflection(occurred_at=START.isoformat(), themes=list(themes))
    response = client.post("/api/v1/reflections", json=body)
    assert response.status_code == 201
    return response.get_json()["id"]


def _counts(app, team_id, theme: str = "gespreksvoering") -> tuple[int, int] | None:
    with app.app_context():
        row = db.session.get(TeamWeekTheme, (team_id, WEEK, theme))
        counts = (row.reflections, row.authors) if row else None
        db.session.remove()
        return counts


def _pending(app, kind: Event) -> list[int]:
    with app.app_context():
        ids = db.session.scalars(
            select(OutboxEvent.id).where(OutboxEvent.kind == kind, OutboxEvent.processed_at.is_(None))
        ).all()
        db.session.remove()
        return list(ids)


def _marks(app) -> list[tuple[uuid.UUID, str, int]]:
    from server.models import TeamWeekRecount

    with app.app_context():
        rows = db.session.execute(
            select(TeamWeekRecount.team_id, TeamWeekRecount.iso_week, TeamWeekRecount.requests)
        ).all()
        db.session.remove()
        return [tuple(row) for row in rows]


def test_a_backlog_of_one_team_week_is_recounted_once_with_the_right_numbers(
    team_setup, run_jobs, app, clock
):
    """Fails on the old code: there every reflection's job recounted its week (six recounts)."""
    clock(START)
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    for client in (alice, alice, alice, alice, bob, bob):
        _post(client)

    with recorded_statements(app) as statements:
        run_jobs()

    recounts = [s for s in statements if s.startswith("delete from team_week_themes")]
    assert len(recounts) == 1, len(recounts)
    assert _counts(app, team_setup["team"]) == (6, 2)
    assert _marks(app) == []
    assert _pending(app, Event.TEAM_WEEK_RECOUNT) == []


def test_a_reflection_committed_while_a_recount_counts_is_counted_by_a_later_recount(
    team_setup, run_jobs, app, clock, monkeypatch
):
    import workers.aggregates as aggregates
    from workers.events import handle_event
    from workers.reflections import process_reflection

    clock(START)
    # No chips: the theme (debts, from the text) comes only with processing, as the classifier's.
    _post(team_setup["client"]["alice"], themes=())
    run_jobs(once=True)  # alice's fast path: her week is marked, its recount event not yet relayed
    assert _marks(app) == [(team_setup["team"], WEEK, 1)]
    [recount] = _pending(app, Event.TEAM_WEEK_RECOUNT)
    late = _post(team_setup["client"]["bob"], themes=())

    real_counted = aggregates._counted

    def bob_commits_during_the_count(team, week):
        rows = real_counted(team, week)
        # After the recount read its numbers and before it writes them: bob's reflection is processed
        # and committed by another worker (its own app context: its own session and connection).
        with app.app_context():
            process_reflection(late)
            db.session.remove()
        return rows

    monkeypatch.setattr(aggregates, "_counted", bob_commits_during_the_count)
    with app.app_context():
        assert handle_event(recount) == "processed"
    monkeypatch.setattr(aggregates, "_counted", real_counted)

    # That count could not see bob; his commit came after the recount had taken the mark, so it wrote
    # a new mark and a new recount event instead of joining the running count.
    assert _counts(app, team_setup["team"], DEBTS) == (1, 1)
    assert _marks(app) == [(team_setup["team"], WEEK, 1)]
    assert len(_pending(app, Event.TEAM_WEEK_RECOUNT)) == 1

    run_jobs()  # bob's own submitted event (processed again: idempotent) and the new recount
    assert _counts(app, team_setup["team"], DEBTS) == (2, 2)
    assert _marks(app) == []
    assert _pending(app, Event.TEAM_WEEK_RECOUNT) == []


def test_a_recount_that_fails_after_taking_its_mark_is_retried_and_ends_right(
    team_setup, run_jobs, app, clock, monkeypatch
):
    """A worker that dies between deleting the mark and writing the counts (killed, or the database
    gone): the mark is gone, but the event stays unprocessed, and its next delivery (RQ's retry, or the
    relay once it is stale) counts the week without a mark."""
    import workers.aggregates as aggregates
    from workers.events import handle_event

    clock(START)
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    _post(alice)
    _post(alice)
    run_jobs(once=True)
    [recount] = _pending(app, Event.TEAM_WEEK_RECOUNT)
    assert _marks(app) == [(team_setup["team"], WEEK, 2)]

    def dies(team, week):
        raise RuntimeError("worker lost mid-count")

    monkeypatch.setattr(aggregates, "_counted", dies)
    with app.app_context(), pytest.raises(RuntimeError):
        handle_event(recount)
    monkeypatch.undo()

    assert _marks(app) == []  # taken and committed before the count
    assert _pending(app, Event.TEAM_WEEK_RECOUNT) == [recount]  # still to be done
    assert _counts(app, team_setup["team"]) is None
    # Meanwhile bob's reflection: the mark is gone, so it writes a new one with an event of its own.
    _post(bob)

    run_jobs()
    assert _counts(app, team_setup["team"]) == (3, 2)
    assert _marks(app) == []
    assert _pending(app, Event.TEAM_WEEK_RECOUNT) == []


def test_an_edit_marks_its_week_too(team_setup, run_jobs, app, clock):
    """Every change of a reflection's themes reaches the counts through a mark: a chip the author adds
    by an edit is counted after the edit's job and the recount it marked."""
    clock(START)
    alice = team_setup["client"]["alice"]
    created = _post(alice)
    run_jobs()
    edit = {"themes": ["gespreksvoering", "verslaving"]}
    assert alice.patch(f"/api/v1/reflections/{created}", json=edit).status_code == 200
    run_jobs()
    with app.app_context():
        row = db.session.get(TeamWeekTheme, (team_setup["team"], WEEK, "verslaving"))
        assert row is not None and (row.reflections, row.authors) == (1, 1)
        db.session.remove()
    assert _marks(app) == []
