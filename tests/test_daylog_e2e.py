"""The evening log end to end: prompt, buttons, modal, plain words, reminders, pause, failures."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot import jobs
from bot.views import daylog as v
from tests.conftest import Running
from tests.daylog_helpers import add_reps, day_status, dms, hours, member, prompts
from tests.fakes import datepicker_value, input_value

D = Decimal
TUE = date(2026, 11, 24)


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def modal_values(day: str, **fields: str) -> dict:
    values = {v.DATE_BLOCK: {v.DATE_ACTION: datepicker_value(day)}}
    for key, value in fields.items():
        values[v.CATEGORY_BLOCK.format(key)] = {v.HOURS_ACTION: input_value(value)}
    return values


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


def test_log_hours_modal_stores_and_confirms(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"))
    jobs.tick(running.services, at(17, 30))
    prompt = dms(running, "U1")[0]
    msg = {"type": "message", "ts": prompts(running)[0].message_ts, "text": "", "user": "UBOT"}
    resp = running.slack.block_action(
        v.OPEN_MODAL, value="2026-11-24", user_id="U1", message=msg, channel_id="DU1"
    )
    assert resp.status == 200
    view = running.fake.wait_for("views.open")[0].json("view")
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels[1] == "Prospecting (calls, research, outreach)" and len(labels) == 8
    resp = running.slack.view_submission(
        v.MODAL_CALLBACK,
        modal_values(
            "2026-11-24", prospecting="2", sales_meetings="1:30", account_service="4", admin="0.5"
        ),
        user_id="U1",
        private_metadata=view["private_metadata"],
    )
    assert resp.status == 200 and resp.text == ""
    confirm = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "Logged Tue 24 Nov: 8 h — hunting 44% · farming 50% · other 6%" in confirm.text
    assert hours(running, "U1", TUE) == {
        "prospecting": D(2),
        "sales_meetings": D("1.5"),
        "account_service": D(4),
        "admin": D("0.5"),
    }
    update = running.fake.wait_for("chat.update")[0]
    assert update.args["ts"] == prompts(running)[0].message_ts == "1700000001.000100"
    assert prompt.args["channel"] == "U1"
    assert "✅ Tue 24 Nov" in update.text


def test_modal_rejects_bad_input_in_place_and_stores_nothing(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"))
    running.clock.set(at(18, 0))
    cases = [
        (modal_values("2026-11-24", prospecting="-1"), "cat_prospecting", "negative"),
        (modal_values("2026-11-24", prospecting="lots"), "cat_prospecting", "isn't a number"),
        (modal_values("2026-11-24", admin="25"), "cat_admin", "more than 24"),
        (modal_values("2026-11-24", prospecting="1.1"), "cat_prospecting", "quarter hours"),
        (
            modal_values("2026-11-24", prospecting="12", account_service="12.5"),
            "cat_account_service",
            "at most 24",
        ),
        (modal_values("2026-11-25", prospecting="1"), "date", "hasn't happened"),
        (modal_values("2026-11-09", prospecting="1"), "date", "older than 14 days"),
    ]
    for values, block, needle in cases:
        resp = running.slack.view_submission(v.MODAL_CALLBACK, values, user_id="U1")
        body = resp.json()
        assert body["response_action"] == "errors", values
        assert needle in body["errors"][block]
    assert hours(running, "U1", TUE) == {} and day_status(running, "U1", TUE) is None
    assert running.fake.calls("chat.postMessage") == []


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
    assert "Updated Mon 23 Nov: 3 h — hunting 0% · farming 100%" in second.text
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


def test_plain_words_log_and_a_replayed_event_confirms_once(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    ts = "1764007200.000200"
    first = running.slack.message_im(
        "prospecting 2, meetings 1.5, accounts 4", user_id="U1", ts=ts, event_id="EvA"
    )
    assert first.status == 200
    running.fake.wait_for("chat.postMessage", 1)
    again = running.slack.message_im(
        "prospecting 2, meetings 1.5, accounts 4", user_id="U1", ts=ts, event_id="EvA", retry_num=1
    )
    assert again.status == 200
    import time

    time.sleep(0.3)
    (confirm,) = running.fake.calls("chat.postMessage")
    assert "7.5 h — hunting 47% · farming 53% · other 0%" in confirm.text
    assert hours(running, "U1", TUE) == {
        "prospecting": D(2),
        "sales_meetings": D("1.5"),
        "account_service": D(4),
    }


def test_unreadable_and_partly_readable_replies_store_nothing(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("had a great day!", user_id="U1")
    help1 = running.fake.wait_for("chat.postMessage", 1)[-1]
    assert "saved nothing" in help1.text and "prospecting 2, meetings 1.5" in help1.text
    running.slack.message_im("prospecting 2, golf 3", user_id="U1")
    help2 = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "I couldn't read “golf 3”, so I saved nothing" in help2.text
    assert day_status(running, "U1", TUE) is None


def test_yesterday_prefix_and_a_non_roster_sender(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("yesterday: renewals 3h", user_id="U1")
    running.fake.wait_for("chat.postMessage", 1)
    assert hours(running, "U1", date(2026, 11, 23)) == {"account_growth": D(3)}
    running.slack.message_im("prospecting 2", user_id="USTRANGER")
    reply = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "not on the rolesplit roster" in reply.text


def test_same_as_yesterday_copies_and_a_double_click_counts_once(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("yesterday prospecting 3, accounts 5", user_id="U1")
    running.fake.wait_for("chat.postMessage", 1)
    for _ in range(2):
        running.slack.block_action(v.SAME_AS_YESTERDAY, value="2026-11-24", user_id="U1")
    confirm = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "8 h — hunting 38% · farming 62%" in confirm.text
    note = running.fake.wait_for_response(1)[0]
    assert "Already recorded" in note["text"]
    assert hours(running, "U1", TUE) == {"prospecting": D(3), "account_service": D(5)}
    assert len(running.fake.calls("chat.postMessage")) == 2


def test_day_off_is_answered_and_left_out_of_shares(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("yesterday prospecting 4", user_id="U1")
    running.fake.wait_for("chat.postMessage", 1)
    running.slack.block_action(v.DAY_OFF, value="2026-11-24", user_id="U1")
    confirm = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "day off" in confirm.text and "This week so far: 4 h — hunting 100%" in confirm.text
    assert day_status(running, "U1", TUE) == "day_off"
    assert jobs.tick(running.services, at(18, 1))["prompts"] == 0  # answered: no prompt


def test_one_reminder_and_none_once_logged(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"))
    jobs.tick(running.services, at(17, 30))
    assert len(running.fake.calls("chat.postMessage")) == 2
    running.clock.set(at(18, 0))
    running.slack.message_im("prospecting 8", user_id="U2")
    running.fake.wait_for("chat.postMessage", 3)
    assert jobs.tick(running.services, at(19, 29))["reminders"] == 0
    assert jobs.tick(running.services, at(19, 30))["reminders"] == 1
    assert jobs.tick(running.services, at(21, 0))["reminders"] == 0
    reminders = [c for c in dms(running, "U1") if "Quick reminder" in c.text]
    assert len(reminders) == 1 and not [c for c in dms(running, "U2") if "reminder" in c.text]


def test_pause_and_resume(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(9, 0))
    answer = running.slack.command("pause 3 days", user_id="U1").json()["text"]
    assert "no evening prompts through Thu 26 Nov" in answer and "Fri 27 Nov" in answer
    assert member(running, "U1").paused_until == date(2026, 11, 26)
    assert jobs.tick(running.services, at(17, 30))["prompts"] == 0
    bad = running.slack.command("pause until yesterday", user_id="U1").json()["text"]
    assert "couldn't read" in bad and member(running, "U1").paused_until == date(2026, 11, 26)
    assert "Welcome back" in running.slack.command("resume", user_id="U1").json()["text"]
    assert jobs.tick(running.services, at(17, 31))["prompts"] == 1


def test_log_command_opens_the_modal_for_a_past_day(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(9, 0))
    assert running.slack.command("log yesterday", user_id="U1").status == 200
    view = running.fake.wait_for("views.open")[0].json("view")
    assert view["blocks"][0]["element"]["initial_date"] == "2026-11-23"
    too_old = running.slack.command("log 2026-11-01", user_id="U1").json()["text"]
    assert "older than 14 days" in too_old
    assert "isn't a date" in running.slack.command("log someday", user_id="U1").json()["text"]


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
    from bot.rules import split

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
