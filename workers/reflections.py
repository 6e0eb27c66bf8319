"""Turn a submitted or edited reflection into de-identified team text and themes."""

import uuid

from server.events import Event
from server.services import reflections
from workers.aggregates import recompute_recent, recompute_team_week
from workers.registry import handles


@handles(Event.REFLECTION_SUBMITTED, Event.REFLECTION_UPDATED)
def process_reflection(reflection_id: str, **_) -> None:
    # One transaction: the reflection's themes and its team-week's counts commit together.
    reflection = reflections.process(uuid.UUID(reflection_id), commit=False)
    if reflection is not None:
        recompute_team_week(reflection.team_id, reflection.occurred_at)


@handles(Event.REFLECTION_REFINE)
def refine_reflection(reflection_id: str, **_) -> None:
    """e5 on a text the fast path was unsure about (the relay puts it on the low-priority queue)."""
    reflection = reflections.refine(uuid.UUID(reflection_id), commit=False)
    if reflection is not None:
        recompute_team_week(reflection.team_id, reflection.occurred_at)


@handles(Event.TEAM_THEMES_CHANGED)
def reclassify_recent(team_id: str, **_) -> None:
    """A team theme was added or changed: classify the last 8 weeks again and recount them."""
    for reflection_id in reflections.recent_ids(uuid.UUID(team_id)):
        process_reflection(str(reflection_id))
    recompute_recent(uuid.UUID(team_id))
