"""The listener pool's post-ack lane and the coalesced App Home refresh."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime

import pytest

from bot.slack.pool import Coalescer, ListenerPool, after_ack
from tests.support.app import Running
from tests.support.constants import EARLY
from tests.support.daylog import add_reps


def test_calls_while_one_runs_fold_into_one_more_run_that_sees_the_latest_state() -> None:
    coalescer = Coalescer()
    state = {"value": 0}
    seen: list[int] = []
    started, release = threading.Event(), threading.Event()

    def work() -> None:
        seen.append(state["value"])
        started.set()
        release.wait(10)

    first = threading.Thread(target=coalescer.run, args=("k", work))
    first.start()
    assert started.wait(10)
    for value in (1, 2, 3):  # three more changes while the first run is in progress
        state["value"] = value
        assert coalescer.run("k", work) is False
    release.set()
    first.join(10)
    assert seen == [0, 3]  # one more run, after the last change
    assert coalescer.run("k", work) is True  # idle again: runs at once
    assert seen == [0, 3, 3]


def test_other_keys_are_not_held_back() -> None:
    coalescer = Coalescer()
    release, ran = threading.Event(), []
    held = threading.Thread(target=coalescer.run, args=("a", lambda: release.wait(10)))
    held.start()
    assert coalescer.run("b", lambda: ran.append("b")) is True
    release.set()
    held.join(10)
    assert ran == ["b"]


def test_a_failed_run_does_not_block_the_key() -> None:
    coalescer = Coalescer()

    def boom() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        coalescer.run("k", boom)
    ran: list[int] = []
    assert coalescer.run("k", lambda: ran.append(1)) is True and ran == [1]


def test_deferred_work_waits_for_requests_being_answered_then_runs() -> None:
    pool = ListenerPool(listeners=2, after_ack=1, yield_ms=60_000)
    done = threading.Event()
    with pool.answering():
        pool.defer(done.set)
        assert not done.wait(0.2)  # an ack in flight comes first
    assert done.wait(10)  # …and the work starts as soon as it is answered
    pool.shutdown()


def test_shutdown_finishes_the_deferred_work_and_later_work_runs_inline() -> None:
    pool = ListenerPool(listeners=2, after_ack=1)
    ran: list[int] = []
    pool.submit(lambda: [pool.defer(ran.append, i) for i in range(5)])
    pool.shutdown(wait=True)
    assert ran == [0, 1, 2, 3, 4]
    pool.defer(ran.append, 5)
    pool.soon(ran.append, 6)  # a views.open handed on during the drain is not dropped either
    assert ran[-2:] == [5, 6]


def test_a_failing_deferred_task_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    pool = ListenerPool(listeners=1, after_ack=1)

    def boom() -> None:
        raise ValueError("broken")

    with caplog.at_level(logging.ERROR, logger="bot.slack.pool"):
        pool.defer(boom)
        pool.shutdown(wait=True)
    assert any(r.message == "work after ack failed" for r in caplog.records)


def test_after_ack_runs_inline_without_a_pool() -> None:
    ran: list[str] = []
    after_ack({}, ran.append, "x")
    assert ran == ["x"]


def test_several_logs_in_a_row_end_with_the_latest_numbers_on_the_home_tab(
    running: Running,
) -> None:
    add_reps(running, ("U1", "UTC"), created_at=EARLY)
    running.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    for n, text in enumerate(
        ("prospecting 1", "prospecting 2, accounts 1", "prospecting 3, accounts 3")
    ):
        running.slack.message_im(text, user_id="U1", ts=f"1764000000.00000{n}")
    running.fake.wait_for("chat.postMessage", 3, predicate=lambda c: c.args["channel"] == "U1")
    running.fake.wait_for(
        "views.publish",
        predicate=lambda c: (
            "Your week so far:* 6 h — hunting 50% · farming 50%"
            in json.dumps(c.args["view"], ensure_ascii=False)
        ),
    )
    last = json.dumps(running.fake.home_views["U1"], ensure_ascii=False)
    assert "Your week so far:* 6 h" in last
    assert running.fake.contract_violations == []


def test_a_listener_marked_inline_runs_in_the_calling_thread_once() -> None:
    pool = ListenerPool(listeners=2, after_ack=1)
    here = threading.get_ident()
    with pool.inline():
        first = pool.submit(threading.get_ident).result(10)
        second = pool.submit(threading.get_ident).result(10)
    with pool.inline(False):
        third = pool.submit(threading.get_ident).result(10)
    pool.shutdown()
    assert first == here  # the listener itself, answered without waiting for a poll
    assert second != here and third != here  # anything else it starts goes to the pool


def test_wait_idle_waits_for_work_after_the_ack_and_says_when_it_is_still_busy() -> None:
    pool = ListenerPool(listeners=2, after_ack=1, yield_ms=0)
    try:
        assert pool.wait_idle(0.01) is True  # nothing to wait for
        started, release, done = threading.Event(), threading.Event(), []

        def work() -> None:
            started.set()
            release.wait(10)
            done.append(1)

        pool.defer(work)
        assert started.wait(10)
        assert pool.wait_idle(0.05) is False  # still sending: the caller is told
        threading.Timer(0.05, release.set).start()
        assert pool.wait_idle(10) is True
        assert done == [1]  # idle means the work has finished, not merely started
        # a send waiting for its pace slot on the background lane is work under way too
        gate = threading.Event()
        assert pool.background(gate.wait, 10)
        assert pool.wait_idle(0.05) is False
        gate.set()
        assert pool.wait_idle(10) is True
    finally:
        pool.shutdown(wait=True)


def test_the_background_lane_is_bounded_and_leaves_what_waits_at_shutdown() -> None:
    pool = ListenerPool(listeners=2, after_ack=1)
    pool.background_limit = 3
    gate, ran = threading.Event(), []
    assert pool.background(gate.wait, 10)  # a send waiting for its pace slot
    assert pool.background(ran.append, "a") and pool.background(ran.append, "b")
    assert pool.background(ran.append, "c") is False  # full: the row stays for the pass
    assert pool.outstanding == 0  # outside the admission bound: acks are not held up
    threading.Timer(0.2, gate.set).start()
    pool.shutdown()  # the send under way finishes; the ones waiting are left
    assert ran == [] and pool.background(ran.append, "d") is False
