"""Audit log after NEN 7513: who did what, when, on whose data — never the content itself.

Rows form a hash chain, so deleting or editing one is detectable (see first_broken_row). Writers
take turns extending it: two transactions that both read the same last row would fork the chain,
and verification would then report tampering that never happened.
"""

import hashlib
import hmac
import json
import logging
import uuid

from flask import current_app, g, has_request_context, request
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import AuditLog, utcnow

log = logging.getLogger(__name__)

# Any constant: the key of PostgreSQL's transaction-scoped advisory lock on the chain's end.
CHAIN_LOCK = 7513
CHAINED = (
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "subject_user_id",
    "team_id",
    "reason",
    "result",
    "origin",
)


def _row_digest(row: AuditLog) -> str:
    fields = {name: getattr(row, name) for name in CHAINED}
    fields["at"] = row.at.isoformat(timespec="microseconds")
    material = json.dumps({"prev": row.prev_hash, **fields}, sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


def audit(
    action: str,
    object_type: str,
    object_id=None,
    *,
    subject_user_id=None,
    team_id=None,
    reason: str | None = None,
    result: str = "ok",
    actor_id=None,
    session=None,
) -> None:
    """Add an audit row to the current transaction (it commits with the action it records).

    `session`: another session than the request's, for a row that must outlive a rollback.
    """
    session = session or db.session
    _lock_chain_end(session)
    if actor_id is None and has_request_context() and g.get("user") is not None:
        actor_id = g.user.id
    row = AuditLog(
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:80] if object_id is not None else None,
        subject_user_id=subject_user_id,
        team_id=team_id,
        reason=reason[:200] if reason else reason,
        result=result,
        origin=request.remote_addr if has_request_context() else "worker",
        prev_hash=session.scalar(select(AuditLog.row_hash).order_by(AuditLog.id.desc()).limit(1)),
    )
    row.row_hash = _row_digest(row)
    session.add(row)


def _lock_chain_end(session) -> None:
    """Hold the chain's end until this transaction commits (or rolls back)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    else:
        # SQLite allows one writer at a time: a write statement takes that lock for the rest of the
        # transaction, after which the last row read below is the last row there is.
        session.execute(text(f"UPDATE {AuditLog.__tablename__} SET id = id WHERE 0"))


# -- Refused access ------------------------------------------------------------------------------
# NEN 7513 asks for attempts too, not only what succeeded. server/auth/access.py registers
# audit_denial for every API request of a logged-in user and calls note_denial just before one of
# its helpers refuses. One row per refused request: who, which route and object, which status and
# why — never the body or any text. Anonymous requests (401) are not recorded: there is no actor.

DENIED_ACTION = "access.denied"
# Objects written by one person (or about their visits). A refusal on one of them records neither
# its owner nor its id as such: the audit reader (a beheerder) could otherwise join the row to a
# shared reflection's id in a team view, or read the owner straight from it. The id is kept as a
# keyed pseudonym, so repeated attempts on one object still line up for an investigation.
AUTHORED_OBJECTS = frozenset(
    {"reflection", "learning_question", "question", "visit", "feedback", "notification"}
)
PSEUDONYM_PREFIX = "p:"


def object_pseudonym(object_id) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, b"audit-object:" + str(object_id).encode(), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:32]


def shown_row(row) -> dict:
    """An audit row as the audit viewer shows it; masks what older denial rows still hold."""
    body = {
        name: getattr(row, name)
        for name in (
            "id",
            "at",
            "actor_id",
            "action",
            "object_type",
            "object_id",
            "subject_user_id",
            "team_id",
            "reason",
            "result",
            "origin",
        )
    }
    if row.action == DENIED_ACTION and row.object_type in AUTHORED_OBJECTS:
        body["subject_user_id"] = None
        if row.object_id and not row.object_id.startswith(PSEUDONYM_PREFIX):
            body["object_id"] = object_pseudonym(row.object_id)
    return body


def note_denial(
    why: str, object_type: str | None = None, object_id=None, *, team_id=None, subject_user_id=None
) -> None:
    """Describe the refusal about to be raised, for audit_denial (plain values, no ORM objects)."""
    g.audit_denial = {
        "why": why,
        "object_type": object_type,
        "object_id": object_id,
        "team_id": team_id,
        "subject_user_id": subject_user_id,
    }


def audit_denial(response):
    """after_this_request: a 403, or a 404 an authorisation helper raised, gets an audit row.

    The request's own transaction is discarded on an error answer, so the row is written in a short
    transaction of its own (through audit(), so it takes the chain's end like every writer). If that
    write fails the caller still gets the refusal they earned, and the failure goes to the log.
    """
    noted = g.pop("audit_denial", None)
    user = g.get("user")
    if user is None or not (response.status_code == 403 or (response.status_code == 404 and noted)):
        return response
    actor_id = user.id  # plain values (server/auth/caller.py): no database read after a commit
    try:
        described = _from_route() | {key: value for key, value in (noted or {}).items() if value is not None}
        entry = _denial_entry(actor_id, response.status_code, described)
        # Nothing of the refused request is kept (teardown would discard it anyway); ending its
        # transaction now releases any lock it holds, so the row below cannot wait on its own request.
        db.session.rollback()
        _write_on_its_own(entry)
    except Exception:
        log.exception(
            "audit: refused %s %s (status %s) by user %s could not be recorded",
            request.method,
            request.endpoint,
            response.status_code,
            actor_id,
        )
    return response


def _from_route() -> dict:
    """What the URL names (its last <x_id>): for refusals inside a view, and what a helper left open."""
    args = request.view_args or {}
    named = [(key[:-3], value) for key, value in args.items() if key.endswith("_id") and key != "team_id"]
    object_type, object_id = named[-1] if named else (None, None)
    return {
        "why": "refused",
        "object_type": object_type,
        "object_id": object_id,
        "team_id": args.get("team_id"),
        "subject_user_id": None,
    }


def _denial_entry(actor_id, status: int, described: dict) -> dict:
    team_id = _uuid_or_none(described["team_id"])
    object_type, object_id = described["object_type"], described["object_id"]
    if object_type is None:
        object_type, object_id = ("team", team_id) if team_id else ("route", None)
    subject = _uuid_or_none(described["subject_user_id"])
    if object_type in AUTHORED_OBJECTS:
        subject = None
        object_id = object_pseudonym(object_id) if object_id is not None else None
    return {
        "action": DENIED_ACTION,
        "object_type": object_type,
        "object_id": object_id,
        "actor_id": actor_id,
        "team_id": team_id,
        "subject_user_id": subject,
        "result": "denied",
        "reason": f"{status} {described['why']}: {request.method} {request.endpoint}",
    }


def _uuid_or_none(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID) or value is None:
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _write_on_its_own(entry: dict) -> None:
    with Session(db.engine) as session, session.begin():
        audit(session=session, **entry)


def first_broken_row() -> int | None:
    """The id of the first row whose hash or link does not verify (None: the chain is intact)."""
    prev = None
    for row in db.session.scalars(select(AuditLog).order_by(AuditLog.id)):
        if row.prev_hash != prev or row.row_hash != _row_digest(row):
            return row.id
        prev = row.row_hash
    return None
