"""Web Push: the VAPID public key, this user's subscriptions, a test push, and the notifications inbox."""

import logging
import uuid

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import func, select, update

from server.api import paginate
from server.audit import note_denial
from server.auth.access import login_required
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db, limiter
from server.models import InwonerFeedback, Notification, PushSubscription, Reflection, Visit, utcnow
from server.push.keys import public_key
from server.push.payload import INBOX_KINDS, MESSAGES
from server.schemas.common import PageArgs, page_of
from server.schemas.push import (
    EndpointArgs,
    NotificationListArgs,
    NotificationOut,
    NotificationPage,
    NotificationPatchArgs,
    NotificationsReadOut,
    PushTestOut,
    SubscriptionArgs,
    SubscriptionOut,
    VapidKeyOut,
)
from server.services.notifications import app_vapid, check_endpoint, notify

log = logging.getLogger(__name__)

blp = Blueprint("push", __name__, url_prefix="/api/v1", description="Pushmeldingen")

# Old devices pile up (new phone, reinstalled browser); the oldest beyond this many are dropped.
MAX_SUBSCRIPTIONS = 10


@blp.get("/push/vapid-public-key")
@blp.response(200, VapidKeyOut)
def vapid_public_key():
    try:
        return {"public_key": public_key(app_vapid())}
    except RuntimeError as error:  # production without VAPID_PRIVATE_KEY
        log.error("%s", error)
        raise Problem(503, "Pushmeldingen zijn op deze server nog niet ingesteld.") from error


@blp.get("/push/subscriptions")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(SubscriptionOut, "PushSubscriptionPage"))
@login_required
def list_subscriptions(args):
    stmt = (
        select(PushSubscription)
        .where(PushSubscription.user_id == g.user.id)
        .order_by(PushSubscription.created_at.desc())
    )
    return paginate(stmt, args)


@blp.post("/push/subscriptions")
@blp.arguments(SubscriptionArgs)
@blp.response(201, SubscriptionOut)
@blp.alt_response(200, schema=SubscriptionOut, description="Dit apparaat was al aangemeld")
@login_required
def subscribe(args):
    problem = check_endpoint(args["endpoint"])
    if problem:
        raise Problem(422, problem, errors={"endpoint": [problem]})
    keys = args["keys"]
    subscription = db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == args["endpoint"])
    )
    status = 200
    if subscription is None:
        subscription = PushSubscription(
            endpoint=args["endpoint"], user_id=g.user.id, p256dh=keys["p256dh"], auth=keys["auth"]
        )
        db.session.add(subscription)
        status = 201
    else:
        # Whoever holds the browser's endpoint now owns it (a shared device after a new login).
        subscription.user_id = g.user.id
        subscription.p256dh, subscription.auth = keys["p256dh"], keys["auth"]
        subscription.failures = 0
    db.session.flush()
    older = db.session.scalars(
        select(PushSubscription.id)
        .where(PushSubscription.user_id == g.user.id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id)
        .offset(MAX_SUBSCRIPTIONS)
    ).all()
    for stale_id in older:
        db.session.delete(db.session.get(PushSubscription, stale_id))
    db.session.commit()
    return subscription, status


@blp.delete("/push/subscriptions")
@blp.arguments(EndpointArgs, location="query", as_kwargs=False)
@blp.arguments(EndpointArgs, location="json", as_kwargs=False, required=False)
@blp.response(204)
@blp.alt_response(404, "NOT_FOUND")  # this device is not subscribed
@login_required
def unsubscribe(query, body):
    endpoints = {value for value in (query.get("endpoint"), body.get("endpoint")) if value}
    if len(endpoints) != 1:
        detail = "Geef precies één endpoint mee, in de body of als ?endpoint=."
        raise Problem(422, detail, errors={"endpoint": [detail]})
    subscription = db.session.scalar(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoints.pop(), PushSubscription.user_id == g.user.id
        )
    )
    if subscription is None:
        raise Problem(404, "Dit apparaat is niet aangemeld voor meldingen.")
    db.session.delete(subscription)
    db.session.commit()


@blp.post("/push/test")
@blp.response(202, PushTestOut)
@blp.alt_response(409, "CONFLICT")  # no subscription on this device yet
@limiter.limit("5 per minute")
@login_required
def push_test():
    count = len(
        db.session.scalars(select(PushSubscription.id).where(PushSubscription.user_id == g.user.id)).all()
    )
    if not count:
        raise Problem(409, "Zet eerst meldingen aan op dit apparaat.")
    notification_id = notify(g.user.id, "test", {}, f"test:{uuid.uuid4()}", when=utcnow())
    # At once through the outbox; should that wait, the every-minute job sends it anyway.
    emit(Event.NOTIFICATION_READY, notification_id=notification_id)
    db.session.commit()
    return {"notification_id": notification_id, "subscriptions": count}


NOTE_LENGTH = 120


def _own_notification(notification_id) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != g.user.id:
        note_denial("not_owner" if notification else "missing", "notification", notification_id)
        raise Problem(404, "Deze melding bestaat niet, of is niet van jou.")
    return notification


def _visit_of(notification: Notification) -> dict | None:
    """The recipient's own visit behind a notification: a contact request's feedback, a nudge's visit."""
    ref = notification.ref or {}
    visit_id = ref.get("visit_id")
    try:
        if not visit_id and ref.get("feedback_id"):
            feedback = db.session.get(InwonerFeedback, uuid.UUID(ref["feedback_id"]))
            visit_id = feedback.visit_id if feedback is not None else None
        visit = db.session.get(Visit, uuid.UUID(str(visit_id))) if visit_id else None
    except ValueError:
        return None
    if visit is None or visit.author_id != notification.user_id:
        return None
    note = visit.pseudonym
    if not note:
        # Their own words about that visit (the author always reads their own reflection).
        text = db.session.scalar(
            select(Reflection.what_happened)
            .where(Reflection.visit_id == visit.id, Reflection.author_id == notification.user_id)
            .order_by(Reflection.occurred_at)
            .limit(1)
        )
        if text:
            note = text if len(text) <= NOTE_LENGTH else text[: NOTE_LENGTH - 1].rstrip() + "…"
    return {"id": visit.id, "kind": visit.kind, "occurred_at": visit.occurred_at, "note": note}


def _out(notification: Notification) -> dict:
    columns = ("id", "kind", "ref", "status", "created_at", "scheduled_for", "sent_at", "read_at")
    out = {name: getattr(notification, name) for name in columns}
    message = MESSAGES.get(notification.kind)
    out["title"] = message.title if message else ""
    out["visit"] = _visit_of(notification)
    return out


def _inbox():
    return select(Notification).where(
        Notification.user_id == g.user.id,
        Notification.kind.in_(INBOX_KINDS),
        Notification.created_at <= utcnow(),
    )


def _unread() -> int:
    stmt = _inbox().where(Notification.read_at.is_(None)).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(stmt)) or 0


@blp.get("/notifications")
@blp.arguments(NotificationListArgs, location="query")
@blp.response(200, NotificationPage)
@login_required
def list_notifications(args):
    """The user's own inbox, newest first, with how many are unread (whether push reached them or not)."""
    stmt = _inbox()
    if "unread" in args:
        stmt = stmt.where(
            Notification.read_at.is_(None) if args["unread"] else Notification.read_at.is_not(None)
        )
    page = paginate(stmt.order_by(Notification.created_at.desc(), Notification.id), args, _out)
    page["unread"] = _unread()
    return page


@blp.post("/notifications/read")
@blp.response(200, NotificationsReadOut)
@login_required
def mark_all_read():
    ids = db.session.scalars(
        _inbox().with_only_columns(Notification.id).where(Notification.read_at.is_(None))
    ).all()
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(read_at=utcnow()))
    db.session.commit()
    return {"marked": len(ids), "unread": _unread()}


@blp.get("/notifications/<uuid:notification_id>")
@blp.response(200, NotificationOut)
@login_required
def get_notification(notification_id):
    return _out(_own_notification(notification_id))


@blp.patch("/notifications/<uuid:notification_id>")
@blp.arguments(NotificationPatchArgs)
@blp.response(200, NotificationOut)
@login_required
def patch_notification(args, notification_id):
    """Mark one of your notifications read (or unread again)."""
    notification = _own_notification(notification_id)
    if args["read"]:
        notification.read_at = notification.read_at or utcnow()
    else:
        notification.read_at = None
    db.session.commit()
    return _out(notification)
