"""Jobs used only by fault-injection tests (imported by a real worker process by dotted path)."""

import time
import uuid
from pathlib import Path

from server.models import utcnow


def slow_recompute(team_id: str, marker: str, seconds: float = 20.0) -> str:
    """Signals that it started, works for a while, then recomputes the team's aggregates."""
    from workers.aggregates import recompute_team_week

    path = Path(marker)
    # Only the first attempt dawdles: the retry after a kill finishes promptly.
    first_attempt = not path.exists()
    path.write_text(str(time.time()))
    if first_attempt:
        time.sleep(seconds)
    recompute_team_week(uuid.UUID(team_id), utcnow())
    return "done"
