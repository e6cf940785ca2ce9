"""Categories edited as a list from `/rolesplit settings`: add, rename, retire, bring back,
reorder — each checked in place, applied at once, history kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from bot.workspace import categories_views as cv
from bot.workspace import settings_views as sv
from storage import category_repo, repo
from tests.fakes import input_value, static_select_value
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps, hours, write_days


def form(
    label: str | None, kind: str | None, aliases: str | None = None, key: str | None = None
) -> dict[str, Any]:
    values = {
        cv.LABEL_BLOCK: {cv.LABEL_BLOCK: input_value(label)},
        cv.KIND_BLOCK: {cv.KIND_BLOCK: static_select_value(kind)},
        cv.ALIASES_BLOCK: {cv.ALIASES_BLOCK: input_value(aliases)},
    }
    if key is not None:
        values[cv.KEY_BLOCK] = {cv.KEY_BLOCK: input_value(key)}
    return values


def cats(run: Running) -> list[tuple[str, str, str, bool]]:
    with run.session() as s:
        ws = repo.get_workspace(s, TEAM_ID)
        assert ws is not None
        return [(c.key, c.label, c.kind, c.active) for c in category_repo.all_categories(s, ws.id)]


def open_list(run: Running) -> dict[str, Any]:
    run.slack.command("settings", user_id="UBOSS")
    settings = run.fake.wait_for("views.open")[0].json("view")
    (line,) = [b for b in settings["blocks"] if b.get("block_id") == "categories_list"]
    assert line["accessory"]["action_id"] == cv.OPEN
    run.slack.block_action(cv.OPEN, value="open", user_id="UBOSS", view={"id": "VSET"})
    return dict(run.fake.wait_for("views.push")[0].json("view"))


def test_a_manager_adds_renames_retires_and_reorders(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"))
    listed = open_list(running)
    assert listed["callback_id"] == cv.LIST_CALLBACK
    menus = [
        b["accessory"] for b in listed["blocks"] if b.get("accessory", {}).get("type") == "overflow"
    ]
    assert len(menus) == 6
    assert [o["value"] for o in menus[0]["options"]] == [
        "edit:prospecting",
        "down:prospecting",
        "retire:prospecting",
    ]
    list_view = {"id": "VLIST", "hash": "h"}
    # add: errors in place, nothing stored
    running.slack.block_action(cv.ADD, value="add", user_id="UBOSS", view=list_view)
    add_form = running.fake.wait_for("views.push", 2)[-1].json("view")
    assert add_form["callback_id"] == cv.EDIT_CALLBACK
    meta = add_form["private_metadata"]
    bad = running.slack.view_submission(
        cv.EDIT_CALLBACK,
        form("Admin and internal", None, "calls, 42"),
        user_id="UBOSS",
        private_metadata=meta,
    ).json()
    assert bad["response_action"] == "errors"
    assert set(bad["errors"]) == {cv.LABEL_BLOCK, cv.KIND_BLOCK, cv.ALIASES_BLOCK}
    assert "already means Prospecting" in bad["errors"][cv.ALIASES_BLOCK]
    assert len(cats(running)) == 6
    ok = running.slack.view_submission(
        cv.EDIT_CALLBACK,
        form("Recruiting events", "hunting", "events, job fairs"),
        user_id="UBOSS",
        private_metadata=meta,
        view_id="VADD",
        hash="a1",
    )
    assert ok.text == ""  # closes the form, back to the list
    redrawn = running.fake.wait_for("views.update")[0]
    assert redrawn.args["view_id"] == "VLIST" and "Added *Recruiting events*" in redrawn.text
    assert cats(running)[-1] == ("recruiting_events", "Recruiting events", "hunting", True)
    # a double submit of the same form adds nothing twice
    again = running.slack.view_submission(
        cv.EDIT_CALLBACK,
        form("Recruiting events", "hunting", "events, job fairs"),
        user_id="UBOSS",
        private_metadata=meta,
        view_id="VADD",
        hash="a1",
    )
    assert again.text == "" and len(cats(running)) == 7
    # reps can type the new name at once
    running.clock.set(datetime(2026, 11, 24, 18, tzinfo=UTC))
    running.slack.message_im("job fairs 2 accounts 3", user_id="U1")
    running.fake.wait_for("chat.postMessage")
    assert hours(running, "U1", date(2026, 11, 24)) == {
        "recruiting_events": Decimal("2"),
        "account_service": Decimal("3"),
    }
    # rename through the row's menu
    running.slack.block_action(
        cv.MENU, selected_option="edit:admin", user_id="UBOSS", view=list_view
    )
    edit = running.fake.wait_for("views.push", 3)[-1].json("view")
    assert "Key `admin`" in str(edit["blocks"]) and cv.KEY_BLOCK not in str(edit["blocks"])
    running.slack.view_submission(
        cv.EDIT_CALLBACK,
        form("Admin, internal and training", "other", "admin, training"),
        user_id="UBOSS",
        private_metadata=edit["private_metadata"],
        view_id="VE",
        hash="e1",
    )
    running.fake.wait_for("views.update", 2)
    assert ("admin", "Admin, internal and training", "other", True) in cats(running)
    # move down, retire, bring back
    running.slack.block_action(
        cv.MENU, selected_option="down:prospecting", user_id="UBOSS", view=list_view
    )
    running.fake.wait_for("views.update", 3)
    assert [c[0] for c in cats(running)][:2] == ["sales_meetings", "prospecting"]
    running.slack.block_action(
        cv.MENU, selected_option="retire:sales_other", user_id="UBOSS", view=list_view
    )
    retired = running.fake.wait_for("views.update", 4)[-1]
    assert "Retired *Other sales tasks" in retired.text
    assert cats(running)[-1] == (
        "sales_other",
        "Other sales tasks (proposals, contracts)",
        "hunting",
        False,
    )
    running.slack.block_action(
        cv.MENU, selected_option="restore:sales_other", user_id="UBOSS", view=list_view
    )
    running.fake.wait_for("views.update", 5)
    assert cats(running)[-1][0] == "sales_other" and cats(running)[-1][3]
    assert running.fake.contract_violations == []


def test_the_last_farming_category_cannot_be_retired_and_history_stays(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"))
    write_days(running, TEAM_ID, "U1", [date(2026, 11, 23)], account_growth="4")
    open_list(running)
    list_view = {"id": "VLIST", "hash": "h"}
    running.slack.block_action(
        cv.MENU, selected_option="retire:account_growth", user_id="UBOSS", view=list_view
    )
    running.fake.wait_for("views.update")
    running.slack.block_action(
        cv.MENU, selected_option="retire:account_service", user_id="UBOSS", view=list_view
    )
    refused = running.fake.wait_for("views.update", 2)[-1]
    assert "only farming category" in refused.text
    assert (
        "account_service",
        "Existing accounts: job orders and day-to-day issues",
        "farming",
        True,
    ) in cats(running)
    assert hours(running, "U1", date(2026, 11, 23)) == {"account_growth": Decimal("4")}  # kept


def test_only_managers_edit_categories(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.slack.block_action(cv.OPEN, value="open", user_id="U1", view={"id": "VSET"})
    running.slack.block_action(
        cv.MENU, selected_option="retire:admin", user_id="U1", view={"id": "VL"}
    )
    denied = running.slack.view_submission(
        cv.EDIT_CALLBACK,
        form("Golf", "other"),
        user_id="U1",
        private_metadata='{"key": null, "list": "VL"}',
    ).json()
    assert denied["response_action"] == "errors"
    assert running.fake.calls("views.push") == [] and running.fake.calls("views.update") == []
    assert len(cats(running)) == 6 and all(c[3] for c in cats(running))
    assert sv.CALLBACK == "settings_submit"
