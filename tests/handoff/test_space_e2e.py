"""Hand-off spaces: private by default, settings for public and for hiding the value, and the
truth when Slack refuses — never shown as started, retryable from `/rolesplit handoffs`."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import jobs
from bot.handoff import views as v
from storage import repo
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps
from tests.support.handoff import accounts, dms_to, handoffs, intros, team
from tests.support.http import post_webhook

WIN = {
    "account": "Wayne Enterprises",
    "sales_rep": "USAM",
    "account_manager": "UDANA",
    "value": 12000,
}


def set_workspace(run: Running, **settings: object) -> None:
    with run.session() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        ws.settings = {**(ws.settings or {}), **settings}


def test_spaces_are_private_by_default_and_show_the_value(running: Running) -> None:
    team(running)
    post_webhook(running, WIN)
    (create,) = running.fake.calls("conversations.create")
    assert running.fake.channels[handoffs(running)[0].channel_id]["is_private"] is True
    assert create.args["name"] == "handoff-wayne-enterprises"
    assert "We won *Wayne Enterprises* ($12,000)" in intros(running)[0].text


def test_settings_make_spaces_public_and_hide_the_value(running: Running) -> None:
    team(running)
    set_workspace(running, handoff_public=True, hide_deal_value=True)
    post_webhook(running, WIN)
    assert running.fake.channels[handoffs(running)[0].channel_id]["is_private"] is False
    intro = intros(running)[0].text
    assert "We won *Wayne Enterprises*!" in intro and "12,000" not in intro


def test_a_refused_channel_is_reported_as_refused_and_retried(running: Running) -> None:
    team(running)
    add_reps(running, ("UMGR2", "UTC"), role="manager")
    running.fake.fail_next("conversations.create", "restricted_action")
    running.slack.command(
        "won Wayne Enterprises rep:<@USAM> am:<@UDANA> value:12000", user_id="UMGR"
    )
    told = running.fake.wait_for_response(1)[-1]["text"]
    assert "Hand-off started" not in told and "has not started" in told
    assert "`restricted_action`" in told and "private channel" in told and "*Retry*" in told
    assert "scope" not in told  # a policy, not a permission the app lacks
    # the other managers learn the same by DM (the declarer is told in place, once)
    (dm,) = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "UMGR2"
    )
    assert "`restricted_action`" in dm.text and "scope" not in dm.text
    assert dms_to(running, "UMGR") == []
    assert handoffs(running)[0].status == "failed" and accounts(running)[0].status == "open"
    assert intros(running) == []
    # not started: no nudges go out
    assert jobs.tick(running.services, datetime(2026, 11, 25, 9, tzinfo=UTC))["nudges"] == 0
    listing = running.slack.command("handoffs", user_id="UMGR").json()
    assert "⚠️ not started: Slack refused the space (`restricted_action`)" in listing["text"]
    (retry,) = [b["accessory"] for b in listing["blocks"] if "accessory" in b]
    assert (retry["action_id"], retry["value"]) == (v.RETRY, str(handoffs(running)[0].id))
    # Slack allows it now: Retry opens the space
    running.slack.block_action(v.RETRY, value=retry["value"], user_id="UMGR")
    answer = running.fake.wait_for_response(2)[-1]["text"]
    assert answer.startswith("🤝 Hand-off started for *Wayne Enterprises*: <#C")
    assert handoffs(running)[0].status == "open" and len(intros(running)) == 1
    assert len(running.fake.calls("conversations.create")) == 2  # the refused one, then this
    # a second click does nothing twice
    running.slack.block_action(v.RETRY, value=retry["value"], user_id="UMGR")
    assert "isn't waiting for a retry" in running.fake.wait_for_response(3)[-1]["text"]


def test_twenty_taken_names_are_reported(running: Running) -> None:
    team(running)
    running.fake.fail_always("conversations.create", "name_taken")
    status, body = post_webhook(running, WIN)
    assert (status, body["status"], body["error"]) == (202, "space_failed", "name_taken")
    assert len(running.fake.calls("conversations.create")) == 20
    (dm,) = dms_to(running, "UMGR")
    assert "`#handoff-wayne-enterprises-20` are taken" in dm.text


def test_a_missing_scope_names_the_scope_slack_asked_for(running: Running) -> None:
    team(running)
    running.fake.fail_next(
        "conversations.create",
        "missing_scope",
        extra={"needed": "groups:write", "provided": "channels:manage,chat:write"},
    )
    post_webhook(running, WIN)
    (dm,) = dms_to(running, "UMGR")
    assert "lacks the `groups:write` permission that Slack asked for" in dm.text
    assert "channels:manage" not in dm.text
