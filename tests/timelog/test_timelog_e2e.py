"""The evening log end to end over real HTTP: prompt, buttons, modal, plain words, pause."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot import jobs
from bot.timelog import views as v
from storage import timelog_repo as tl_repo
from tests.fakes import datepicker_value, input_value
from tests.support.app import Running
from tests.support.clock import at
from tests.support.constants import TEAM_ID, TUE
from tests.support.daylog import (
    add_reps,
    day_status,
    dms,
    hours,
    member,
    modal_values,
    number_value,
    prompts,
)

D = Decimal


def settle(run: Running, method: str = "chat.postMessage", count: int = 1) -> list[Any]:
    """Wait for `count` calls, then a moment more so that a wrong extra call would show."""
    run.fake.wait_for(method, count)
    time.sleep(0.3)
    return run.fake.calls(method)


def test_prompt_at_local_time_with_week_so_far_and_buttons(running: Running) -> None:
    add_reps(running, ("UIN", "Asia/Kolkata"), ("UNY", "America/New_York"))
    assert jobs.tick(running.services, at(11, 59))["prompts"] == 0
    assert jobs.tick(running.services, at(12, 0))["prompts"] == 1  # 17:30 in Kolkata
    assert jobs.tick(running.services, at(12, 1))["prompts"] == 0
    (call,) = dms(running, "UIN")
    assert call.args["channel"] == "UIN"
    blocks = call.json("blocks")
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [v.OPEN_MODAL, v.SAME_AS_YESTERDAY, v.DAY_OFF]
    assert "This week so far: no hours yet" in call.text and "<@UIN>" in call.text
    assert jobs.tick(running.services, at(22, 30))["prompts"] == 1  # 17:30 in New York
    assert [(p.local_date, p.status) for p in prompts(running)] == [(TUE, "sent"), (TUE, "sent")]
    assert running.fake.contract_violations == []


def test_log_hours_button_opens_prefilled_modal_and_saving_confirms(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"))
    jobs.tick(running.services, at(17, 30))
    ts = prompts(running)[0].message_ts
    running.clock.set(at(18, 0))
    running.slack.message_im("prospecting 3", user_id="U1")  # already something for today
    running.fake.wait_for("chat.postMessage", 2)
    msg = {"type": "message", "ts": ts, "text": "", "user": "UBOT"}
    resp = running.slack.block_action(
        v.OPEN_MODAL, value="2026-11-24", user_id="U1", message=msg, channel_id="DU1"
    )
    assert resp.status == 200
    view = running.fake.wait_for("views.open")[0].json("view")
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["cat_prospecting"]["label"]["text"] == "Prospecting (calls, research, outreach)"
    hours_el = inputs["cat_prospecting"]["element"]
    assert hours_el["type"] == "number_input" and hours_el["is_decimal_allowed"] is True
    assert (hours_el["min_value"], hours_el["max_value"]) == ("0", "24")
    assert hours_el["initial_value"] == "3"
    assert hours_el["placeholder"]["text"] == "0"
    assert inputs[v.NOTE_BLOCK]["label"]["text"] == "Note" and inputs[v.NOTE_BLOCK]["optional"]
    assert inputs[v.DATE_BLOCK]["element"]["initial_date"] == "2026-11-24"
    assert len(inputs) == 8  # date, six categories, note
    resp = running.slack.view_submission(
        v.MODAL_CALLBACK,
        modal_values(
            "2026-11-24", prospecting="2", sales_meetings="1.5", account_service="4", admin="0.5"
        ),
        user_id="U1",
        private_metadata=view["private_metadata"],
    )
    assert resp.status == 200 and resp.text == ""
    confirm = running.fake.wait_for("chat.postMessage", 3)[-1]
    assert "Updated Tue 24 Nov: 8 h — hunting 3.5 h (44%) · farming 4 h (50%)" in confirm.text
    assert hours(running, "U1", TUE) == {
        "prospecting": D(2),
        "sales_meetings": D("1.5"),
        "account_service": D(4),
        "admin": D("0.5"),
    }
    # the prompt was updated in place after each of the two logs, never a second message
    updates = settle(running, "chat.update", 2)
    assert [(u.args["channel"], u.args["ts"]) for u in updates] == [("DU1", ts)] * 2
    assert "✅ *Tue 24 Nov*: 8 h" in updates[-1].text
    assert running.fake.contract_violations == []


def test_modal_errors_are_answered_in_place_and_nothing_is_stored(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"))
    running.clock.set(at(18, 0))
    cases = [
        (modal_values("2026-11-24", prospecting="-1"), "cat_prospecting", "negative"),
        (modal_values("2026-11-24", prospecting="lots"), "cat_prospecting", "isn't a number"),
        (modal_values("2026-11-24", admin="25"), "cat_admin", "more than 24"),
        (modal_values("2026-11-24", prospecting="1.1"), "cat_prospecting", "quarter hours like"),
        (
            modal_values("2026-11-24", prospecting="12", account_service="12.5"),
            "cat_account_service",
            "at most 24",
        ),
        (modal_values("2026-11-24"), "cat_prospecting", "at least one category"),
        (modal_values("2026-11-25", prospecting="1"), v.DATE_BLOCK, "hasn't happened yet"),
        (modal_values("2026-11-09", prospecting="1"), v.DATE_BLOCK, "older than 14 days"),
    ]
    for values, block, needle in cases:
        body = running.slack.view_submission(v.MODAL_CALLBACK, values, user_id="U1").json()
        assert body["response_action"] == "errors", values
        assert needle in body["errors"][block], body
    # the oldest day inside the window is fine
    ok = running.slack.view_submission(
        v.MODAL_CALLBACK, modal_values("2026-11-10", admin="1"), user_id="U1", view_id="Vok"
    )
    assert ok.text == ""
    settle(running)
    assert hours(running, "U1", TUE) == {} and day_status(running, "U1", TUE) is None
    assert hours(running, "U1", date(2026, 11, 10)) == {"admin": D(1)}
    assert len(running.fake.calls("chat.postMessage")) == 1


def test_a_date_in_the_future_is_judged_in_the_members_zone(running: Running) -> None:
    add_reps(running, ("UAK", "Pacific/Auckland"), ("UNY", "America/New_York"))
    running.clock.set(at(12, 0))  # Wed 01:00 in Auckland, Tue 07:00 in New York
    values = modal_values("2026-11-25", prospecting="1")
    assert running.slack.view_submission(v.MODAL_CALLBACK, values, user_id="UAK").text == ""
    ny = running.slack.view_submission(v.MODAL_CALLBACK, values, user_id="UNY", view_id="V2")
    assert "hasn't happened yet" in ny.json()["errors"][v.DATE_BLOCK]


def pick_date(run: Running, view: dict[str, Any], day: str, user_id: str = "U1") -> Any:
    """The block_actions payload Slack sends when the modal's datepicker changes."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "77.1.trigger",
        "container": {"type": "view", "view_id": view["id"]},
        "view": view,
        "actions": [
            {
                "action_id": v.DATE_ACTION,
                "block_id": v.DATE_BLOCK,
                "type": "datepicker",
                "selected_date": day,
                "action_ts": "1764007200.1",
            }
        ],
    }
    return run.slack._interaction(payload)


def test_changing_the_date_reloads_that_days_hours(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("yesterday: renewals 2, admin 1", user_id="U1")
    running.fake.wait_for("chat.postMessage", 1)
    running.slack.command("log", user_id="U1")
    running.fake.wait_for("views.open")

    def log_modals() -> list[dict[str, Any]]:
        views = list(running.fake.views.values())
        return [x for x in views if x.get("callback_id") == v.MODAL_CALLBACK]

    deadline = time.monotonic() + 10  # the fake stores the view just after recording the call
    while not log_modals() and time.monotonic() < deadline:
        time.sleep(0.02)
    (opened,) = log_modals()
    assert pick_date(running, opened, "2026-11-23").status == 200
    update = running.fake.wait_for("views.update")[0]
    assert update.args["view_id"] == opened["id"] and update.args["hash"] == opened["hash"]
    inputs = {b["block_id"]: b for b in update.json("view")["blocks"] if b["type"] == "input"}
    growth = inputs["cat_account_growth.2026-11-23"]["element"]
    assert growth["initial_value"] == "2"
    resp = running.slack.view_submission(
        v.MODAL_CALLBACK,
        {
            v.DATE_BLOCK: {v.DATE_ACTION: datepicker_value("2026-11-23")},
            "cat_account_growth.2026-11-23": {v.HOURS_ACTION: number_value("3")},
            "cat_admin.2026-11-23": {v.HOURS_ACTION: number_value(None)},
        },
        user_id="U1",
        view_id=opened["id"],
    )
    assert resp.text == ""
    running.fake.wait_for("chat.postMessage", 2)
    assert hours(running, "U1", date(2026, 11, 23)) == {"account_growth": D(3)}


def test_same_as_yesterday_copies_and_a_double_click_counts_once(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("2026-11-20 prospecting 3, accounts 5", user_id="U1")
    running.slack.message_im("yesterday day off", user_id="U1")  # days off are not copied
    running.fake.wait_for("chat.postMessage", 2)
    for _ in range(2):
        running.slack.block_action(v.SAME_AS_YESTERDAY, value="2026-11-24", user_id="U1")
    confirm = running.fake.wait_for("chat.postMessage", 3)[-1]
    assert "Logged Tue 24 Nov: 8 h — hunting 3 h (38%) · farming 5 h (62%)" in confirm.text
    assert "Already recorded" in running.fake.wait_for_response(1)[0]["text"]
    assert hours(running, "U1", TUE) == {"prospecting": D(3), "account_service": D(5)}
    assert len(settle(running, count=3)) == 3


def test_same_as_yesterday_with_nothing_to_copy_offers_the_modal(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.block_action(v.SAME_AS_YESTERDAY, value="2026-11-24", user_id="U1")
    view = running.fake.wait_for("views.open")[0].json("view")
    assert "no earlier day with hours to copy" in view["blocks"][0]["text"]["text"]
    assert view["callback_id"] == v.MODAL_CALLBACK
    assert day_status(running, "U1", TUE) is None


def test_day_off_counts_as_answered_and_is_left_out_of_the_shares(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(12, 0))
    running.slack.message_im("yesterday prospecting 4", user_id="U1")
    running.fake.wait_for("chat.postMessage", 1)
    running.slack.block_action(v.DAY_OFF, value="2026-11-24", user_id="U1")
    running.slack.block_action(v.DAY_OFF, value="2026-11-24", user_id="U1")
    confirm = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "day off" in confirm.text
    assert "This week so far: 4 h over 2 days — hunting 100%" in confirm.text
    assert day_status(running, "U1", TUE) == "day_off"
    assert jobs.tick(running.services, at(17, 30))["prompts"] == 0  # answered: no prompt
    assert len(settle(running, count=2)) == 2


def test_plain_words_log_and_a_replayed_event_confirms_once(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    ts = "1764007200.000200"
    text = "Prospecting 2h, meetings 1.5, accounts 4"
    assert running.slack.message_im(text, user_id="U1", ts=ts, event_id="EvA").status == 200
    running.fake.wait_for("chat.postMessage", 1)
    for retry in (1, 2):
        again = running.slack.message_im(text, user_id="U1", ts=ts, event_id="EvA", retry_num=retry)
        assert again.status == 200
    (confirm,) = settle(running)
    assert "7.5 h — hunting 3.5 h (47%) · farming 4 h (53%) · other 0 h (0%)" in confirm.text
    assert hours(running, "U1", TUE) == {
        "prospecting": D(2),
        "sales_meetings": D("1.5"),
        "account_service": D(4),
    }


def test_unreadable_and_partly_readable_replies_store_nothing(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.slack.message_im("had a great day!", user_id="U1")
    first = running.fake.wait_for("chat.postMessage", 1)[-1]
    assert "saved nothing" in first.text and "prospecting 2, meetings 1.5" in first.text
    running.slack.message_im("prospecting 2, golf 3", user_id="U1")
    second = running.fake.wait_for("chat.postMessage", 2)[-1]
    assert "I don't know “golf” — the categories are prospecting, meetings" in second.text
    assert "saved nothing" in second.text
    running.slack.message_im("prospecting 20, admin 5", user_id="U1")
    third = running.fake.wait_for("chat.postMessage", 3)[-1]
    assert "adds up to 25 h" in third.text
    assert day_status(running, "U1", TUE) is None


def test_bot_messages_edits_and_channel_messages_are_ignored(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    base = {"type": "message", "user": "U1", "text": "prospecting 2", "channel": "DU1"}
    running.slack.event({**base, "channel_type": "im", "subtype": "message_changed", "ts": "1.1"})
    running.slack.event({**base, "channel_type": "im", "bot_id": "B1", "ts": "1.2"})
    running.slack.event({**base, "channel_type": "channel", "channel": "C1", "ts": "1.3"})
    running.slack.message_im("admin 1", user_id="U1")  # the one that counts
    assert len(settle(running)) == 1
    assert hours(running, "U1", TUE) == {"admin": D(1)}


def test_non_roster_and_manager_senders_are_told_why(running: Running) -> None:
    add_reps(running, ("UBOSS", "UTC"), role="manager")
    running.clock.set(at(18, 0))
    running.slack.message_im("prospecting 2", user_id="USTRANGER")
    running.slack.message_im("prospecting 2", user_id="UBOSS")
    texts = [c.text for c in running.fake.wait_for("chat.postMessage", 2)]
    assert any("not on the rolesplit roster" in t for t in texts)
    assert any("only reps" in t for t in texts)


def test_log_command_opens_the_modal_for_a_past_day(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(9, 0))
    assert running.slack.command("log yesterday", user_id="U1").status == 200
    view = running.fake.wait_for("views.open")[0].json("view")
    date_block = next(b for b in view["blocks"] if b.get("block_id") == v.DATE_BLOCK)
    assert date_block["element"]["initial_date"] == "2026-11-23"
    assert "older than 14 days" in running.slack.command("log 2026-11-01", user_id="U1").text
    assert "hasn't happened" in running.slack.command("log 2026-11-25", user_id="U1").text
    assert "isn't a day I know" in running.slack.command("log someday", user_id="U1").text
    assert "not on the rolesplit roster" in running.slack.command("log", user_id="UX").text
    assert len(running.fake.calls("views.open")) == 1


def test_a_day_the_database_could_not_save_keeps_the_form_open_to_save_again(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("UPDATE day_log", {}, Exception("database is locked"))

    monkeypatch.setattr(tl_repo, "save_day", down)
    values = modal_values("2026-11-24", prospecting="2", account_service="4.5")
    values[v.NOTE_BLOCK] = {v.NOTE_ACTION: input_value("big renewal call")}
    answer = running.slack.view_submission(v.MODAL_CALLBACK, values, user_id="U1")
    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors"
    assert "couldn't save this just now, so nothing changed" in body["errors"][v.DATE_BLOCK]
    assert hours(running, "U1", TUE) == {}
    # Save again, once the database answers: stored and confirmed once
    monkeypatch.undo()
    again = running.slack.view_submission(v.MODAL_CALLBACK, values, user_id="U1")
    assert again.status == 200 and again.text == ""
    (told,) = running.fake.wait_for("chat.postMessage")
    assert "Tue 24 Nov" in told.text
    assert hours(running, "U1", TUE) == {"prospecting": D(2), "account_service": D("4.5")}


def test_a_form_slack_would_not_open_is_explained_in_the_dm(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(18, 0))
    running.fake.fail_next("views.open", "expired_trigger_id")
    resp = running.slack.block_action(v.OPEN_MODAL, value="2026-11-24", user_id="U1")
    assert resp.status == 200
    (told,) = running.fake.wait_for("chat.postMessage")
    assert told.args["channel"] == "U1"
    assert "couldn't open the form for Tue 24 Nov (Slack said `expired_trigger_id`)" in told.text
    assert "reply here in plain words" in told.text
    assert day_status(running, "U1", TUE) is None  # nothing stored


def test_pause_and_resume(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(9, 0))
    answer = running.slack.command("pause 3 days", user_id="U1").json()["text"]
    assert "no evening prompts through Thu 26 Nov" in answer
    assert "restart Fri 27 Nov at 17:30 your time (UTC)" in answer
    assert member(running, "U1").paused_until == date(2026, 11, 26)
    assert jobs.tick(running.services, at(17, 30))["prompts"] == 0
    for bad in ("until yesterday", "until 2026-11-01", "forever", "0 days", "999 days"):
        text = running.slack.command(f"pause {bad}", user_id="U1").json()["text"]
        assert "Nothing changed" in text and "Usage" in text, bad
    assert member(running, "U1").paused_until == date(2026, 11, 26)
    back = running.slack.command("resume", user_id="U1").json()["text"]
    assert "Welcome back" in back and "Next one: Tue 24 Nov at 17:30" in back
    assert jobs.tick(running.services, at(17, 31))["prompts"] == 1
    default = running.slack.command("pause", user_id="U1").json()["text"]
    assert "through Mon 30 Nov" in default and "restart Tue 1 Dec" in default  # 7 days
    weekend = running.slack.command("pause until 2026-11-27", user_id="U1").json()["text"]
    assert "restart Mon 30 Nov" in weekend  # the next work day


def test_usage_lists_the_time_log_commands(running: Running) -> None:
    text = running.slack.command("help", user_id="U1").json()["text"]
    assert "/rolesplit log [YYYY-MM-DD | yesterday]" in text
    assert "/rolesplit pause [N days | N weeks | until YYYY-MM-DD]" in text
    assert "/rolesplit resume" in text
