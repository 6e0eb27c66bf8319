"""ISO weeks in a team's time zone (pure; no Flask)."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def iso_week_of(moment: datetime, zone: ZoneInfo) -> str:
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str) -> tuple[int, int]:
    match = WEEK_RE.match(value or "")
    if not match:
        raise ValueError("gebruik de vorm 2026-W48")
    year, week = int(match.group(1)), int(match.group(2))
    date.fromisocalendar(year, week, 1)  # raises ValueError for week 53 in a 52-week year
    return year, week


def week_bounds(value: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of an ISO week as UTC instants: Monday 00:00 local to next Monday 00:00 local."""
    year, week = parse_week(value)
    monday = date.fromisocalendar(year, week, 1)
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def shift_week(value: str, weeks: int) -> str:
    year, week = parse_week(value)
    monday = date.fromisocalendar(year, week, 1) + timedelta(weeks=weeks)
    y, w, _ = monday.isocalendar()
    return f"{y}-W{w:02d}"
