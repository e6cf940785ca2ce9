"""`/rolesplit me` end to end: the rep's own prompt time, work days and time away — checked in
place, stored on the member, used by the scheduler, shown on the roster and the Home tab."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from bot import jobs
from bot.workspace import me_views
from bot.workspace import welcome_views as w
from storage.models import AwayPeriod
from tests.fakes import checkboxes_value, datepicker_value, input_value
from tests.support.app import Running
from tests.support.daylog import add_reps, dms, member


def me_values(
    time: str = "17:30",
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
    away: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        w.ME_TIME_BLOCK: {w.ME_TIME_ACTION: {"type": "timepicker", "selected_time": time}},
        w.ME_DAYS_BLOCK: {w.ME_DAYS_ACTION: checkboxes_value(list(days))},
        w.ME_AWAY_BLOCK: {w.ME_AWAY_ACTION: datepicker_value(away)},
        w.ME_REASON_BLOCK: {w.ME_REASON_ACTION: input_value(reason)},
    }


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_me_opens_with_the_reps_values_and_checks_in_place(running: Running) -> None:
    add_reps(running, ("U1", "Europe/Berlin"))
    assert running.slack.command("me", user_id="U1").status == 200
    view = running.fake.wait_for("views.open")[0].json("view")
    assert view["callback_id"] == w.ME_CALLBACK
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[w.ME_TIME_BLOCK]["element"]["initial_time"] == "17:30"
    assert len(blocks[w.ME_DAYS_BLOCK]["element"]["initial_options"]) == 5
    assert "Europe/Berlin" in json.dumps(view)
    bad = running.slack.view_submission(
        w.ME_CALLBACK, me_values(days=(), away="2026-11-01"), user_id="U1"
    ).json()
    assert bad["response_action"] == "errors"
    assert set(bad["errors"]) == {w.ME_DAYS_BLOCK, w.ME_AWAY_BLOCK}
    m = member(running, "U1")
    assert (m.prompt_time, m.work_days, m.paused_until) == (None, None, None)


def test_me_sets_a_prompt_time_that_the_scheduler_then_uses(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"))
    running.clock.set(at(24, 9))
    days = ("tue", "wed", "thu", "fri", "sat")
    resp = running.slack.view_submission(w.ME_CALLBACK, me_values("19:15", days), user_id="U1")
    assert resp.text == ""
    (saved,) = running.fake.wait_for("chat.postMessage")
    assert "*19:15* your time (UTC) on *Tue–Sat* (your own schedule)" in saved.text
    assert "Next question: Tue 24 Nov at 19:15" in saved.text
    m = member(running, "U1")
    assert (m.prompt_time, m.work_days) == ("19:15", "tue,wed,thu,fri,sat")
    assert jobs.tick(running.services, at(24, 17, 30))["prompts"] == 1  # U2 at the team's time
    assert not [c for c in dms(running, "U1") if "How did" in c.text]
    assert jobs.tick(running.services, at(24, 19, 15))["prompts"] == 1  # U1 at their own
    assert jobs.tick(running.services, at(28, 19, 15))["prompts"] == 1  # Saturday: U1 works
    jobs.tick(running.services, at(30, 19, 15))  # Monday: U2 (still in its window), not U1
    asked = [c.text for c in dms(running, "U1") if "How did" in c.text]
    assert len(asked) == 2 and "Sat 28 Nov" in asked[1]
    roster_user = "UBOSS"
    running.fake.add_user(roster_user, is_admin=True)
    roster = running.slack.command("roster", user_id=roster_user).json()["text"]
    assert "<@U1> — UTC · prompt 19:15 (own) · Tue–Sat (own)" in roster
    assert (
        "<@U2> — UTC · prompt 17:30" in roster and "<@U2> — UTC · prompt 17:30 (own)" not in roster
    )


def test_picking_the_teams_schedule_follows_the_team(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), prompt_time="08:00", work_days="mon")
    running.slack.view_submission(w.ME_CALLBACK, me_values(), user_id="U1")
    (saved,) = running.fake.wait_for("chat.postMessage")
    assert "(the team's schedule)" in saved.text
    m = member(running, "U1")
    assert (m.prompt_time, m.work_days) == (None, None)


def test_time_away_in_me_pauses_and_is_recorded(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.clock.set(at(24, 9))
    running.slack.view_submission(
        w.ME_CALLBACK,
        me_values(away="2026-11-26", reason="dentist and a long weekend"),
        user_id="U1",
    )
    (saved,) = running.fake.wait_for("chat.postMessage")
    assert "Away through *Thu 26 Nov* (dentist and a long weekend)" in saved.text
    assert "Next question: Fri 27 Nov at 17:30" in saved.text
    assert member(running, "U1").paused_until == date(2026, 11, 26)
    assert jobs.tick(running.services, at(25, 17, 30))["prompts"] == 0
    with running.session() as s:
        (row,) = s.scalars(select(AwayPeriod)).all()
        assert (row.kind, row.first_day, row.last_day, row.reason) == (
            "paused",
            date(2026, 11, 24),
            date(2026, 11, 26),
            "dentist and a long weekend",
        )
    # the form shows it; clearing the day ends the pause from today
    running.slack.command("me", user_id="U1")
    view = running.fake.wait_for("views.open")[0].json("view")
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[w.ME_AWAY_BLOCK]["element"]["initial_date"] == "2026-11-26"
    assert blocks[w.ME_REASON_BLOCK]["element"]["initial_value"] == "dentist and a long weekend"
    running.clock.set(at(25, 9))
    running.slack.view_submission(w.ME_CALLBACK, me_values(), user_id="U1", view_id="V2")
    running.fake.wait_for("chat.postMessage", 2)
    assert member(running, "U1").paused_until is None
    with running.session() as s:
        (row,) = s.scalars(select(AwayPeriod)).all()
        assert row.last_day == date(2026, 11, 24)  # the day already away stays recorded
    assert jobs.tick(running.services, at(25, 17, 30))["prompts"] == 1


def test_me_for_people_without_an_evening_question(running: Running) -> None:
    add_reps(running, ("UMGR", "UTC"), role="manager")
    assert "Only reps" in running.slack.command("me", user_id="UMGR").json()["text"]
    assert "not on the rolesplit roster" in running.slack.command("me", user_id="UX").json()["text"]
    denied = running.slack.view_submission(w.ME_CALLBACK, me_values(), user_id="UX").json()
    assert denied["response_action"] == "errors"
    assert running.fake.calls("views.open") == []


def test_a_manager_marked_away_shows_in_the_form(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"))
    running.slack.command("away <@U1> until 2026-11-27 conference", user_id="UBOSS")
    running.slack.command("me", user_id="U1")
    view = running.fake.wait_for("views.open")[0].json("view")
    assert "A manager marked you away through Fri 27 Nov (conference)" in json.dumps(
        view, ensure_ascii=False
    )
    assert me_views.USAGE.startswith("me")
