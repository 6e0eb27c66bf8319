"""Quiet hours: when a notification may reach someone, in their team's local time (DST-correct)."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_ZONE = "Europe/Amsterdam"


@dataclass(frozen=True)
class QuietHours:
    start: time = time(18, 0)  # quiet from here ...
    end: time = time(8, 0)  # ... until here (across midnight when start > end)
    weekends: bool = True  # Saturday and Sunday are quiet all day
    zone: str = DEFAULT_ZONE

    @classmethod
    def of(cls, start: str, end: str, weekends: bool, zone: str | None = None) -> "QuietHours":
        return cls(time.fromisoformat(start), time.fromisoformat(end), weekends, zone or DEFAULT_ZONE)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone)

    def _quiet_clock(self, clock: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def is_quiet(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        if self.weekends and local.weekday() >= 5:
            return True
        return self._quiet_clock(local.time().replace(tzinfo=None))

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` itself when it is not quiet, else the first moment after it that is (in UTC)."""
        local = moment.astimezone(self.tz)
        # Each step jumps to the end of one quiet stretch; a week always contains an allowed moment.
        for _ in range(10):
            if not self.is_quiet(local):
                return local.astimezone(UTC)
            day = local.date()
            if self.weekends and local.weekday() >= 5:
                local = self._wall(day + timedelta(days=7 - local.weekday()), time(0, 0))
            elif self.start > self.end and local.time().replace(tzinfo=None) >= self.start:
                local = self._wall(day + timedelta(days=1), self.end)
            else:
                local = self._wall(day, self.end)
        raise ValueError("quiet hours leave no allowed moment")

    def _wall(self, day: date, clock: time) -> datetime:
        # Wall-clock time in the zone: 08:00 stays 08:00 on both sides of a DST change.
        return datetime.combine(day, clock, tzinfo=self.tz)

    def day_bounds(self, moment: datetime) -> tuple[datetime, datetime]:
        """The local calendar day containing `moment`, as a UTC [start, end) range (23/25 h at DST)."""
        day = moment.astimezone(self.tz).date()
        return (
            self._wall(day, time(0, 0)).astimezone(UTC),
            self._wall(day + timedelta(days=1), time(0, 0)).astimezone(UTC),
        )
