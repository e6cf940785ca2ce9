"""declare_crm_win with a normalised delivery: once per delivery key, the owner map, the one
account rule, and incomplete deliveries waiting visibly."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

from bot.handoff import views as v
from bot.handoff.crm import CrmDelivery as Delivery
from bot.handoff.crm_win import declare_crm_win
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps
from tests.support.handoff import accounts, dms_to, handoffs, intros, questions, team

WIN = Delivery(
    crm="hubspot",
    delivery_key="evt-1",
    deal_id="777",
    is_win=True,
    account_name="Globex",
    owner_id="12345",
    value=Decimal("40000"),
    won_at=date(2026, 11, 20),
)


def declare(run: Running, delivery: Delivery) -> tuple[int, str]:
    result = declare_crm_win(run.services, TEAM_ID, delivery)
    return result.handoff_id, result.status


def test_a_mapped_owner_opens_one_handoff_and_a_repeat_changes_nothing(running: Running) -> None:
    team(running)
    mapped = running.slack.command("crm map hubspot 12345 <@USAM>", user_id="UMGR").json()
    assert mapped["text"] == "Mapped HubSpot owner `12345` to <@USAM>."
    hid, status = declare(running, WIN)
    assert status == "created" and accounts(running)[0].sales_rep_id == "USAM"
    assert (
        accounts(running)[0].key == "crm:hubspot:777" and accounts(running)[0].source == "hubspot"
    )
    assert declare(running, WIN) == (0, "duplicate")
    assert declare(running, replace(WIN, delivery_key="evt-2")) == (hid, "exists")
    # a win typed in Slack for the same account finds it
    running.slack.command("won Globex Corp rep:<@USAM>", user_id="UMGR")
    assert "already has a hand-off" in running.fake.wait_for_response(1)[-1]["text"]
    assert len(running.fake.calls("conversations.create")) == 1 and len(accounts(running)) == 1
    assert declare(running, replace(WIN, delivery_key="evt-3", is_win=False))[1] == "ignored"
    listing = running.slack.command("crm map", user_id="UMGR").json()["text"]
    assert "*CRM owners* — 1 mapped" in listing and "HubSpot `12345` → <@USAM>" in listing


def test_the_same_delivery_at_once_on_several_threads_is_declared_once(running: Running) -> None:
    team(running)
    running.slack.command("crm map hubspot 12345 <@USAM>", user_id="UMGR")
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda d=d: results.append(declare(running, d)[1]))
        for d in (WIN, WIN, WIN, replace(WIN, delivery_key="evt-other"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["created", "duplicate", "duplicate", "exists"]
    assert len(accounts(running)) == 1 and len(running.fake.calls("conversations.create")) == 1


def test_bad_deliveries_are_refused_naming_the_field(running: Running) -> None:
    team(running)
    for bad, field in (
        (replace(WIN, won_at=date(2024, 1, 1)), "won_at"),
        (replace(WIN, won_at=date(2027, 1, 1)), "won_at"),
        (replace(WIN, value=Decimal("-1")), "value"),
        (replace(WIN, delivery_key=" "), "delivery_key"),
        (replace(WIN, crm="zoho"), "crm"),
    ):
        result = declare_crm_win(running.services, TEAM_ID, bad)
        assert (result.status, result.error) == ("invalid", field) and result.text.startswith(field)
    assert accounts(running) == []


def test_an_unmapped_owner_waits_for_a_rep_and_the_managers_are_asked_once(
    running: Running,
) -> None:
    team(running)
    _, status = declare(running, replace(WIN, owner_id="999"))
    assert status == "needs_sales_rep"
    _, status = declare(
        running,
        replace(WIN, delivery_key="evt-9", deal_id="778", account_name="Hooli", owner_id="999"),
    )
    assert status == "needs_sales_rep"
    (ask,) = dms_to(running, "UMGR")  # asked once about owner 999, not once per win
    assert "won in HubSpot by owner `999`, who isn't mapped" in ask.text
    assert running.fake.calls("conversations.create") == []
    listing = running.slack.command("handoffs", user_id="UMGR").json()["text"]
    assert "HubSpot owner `999` is not mapped — `/rolesplit crm map hubspot 999 @user`" in listing
    # the manager answers in the DM: the owner is mapped, both wins get their rep and start
    add_reps(running, ("UKIM", "UTC"), role="hunter")
    block = next(b["block_id"] for b in ask.json("blocks") if b["type"] == "actions")
    running.slack.block_action(v.PICK_REP, user_id="UMGR", block_id=block, selected_user="UKIM")
    running.fake.wait_for("chat.postMessage", 2, predicate=lambda c: "Hand-off:" in c.text)
    assert {a.sales_rep_id for a in accounts(running)} == {"UKIM"}
    update = running.fake.wait_for("chat.update")[0]
    assert "<@UMGR> mapped HubSpot owner `999` to <@UKIM>" in update.text
    # the next win of that owner needs nobody
    _, status = declare(
        running,
        replace(WIN, delivery_key="evt-10", deal_id="779", account_name="Initech", owner_id="999"),
    )
    assert status == "created" and len(questions(running)) == 1


def test_mapping_from_the_command_moves_waiting_wins_on(running: Running) -> None:
    team(running)
    declare(running, replace(WIN, owner_id="555"))
    answer = running.slack.command("crm map hubspot 555 <@USAM>", user_id="UMGR").json()
    assert answer["text"] == "Mapped HubSpot owner `555` to <@USAM>."
    running.fake.wait_for("conversations.create")
    assert "Hand-off started for *Globex*" in running.fake.wait_for_response(1)[-1]["text"]
    for bad, why in (
        ("crm map zoho 1 <@USAM>", "isn't a CRM I take"),
        ("crm map hubspot 1", "Name the CRM, the owner id and one person"),
        ("crm", "Usage: `/rolesplit crm map"),
    ):
        assert why in running.slack.command(bad, user_id="UMGR").json()["text"]
    refused = running.slack.command("crm map hubspot 1 <@USAM>", user_id="USAM").json()["text"]
    assert "is for managers" in refused


def test_an_owner_known_by_email_in_slack_needs_no_mapping(running: Running) -> None:
    team(running)  # USAM's Slack e-mail is sam@acme.test
    _, status = declare(running, replace(WIN, owner_id="4242", owner_email="SAM@acme.test"))
    assert status == "created" and accounts(running)[0].sales_rep_id == "USAM"


def test_a_delivery_without_the_account_name_waits_visibly(running: Running) -> None:
    team(running)
    running.slack.command("crm map hubspot 12345 <@USAM>", user_id="UMGR")
    hid, status = declare(running, replace(WIN, account_name=None, missing=("account_name",)))
    assert status == "incomplete" and running.fake.calls("conversations.create") == []
    (notice,) = dms_to(running, "UMGR")
    assert "HubSpot sent no account name (deal `777`)" in notice.text
    listing = running.slack.command("handoffs", user_id="UMGR").json()["text"]
    assert "*HubSpot deal 777*" in listing and "sent no account name (deal `777`)" in listing
    # the CRM sends the deal again with its name: the waiting hand-off is completed, not doubled
    assert declare(running, replace(WIN, delivery_key="evt-2")) == (hid, "created")
    assert [a.name for a in accounts(running)] == ["Globex"]
    assert handoffs(running)[0].status == "open" and "We won *Globex*" in intros(running)[0].text
