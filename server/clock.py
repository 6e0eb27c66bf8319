"""The one clock every part of Leerlus reads ("now" for the server, the workers and the demo).

In production it is the system clock. Tests, demos and screenshots need the same weeks and the same
demo data on any day of any year, so the clock can be moved: `LEERLUS_TODAY=2026-11-25` (development
only) shifts it by whole days, so every process started with the setting agrees to the second;
tests call `travel_to(moment)` for an exact moment from which time keeps running (sessions, polling
and timeouts still behave). Pure: no Flask, no database.
"""

from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def utcnow() -> datetime:
    return datetime.now(UTC) + _offset


def travel_to(moment: datetime) -> None:
    """From now on the clock reads `moment` and runs on from there."""
    global _offset
    if moment.tzinfo is None:
        raise ValueError("travel_to needs an aware datetime")
    _offset = moment - datetime.now(UTC)


def shift_to_day(day: date) -> None:
    """Whole days only: the time of day stays the system's, so separate processes agree."""
    global _offset
    _offset = timedelta(days=(day - datetime.now(UTC).date()).days)


def reset() -> None:
    global _offset
    _offset = timedelta(0)


def parse_today(value: str | None) -> date | None:
    """The LEERLUS_TODAY setting: an ISO date (YYYY-MM-DD) or nothing."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuntimeError(f"LEERLUS_TODAY must be a date like 2026-11-25, not {value!r}") from None
