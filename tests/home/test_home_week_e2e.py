"""App Home's week: one row per day with its split and an Edit button (the Log hours form for that
day), Pause / Resume and Your schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.home import week
from bot.split import Split
from bot.timelog import views as tv
from bot.workspace import me_views
from bot.workspace import welcome_views as w
from storage.models import DayLog
from tests.fakes import datepicker_value, input_value
from tests.support.app import Running
from tests.support.daylog import add_reps, member, write_days

HOME = {"id": "VHOME", "type": "home"}


def home_blocks(run: Running, user: str, count: int = 1) -> list[dict[str, Any]]:
    run.fake.wait_for("views.publish", count, predicate=lambda c: c.args["user_id"] == user)
    return list(run.fake.home_views[user]["blocks"])


def rows(blocks: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(text, button text, button value) of each day row."""
    return [
        (b["text"]["text"], b["accessory"]["text"]["text"], b["accessory"]["value"])
        for b in blocks
        if b["type"] == "section" and b.get("accessory", {}).get("action_id") == tv.OPEN_MODAL
    ]


def test_the_week_is_one_row_per_day_with_an_edit_button(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), created_at=datetime(2026, 11, 1, tzinfo=UTC))
    running.clock.set(datetime(2026, 11, 26, 18, 0, tzinfo=UTC))  # Thursday
    write_days(running, "T0001", "U1", [date(2026, 11, 23)], prospecting="3", account_service="4")
    write_days(running, "T0001", "U1", [date(2026, 11, 22)], admin="1")  # a Sunday, logged
    with running.session() as s:
        s.add(
            DayLog(
                member_id=member(running, "U1").id,
                work_date=date(2026, 11, 24),
                status="day_off",
                source="day_off",
                logged_at=running.clock(),
            )
        )
    running.slack.app_home_opened("U1")
    shown = rows(home_blocks(running, "U1"))
    assert [r[2] for r in shown] == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]
    assert shown[0][:2] == ("*Mon 23 Nov* · 7 h — hunting 43% · farming 57% · other 0%", "Edit")
    assert shown[1][:2] == ("*Tue 24 Nov* · 🌴 day off", "Edit")
    assert shown[2][:2] == ("*Wed 25 Nov* · ⚠️ not logged", "Log")
    assert shown[3][:2] == ("*Thu 26 Nov* (today) · not logged yet", "Log")
    # Edit opens the Log hours form for that day, prefilled
    running.slack.block_action(tv.OPEN_MODAL, value="2026-11-23", user_id="U1", view=HOME)
    form = running.fake.wait_for("views.open")[0].json("view")
    assert form["callback_id"] == tv.MODAL_CALLBACK
    fields = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert fields[tv.DATE_BLOCK]["initial_date"] == "2026-11-23"
    assert fields[tv.CATEGORY_BLOCK.format("prospecting")]["initial_value"] == "3"
    assert fields[tv.CATEGORY_BLOCK.format("prospecting")]["type"] == "number_input"
    assert running.fake.contract_violations == []


def test_pause_and_resume_from_home(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.slack.app_home_opened("U1")
    actions = [b for b in home_blocks(running, "U1") if b.get("block_id") == week.WEEK_ACTIONS]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        me_views.HOME_PAUSE,
        me_views.HOME_ME,
    ]
    running.slack.block_action(me_views.HOME_PAUSE, value="pause", user_id="U1", view=HOME)
    form = running.fake.wait_for("views.open")[0].json("view")
    assert form["callback_id"] == me_views.PAUSE_CALLBACK
    values = {
        w.ME_AWAY_BLOCK: {w.ME_AWAY_ACTION: datepicker_value("2026-11-20")},
        w.ME_REASON_BLOCK: {w.ME_REASON_ACTION: input_value(None)},
    }
    bad = running.slack.view_submission(me_views.PAUSE_CALLBACK, values, user_id="U1").json()
    assert bad["response_action"] == "errors" and "has passed" in bad["errors"][w.ME_AWAY_BLOCK]
    values[w.ME_AWAY_BLOCK] = {w.ME_AWAY_ACTION: datepicker_value("2026-11-27")}
    values[w.ME_REASON_BLOCK] = {w.ME_REASON_ACTION: input_value("vacation")}
    running.slack.view_submission(me_views.PAUSE_CALLBACK, values, user_id="U1", view_id="V9")
    (paused,) = running.fake.wait_for("chat.postMessage")
    assert (
        "Paused through *Fri 27 Nov*" in paused.text and "Next question: Mon 30 Nov" in paused.text
    )
    assert member(running, "U1").paused_until == date(2026, 11, 27)
    blocks = home_blocks(running, "U1", 2)  # refreshed after the change
    resume = next(b for b in blocks if b.get("block_id") == week.WEEK_ACTIONS)["elements"][0]
    assert resume["action_id"] == me_views.HOME_RESUME
    running.slack.block_action(me_views.HOME_RESUME, value="resume", user_id="U1", view=HOME)
    running.fake.wait_for("chat.postMessage", 2)
    assert member(running, "U1").paused_until is None
    running.slack.block_action(me_views.HOME_ME, value="me", user_id="U1", view=HOME)
    opened = running.fake.wait_for("views.open", 2)[-1].json("view")
    assert opened["callback_id"] == w.ME_CALLBACK


def test_day_rows_leave_out_days_off_the_schedule_unless_logged() -> None:
    monday, today = date(2026, 11, 23), date(2026, 11, 29)
    out = week.day_rows(
        monday,
        today,
        {date(2026, 11, 28): "logged"},
        {date(2026, 11, 28): Split()},
        {date(2026, 11, 26): "public holiday: Thanksgiving Day"},
        (0, 1, 2, 3, 4),
    )
    assert [r.day.day for r in out] == [23, 24, 25, 26, 27, 28]
    assert out[3].away == "public holiday: Thanksgiving Day" and not out[5].work_day
    blocks = week.week_blocks(out, today, Split(), None)
    text = str(blocks)
    assert "🌴 away — public holiday: Thanksgiving Day" in text
    # today (Sunday) is off the schedule: the actions offer Log hours for it
    actions = blocks[-1]["elements"]
    assert actions[0]["action_id"] == tv.OPEN_MODAL and actions[0]["value"] == "2026-11-29"
