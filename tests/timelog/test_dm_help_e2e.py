"""The DM helps: `help`, `hi`, `?` answer with what can be typed and the buttons; entries
separated by just spaces log; an unreadable reply gives the workspace's own example."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.timelog import views as v
from storage import category_repo, repo
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps, hours

TUE = date(2026, 11, 24)


def evening(run: Running) -> None:
    run.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))


@pytest.mark.parametrize("text", ["help", "hi", "?", "Hello there!", "what can I type"])
def test_help_in_the_dm_says_what_can_be_typed_and_shows_the_buttons(
    running: Running, text: str
) -> None:
    add_reps(running, ("U1", "UTC"))
    evening(running)
    running.slack.message_im(text, user_id="U1", ts="1764007200.000100")
    (answer,) = running.fake.wait_for("chat.postMessage")
    assert "What you can type here" in answer.text and "couldn't read" not in answer.text
    assert "prospecting 2, meetings 1.5, accounts 4" in answer.text
    assert "`day off`" in answer.text and "/rolesplit me" in answer.text
    buttons = [
        e["action_id"]
        for b in answer.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert buttons == [v.OPEN_MODAL, v.SAME_AS_YESTERDAY, v.DAY_OFF]
    assert running.fake.contract_violations == []
    # Slack's retry of the same message is not answered twice
    running.slack.message_im(text, user_id="U1", ts="1764007200.000100", retry_num=1)
    running.slack.message_im("admin 1", user_id="U1")  # handled after the retry (one lane)
    running.fake.wait_for("chat.postMessage", 2)
    posts = running.fake.calls("chat.postMessage")
    assert len(posts) == 2 and "Logged" in posts[1].text
    assert hours(running, "U1", TUE) == {"admin": Decimal("1")}


def test_entries_separated_by_just_spaces_log(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    evening(running)
    running.slack.message_im("prospecting 3 accounts 4", user_id="U1")
    (confirm,) = running.fake.wait_for("chat.postMessage")
    assert "Logged Tue 24 Nov: 7 h" in confirm.text
    assert hours(running, "U1", TUE) == {
        "prospecting": Decimal("3"),
        "account_service": Decimal("4"),
    }


def test_ambiguous_replies_are_still_refused_with_the_reason_and_the_help_tip(
    running: Running,
) -> None:
    add_reps(running, ("U1", "UTC"))
    evening(running)
    running.slack.message_im("prospecting 3 4", user_id="U1")
    (answer,) = running.fake.wait_for("chat.postMessage")
    assert "two numbers for prospecting, 3 and 4 — which one is it?" in answer.text
    assert "I saved nothing" in answer.text and "reply `help`" in answer.text
    assert hours(running, "U1", TUE) == {}


def test_the_example_is_in_the_workspaces_own_categories(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    with running.session() as s:
        ws = repo.get_workspace(s, TEAM_ID)
        assert ws is not None
        for key in ("prospecting", "sales_meetings", "sales_other", "account_growth", "admin"):
            category_repo.set_active(s, ws.id, key, False)
        category_repo.add(s, ws.id, "outbound", "Outbound calls", "hunting", ["outbound"])
    evening(running)
    running.slack.message_im("golf 3", user_id="U1")
    (answer,) = running.fake.wait_for("chat.postMessage")
    assert "I don't know “golf”" in answer.text
    assert "Try e.g. `accounts 2, outbound 1.5`" in answer.text
    assert "prospecting" not in answer.text


def test_help_from_someone_off_the_roster_says_how_to_join(running: Running) -> None:
    running.slack.message_im("help", user_id="USTRANGER")
    (answer,) = running.fake.wait_for("chat.postMessage")
    assert "not on the rolesplit roster" in answer.text
