"""The evening prompts end to end: local times, catch-up, reminders, retries, failures, zones."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot import jobs
from bot.timelog import views as v
from storage.models import Prompt
from tests.support.app import Running
from tests.support.clock import at
from tests.support.constants import TUE
from tests.support.daylog import add_reps, dms, hours, member, modal_values, prompts

D = Decimal


def test_prompt_goes_out_at_each_members_local_time_once(running: Running) -> None:
    add_reps(running, ("UIN", "Asia/Kolkata"), ("UNY", "America/New_York"))
    assert jobs.tick(running.services, at(11, 59))["prompts"] == 0
    assert jobs.tick(running.services, at(12, 0))["prompts"] == 1  # 17:30 in Kolkata
    assert jobs.tick(running.services, at(12, 1))["prompts"] == 0
    (call,) = dms(running, "UIN")
    blocks = call.json("blocks")
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [v.OPEN_MODAL, v.SAME_AS_YESTERDAY, v.DAY_OFF]
    assert "This week so far: no hours yet" in call.text
    assert jobs.tick(running.services, at(22, 30))["prompts"] == 1  # 17:30 in New York
    assert [p.local_date for p in prompts(running)] == [TUE, TUE]
    assert running.fake.contract_violations == []


def test_missed_prompts_are_caught_up_inside_the_window_and_skipped_after(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"), ("U2", "Asia/Kolkata"))
    # a restart at 20:00 UTC: London (17:30) is inside its 4 h window, Kolkata (12:00 UTC) not
    assert jobs.tick(running.services, at(20, 0))["prompts"] == 1
    assert dms(running, "U1") and not dms(running, "U2")


def test_logging_a_day_again_replaces_it(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.view_submission(
        v.MODAL_CALLBACK,
        modal_values("2026-11-23", prospecting="6"),
        user_id="U1",
        view_id="V1",
        hash="a",
    )
    running.fake.wait_for("chat.postMessage", 1)
    running.slack.view_submission(
        v.MODAL_CALLBACK,
        modal_values("2026-11-23", account_growth="3"),
        user_id="U1",
        view_id="V2",
        hash="b",
    )
    second = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "Updated Mon 23 Nov: 3 h — hunting 0 h (0%) · farming 3 h (100%)" in second.text
    assert hours(running, "U1", date(2026, 11, 23)) == {"account_growth": D(3)}


def test_a_double_submitted_modal_counts_once(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    values = modal_values("2026-11-24", prospecting="2")
    for _ in range(2):
        running.slack.view_submission(
            v.MODAL_CALLBACK, values, user_id="U1", view_id="V7", hash="same"
        )
    running.fake.wait_for("chat.postMessage", 1)
    import time

    time.sleep(0.3)
    assert len(running.fake.calls("chat.postMessage")) == 1
    assert hours(running, "U1", TUE) == {"prospecting": D(2)}


def test_yesterday_prefix_and_a_non_roster_sender(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("yesterday: renewals 3h", user_id="U1")
    running.fake.wait_for("chat.postMessage", 1)
    assert hours(running, "U1", date(2026, 11, 23)) == {"account_growth": D(3)}
    running.slack.message_im("prospecting 2", user_id="USTRANGER")
    reply = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "not on the rolesplit roster" in reply.text


def test_one_reminder_and_none_once_logged(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"))
    jobs.tick(running.services, at(17, 30))
    assert len(running.fake.calls("chat.postMessage")) == 2
    running.clock.set(at(18, 0))
    running.slack.message_im("prospecting 8", user_id="U2")
    running.fake.wait_for("chat.postMessage", 3)
    assert jobs.tick(running.services, at(19, 29))["reminders"] == 0
    # due 120 min after the prompt was actually sent (17:30 plus the moments sending took)
    assert jobs.tick(running.services, at(19, 31))["reminders"] == 1
    assert jobs.tick(running.services, at(21, 0))["reminders"] == 0
    reminders = [c for c in dms(running, "U1") if "Quick reminder" in c.text]
    assert len(reminders) == 1 and not [c for c in dms(running, "U2") if "reminder" in c.text]


def test_permanent_slack_errors_take_the_member_off_and_the_tick_goes_on(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), ("U3", "UTC"))
    running.fake.fail_next(
        "chat.postMessage", "user_not_found", when=lambda a: a["channel"] == "U1"
    )
    running.fake.fail_next("chat.postMessage", "cannot_dm_bot", when=lambda a: a["channel"] == "U2")
    assert jobs.tick(running.services, at(17, 30))["prompts"] == 1
    assert (
        not member(running, "U1").active
        and "user_not_found" in member(running, "U1").inactive_reason
    )
    assert not member(running, "U2").active
    assert member(running, "U3").active


def test_server_errors_are_retried_on_a_later_tick_and_429_waits(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.fake.server_error_next("chat.postMessage", 503)
    assert jobs.tick(running.services, at(17, 30))["prompts"] == 0
    assert prompts(running)[0].status == "retry"
    running.fake.rate_limit_next("chat.postMessage", retry_after=1)
    assert jobs.tick(running.services, at(17, 31))["prompts"] == 1
    assert [p.status for p in prompts(running)] == ["sent"]
    assert len(running.fake.calls("chat.postMessage")) == 3  # 503, 429, then the prompt


def test_a_zone_change_never_sends_a_second_prompt_for_the_same_local_date(
    running: Running,
) -> None:
    add_reps(running, ("U1", "Europe/London"))
    assert jobs.tick(running.services, at(17, 30))["prompts"] == 1
    # moves to New York the same evening: 17:30 there is 22:30 UTC, still 24 Nov locally
    running.fake.set_user_tz("U1", "America/New_York")
    running.slack.event({"type": "user_change", "user": {"id": "U1", "tz": "America/New_York"}})
    import time

    deadline = time.monotonic() + 5
    while member(running, "U1").tz != "America/New_York" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.tick(running.services, at(22, 30))["prompts"] == 0
    # the next evening it follows the new zone
    assert jobs.tick(running.services, at(22, 29, day=25))["prompts"] == 0
    assert jobs.tick(running.services, at(22, 30, day=25))["prompts"] == 1


def test_prompt_blocks_are_within_slack_limits() -> None:
    from bot.split import split

    blocks = v.prompt_blocks("U1", TUE, v.Week(split({"hunting": D(3)}), 1))
    assert len(json.dumps(blocks)) < 3000 and len(blocks) <= 50


def test_dst_evening_in_new_york(running: Running) -> None:
    add_reps(running, ("U1", "America/New_York"))
    # Friday 2026-03-06 (EST): 17:30 = 22:30 UTC; Monday 2026-03-09 (EDT): 17:30 = 21:30 UTC
    assert jobs.tick(running.services, datetime(2026, 3, 6, 22, 30, tzinfo=UTC))["prompts"] == 1
    assert jobs.tick(running.services, datetime(2026, 3, 9, 21, 29, tzinfo=UTC))["prompts"] == 0
    assert jobs.tick(running.services, datetime(2026, 3, 9, 21, 30, tzinfo=UTC))["prompts"] == 1
    assert (
        jobs.tick(
            running.services, datetime(2026, 3, 9, 21, 30, tzinfo=UTC) + timedelta(minutes=1)
        )["prompts"]
        == 0
    )


def _left_by_a_dead_process(running: Running, status: str) -> None:
    with running.session() as s:  # a process claimed U1's prompt at 17:30, then died
        s.add(
            Prompt(
                member_id=member(running, "U1").id,
                local_date=TUE,
                due_at=at(17, 30),
                claimed_at=at(17, 30),
                status=status,
                attempts=1,
            )
        )


def test_a_send_interrupted_on_the_wire_is_marked_failed_never_resent_and_logged(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    add_reps(running, ("U1", "UTC"))
    _left_by_a_dead_process(running, "sending")
    with caplog.at_level(logging.WARNING, logger="bot.timelog.prompts"):
        assert jobs.tick(running.services, at(17, 40))["prompts"] == 0
    (row,) = prompts(running)
    assert row.status == "failed" and row.error and row.error.startswith("interrupted")
    assert dms(running, "U1") == []  # it may have gone out: never a second one
    (line,) = [r for r in caplog.records if getattr(r, "outcome", "") == "interrupted"]
    assert (line.team_id, line.user) == ("T0001", "U1")  # type: ignore[attr-defined]


def test_a_claim_that_never_reached_its_send_is_sent_by_a_later_pass(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    _left_by_a_dead_process(running, "claimed")  # waiting for its pace slot at the crash
    assert jobs.tick(running.services, at(17, 40))["prompts"] == 1
    (row,) = prompts(running)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(dms(running, "U1")) == 1
    assert jobs.tick(running.services, at(17, 50))["prompts"] == 0
