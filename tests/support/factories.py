"""What many tests need, written once: a reflection's body (the API's most used write) and a visit (the
start of every resident-feedback test)."""

import uuid
from datetime import UTC, datetime, timedelta


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


def reflection(**overrides) -> dict:
    """A valid POST /reflections body; `overrides` replace or add fields."""
    body = {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "what_happened": "Huisbezoek bij mw, ze heeft een huurachterstand en de deurwaarder stond op de stoep.",
        "next_time": "Eerder vragen wat ze zelf al geprobeerd heeft.",
        "learning_zone": "learning",
        "energy": 3,
    }
    body.update(overrides)
    return body
