"""Turn a submitted or edited reflection into de-identified team text and themes."""

import uuid

from server.events import Event
from server.extensions import db
from server.services import reflections
from workers.aggregates import mark_team_week, recompute_team_week
from workers.registry import handles


@handles(Event.REFLECTION_SUBMITTED, Event.REFLECTION_UPDATED)
def process_reflection(reflection_id: str, **_) -> None:
    # One commit: the reflection's themes and the mark that has its team week recounted (one
    # recount for a backlog of the week, not one per reflection: docs/performance.md, item 22).
    reflection = reflections.process(uuid.UUID(reflection_id), commit=False)
    if reflection is not None:
        mark_team_week(reflection.team_id, reflection.occurred_at)
        db.session.commit()


@handles(Event.REFLECTION_REFINE)
def refine_reflection(reflection_id: str, **_) -> None:
    """e5 on a text the fast path was unsure about (the relay puts it on the low-priority queue)."""
    reflection = reflections.refine(uuid.UUID(reflection_id), commit=False)
    if reflection is not None:
        # Counted here, in the same transaction: a mark would not save a recount, because its job on
        # the default queue runs before the next refinement, and it would cost a job of its own.
        recompute_team_week(reflection.team_id, reflection.occurred_at)


@handles(Event.TEAM_THEMES_CHANGED)
def reclassify_recent(team_id: str, **_) -> None:
    """A team theme was added or changed: classify the last 8 weeks again; each reflection marks
    its week, so every week with a reflection is recounted once afterwards."""
    for reflection_id in reflections.recent_ids(uuid.UUID(team_id)):
        process_reflection(str(reflection_id))
