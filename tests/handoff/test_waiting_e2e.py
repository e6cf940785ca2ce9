"""Nobody stalls: a win with nobody to take it is in front of a person who can act, every work
day, until they do; a farmer joining takes it; a pick replaces every question."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import jobs
from bot.handoff import views as v
from tests.support.app import Running
from tests.support.daylog import add_reps
from tests.support.handoff import accounts, dms_to, eventually, handoffs, intros, questions
from tests.support.http import post_webhook

WED_9 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def pick_block(call: object) -> str:
    blocks = call.json("blocks")  # type: ignore[attr-defined]
    return str(next(b["block_id"] for b in blocks if b["type"] == "actions"))


def test_no_manager_asks_the_admins_and_owners_every_work_day(running: Running) -> None:
    running.fake.add_user("UADMIN", is_admin=True)
    running.fake.add_user("UOWNER", is_owner=True)
    running.fake.add_user("UPLAIN")
    running.fake.add_user("UGONE", is_admin=True, deleted=True)
    add_reps(running, ("USAM", "UTC"), role="hunter")
    status, body = post_webhook(running, {"account": "Umbrella", "sales_rep": "USAM"})
    assert (status, body["status"]) == (202, "needs_account_manager")
    assert running.fake.calls("users.list")
    asked = {c.args["channel"] for c in running.fake.calls("chat.postMessage")}
    assert asked == {"UADMIN", "UOWNER"}
    first = dms_to(running, "UADMIN")[0]
    assert (
        "no farmer is free" in first.text and pick_block(first) == f"pick_am:{body['handoff_id']}"
    )
    # the same day: not asked again, however often the scheduler runs
    for hour in (13, 17):
        jobs.tick(running.services, datetime(2026, 11, 24, hour, tzinfo=UTC))
    assert len(running.fake.calls("chat.postMessage")) == 2
    # the next work day from 09:00: asked again, once, with how long it has waited
    jobs.tick(running.services, datetime(2026, 11, 25, 8, 59, tzinfo=UTC))
    assert len(running.fake.calls("chat.postMessage")) == 2
    jobs.tick(running.services, WED_9)
    jobs.tick(running.services, WED_9.replace(hour=15))
    assert len(dms_to(running, "UADMIN")) == 2 and len(dms_to(running, "UOWNER")) == 2
    assert "since 24 Nov, asked on 1 day" in dms_to(running, "UADMIN")[1].text
    # Saturday and Sunday are not work days
    for day in (28, 29):
        jobs.tick(running.services, datetime(2026, 11, day, 10, tzinfo=UTC))
    assert len(dms_to(running, "UADMIN")) == 2
    assert len(questions(running)) == 2
    # an admin picks: every question (4 DMs) is replaced by who picked whom; the space opens
    running.fake.add_user("UNEWAM")
    for _ in range(2):  # a double pick completes it once
        running.slack.block_action(
            v.PICK_AM, user_id="UOWNER", block_id=pick_block(first), selected_user="UNEWAM"
        )
    running.fake.wait_for("chat.update", 4)
    updates = running.fake.calls("chat.update")
    assert all(
        "<@UOWNER> picked <@UNEWAM> as the account manager of *Umbrella*" in u.text for u in updates
    )
    assert all(
        u.json("blocks")[0]["type"] == "section" and len(u.json("blocks")) == 1 for u in updates
    )  # no select left to click
    running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off:" in c.text)
    assert len(running.fake.calls("conversations.create")) == 1
    assert "<@UNEWAM> takes over" in intros(running)[0].text
    assert accounts(running)[0].status == "open"
    # nothing left to ask about
    jobs.tick(running.services, datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert len(dms_to(running, "UADMIN")) == 2


def test_with_nobody_else_the_declarer_is_asked(running: Running) -> None:
    add_reps(running, ("USAM", "UTC"), role="hunter")
    running.fake.add_user("UPLAIN")
    running.slack.command("won Wonka rep:<@USAM>", user_id="USAM")
    answer = running.fake.wait_for_response(1)[-1]["text"]
    assert "I've asked <@USAM> to pick an account manager" in answer
    ask = running.fake.wait_for("chat.postMessage", predicate=lambda c: c.args["channel"] == "USAM")
    block = pick_block(ask[0])
    # someone not asked and not a manager may not pick
    running.slack.block_action(v.PICK_AM, user_id="UPLAIN", block_id=block, selected_user="UPLAIN")
    refused = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: "Only managers" in c.text
    )
    assert refused and accounts(running)[0].status == "needs_account_manager"
    add_reps(running, ("ULEE", "UTC"), role="hybrid")
    running.slack.block_action(v.PICK_AM, user_id="USAM", block_id=block, selected_user="ULEE")
    running.fake.wait_for("conversations.create")
    assert accounts(running)[0].account_manager_id == "ULEE"


def test_a_farmer_joining_the_roster_takes_waiting_handoffs(running: Running) -> None:
    add_reps(running, ("UMGR", "UTC"), role="manager")
    add_reps(running, ("USAM", "UTC"), role="hunter")
    for name in ("Alpha", "Beta"):
        assert post_webhook(running, {"account": name, "sales_rep": "USAM"})[1]["status"] == (
            "needs_account_manager"
        )
    assert len(dms_to(running, "UMGR")) == 2 and running.fake.calls("users.list") == []
    running.fake.add_user("UFARM", tz="UTC")
    running.slack.command("add <@UFARM> as farmer", user_id="UMGR")
    running.fake.wait_for(
        "chat.postMessage",
        4,
        predicate=lambda c: "Hand-off:" in c.text or "needs an account manager" in c.text,
    )
    running.fake.wait_for("chat.update", 2)
    assert {a.account_manager_id for a in accounts(running)} == {"UFARM"}
    assert all(
        "<@UFARM> joined the roster as a farmer and takes" in u.text
        for u in running.fake.calls("chat.update")
    )
    eventually(lambda: {h.status for h in handoffs(running)} == {"open"})


def test_the_scheduler_gives_waiting_handoffs_to_a_farmer_added_any_way(running: Running) -> None:
    add_reps(running, ("UMGR", "UTC"), role="manager")
    add_reps(running, ("USAM", "UTC"), role="hunter")
    post_webhook(running, {"account": "Gamma", "sales_rep": "USAM"})
    add_reps(running, ("UFARM", "UTC"), role="farmer")  # straight into the database
    assert jobs.tick(running.services, WED_9)["handoff_waiting"] == 1
    assert accounts(running)[0].account_manager_id == "UFARM"
    assert len(dms_to(running, "UMGR")) == 1  # taken, so not asked again
