"""Delivering notifications by Web Push: due rows, quiet hours, nudges, retries, clean-up.

A row is claimed with a conditional UPDATE (status and due time in the WHERE clause) before it is
sent, so two workers never send the same notification; the claim also pushes `scheduled_for`
forward by a lease, so a worker that dies mid-send leaves a row that becomes due again later.
Nothing a push service answers raises out of these jobs: outcomes become row updates.
"""

import logging
import os
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from server.events import Event
from server.extensions import db
from server.i18n import for_language
from server.metrics import PUSH_RESULTS
from server.models import Notification, PushSubscription, Reflection, User, Visit, utcnow
from server.push.payload import MESSAGES, build_payload, topic
from server.push.sender import DELIVERED, GONE, RETRY, PushSender, new_session
from server.services.notifications import app_vapid, check_endpoint, notify, quiet_hours
from workers.registry import handles

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
BATCH = 500
# Kinds sent the moment they are asked for, whatever the quiet hours or preferences say.
IMMEDIATE = {"test"}

_session = None


def _http_session():
    """One requests.Session per process, reused for every push (keep-alive to each push service)."""
    global _session
    if _session is None:
        _session = new_session()
    return _session


def _forget_session():
    global _session
    _session = None


# A worker forked from the preloaded parent (WorkerPool) must not share its sockets.
os.register_at_fork(after_in_child=_forget_session)


def sender() -> PushSender:
    return PushSender(app_vapid(), current_app.config["VAPID_SUBJECT"], session=_http_session())


def send_due_notifications(now: datetime | None = None) -> dict:
    """Periodic (every minute): send what is due, then drop stale subscriptions."""
    now = now or utcnow()
    counts: dict[str, int] = {}
    try:
        due = db.session.scalars(
            select(Notification.id)
            .where(Notification.status.in_(("pending", "sending")), Notification.scheduled_for <= now)
            .order_by(Notification.scheduled_for)
            .limit(BATCH)
        ).all()
        db.session.commit()
        push = sender() if due else None
        for notification_id in due:
            result = deliver(notification_id, now, push)
            counts[result] = counts.get(result, 0) + 1
        counts["stale_removed"] = purge_stale_subscriptions(now)
        return counts
    finally:
        db.session.remove()


@handles(Event.NOTIFICATION_READY)
def send_notification(notification_id: str, **_) -> str:
    """One notification at once (POST /push/test), without waiting for the every-minute job."""
    return deliver(uuid.UUID(notification_id), utcnow(), sender())


def deliver(notification_id, now: datetime, push: PushSender) -> str:
    """Decide, claim, send and record one notification; returns what happened."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.status not in ("pending", "sending") or note.scheduled_for > now:
        db.session.rollback()
        return "not-due"
    user = db.session.get(User, note.user_id, with_for_update=note.kind == "nudge")
    if note.kind not in IMMEDIATE:
        skip = _reason_to_skip(note, user, now)
        if skip:
            return _finish(note.id, "skipped", now, reason=skip)
        quiet = quiet_hours(user)
        if quiet.is_quiet(now):
            later = quiet.next_allowed(now)
            db.session.execute(
                update(Notification)
                .where(Notification.id == note.id, Notification.status.in_(("pending", "sending")))
                .values(status="pending", scheduled_for=later)
            )
            db.session.commit()
            return "deferred"
    if not _claim(note, now, user):
        db.session.rollback()
        return "claimed-elsewhere"
    subscriptions = db.session.scalars(
        select(PushSubscription).where(PushSubscription.user_id == note.user_id)
    ).all()
    message = MESSAGES[note.kind]
    language = user.language if user is not None else "nl"
    payload = build_payload(note.kind, note.id, for_language(language).gettext)
    outcomes = []
    for subscription in subscriptions:
        if check_endpoint(subscription.endpoint):
            log.warning("push endpoint no longer allowed; subscription %s skipped", subscription.id)
            continue
        outcome = push.send(
            subscription.endpoint,
            subscription.p256dh,
            subscription.auth,
            payload,
            ttl=message.ttl,
            urgency=message.urgency,
            topic=topic(note.kind, note.ref),
        )
        _record(subscription, outcome, now)
        outcomes.append(outcome)
    db.session.commit()
    if any(o.result == DELIVERED for o in outcomes):
        return _finish(note.id, "sent", now)
    retryable = [o for o in outcomes if o.result == RETRY]
    if retryable and note.attempts < MAX_ATTEMPTS:
        wait = max((o.retry_after for o in retryable if o.retry_after), default=None)
        later = now + (timedelta(seconds=wait) if wait else BACKOFF[note.attempts - 1])
        return _finish(note.id, "pending", later, reason="retry")
    reason = (
        "no-subscription"
        if not outcomes
        else "gave-up"
        if retryable
        else "gone"
        if all(o.result == GONE for o in outcomes)
        else "rejected"
    )
    return _finish(note.id, "skipped" if not outcomes else "failed", now, reason=reason)


def _reason_to_skip(note: Notification, user: User | None, now: datetime) -> str | None:
    if user is None or not user.active:
        return "inactive"
    if note.kind in (user.notify_off or []):
        return "switched-off"
    if note.kind == "nudge":
        visit_id = uuid.UUID(note.ref["visit_id"])
        if db.session.get(Visit, visit_id) is None:
            return "visit-gone"
        if db.session.scalar(select(exists().where(Reflection.visit_id == visit_id))):
            return "reflected"
        start, end = quiet_hours(user).day_bounds(now)
        if db.session.scalar(
            select(
                exists().where(
                    Notification.user_id == user.id,
                    Notification.kind == "nudge",
                    Notification.status == "sent",
                    Notification.sent_at >= start,
                    Notification.sent_at < end,
                )
            )
        ):
            return "one-a-day"
    return None


def _claim(note: Notification, now: datetime, user: User) -> bool:
    conditions = [
        Notification.id == note.id,
        Notification.status.in_(("pending", "sending")),
        Notification.scheduled_for <= now,
    ]
    if note.kind == "nudge":
        # The one-a-day rule again, race-free: none sent today and none in flight. The user row
        # lock taken above serialises this on PostgreSQL; SQLite has a single writer anyway.
        start, end = quiet_hours(user).day_bounds(now)
        other = aliased(Notification)
        conditions.append(
            ~exists().where(
                other.user_id == note.user_id,
                other.kind == "nudge",
                other.id != note.id,
                or_(
                    other.status == "sending",
                    and_(other.status == "sent", other.sent_at >= start, other.sent_at < end),
                ),
            )
        )
    claimed = db.session.execute(
        update(Notification)
        .where(*conditions)
        .values(status="sending", scheduled_for=now + LEASE, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return False
    db.session.refresh(note)
    return True


def _finish(notification_id, status: str, when: datetime, reason: str | None = None) -> str:
    values = {"status": status, "scheduled_for": when}
    if status == "sent":
        values["sent_at"] = when
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if reason:
        log.info("notification %s: %s (%s)", notification_id, status, reason)
    result = "retry" if reason == "retry" else status
    PUSH_RESULTS.labels(result).inc()
    return result


def _record(subscription: PushSubscription, outcome, now: datetime) -> None:
    if outcome.result == DELIVERED:
        subscription.failures = 0
        subscription.last_success_at = now
    elif outcome.result == GONE:
        db.session.delete(subscription)
    elif outcome.status in (401, 403):
        # The push service refuses our VAPID key for this subscription (key rotated or
        # misconfigured): it can never work again; the app subscribes anew on its next start.
        log.error("push service refused VAPID (%s); subscription %s removed", outcome.status, subscription.id)
        db.session.delete(subscription)
    else:
        subscription.failures += 1
        subscription.last_failure_at = now
        if outcome.status == 413:
            log.error("push service refused the payload size (413); not retried")


def purge_stale_subscriptions(now: datetime | None = None) -> int:
    """Forget subscriptions of people who have not opened the app for PUSH_STALE_DAYS (or left)."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["PUSH_STALE_DAYS"])
    stale = (
        select(PushSubscription.id)
        .join(User, User.id == PushSubscription.user_id)
        .where(
            or_(
                User.active.is_(False), func.coalesce(User.last_seen_at, PushSubscription.created_at) < cutoff
            )
        )
    )
    removed = db.session.execute(
        delete(PushSubscription)
        .where(PushSubscription.id.in_(stale))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return removed


@handles(Event.VISIT_CREATED)
def schedule_visit_nudge(visit_id: str, **_) -> None:
    """visit.created: one nudge per visit, nudge_delay_minutes after it was logged."""
    visit = db.session.get(Visit, uuid.UUID(visit_id))
    if visit is None:
        return
    author = db.session.get(User, visit.author_id)
    if author is None or db.session.scalar(select(exists().where(Reflection.visit_id == visit.id))):
        return
    when = max(visit.created_at + timedelta(minutes=author.nudge_delay_minutes), utcnow())
    notify(author.id, "nudge", {"visit_id": visit.id}, f"nudge:visit:{visit.id}", when=when)
    db.session.commit()
