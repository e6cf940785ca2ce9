"""`/rolesplit settings`: one modal, validated in place, stored per workspace, winning over env."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot import jobs
from bot.workspace import settings_views as v
from bot.workspace.settings import read_categories, validate
from storage import repo
from tests.fakes import checkboxes_value, input_value, static_select_value
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps

CATS = (
    "prospecting | Prospecting | hunting | calls\n"
    "account_service | Existing accounts | farming | accounts\n"
    "admin | Admin | other | admin"
)
KNOWN = {
    "prospecting",
    "sales_meetings",
    "sales_other",
    "account_service",
    "account_growth",
    "admin",
}


def raw(**over: Any) -> dict[str, Any]:
    base = {
        "prompt_time": "16:45",
        "work_days": ["mon", "tue", "wed", "thu"],
        "reminder": "90",
        "categories": CATS,
        "rollup_channel": "C0ROLL",
        "rollup_day": "fri",
        "rollup_time": "15:00",
        "handoff_mode": "channel",
        "handoff_channel": None,
        "checklist": "Intro call\nKick-off meeting",
        "nudge_days": "2, 14",
        "transfer_days": "90",
    }
    return {**base, **over}


def test_validation_names_each_bad_field() -> None:
    r = validate(
        raw(
            work_days=[],
            reminder="soon",
            nudge_days="1, x",
            transfer_days="0",
            checklist="",
            handoff_mode="thread",
        ),
        KNOWN,
    )
    assert set(r.errors) == {
        "work_days",
        "reminder",
        "nudge_days",
        "transfer_days",
        "checklist",
        "handoff_channel",
    }
    ok = validate(raw(), KNOWN)
    assert ok.errors == {} and ok.overrides["rollup_time"] == "fri 15:00"
    assert ok.overrides["checklist"] == [
        ["intro_call", "Intro call"],
        ["kick_off_meeting", "Kick-off meeting"],
    ]


def test_category_lines() -> None:
    assert "kind must be" in str(read_categories("| New | hunt |", KNOWN))
    assert "no category `x`" in str(read_categories("x | X | other |", KNOWN))
    assert "one hunting and one farming" in str(read_categories("| Only | other |", KNOWN))
    lines = read_categories(CATS + "\n| New logos | hunting | logos", KNOWN)
    assert not isinstance(lines, str) and lines[-1].key is None


def modal_values(**over: Any) -> dict[str, Any]:
    r = raw(**over)
    return {
        "prompt_time": {"prompt_time": {"type": "timepicker", "selected_time": r["prompt_time"]}},
        "work_days": {"work_days": checkboxes_value(r["work_days"])},
        "reminder": {"reminder": input_value(r["reminder"])},
        "categories": {"categories": input_value(r["categories"])},
        "rollup_channel": {
            "rollup_channel": {
                "type": "conversations_select",
                "selected_conversation": r["rollup_channel"],
            }
        },
        "rollup_day": {"rollup_day": static_select_value(r["rollup_day"])},
        "rollup_time": {"rollup_time": {"type": "timepicker", "selected_time": r["rollup_time"]}},
        "handoff_mode": {"handoff_mode": static_select_value(r["handoff_mode"])},
        "handoff_channel": {
            "handoff_channel": {
                "type": "conversations_select",
                "selected_conversation": r["handoff_channel"],
            }
        },
        "checklist": {"checklist": input_value(r["checklist"])},
        "nudge_days": {"nudge_days": input_value(r["nudge_days"])},
        "transfer_days": {"transfer_days": input_value(r["transfer_days"])},
    }


def test_manager_tunes_everything_and_it_wins_over_the_environment(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"))
    running.slack.command("settings", user_id="UBOSS")
    view = running.fake.wait_for("views.open")[0].json("view")
    assert len(view["blocks"]) <= 100 and view["callback_id"] == v.CALLBACK
    prefill = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert prefill["prompt_time"]["initial_time"] == "17:30"
    (cats_line,) = [b for b in view["blocks"] if b.get("block_id") == "categories_list"]
    assert "Prospecting (calls, research, outreach) (hunting)" in cats_line["text"]["text"]
    assert cats_line["accessory"]["text"]["text"] == "Edit categories"
    bad = running.slack.view_submission(
        v.CALLBACK, modal_values(reminder="-5"), user_id="UBOSS"
    ).json()
    assert bad["response_action"] == "errors" and "reminder" in bad["errors"]
    with running.session() as s:
        assert repo.get_workspace(s, TEAM_ID).settings == {}  # type: ignore[union-attr]
    # a form opened before categories became a list still sends the old text box: it works
    cats = CATS + "\n| New logos | hunting | logos"
    assert (
        running.slack.view_submission(
            v.CALLBACK, modal_values(categories=cats), user_id="UBOSS"
        ).text
        == ""
    )
    saved = running.fake.wait_for("chat.postMessage")[0].text
    assert "Saved:" in saved and "retired New-business meetings" in saved
    assert "added New logos" in saved and "renamed Admin and internal → Admin" in saved
    with running.session() as s:
        ws = repo.get_workspace(s, TEAM_ID)
        assert ws is not None and ws.settings["prompt_time"] == "16:45"
        keys = [c.key for c in repo.categories(s, ws.id)]
        assert keys == ["prospecting", "account_service", "admin", "new_logos"]
    # the stored prompt time wins over ROLESPLIT_PROMPT_TIME (17:30)
    assert jobs.tick(running.services, datetime(2026, 11, 24, 16, 45, tzinfo=UTC))["prompts"] == 1
    prompt_modal = running.fake.calls("chat.postMessage")[-1]
    assert prompt_modal.args["channel"] == "U1"


def test_non_managers_cannot_open_or_submit(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    assert "for managers" in running.slack.command("settings", user_id="U1").json()["text"]
    denied = running.slack.view_submission(v.CALLBACK, modal_values(), user_id="U1").json()
    assert denied["response_action"] == "errors"
    with running.session() as s:
        assert repo.get_workspace(s, TEAM_ID).settings == {}  # type: ignore[union-attr]


def test_home_settings_button_opens_the_modal_for_managers(running: Running) -> None:
    from bot.home import views as apphome

    running.fake.add_user("UBOSS", is_admin=True)
    running.slack.block_action(
        apphome.HOME_SETTINGS, value="open", user_id="UBOSS", view={"id": "VH", "type": "home"}
    )
    assert running.fake.wait_for("views.open")[0].json("view")["callback_id"] == v.CALLBACK
