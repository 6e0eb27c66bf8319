"""Turn a resident's answer into a de-identified comment and experience themes."""

import uuid

from server.events import Event
from server.services import feedback
from workers.aggregates import recompute_team_week
from workers.registry import handles


@handles(Event.FEEDBACK_SUBMITTED)
def process_feedback(feedback_id: str, **_) -> None:
    answer = feedback.process(uuid.UUID(feedback_id))
    if answer is not None:
        recompute_team_week(answer.team_id, answer.submitted_at)
