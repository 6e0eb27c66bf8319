"""Client-chosen ids make writes safe to replay: same client_id + same payload returns the original."""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.errors import Problem
from server.extensions import db


def payload_hash(payload: dict) -> str:
    """A stable fingerprint of a write's payload (key order and JSON types do not matter)."""
    canonical = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def find_replay(model, owner_column, owner_id, client_id, fingerprint: str):
    """The original row for a replayed write, None for a new one; 409 if the payload differs."""
    row = db.session.scalar(select(model).where(owner_column == owner_id, model.client_id == client_id))
    if row is not None and row.payload_hash != fingerprint:
        raise Problem(
            409, "Deze client_id is al gebruikt voor iets anders.", type_="/problems/client-id-reused"
        )
    return row


def commit_once(create):
    """Run `create() -> (row, created)` and commit; returns (row, created).

    Two replays of one client_id may race past find_replay; the loser's commit hits the unique
    constraint, and running `create` again then finds the winner's row and answers as a replay.
    (A `create` may also skip find_replay on its first call and rely on this: see reflections.)
    """
    try:
        result = create()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        result = create()
        db.session.commit()  # nothing to write for a replay; a row `create` wrote after all is kept
    return result
