"""The fault tests' rig: one test's world (database, fake Slack, app processes) and its checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tests.faults.harness import Db, FaultySlack, settle
from tests.faults.procs import Procs

LATER = timedelta(minutes=30)  # the final scheduler pass runs as of this much later


@dataclass
class Rig:
    """One test's world: its database URL, fake Slack, `python -m bot` processes and a reader."""

    db_url: str
    fake: FaultySlack
    procs: Procs
    db: Db

    def state(self) -> tuple[int, int]:
        """Stored days and delivered DMs, to see whether anything still moves."""
        days = self.db.days()
        return sum(len(d) for d in days.values()), sum(self.fake.dm_counts().values())

    def finish(self) -> None:
        """Stop the app (it drains what it started), then one scheduler pass half an hour on
        (past any retry back-off or claim lease): whatever is still owed goes out now, and
        whatever would go out twice, does."""
        self.procs.stop_servers()
        self.procs.tick(now=datetime.now(UTC) + LATER)

    def settle_answered(self, reps: Sequence[str], timeout: float = 25.0) -> bool:
        """Wait until every rep has a stored day and a DM, or nothing moves; then `finish`."""

        def done() -> bool:
            days, dms = self.db.days(), self.fake.dm_counts()
            return all(u in days and dms[u] for u in reps)

        return settle(done, self.state, self.finish, timeout=timeout)

    def settle_on(self, done: Callable[[], bool], state: Callable[[], Any]) -> bool:
        """Wait until `done()`, or nothing moves; then `finish`."""
        return settle(done, state, self.finish)

    def check_each_stored_once_and_confirmed_once(
        self, reps: Sequence[str], total: str, acked: Sequence[str], in_flight: int = 0
    ) -> None:
        """Every rep: one day, saved once, `total` hours; exactly one DM mentioning it.

        `in_flight`: confirmations that may be lost because a kill caught them on the wire.
        """
        days, dms = self.db.days(), self.fake.dm_counts()
        lost = [u for u in acked if u not in days]
        assert not lost, (
            f"{len(lost)} of {len(acked)} acknowledged days were never stored: {lost[:10]}"
        )
        missing = [u for u in reps if u not in days]
        assert not missing, f"{len(missing)} days never stored even when sent again: {missing}"
        doubled = {
            u: d
            for u, d in days.items()
            if len(d) != 1 or d[0][1] != 1 or d[0][2] != Decimal(total)
        }
        assert not doubled, f"days stored more than once or wrong (date, saves, hours): {doubled}"
        unconfirmed = [u for u in days if dms[u] == 0]
        assert len(unconfirmed) <= in_flight, (
            f"{len(unconfirmed)} of {len(days)} stored days never confirmed: {unconfirmed[:10]}"
        )
        twice = {u: n for u, n in dms.items() if n > 1}
        assert not twice, f"confirmed more than once: {twice}"
        wrong = [u for u in reps if dms[u] and total not in self.fake.dm(u)[0]]
        assert not wrong, f"confirmations without the day's {total} h: {wrong[:5]}"
