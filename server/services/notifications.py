"""The Flask-side half of push: creating notifications, the app's VAPID key, a user's quiet hours.

`notify` is the one way for other features (digest, resident feedback, actions) to announce
something; the periodic `workers.push.send_due_notifications` job delivers it.
"""

import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models import Notification, User, utcnow
from server.push.hosts import endpoint_problem, parse_allowed
from server.push.keys import load_vapid
from server.push.payload import KINDS
from server.push.quiet import QuietHours


def notify(user_id, kind: str, ref: dict, dedupe_key: str, when: datetime | None = None) -> uuid.UUID:
    """Schedule a notification for `when` (default now) in the caller's transaction; returns its id.

    Idempotent on `dedupe_key` (e.g. "digest:<team>:<week>"): a second call returns the first row's
    id and changes nothing. `ref` holds ids only. Quiet hours and preferences apply at send time.
    The caller commits.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; add its text to server.push.payload")
    values = {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "kind": kind,
        "ref": {key: str(value) for key, value in ref.items()},
        "dedupe_key": dedupe_key,
        "created_at": utcnow(),
        "scheduled_for": when or utcnow(),
        "status": "pending",
        "attempts": 0,
    }
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key))


def app_vapid():
    config = current_app.config
    return load_vapid(config.get("VAPID_PRIVATE_KEY"), current_app.instance_path, config["PRODUCTION"])


def check_endpoint(endpoint: str) -> str | None:
    """None when the app may push to `endpoint`; plain http only to loopback outside production."""
    config = current_app.config
    return endpoint_problem(
        endpoint, parse_allowed(config["PUSH_ALLOWED_HOSTS"]), loopback_http=not config["PRODUCTION"]
    )


def quiet_hours(user: User) -> QuietHours:
    """The user's quiet hours in the time zone of their first team."""
    memberships = sorted(user.memberships, key=lambda m: m.created_at)
    zone = memberships[0].team.timezone if memberships else None
    return QuietHours.of(user.quiet_start, user.quiet_end, user.quiet_weekends, zone)
