"""Reminders for actions that are due (one per action, ever: the dedupe key is the action id)."""

from server.extensions import db
from server.models import utcnow
from server.services import actions


def remind_due_actions(now=None) -> int:
    """Periodic: a Notification for the owner of every open action whose due date has come (team time)."""
    try:
        return actions.remind_due(now or utcnow())
    finally:
        db.session.remove()
