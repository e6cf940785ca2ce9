"""The simulated Slack Web API answers like Slack: DMs by user id, channels with Slack's name
rules, chat.update of the app's own messages, ephemerals, views with triggers and hashes, the
three-step file upload, response URLs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.demo import agency
from bot.demo.clock import DemoClock, jump, passes
from bot.demo.model import Message, load, save
from bot.demo.state import action, view_state
from bot.demo.webapi import WebAPI
from bot.demo.workspace import ResponseTarget, Workspace

TOKEN = "xoxb-t"


@pytest.fixture
def api() -> WebAPI:
    ws = Workspace(
        agency.TEAM_ID,
        agency.TEAM_NAME,
        agency.BOT,
        TOKEN,
        DemoClock(datetime(2026, 3, 4, 21, tzinfo=UTC)),
    )
    for user in agency.PEOPLE:
        ws.add_user(user)
    for channel in agency.channels(0):
        ws.add_channel(channel)
    return WebAPI(ws, "http://127.0.0.1:1")


def call(api: WebAPI, method: str, **args: object) -> dict:  # type: ignore[type-arg]
    return api.call(method, {k: v for k, v in args.items()}, TOKEN)


def test_auth_and_required_arguments(api: WebAPI) -> None:
    assert api.call("auth.test", {}, "xoxb-wrong") == {"ok": False, "error": "invalid_auth"}
    assert api.call("auth.test", {}, None)["error"] == "not_authed"
    assert call(api, "auth.test")["user_id"] == agency.BOT.id
    assert call(api, "chat.postMessage", text="hi")["error"] == "invalid_arguments"
    assert call(api, "nope.nothing")["error"] == "unknown_method"


def test_post_to_a_user_lands_in_the_dm_and_update_edits_it(api: WebAPI) -> None:
    blocks = json.dumps([{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}])
    posted = call(api, "chat.postMessage", channel="U0SAM", text="hi", blocks=blocks)
    assert posted["ok"] and posted["channel"] == "D0SAM"
    assert posted["ts"].startswith(str(int(datetime(2026, 3, 4, 21, tzinfo=UTC).timestamp())))
    msg = api.ws.message("D0SAM", posted["ts"])
    assert msg is not None and msg.blocks[0]["block_id"] == "b0"  # Slack fills in block ids
    assert call(api, "chat.update", channel="D0SAM", ts=posted["ts"], text="bye")["ok"]
    assert msg.text == "bye"
    assert call(api, "chat.update", channel="D0SAM", ts="1.2", text="x")["error"] == (
        "message_not_found"
    )
    assert call(api, "chat.postMessage", channel="C404", text="x")["error"] == "channel_not_found"
    assert call(api, "chat.postMessage", channel="U0SAM")["error"] == "no_text"
    mine = api.ws.post(Message("D0SAM", api.ws.next_ts(), "U0SAM", "typed"))
    assert call(api, "chat.update", channel="D0SAM", ts=mine.ts, text="x")["error"] == (
        "cant_update_message"
    )


def test_threads_and_ephemerals(api: WebAPI) -> None:
    parent = call(api, "chat.postMessage", channel=agency.ROLLUP_CHANNEL, text="rollup")
    reply = call(
        api, "chat.postMessage", channel=agency.ROLLUP_CHANNEL, text="r", thread_ts=parent["ts"]
    )
    assert [m.ts for m in api.ws.replies(agency.ROLLUP_CHANNEL, parent["ts"], "U0MAYA")] == [
        reply["ts"]
    ]
    assert [m.ts for m in api.ws.history(agency.ROLLUP_CHANNEL, "U0MAYA")] == [parent["ts"]]
    eph = call(api, "chat.postEphemeral", channel=agency.GENERAL, user="U0SAM", text="psst")
    assert eph["ok"]
    assert [m.text for m in api.ws.history(agency.GENERAL, "U0SAM")] == ["psst"]
    assert api.ws.history(agency.GENERAL, "U0DANA") == []


def test_channels_follow_slacks_rules(api: WebAPI) -> None:
    made = call(api, "conversations.create", name="handoff-acme", is_private="true")
    assert made["ok"] and made["channel"]["is_private"]
    cid = made["channel"]["id"]
    assert call(api, "conversations.create", name="handoff-acme")["error"] == "name_taken"
    assert call(api, "conversations.create", name="Bad Name")["error"] == "invalid_name_specials"
    assert call(api, "conversations.create", name="x" * 81)["error"] == "invalid_name_maxlength"
    assert call(api, "conversations.invite", channel=cid, users="U0SAM,U0DANA")["ok"]
    assert call(api, "conversations.invite", channel=cid, users="U0SAM")["error"] == (
        "already_in_channel"
    )
    assert call(api, "conversations.invite", channel=cid, users="UNOPE")["error"] == (
        "user_not_found"
    )
    assert [c.name for c in api.ws.visible_channels("U0DANA")] == ["general", "handoff-acme"]
    assert call(api, "conversations.open", users="U0LEE")["channel"]["id"] == "D0LEE"


def test_users(api: WebAPI) -> None:
    user = call(api, "users.info", user="U0JORDAN")["user"]
    assert user["tz"] == "Europe/London" and user["tz_offset"] == 0
    assert user["profile"]["email"] == "jordan@northwind.example"
    assert call(api, "users.info", user="U0NOPE")["error"] == "user_not_found"
    found = call(api, "users.lookupByEmail", email="DANA@northwind.example")
    assert found["user"]["id"] == "U0DANA"
    assert call(api, "users.lookupByEmail", email="x@y.z")["error"] == "users_not_found"
    assert call(api, "users.info", user="U0MAYA")["user"]["is_admin"] is True


def modal(title: str = "Log your hours") -> str:
    return json.dumps(
        {
            "type": "modal",
            "title": {"type": "plain_text", "text": title},
            "blocks": [
                {
                    "type": "input",
                    "block_id": "h",
                    "label": {"type": "plain_text", "text": "Hours"},
                    "element": {"type": "plain_text_input", "action_id": "v"},
                }
            ],
        }
    )


def test_views_need_a_fresh_trigger_and_the_current_hash(api: WebAPI) -> None:
    assert call(api, "views.open", trigger_id="nope", view=modal())["error"] == (
        "invalid_trigger_id"
    )
    trigger = api.ws.new_trigger("U0SAM")
    opened = call(api, "views.open", trigger_id=trigger, view=modal())
    assert opened["ok"] and api.ws.top_modal("U0SAM") is not None
    assert call(api, "views.open", trigger_id=trigger, view=modal())["error"] == (
        "trigger_exchanged"
    )
    assert (
        call(api, "views.open", trigger_id=api.ws.new_trigger("U0SAM"), view=modal("x" * 25))[
            "error"
        ]
        == "invalid_arguments"
    )
    view = opened["view"]
    assert call(api, "views.update", view_id=view["id"], hash="stale", view=modal())["error"] == (
        "hash_conflict"
    )
    updated = call(api, "views.update", view_id=view["id"], hash=view["hash"], view=modal("B"))
    assert updated["ok"] and updated["view"]["hash"] != view["hash"]
    pushed = call(api, "views.push", trigger_id=api.ws.new_trigger("U0SAM"), view=modal("C"))
    assert pushed["view"]["previous_view_id"] == view["id"]
    assert len(api.ws.modal_stack("U0SAM")) == 2
    home = json.dumps({"type": "home", "blocks": []})
    assert call(api, "views.publish", user_id="U0SAM", view=home)["ok"]
    assert api.ws.home("U0SAM") is not None


def test_file_upload_in_three_steps(api: WebAPI) -> None:
    step1 = call(api, "files.getUploadURLExternal", filename="chart.png", length=4)
    assert step1["upload_url"].endswith("/upload/" + step1["file_id"])
    assert api.upload(step1["file_id"], b"\x89PNG")
    done = call(
        api,
        "files.completeUploadExternal",
        files=json.dumps([{"id": step1["file_id"], "title": "Chart"}]),
        channel_id=agency.ROLLUP_CHANNEL,
        initial_comment="the chart",
    )
    assert done["ok"]
    stored = api.ws.files[step1["file_id"]]
    assert stored.is_image and stored.content == b"\x89PNG" and stored.title == "Chart"
    shared = api.ws.history(agency.ROLLUP_CHANNEL, "U0MAYA")[-1]
    assert shared.files == [stored.id] and shared.text == "the chart"
    again = call(api, "files.completeUploadExternal", files=json.dumps([{"id": "F404"}]))
    assert again["error"] == "file_not_found"


def test_response_url_answers_replace_the_ephemeral(api: WebAPI) -> None:
    target = ResponseTarget("U0MAYA", "D0MAYA")
    url = api.ws.new_response_url("http://x", target)
    rid = url.rsplit("/", 1)[1]
    assert api.respond(rid, {"text": "Working…", "response_type": "ephemeral"})["ok"]
    assert api.respond(rid, {"text": "Done", "replace_original": True})["ok"]
    shown = api.ws.history("D0MAYA", "U0MAYA")
    assert [m.text for m in shown] == ["Done"] and shown[0].only_for == "U0MAYA"
    assert api.respond("R404", {"text": "x"})["error"] == "expired_url"


def test_state_values_in_slacks_shapes() -> None:
    blocks = [
        {
            "type": "input",
            "block_id": "day",
            "element": {"type": "datepicker", "action_id": "d", "initial_date": "2026-03-04"},
        },
        {
            "type": "input",
            "block_id": "who",
            "element": {"type": "users_select", "action_id": "u"},
        },
        {
            "type": "input",
            "block_id": "mode",
            "element": {
                "type": "static_select",
                "action_id": "m",
                "options": [{"text": {"type": "plain_text", "text": "Channel"}, "value": "c"}],
            },
        },
    ]
    values = view_state(blocks, {"who": {"u": "U0SAM"}, "mode": {"m": "c"}})
    assert values["day"]["d"] == {"type": "datepicker", "selected_date": "2026-03-04"}
    assert values["who"]["u"] == {"type": "users_select", "selected_user": "U0SAM"}
    assert values["mode"]["m"]["selected_option"]["value"] == "c"
    act = action(blocks[0]["element"], "day", "2026-03-05", "1.0")
    assert act["selected_date"] == "2026-03-05" and act["block_id"] == "day"


def test_clock_buttons() -> None:
    wed = datetime(2026, 3, 4, 21, 45, tzinfo=UTC)  # 16:45 in New York
    assert jump(wed, "17:30", "America/New_York", "America/New_York") == datetime(
        2026, 3, 4, 22, 30, tzinfo=UTC
    )
    fri_night = datetime(2026, 3, 7, 1, 0, tzinfo=UTC)  # Friday 20:00 in New York
    assert jump(fri_night, "17:30", "America/New_York", "UTC").day == 9  # Monday
    assert jump(wed, "mon09:00", "UTC", "America/New_York") == datetime(
        2026, 3, 9, 13, 0, tzinfo=UTC
    )
    steps = passes(wed, jump(wed, "+1d", "UTC", "UTC"))
    assert len(steps) == 25 and steps[0].minute == 30 and steps[-1] == wed.replace(day=5)
    clock = DemoClock(wed)
    assert clock.set(datetime(2026, 1, 1, tzinfo=UTC)) == wed  # never backwards


def test_snapshot_round_trip(api: WebAPI, tmp_path: object) -> None:
    from pathlib import Path

    call(api, "chat.postMessage", channel="U0SAM", text="kept")
    path = Path(str(tmp_path)) / "w.json"
    save(api.ws.snapshot(), path)
    snap = load(path)
    assert snap is not None and any(m.text == "kept" for m in snap.messages)
    path.write_text("{broken")
    assert load(path) is None
