"""The event registry: every kind has a handler, an unknown kind fails loudly and is never marked done."""

import pytest
from sqlalchemy import func, select

from server.events import Event, emit
from server.extensions import db
from server.models import OutboxEvent
from workers.events import UnhandledEvent, handle_event
from workers.registry import HANDLERS


def test_every_event_kind_has_a_handler():
    assert sorted(kind for kind in Event if not HANDLERS.get(kind)) == []


def test_emitting_an_unknown_kind_fails_in_the_request_that_writes_it(ctx):
    with pytest.raises(ValueError):
        emit("reflection.submited", reflection_id="x")  # a typo must not become a silent no-op


def test_an_event_nobody_handles_fails_and_stays_pending(ctx):
    # Written by another version of the code, say: the worker must not mark it processed.
    db.session.add(OutboxEvent(kind="something.new", payload={}))
    db.session.commit()
    event_id = db.session.scalar(select(OutboxEvent.id))
    with pytest.raises(UnhandledEvent):
        handle_event(event_id)
    assert db.session.get(OutboxEvent, event_id).processed_at is None


def test_a_requested_digest_build_goes_through_the_outbox(app, team_setup, run_jobs):
    from server.models import Digest

    lead = team_setup["client"]["lead"]
    response = lead.post(f"/api/v1/teams/{team_setup['team']}/digests/2026-W10/build")
    assert response.status_code == 202
    with app.app_context():
        kinds = db.session.scalars(select(OutboxEvent.kind)).all()
        assert Event.DIGEST_REQUESTED in kinds
        assert (
            response.get_json()["job_id"]
            == f"outbox-{db.session.scalar(select(OutboxEvent.id).where(OutboxEvent.kind == Event.DIGEST_REQUESTED))}"
        )
    run_jobs()
    with app.app_context():
        digest = db.session.scalar(select(Digest).where(Digest.iso_week == "2026-W10"))
        assert digest.built_at is not None
        assert (
            db.session.scalar(
                select(OutboxEvent.processed_at).where(OutboxEvent.kind == Event.DIGEST_REQUESTED)
            )
            is not None
        )


def test_a_built_week_is_frozen_and_not_rebuilt(app, team_setup, run_jobs):
    lead = team_setup["client"]["lead"]
    url = f"/api/v1/teams/{team_setup['team']}/digests/2026-W10/build"
    assert lead.post(url).status_code == 202
    run_jobs()
    again = lead.post(url)
    assert again.status_code == 409
    assert again.content_type.startswith("application/problem+json")
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.kind == Event.DIGEST_REQUESTED)
            )
            == 1
        )
