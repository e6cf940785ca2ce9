"""A settable clock: tests move time instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.value = now

    def __call__(self) -> datetime:
        return self.value

    def set(self, now: datetime) -> None:
        """Jump to an instant (aware)."""
        assert now.tzinfo is not None
        self.value = now.astimezone(UTC)

    def advance(self, **kwargs: float) -> datetime:
        """Move forward by a timedelta's keyword arguments."""
        self.value = self.value + timedelta(**kwargs)
        return self.value


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    """An instant in November 2026, UTC (the 24th is the pinned clock's Tuesday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)
