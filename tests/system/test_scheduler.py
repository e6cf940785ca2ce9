"""The embedded scheduler's run: another pass at once only while passes use up their budget."""

from __future__ import annotations

from bot.scheduler import MAX_PASSES, run_passes
from bot.services import Services


class FakeTicks:
    """A tick that takes the given seconds of a fake monotonic clock, one duration per pass."""

    def __init__(self, durations: list[float]) -> None:
        self.durations, self.now, self.passes = list(durations), 0.0, 0

    def clock(self) -> float:
        return self.now

    def tick(self, services: Services) -> dict[str, int]:
        self.passes += 1
        self.now += self.durations.pop(0) if self.durations else 0.0
        return {}


def test_a_short_pass_is_the_whole_run(services: Services) -> None:
    fake = FakeTicks([2.0])
    assert run_passes(services, tick=fake.tick, clock=fake.clock) == 1 and fake.passes == 1


def test_a_pass_that_used_its_budget_is_followed_at_once(services: Services) -> None:
    budget = 0.9 * services.settings.tick_seconds  # 54 s at the default 60
    fake = FakeTicks([budget, budget + 3, 10.0])
    assert run_passes(services, tick=fake.tick, clock=fake.clock) == 3


def test_passes_are_bounded(services: Services) -> None:
    fake = FakeTicks([1000.0] * 50)
    assert run_passes(services, tick=fake.tick, clock=fake.clock) == MAX_PASSES
    assert fake.passes == MAX_PASSES
