"""Team-week theme aggregates, recomputed from source rows (never incremented in place)."""

import uuid
import zoneinfo
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.events import Event, emit
from server.extensions import db
from server.models import (
    FeedbackTheme,
    InwonerFeedback,
    Reflection,
    ReflectionTheme,
    Team,
    TeamWeekRecount,
    TeamWeekTheme,
    utcnow,
)
from server.weeks import iso_week_of, week_bounds
from workers.registry import handles


def recompute_team_week(team_id, when: datetime) -> None:
    """Rebuild every TeamWeekTheme row of the team's ISO week that contains `when`, and commit."""
    # Locking the team row serialises concurrent recounts on PostgreSQL (SQLite locks the file).
    # FOR NO KEY UPDATE: it does not block the KEY SHARE lock that inserting a team's reflection or
    # mark takes on the team row (the foreign key), as FOR UPDATE did.
    team = db.session.get(Team, team_id, with_for_update={"key_share": True})
    if team is None:
        return
    _recount(team, iso_week_of(when, zoneinfo.ZoneInfo(team.timezone)))


def _recount(team: Team, week: str) -> None:
    """Delete-and-insert inside one transaction: running it twice, or concurrently, converges on the
    same numbers because they are counted from the source rows each time."""
    rows = _counted(team, week)
    db.session.execute(
        delete(TeamWeekTheme).where(TeamWeekTheme.team_id == team.id, TeamWeekTheme.iso_week == week)
    )
    now = utcnow()
    if rows:
        # One Core INSERT of all rows: the ORM unit of work per row cost more than the statement.
        db.session.execute(
            insert(TeamWeekTheme),
            [
                {"team_id": team.id, "iso_week": week, "theme_id": theme_id, "updated_at": now, **numbers}
                for theme_id, numbers in rows.items()
            ],
        )
    db.session.commit()


def _counted(team: Team, week: str) -> dict[str, dict]:
    """The week's numbers per theme, counted from the reflections and resident answers."""
    start, end = week_bounds(week, zoneinfo.ZoneInfo(team.timezone))
    counted = (
        select(
            ReflectionTheme.theme_id,
            func.count(func.distinct(Reflection.id)),
            func.count(func.distinct(Reflection.author_id)),
        )
        .join(Reflection, Reflection.id == ReflectionTheme.reflection_id)
        .where(Reflection.team_id == team.id, Reflection.occurred_at >= start, Reflection.occurred_at < end)
        .group_by(ReflectionTheme.theme_id)
    )
    mentions = (
        select(FeedbackTheme.theme_id, func.count(func.distinct(InwonerFeedback.id)))
        .join(InwonerFeedback, InwonerFeedback.id == FeedbackTheme.feedback_id)
        .where(
            InwonerFeedback.team_id == team.id,
            InwonerFeedback.submitted_at >= start,
            InwonerFeedback.submitted_at < end,
        )
        .group_by(FeedbackTheme.theme_id)
    )
    rows: dict[str, dict] = {}
    for theme_id, reflections, authors in db.session.execute(counted):
        rows[theme_id] = {"reflections": reflections, "authors": authors, "feedback_mentions": 0}
    for theme_id, count in db.session.execute(mentions):
        rows.setdefault(theme_id, {"reflections": 0, "authors": 0, "feedback_mentions": 0})
        rows[theme_id]["feedback_mentions"] = count
    return rows


def mark_team_week(team_id, when: datetime) -> None:
    """Ask for a recount of the team's week that contains `when`, in the caller's transaction.

    The caller has written the change (a reflection's themes) and commits. A backlog of one week
    shares one recount: only the change that writes a new mark emits TEAM_WEEK_RECOUNT; a later one
    adds to the mark's `requests`. The upsert locks the mark row until the caller commits, and the
    recount job deletes the row before it counts, so that job's DELETE waits for this commit and its
    count sees the change. A mark that is already gone (its recount has begun, and may have counted
    without this change) gives way to a new mark and a new event. The event is the delivery: it
    commits with the mark and stays pending until a recount ran to the end, so a failed or killed
    recount job is retried by RQ or sent again by the relay (docs/performance.md, item 22).
    """
    timezone = db.session.scalar(select(Team.timezone).where(Team.id == team_id))
    if timezone is None:
        return
    week = iso_week_of(when, zoneinfo.ZoneInfo(timezone))
    table = cast(Table, TeamWeekRecount.__table__)
    upsert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        upsert(table)
        .values(team_id=team_id, iso_week=week, requests=1, marked_at=utcnow())
        .on_conflict_do_update(
            index_elements=[table.c.team_id, table.c.iso_week], set_={"requests": table.c.requests + 1}
        )
        .returning(table.c.requests)
    )
    if db.session.scalar(stmt) == 1:  # a new mark: nobody has asked for this week's recount yet
        emit(Event.TEAM_WEEK_RECOUNT, team_id=team_id, iso_week=week)


@handles(Event.TEAM_WEEK_RECOUNT)
def recount_marked_week(team_id: str, iso_week: str, **_) -> None:
    """Count a marked team week once for every change that marked it since the last count."""
    team_uuid = uuid.UUID(team_id)
    # Delete the mark and commit before counting: a change committed from here on writes a new mark
    # (and event) instead of joining this count, which may not see it. On a retry the mark is gone
    # already; the week is counted all the same.
    db.session.execute(
        delete(TeamWeekRecount).where(
            TeamWeekRecount.team_id == team_uuid, TeamWeekRecount.iso_week == iso_week
        )
    )
    db.session.commit()
    team = db.session.get(Team, team_uuid, with_for_update={"key_share": True})
    if team is not None:
        _recount(team, iso_week)


@handles(Event.REFLECTION_DELETED, Event.FEEDBACK_DELETED)
def recompute_for_event(team_id: str, occurred_at: str, **_) -> None:
    """For events whose source row is gone (a deleted reflection): the payload names the week."""
    recompute_team_week(uuid.UUID(team_id), datetime.fromisoformat(occurred_at))
