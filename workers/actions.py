"""Reminders for actions that are due (one per action, ever: the dedupe key is the action id)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import Action, Notification, Team, utcnow


def remind_due_actions(now=None) -> int:
    """Periodic: a Notification for the owner of every open action whose due date has come (team time)."""
    now = now or utcnow()
    try:
        # Prefilter in SQL (no zone is more than a day ahead of UTC), decide per team's local date.
        rows = db.session.execute(
            select(Action, Team.timezone)
            .join(Team, Team.id == Action.team_id)
            .where(
                Action.status == "open",
                Action.owner_id.is_not(None),
                Action.due.is_not(None),
                Action.reminded_at.is_(None),
                Action.due <= (now + timedelta(days=1)).date(),
            )
        ).all()
        reminded = 0
        for action, zone in rows:
            if action.due > now.astimezone(ZoneInfo(zone)).date():
                continue
            try:
                with db.session.begin_nested():
                    db.session.add(
                        Notification(
                            user_id=action.owner_id,
                            kind="action-due",
                            dedupe_key=f"action-due:{action.id}",
                            ref={"action_id": str(action.id)},
                            scheduled_for=now,
                        )
                    )
                reminded += 1
            except IntegrityError:  # a concurrent run reminded first
                pass
            action.reminded_at = now
        db.session.commit()
        return reminded
    finally:
        db.session.remove()
