"""Team-week theme aggregates, recomputed from source rows (never incremented in place)."""

import uuid
import zoneinfo
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from server.events import Event
from server.extensions import db
from server.models import (
    FeedbackTheme,
    InwonerFeedback,
    Reflection,
    ReflectionTheme,
    Team,
    TeamWeekTheme,
    utcnow,
)
from server.weeks import iso_week_of, week_bounds
from workers.registry import handles


def recompute_team_week(team_id, when: datetime) -> None:
    """Rebuild every TeamWeekTheme row of the team's ISO week that contains `when`.

    Delete-and-insert inside one transaction: running it twice, or concurrently, converges on the
    same numbers because they are counted from the source rows each time.
    """
    # Locking the team row serialises concurrent recomputes on PostgreSQL (SQLite locks the file).
    team = db.session.get(Team, team_id, with_for_update=True)
    if team is None:
        return
    zone = zoneinfo.ZoneInfo(team.timezone)
    week = iso_week_of(when, zone)
    start, end = week_bounds(week, zone)
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


@handles(Event.REFLECTION_DELETED, Event.FEEDBACK_DELETED)
def recompute_for_event(team_id: str, occurred_at: str, **_) -> None:
    """For events whose source row is gone (a deleted reflection): the payload names the week."""
    recompute_team_week(uuid.UUID(team_id), datetime.fromisoformat(occurred_at))


def recompute_recent(team_id, weeks: int = 8) -> None:
    now = utcnow()
    for back in range(weeks):
        recompute_team_week(team_id, now - timedelta(weeks=back))
