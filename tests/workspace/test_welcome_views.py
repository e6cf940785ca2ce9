"""The welcome DM, the managers' first start and the `/rolesplit me` modal: shape and checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.workspace import welcome_views as w

TODAY = date(2026, 11, 24)
MON_FRI = (0, 1, 2, 3, 4)


def texts(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in a list of blocks."""
    out = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            out.append(b["text"]["text"])
        out.extend(e.get("text", "") for e in b.get("elements") or [] if isinstance(e, dict))
    return "\n".join(out)


def within_message_limits(blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(blocks) <= 50
    for b in blocks:
        if isinstance(b.get("text"), dict):
            assert len(b["text"]["text"]) <= 3000
        for e in b.get("elements") or []:
            assert len(e.get("text", "")) <= 2000


def test_welcome_says_what_it_is_for_why_and_the_reps_own_schedule() -> None:
    text, blocks = w.welcome("U1", "hunter", "9:05", MON_FRI, "Europe/London", "UBOSS")
    within_message_limits(blocks)
    shown = texts(blocks)
    assert "<@U1>" in shown and "<@UBOSS> added you to *rolesplit* as a hunter" in shown
    assert "not you" in shown and "nobody is judged" in shown  # roles, not people
    assert "more than half" in shown
    assert "*09:05* your time (Europe/London) on *Mon–Fri*" in shown
    assert "`/rolesplit me`" in shown
    assert text and "*" not in text and "<@U1>" in text and len(text) <= 300


def test_welcome_shows_other_schedules_as_they_are() -> None:
    _, blocks = w.welcome("U2", "farmer", "17:30", (0, 2, 4), "America/New_York")
    shown = texts(blocks)
    assert "You've been added to *rolesplit* as a farmer" in shown
    assert "*17:30* your time (America/New_York) on *Mon, Wed, Fri*" in shown
    _, blocks = w.welcome("U3", "hybrid", "18:00", (), "UTC")
    assert "no work days set" in texts(blocks)
    _, blocks = w.welcome("U4", "hunter", "17:30", MON_FRI, "UTC", example="outbound 2, care 1.5")
    assert "a reply like `outbound 2, care 1.5`" in texts(blocks)


def test_welcome_back_is_short() -> None:
    text, blocks = w.welcome("U1", "farmer", "17:30", MON_FRI, "UTC", "UBOSS", again=True)
    within_message_limits(blocks)
    shown = texts(blocks)
    assert "Welcome back" in text and "<@UBOSS> added you again as a farmer" in shown
    assert "*17:30* your time (UTC) on *Mon–Fri*" in shown and "`/rolesplit me`" in shown
    first, _ = w.welcome("U1", "farmer", "17:30", MON_FRI, "UTC", "UBOSS")
    assert len(blocks) < len(w.welcome("U1", "farmer", "17:30", MON_FRI, "UTC")[1])
    assert first != text


def test_managers_first_start_names_the_three_commands() -> None:
    text, blocks = w.first_start("17:30", MON_FRI)
    within_message_limits(blocks)
    shown = texts(blocks)
    for command in (
        "`/rolesplit add @… as hunter|farmer`",
        "`/rolesplit settings`",
        "`/rolesplit study start`",
    ):
        assert command in shown
    assert "*17:30*" in shown and "*Mon–Fri*" in shown
    assert "rolesplit is ready" in text


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (MON_FRI, "Mon–Fri"),
        ((0, 2, 4), "Mon, Wed, Fri"),
        ((0, 1, 2, 5), "Mon–Wed, Sat"),
        ((5, 6), "Sat, Sun"),
        (tuple(range(7)), "Mon–Sun"),
        ((), "no days"),
    ],
)
def test_days_text(days: tuple[int, ...], text: str) -> None:
    assert w.days_text(days) == text


# ---------------------------------------------------------------- /rolesplit me


def test_me_modal_shows_the_current_values() -> None:
    view = w.me_modal("9:00", (0, 1, 3), "Asia/Kolkata", date(2026, 12, 4), "conference")
    assert view["callback_id"] == w.ME_CALLBACK and len(view["blocks"]) <= 100
    assert len(view["title"]["text"]) <= 24
    assert all(len(view[k]["text"]) <= 24 for k in ("submit", "close"))
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    time_el = blocks[w.ME_TIME_BLOCK]["element"]
    assert (time_el["type"], time_el["initial_time"]) == ("timepicker", "09:00")
    days = blocks[w.ME_DAYS_BLOCK]["element"]
    assert days["type"] == "checkboxes" and len(days["options"]) == 7
    assert [o["value"] for o in days["initial_options"]] == ["mon", "tue", "thu"]
    assert all(o in days["options"] for o in days["initial_options"])  # Slack wants equal objects
    away = blocks[w.ME_AWAY_BLOCK]
    assert away["optional"] and away["label"]["text"] == "Away until"
    assert away["element"] == {
        "type": "datepicker",
        "action_id": w.ME_AWAY_ACTION,
        "initial_date": "2026-12-04",
    }
    reason = blocks[w.ME_REASON_BLOCK]
    assert reason["optional"] and reason["element"]["initial_value"] == "conference"
    assert "Asia/Kolkata" in texts(view["blocks"])
    empty = w.me_modal("17:30", (), "UTC")
    blocks = {b.get("block_id"): b for b in empty["blocks"]}
    assert "initial_options" not in blocks[w.ME_DAYS_BLOCK]["element"]
    assert "initial_date" not in blocks[w.ME_AWAY_BLOCK]["element"]


def me_state(
    time: str | None = "17:30",
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
    away: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """state.values of a submitted `/rolesplit me`, as Slack sends them."""
    return {
        w.ME_TIME_BLOCK: {w.ME_TIME_ACTION: {"type": "timepicker", "selected_time": time}},
        w.ME_DAYS_BLOCK: {
            w.ME_DAYS_ACTION: {
                "type": "checkboxes",
                "selected_options": [
                    {"text": {"type": "plain_text", "text": d}, "value": d} for d in days
                ],
            }
        },
        w.ME_AWAY_BLOCK: {w.ME_AWAY_ACTION: {"type": "datepicker", "selected_date": away}},
        w.ME_REASON_BLOCK: {w.ME_REASON_ACTION: {"type": "plain_text_input", "value": reason}},
    }


def test_read_me_accepts_good_values() -> None:
    r = w.read_me(me_state("08:45", ("tue", "sat"), "2026-12-01", "  parental   leave "), TODAY)
    assert r.errors == {}
    assert (r.prompt_time, r.work_days, r.away_until) == ("08:45", (1, 5), date(2026, 12, 1))
    assert r.reason == "parental leave" and r.work_days_setting == "tue,sat"
    assert w.read_me(me_state(away="2026-11-24"), TODAY).errors == {}  # today is fine
    assert w.read_me(me_state(away="2027-11-24"), TODAY).errors == {}  # a year ahead too
    r = w.read_me(me_state(), TODAY)
    assert r.errors == {} and r.away_until is None and r.reason is None


@pytest.mark.parametrize(
    ("state", "block", "needle"),
    [
        (me_state(time=None), w.ME_TIME_BLOCK, "Pick a time like 17:30"),
        (me_state(time="25:00"), w.ME_TIME_BLOCK, "HH:MM"),
        (me_state(time="9:30"), w.ME_TIME_BLOCK, "HH:MM"),
        (me_state(days=()), w.ME_DAYS_BLOCK, "at least one work day"),
        (me_state(days=("funday",)), w.ME_DAYS_BLOCK, "at least one work day"),
        (me_state(away="2026-11-23"), w.ME_AWAY_BLOCK, "Mon 23 Nov has passed"),
        (me_state(away="2027-11-25"), w.ME_AWAY_BLOCK, "pick 24 Nov 2027 or earlier"),
        (me_state(away="someday"), w.ME_AWAY_BLOCK, "from the calendar"),
        (me_state(reason="vacation"), w.ME_REASON_BLOCK, "the day you're away until"),
    ],
)
def test_read_me_errors_are_keyed_by_block(state: dict[str, Any], block: str, needle: str) -> None:
    r = w.read_me(state, TODAY)
    assert list(r.errors) == [block] and needle in r.errors[block]


def test_read_me_reports_every_problem_at_once() -> None:
    r = w.read_me(me_state(time="", days=(), away="2020-01-01"), TODAY)
    assert set(r.errors) == {w.ME_TIME_BLOCK, w.ME_DAYS_BLOCK, w.ME_AWAY_BLOCK}
    assert set(w.read_me({}, TODAY).errors) == {w.ME_TIME_BLOCK, w.ME_DAYS_BLOCK}


@given(
    st.dictionaries(
        st.sampled_from([w.ME_TIME_BLOCK, w.ME_DAYS_BLOCK, w.ME_AWAY_BLOCK, "x"]),
        st.none()
        | st.text(max_size=5)
        | st.dictionaries(
            st.sampled_from([w.ME_TIME_ACTION, w.ME_DAYS_ACTION, w.ME_AWAY_ACTION, "y"]),
            st.none()
            | st.text(max_size=12)
            | st.dictionaries(
                st.sampled_from(["selected_time", "selected_options", "selected_date", "value"]),
                st.none()
                | st.text(max_size=12)
                | st.lists(st.dictionaries(st.just("value"), st.text(max_size=5)), max_size=3),
            ),
        ),
    )
)
def test_read_me_never_raises_on_odd_state(values: dict[str, Any]) -> None:
    r = w.read_me(values, TODAY)
    assert r.errors or (r.prompt_time and r.work_days)
    assert all(isinstance(v, str) and v for v in r.errors.values())
