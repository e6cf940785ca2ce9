"""The demo's clock: it stands still until the visitor moves it, and the app reads it."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class DemoClock:
    """A settable UTC clock (the app's `Services.clock`)."""

    def __init__(self, now: datetime) -> None:
        self._lock = threading.Lock()
        self._now = now.astimezone(UTC)

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, now: datetime, *, rewind: bool = False) -> datetime:
        """Move to an instant; never backwards (what was sent stays in the past) unless asked
        to rewind, which only the seeding does, before anything is sent."""
        with self._lock:
            now = now.astimezone(UTC)
            self._now = now if rewind else max(self._now, now)
            return self._now


def next_local(now: datetime, tz: str, at: time, weekdays: tuple[int, ...]) -> datetime:
    """The first instant after `now` that is `at` local time on one of `weekdays` (UTC)."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    for offset in range(0, 15):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        candidate = datetime.combine(day, at, zone)
        if candidate > local:
            return candidate.astimezone(UTC)
    raise ValueError("no such day in the next two weeks")


def local_instant(day: date, at: time, tz: str) -> datetime:
    """A local date and time in a zone, as UTC."""
    return datetime.combine(day, at, ZoneInfo(tz)).astimezone(UTC)


def passes(
    now: datetime, target: datetime, every: timedelta = timedelta(hours=1)
) -> list[datetime]:
    """The scheduler passes between two instants, as the embedded scheduler would have run
    them: every hour at half past (the prompt and rollup times of the sample agency's zones
    fall on it, or within its window), then the target itself."""
    start = now.astimezone(UTC).replace(minute=30, second=0, microsecond=0)
    if start <= now:
        start += timedelta(hours=1)
    out = []
    while start < target:
        out.append(start)
        start += timedelta(hours=1)
    return [*out, target]


WORK_DAYS = (0, 1, 2, 3, 4)
MONDAY = (0,)


def jump(now: datetime, to: str, tz: str, workspace_tz: str) -> datetime:
    """Where a clock button goes: `17:30` (the person's next work-day evening), `+1h`, `+1d`,
    `+1w`, or `mon09:00` (the next Monday 09:00 in the workspace's zone)."""
    if to == "17:30":
        return next_local(now, tz, time(17, 30), WORK_DAYS)
    if to == "mon09:00":
        return next_local(now, workspace_tz, time(9, 0), MONDAY)
    steps = {"+1h": timedelta(hours=1), "+1d": timedelta(days=1), "+1w": timedelta(days=7)}
    if to in steps:
        return now + steps[to]
    raise ValueError(f"unknown clock move {to!r}")
