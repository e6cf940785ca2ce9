"""`kill -9` of `rolesplit tick` while prompts wait for their pace slot, then tick again: every
rep gets the evening prompt once, except at most a send that was in flight at the kill."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime, timedelta

from tests.faults.harness import IN_FLIGHT_MAX, rep_ids, seed, set_workspace_settings
from tests.faults.procs import HarnessError
from tests.faults.rig import Rig

REPS = 300
SLOW = 600  # dm_per_minute while the pass is killed: 10 a second, the pass would take 30 s
FAST = 12000  # for the pass after it, so the test stays short
# the Slack status read before each prompt keeps out of the way (its own pace is not the subject)
STATUS = {"status_per_minute": 60_000}
KILL_AT = 20  # prompts posted before the kill (about 2 s in)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday; prompts due at 11:30 (UTC reps)
# Sends go out one per pace slot (100 ms apart) and each takes a few ms, so at the kill at most
# one or two are between their slot and Slack (IN_FLIGHT_MAX). The send pool's width (8)
# bounds them too, but today's loss — every claim still waiting for its slot — is also 8.


def iso(instant: datetime) -> str:
    """`--now` as the CLI takes it."""
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_kill_9_of_a_tick_loses_no_prompt_that_was_not_in_flight(rig: Rig) -> None:
    reps = rep_ids(REPS)
    seed(
        rig.db_url,
        reps,
        paused=False,
        prompt_time="11:30",
        settings={"dm_per_minute": SLOW, **STATUS},
        now=NOW,
    )
    rig.procs.env["ROLESPLIT_TICK_SECONDS"] = "60"  # one pass may send for 54 s
    first = rig.procs.spawn("tick", "tick", "--now", iso(NOW))
    deadline = time.monotonic() + 30
    while len(rig.fake.calls("chat.postMessage")) < KILL_AT and time.monotonic() < deadline:
        if first.poll() is not None:
            raise HarnessError(f"the tick ended before the kill: {rig.procs.tail()}")
        time.sleep(0.02)
    if first.poll() is not None or len(rig.fake.calls("chat.postMessage")) < KILL_AT:
        raise HarnessError(f"no kill mid-pass: {rig.procs.tail()}")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    at_kill = len(rig.fake.calls("chat.postMessage"))

    set_workspace_settings(rig.db_url, {"dm_per_minute": FAST, **STATUS})
    # the next pass, half an hour on: past any claim's lease, still inside the prompt window
    rig.procs.tick(now=NOW + timedelta(minutes=30))

    sent = rig.fake.dm_counts()
    twice = {u: n for u, n in sent.items() if n > 1}
    assert not twice, f"prompted more than once: {twice}"
    missing = [u for u in reps if not sent[u]]
    assert len(missing) <= IN_FLIGHT_MAX, (
        f"{len(missing)} reps never prompted ({at_kill} sent before the kill); at most "
        f"{IN_FLIGHT_MAX} sends can have been in flight: {missing[:10]}"
    )
