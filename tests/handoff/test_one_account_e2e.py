"""One account, one hand-off, whatever declared it; and only the right people may declare."""

from __future__ import annotations

import threading
from typing import Any

from bot.handoff import views as v
from tests.support.app import Running, start_app
from tests.support.handoff import accounts, handoffs, intros, team
from tests.support.http import post_webhook


def test_a_crm_win_then_a_slack_win_for_the_same_account_meet(running: Running) -> None:
    team(running)
    status, body = post_webhook(
        running, {"account": "Globex Inc.", "account_id": "crm-42", "sales_rep": "USAM"}
    )
    assert (status, body["status"]) == (202, "created")
    (create,) = running.fake.calls("conversations.create")
    assert create.args["name"] == "handoff-globex-inc"
    channel = handoffs(running)[0].channel_id
    running.slack.command("won Globex Inc. rep:<@USAM> am:<@ULEE>", user_id="UMGR")
    answer = running.fake.wait_for_response(1)[-1]["text"]
    assert f"*Globex Inc.* already has a hand-off: <#{channel}>." in answer
    assert "Nothing new was opened" in answer
    assert len(running.fake.calls("conversations.create")) == 1 and len(accounts(running)) == 1
    assert accounts(running)[0].account_manager_id == "UDANA"  # not replaced by the second win
    # closed by its name (was: only by crm-42)
    closed = running.slack.command("handoff close Globex Inc.", user_id="UMGR").json()["text"]
    assert "Closed the *Globex Inc.* hand-off" in closed
    # the CRM id stays the account's for ever: a re-delivery opens nothing
    again = post_webhook(
        running, {"account": "Globex", "account_id": "crm-42", "sales_rep": "USAM"}
    )
    assert again[1]["status"] == "exists"
    # a closed hand-off no longer holds the name: a new win by name starts a new one
    fresh = post_webhook(running, {"account": "globex", "sales_rep": "USAM"})
    assert fresh[1]["status"] == "created" and len(accounts(running)) == 2
    assert running.fake.contract_violations == []


def test_a_slack_win_then_a_crm_win_meet_and_close_by_crm_id(running: Running) -> None:
    team(running)
    running.slack.command("won Initech rep:<@USAM>", user_id="UMGR")
    assert "Hand-off started for *Initech*" in running.fake.wait_for_response(1)[-1]["text"]
    hid = handoffs(running)[0].id
    status, body = post_webhook(
        running, {"account": "INITECH, LLC", "account_id": "crm-7", "sales_rep": "USAM"}
    )
    assert (status, body) == (202, {"handoff_id": hid, "status": "exists"})
    assert accounts(running)[0].crm_id == "crm-7"  # the account now answers to its CRM id
    closed = running.slack.command("handoff close crm-7", user_id="UMGR").json()["text"]
    assert "Closed the *Initech* hand-off" in closed
    none = running.slack.command("handoff close crm-7", user_id="UMGR").json()["text"]
    assert "no open hand-off for “crm-7” (by name or CRM id)" in none


def test_concurrent_triggers_for_one_name_make_one_handoff(running: Running) -> None:
    team(running)
    payloads = [
        {"account": "Hooli", "account_id": "crm-1", "sales_rep": "USAM"},
        {"account": "Hooli Inc", "account_id": "crm-2", "sales_rep": "USAM"},
        {"account": "hooli", "sales_rep": "USAM"},
        {"account": "HOOLI LLC", "sales_rep": "USAM"},
    ]
    results: list[Any] = []
    threads = [
        threading.Thread(target=lambda p=p: results.append(post_webhook(running, p)))
        for p in payloads
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r[1]["status"] for r in results) == ["created", "exists", "exists", "exists"]
    assert len({r[1]["handoff_id"] for r in results}) == 1
    assert len(running.fake.calls("conversations.create")) == 1 and len(accounts(running)) == 1


def test_a_second_win_in_thread_mode_links_the_thread(
    db_url: str, fake_slack: Any, clock: Any
) -> None:
    run = start_app(
        db_url,
        fake_slack,
        clock,
        ROLESPLIT_HANDOFF_MODE="thread",
        ROLESPLIT_HANDOFF_CHANNEL="C0HAND",
    )
    try:
        team(run)
        post_webhook(run, {"account": "Stark", "sales_rep": "USAM"})
        intro = intros(run)[0]
        run.slack.command("won Stark Industries rep:<@USAM>", user_id="UMGR")  # another name
        run.fake.wait_for_response(1)
        run.slack.command("won STARK rep:<@USAM>", user_id="UMGR")
        answer = run.fake.wait_for_response(2)[-1]["text"]
        ts = intro.args.get("ts") or handoffs(run)[0].intro_ts
        assert f"https://acme.slack.com/archives/C0HAND/p{ts}" in answer
        assert "the hand-off thread in <#C0HAND>" in answer
    finally:
        run.server.shutdown(timeout=5)
        run.services.dispose()


def test_only_managers_and_roster_reps_naming_themselves_may_declare(running: Running) -> None:
    team(running)
    running.fake.add_user("UEVIL")
    refused = running.slack.command("won Evil Corp am:<@UEVIL>", user_id="UEVIL").json()["text"]
    assert refused.startswith("Only managers, and reps on the roster naming themselves")
    assert "Ask <@UMGR> to declare it" in refused
    other = running.slack.command("won Acme rep:<@ULEE>", user_id="USAM").json()["text"]
    assert "Name yourself as the rep" in other
    # the modal says the same next to the sales rep field
    values = {
        v.B_ACCOUNT: {v.A_ACCOUNT: {"type": "plain_text_input", "value": "Evil Corp"}},
        v.B_REP: {v.A_REP: {"type": "users_select", "selected_user": "UEVIL"}},
    }
    errors = running.slack.view_submission(v.WON_CALLBACK, values, user_id="UEVIL").json()
    assert errors["response_action"] == "errors" and "Only managers" in errors["errors"][v.B_REP]
    assert accounts(running) == [] and running.fake.calls("conversations.create") == []
    # a hunter on the roster declares their own win
    running.slack.command("won Acme Corp", user_id="USAM")  # no fields: the modal opens
    running.slack.command("won Acme Corp value:5k", user_id="USAM")
    assert "Hand-off started for *Acme Corp*" in running.fake.wait_for_response(1)[-1]["text"]
    assert accounts(running)[0].sales_rep_id == "USAM"
    assert accounts(running)[0].declared_by == "USAM"
