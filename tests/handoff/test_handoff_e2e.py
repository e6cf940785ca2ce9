"""Won account → hand-off, end to end: webhook, command, modal, checklist, nudges, fallbacks."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot import jobs
from bot.handoff import views as v
from storage.models import Account, ChecklistItem, Handoff, Nudge
from tests.fakes import input_value, users_select_value
from tests.support.app import Running, start_app
from tests.support.daylog import add_reps
from tests.support.http import post_webhook


def setup_people(run: Running) -> None:
    run.fake.add_user("UBOSS", is_admin=True)
    run.fake.add_user("USAM", email="sam@acme.test")
    add_reps(run, ("UDANA", "UTC"), role="farmer")
    add_reps(run, ("ULEE", "UTC"), role="farmer")


def count(run: Running, model: Any) -> int:
    with run.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_webhook_creates_one_channel_and_a_warm_intro(running: Running) -> None:
    setup_people(running)
    status, body = post_webhook(
        running,
        {
            "account": "Acme Corp",
            "account_id": "CRM-1",
            "sales_rep": "sam@acme.test",
            "account_manager": "UDANA",
            "value": 12000,
            "won_at": "2026-11-24",
        },
    )
    assert (status, body["status"]) == (202, "created")
    (create,) = running.fake.calls("conversations.create")
    assert create.args["name"] == "handoff-acme-corp"
    invited = {c.args["users"] for c in running.fake.calls("conversations.invite")}
    assert invited == {"USAM", "UDANA"}
    intro = running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off" in c.text)[0]
    assert "We won *Acme Corp* ($12,000)" in intro.text
    assert "<@UDANA> takes over day-to-day" in intro.text
    assert "<@USAM> won the account and stays on as your partner" in intro.text
    assert "Tue 25 May 2027" in intro.text  # 182 days after the win
    buttons = [b["accessory"]["action_id"] for b in intro.json("blocks") if "accessory" in b]
    assert buttons == [v.TOGGLE] * 5
    again = post_webhook(
        running, {"account": "ACME corp", "account_id": "CRM-1", "sales_rep": "USAM"}
    )
    assert again == (202, {"handoff_id": body["handoff_id"], "status": "exists"})
    assert len(running.fake.calls("conversations.create")) == 1
    assert count(running, Account) == 1 and count(running, Nudge) == 5
    assert running.fake.contract_violations == []


def test_signed_webhook_and_rejections_change_nothing(running: Running) -> None:
    setup_people(running)
    ok = {"account": "Globex", "sales_rep": "USAM", "account_manager": "ULEE"}
    assert post_webhook(running, ok, auth="signed", age=360)[0] == 401
    assert post_webhook(running, ok, auth="signed", secret="wrong-secret")[0] == 401
    assert post_webhook(running, ok, auth="none")[0] == 401
    assert post_webhook(running, ok, secret="wrong-secret")[0] == 401
    assert post_webhook(running, None, raw=b"{not json")[1]["field"] == "body"
    assert post_webhook(running, {"sales_rep": "USAM"})[1]["error"] == "account: is required"
    assert post_webhook(running, {**ok, "value": "lots"})[1]["field"] == "value"
    assert post_webhook(running, {**ok, "won_at": "yesterday"})[1]["field"] == "won_at"
    unknown = post_webhook(running, {**ok, "account_manager": "nobody@acme.test"})
    assert unknown == (
        400,
        {
            "error": "account_manager: no Slack user has the e-mail nobody@acme.test",
            "field": "account_manager",
        },
    )
    huge = post_webhook(running, {**ok, "notes": "x" * 70_000})
    assert huge[0] == 413
    assert count(running, Account) == 0 and running.fake.calls("conversations.create") == []
    assert post_webhook(running, ok, auth="signed") == (
        202,
        {"handoff_id": 1, "status": "created"},
    )


def test_webhook_is_off_without_a_secret(db_url: str, fake_slack: Any, clock: Any) -> None:
    run = start_app(db_url, fake_slack, clock, ROLESPLIT_WEBHOOK_SECRET="")
    try:
        status, body = post_webhook(run, {"account": "A", "sales_rep": "U1"})
        assert status == 404 and "ROLESPLIT_WEBHOOK_SECRET" in body["error"]
    finally:
        run.server.shutdown(timeout=5)
        run.services.dispose()


def test_concurrent_webhooks_for_one_account_make_one_handoff(running: Running) -> None:
    setup_people(running)
    results: list[Any] = []
    payload = {
        "account": "Initech",
        "account_id": "CRM-9",
        "sales_rep": "USAM",
        "account_manager": "UDANA",
    }
    threads = [
        threading.Thread(target=lambda: results.append(post_webhook(running, payload)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r[1]["status"] for r in results) == ["created", "exists", "exists", "exists"]
    assert len(running.fake.calls("conversations.create")) == 1 and count(running, Handoff) == 1


def test_inline_command_and_permissions(running: Running) -> None:
    setup_people(running)
    running.fake.add_user("UOTHER")
    add_reps(running, ("USAM", "UTC"), role="hunter")
    refused = running.slack.command("won Acme am:<@UDANA> rep:<@USAM>", user_id="UOTHER").json()
    assert "Only managers, and reps on the roster naming themselves" in refused["text"]
    bad = running.slack.command("won Acme value:heaps", user_id="UBOSS").json()
    assert "isn't an amount" in bad["text"] and count(running, Account) == 0
    running.slack.command("won Acme Corp am:<@UDANA|dana> rep:<@USAM> value:12k", user_id="UBOSS")
    done = running.fake.wait_for_response(1)[-1]
    assert "Hand-off started for *Acme Corp*" in done["text"]
    # the rep may declare their own win; the account key ignores case and "Inc."
    running.slack.command("won acme corp, inc. am:<@ULEE>", user_id="USAM")
    again = running.fake.wait_for_response(2)[-1]
    assert "already has a hand-off" in again["text"]


def test_modal_validates_in_place_and_auto_assigns_the_least_busy_farmer(running: Running) -> None:
    setup_people(running)
    post_webhook(running, {"account": "Busy One", "sales_rep": "USAM", "account_manager": "UDANA"})
    running.slack.command("won Hooli", user_id="UBOSS")
    view = running.fake.wait_for("views.open")[0].json("view")
    assert view["blocks"][0]["element"]["initial_value"] == "Hooli"
    values = {
        v.B_ACCOUNT: {v.A_ACCOUNT: input_value("Hooli")},
        v.B_REP: {v.A_REP: users_select_value("USAM")},
        v.B_AM: {v.A_AM: users_select_value(None)},
        v.B_VALUE: {v.A_VALUE: input_value("a lot")},
    }
    errors = running.slack.view_submission(v.WON_CALLBACK, values, user_id="UBOSS").json()
    assert errors["response_action"] == "errors" and v.B_VALUE in errors["errors"]
    values[v.B_VALUE] = {v.A_VALUE: input_value("$40,000")}
    assert running.slack.view_submission(v.WON_CALLBACK, values, user_id="UBOSS").text == ""
    running.fake.wait_for("conversations.create", 2)
    with running.session() as s:
        hooli = s.scalars(select(Account).where(Account.name == "Hooli")).one()
        assert hooli.account_manager_id == "ULEE" and str(hooli.value) == "40000.00"


def test_no_farmer_asks_managers_and_a_pick_completes_it(running: Running) -> None:
    running.fake.add_user("USAM")
    add_reps(running, ("UMGR", "UTC"), role="manager")
    _status, body = post_webhook(running, {"account": "Umbrella", "sales_rep": "USAM"})
    assert body["status"] == "needs_account_manager"
    ask = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "UMGR"
    )[0]
    block_id = next(b["block_id"] for b in ask.json("blocks") if b["type"] == "actions")
    running.fake.add_user("UNEWAM")
    for _ in range(2):  # a double pick completes it once
        running.slack.block_action(
            v.PICK_AM, user_id="UMGR", block_id=block_id, selected_user="UNEWAM"
        )
    running.fake.wait_for("conversations.create")
    time.sleep(0.3)
    assert len(running.fake.calls("conversations.create")) == 1
    assert (
        "<@UNEWAM> takes over"
        in running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off" in c.text)[
            0
        ].text
    )


def test_taken_names_get_a_number(running: Running) -> None:
    setup_people(running)
    running.fake.add_channel("handoff-acme")
    running.fake.add_channel("handoff-acme-2")
    post_webhook(running, {"account": "Acme", "sales_rep": "USAM", "account_manager": "UDANA"})
    names = [c.args["name"] for c in running.fake.calls("conversations.create")]
    assert names == ["handoff-acme", "handoff-acme-2", "handoff-acme-3"]


def test_thread_mode(db_url: str, fake_slack: Any, clock: Any) -> None:
    run = start_app(
        db_url,
        fake_slack,
        clock,
        ROLESPLIT_HANDOFF_MODE="thread",
        ROLESPLIT_HANDOFF_CHANNEL="C0HAND",
    )
    try:
        setup_people(run)
        post_webhook(run, {"account": "Stark", "sales_rep": "USAM", "account_manager": "UDANA"})
        intro = run.fake.wait_for("chat.postMessage")[0]
        assert intro.args["channel"] == "C0HAND" and run.fake.calls("conversations.create") == []
        jobs.tick(run.services, datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
        nudge = run.fake.wait_for("chat.postMessage", 2)[-1]
        assert nudge.args["thread_ts"] == intro_ts(run)
    finally:
        run.server.shutdown(timeout=5)
        run.services.dispose()


def intro_ts(run: Running) -> str:
    with run.session() as s:
        return str(s.scalars(select(Handoff.intro_ts)).one())


def test_no_channel_rights_falls_back_or_tells_managers(
    db_url: str, fake_slack: Any, clock: Any
) -> None:
    run = start_app(db_url, fake_slack, clock, ROLESPLIT_HANDOFF_CHANNEL="C0HAND")
    try:
        setup_people(run)
        add_reps(run, ("UMGR", "UTC"), role="manager")
        run.fake.fail_next("conversations.create", "restricted_action")
        post_webhook(run, {"account": "Wayne", "sales_rep": "USAM", "account_manager": "UDANA"})
        intro = run.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off" in c.text)
        assert intro[0].args["channel"] == "C0HAND"
        told = run.fake.wait_for(
            "chat.postMessage", predicate=lambda c: c.args["channel"] == "UMGR"
        )[0]
        assert "restricted_action" in told.text and "thread" in told.text
    finally:
        run.server.shutdown(timeout=5)
        run.services.dispose()


def test_channel_mode_without_rights_or_fallback_tells_managers(running: Running) -> None:
    setup_people(running)
    add_reps(running, ("UMGR", "UTC"), role="manager")
    running.fake.fail_next("conversations.create", "missing_scope")
    post_webhook(running, {"account": "Cyberdyne", "sales_rep": "USAM", "account_manager": "UDANA"})
    told = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "UMGR"
    )[0]
    assert "The hand-off space for *Cyberdyne* could not be made" in told.text
    assert "channels:manage" not in told.text  # Slack named no scope: none is blamed
    with running.session() as s:
        assert s.scalars(select(Handoff.status)).one() == "failed"


def test_an_inactive_invitee_still_leaves_a_working_handoff(running: Running) -> None:
    setup_people(running)
    add_reps(running, ("UMGR", "UTC"), role="manager")
    running.fake.add_user("UGONE", deleted=True)
    post_webhook(running, {"account": "Soylent", "sales_rep": "UGONE", "account_manager": "UDANA"})
    told = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "UMGR"
    )[0]
    assert "<@UGONE> could not be invited (`user_is_inactive`)" in told.text
    with running.session() as s:
        assert s.scalars(select(Handoff.status)).one() == "open"


def test_checklist_ticks_update_the_intro_in_place(running: Running) -> None:
    setup_people(running)
    _, body = post_webhook(
        running, {"account": "Acme", "sales_rep": "USAM", "account_manager": "UDANA"}
    )
    hid = body["handoff_id"]
    for _ in range(2):  # a double click ticks once
        running.slack.block_action(v.TOGGLE, value=f"{hid}:intro_call:tick", user_id="UDANA")
    update = running.fake.wait_for("chat.update")[0]
    assert "Checklist* — 1/5 done" in update.text and "ticked by <@UDANA>" in update.text
    time.sleep(0.3)
    assert len(running.fake.calls("chat.update")) == 1
    running.slack.block_action(v.TOGGLE, value=f"{hid}:intro_call:untick", user_id="USAM")
    assert "0/5 done" in running.fake.wait_for("chat.update", 2)[-1].text
    with running.session() as s:
        item = s.scalars(select(ChecklistItem).where(ChecklistItem.key == "intro_call")).one()
        assert item.done_by is None


def test_nudges_through_the_whole_schedule_each_once(running: Running) -> None:
    setup_people(running)
    _, body = post_webhook(
        running,
        {
            "account": "Acme",
            "sales_rep": "USAM",
            "account_manager": "UDANA",
            "won_at": "2026-11-24",
        },
    )
    running.slack.block_action(
        v.TOGGLE, value=f"{body['handoff_id']}:intro_call:tick", user_id="UDANA"
    )
    running.fake.wait_for("chat.update")

    def nudges() -> list[str]:
        return [c.text for c in running.fake.calls("chat.postMessage") if "Hand-off:" not in c.text]

    won = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    expected = [
        (1, "Day 1"),
        (7, "Day 7"),
        (30, "Day 30"),
        (90, "Day 90"),
        (182, "Today ownership"),
        (272, "Partner check-in"),
        (362, "Partner check-in"),
    ]
    for days, needle in expected:
        at = won + timedelta(days=days)
        assert jobs.tick(running.services, at - timedelta(minutes=1))["nudges"] == 0
        assert jobs.tick(running.services, at)["nudges"] == 1, needle
        assert jobs.tick(running.services, at + timedelta(hours=1))["nudges"] == 0
        assert needle in nudges()[-1]
        assert "<@UDANA>" in nudges()[-1] and "<@USAM>" in nudges()[-1]
    assert "Still open: Account manager present" in nudges()[0]
    assert "Joint intro call" not in nudges()[0]
    assert "stays attached as the secondary contact" in nudges()[4]
    with running.session() as s:
        acct = s.scalars(select(Account)).one()
        assert (acct.owner_id, acct.status) == ("UDANA", "transferred")


def test_handoffs_list_and_close(running: Running) -> None:
    setup_people(running)
    post_webhook(running, {"account": "Acme", "sales_rep": "USAM", "account_manager": "UDANA"})
    listing = running.slack.command("handoffs", user_id="UBOSS").json()["text"]
    assert "*Acme*" in listing and "checklist 0/5" in listing and "next: day 1 on 25 Nov" in listing
    assert (
        "no open hand-off"
        in running.slack.command("handoff close Acne", user_id="UBOSS").json()["text"]
    )
    assert (
        "Did you mean Acme"
        in running.slack.command("handoff close Acne", user_id="UBOSS").json()["text"]
    )
    closed = running.slack.command("handoff close acme", user_id="UBOSS").json()["text"]
    assert "Closed the *Acme* hand-off" in closed
    assert jobs.tick(running.services, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))["nudges"] == 0
    assert "No open hand-offs" in running.slack.command("handoffs", user_id="UBOSS").json()["text"]


def test_managers_who_join_are_invited_to_new_channels(running: Running) -> None:
    setup_people(running)
    assert (
        "every new hand-off channel"
        in running.slack.command("handoff join", user_id="UBOSS").json()["text"]
    )
    post_webhook(running, {"account": "Acme", "sales_rep": "USAM", "account_manager": "UDANA"})
    running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off" in c.text)
    invited = {c.args["users"] for c in running.fake.calls("conversations.invite")}
    assert invited == {"USAM", "UDANA", "UBOSS"}
    running.slack.command("handoff leave", user_id="UBOSS")
    post_webhook(running, {"account": "Globex", "sales_rep": "USAM", "account_manager": "ULEE"})
    running.fake.wait_for("chat.postMessage", 2, predicate=lambda c: "Hand-off" in c.text)
    assert len(running.fake.calls("conversations.invite")) == 5
    usage = running.slack.command("handoff dance", user_id="UBOSS").json()["text"]
    assert "handoff close ACCOUNT" in usage
