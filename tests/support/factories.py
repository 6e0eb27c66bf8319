"""Rows many tests need, written once: a visit (the start of every resident-feedback test)."""

import uuid
from datetime import timedelta


def add_visit(app, author_id, team_id, *, kind="huisbezoek", ago=timedelta(hours=1), **fields):
    """A visit by `author_id` in `team_id`, `ago` before now; returns its id."""
    from server.extensions import db
    from server.models import Visit, utcnow

    with app.app_context():
        visit = Visit(
            client_id=uuid.uuid4(),
            author_id=author_id,
            team_id=team_id,
            kind=kind,
            occurred_at=utcnow() - ago,
            payload_hash="0" * 64,
            **fields,
        )
        db.session.add(visit)
        db.session.commit()
        return visit.id
