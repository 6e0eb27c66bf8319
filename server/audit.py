"""Audit log after NEN 7513: who did what, when, on whose data — never the content itself.

Rows form a hash chain, so deleting or editing one is detectable (see first_broken_row). Writers
take turns extending it: two transactions that both read the same last row would fork the chain,
and verification would then report tampering that never happened.
"""

import hashlib
import json

from flask import g, has_request_context, request
from sqlalchemy import select, text

from server.extensions import db
from server.models import AuditLog, utcnow

# Any constant: the key of PostgreSQL's transaction-scoped advisory lock on the chain's end.
CHAIN_LOCK = 7513
CHAINED = ("at", "actor_id", "action", "object_type", "object_id", "subject_user_id", "team_id",
           "reason", "result", "origin")


def _row_digest(row: AuditLog) -> str:
    fields = {name: getattr(row, name) for name in CHAINED}
    fields["at"] = row.at.isoformat(timespec="microseconds")
    material = json.dumps({"prev": row.prev_hash, **fields}, sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


def audit(action: str, object_type: str, object_id=None, *, subject_user_id=None, team_id=None,
          reason: str | None = None, result: str = "ok", actor_id=None) -> None:
    """Add an audit row to the current transaction (it commits with the action it records)."""
    _lock_chain_end()
    if actor_id is None and has_request_context() and g.get("user") is not None:
        actor_id = g.user.id
    row = AuditLog(at=utcnow(), actor_id=actor_id, action=action, object_type=object_type,
                   object_id=str(object_id) if object_id is not None else None,
                   subject_user_id=subject_user_id, team_id=team_id, reason=reason, result=result,
                   origin=request.remote_addr if has_request_context() else "worker",
                   prev_hash=db.session.scalar(select(AuditLog.row_hash).order_by(AuditLog.id.desc()).limit(1)))
    row.row_hash = _row_digest(row)
    db.session.add(row)


def _lock_chain_end() -> None:
    """Hold the chain's end until this transaction commits (or rolls back)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    else:
        # SQLite allows one writer at a time: a write statement takes that lock for the rest of the
        # transaction, after which the last row read below is the last row there is.
        db.session.execute(text(f"UPDATE {AuditLog.__tablename__} SET id = id WHERE 0"))


def first_broken_row() -> int | None:
    """The id of the first row whose hash or link does not verify (None: the chain is intact)."""
    prev = None
    for row in db.session.scalars(select(AuditLog).order_by(AuditLog.id)):
        if row.prev_hash != prev or row.row_hash != _row_digest(row):
            return row.id
        prev = row.row_hash
    return None
