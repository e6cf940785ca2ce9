"""The CRMs' own routes end to end: the vendored samples (tests/data/crm, sources in its README)
signed or authenticated as each CRM does, posted to the running app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from bot.handoff import views as v
from storage.db import make_sessionmaker
from storage.models import Account, CrmDelivery, Handoff
from tests.fakes import FakeSlack
from tests.support.app import Running, start_app
from tests.support.clock import Clock
from tests.support.constants import WEBHOOK_SECRET
from tests.support.crm import (
    HUBSPOT_SECRET,
    PIPEDRIVE_PASSWORD,
    PIPEDRIVE_USER,
    PUBLIC_URL,
    SALESFORCE_HEADERS,
    SALESFORCE_ORG,
    crm_sample,
    hubspot_headers,
    pipedrive_headers,
    post_raw,
)
from tests.support.handoff import accounts, dms_to, intros, questions, team
from tests.support.http import HttpAnswer

MARCH_10 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # the samples' day (a Tuesday)
CRM_ENV = {
    "ROLESPLIT_HUBSPOT_SECRET": HUBSPOT_SECRET,
    "ROLESPLIT_PIPEDRIVE_USER": PIPEDRIVE_USER,
    "ROLESPLIT_PIPEDRIVE_PASSWORD": PIPEDRIVE_PASSWORD,
    "ROLESPLIT_SALESFORCE_ORG_ID": SALESFORCE_ORG,
    "ROLESPLIT_PUBLIC_URL": PUBLIC_URL,
}
# the sample each CRM test sends, the owner id it names, and the account it wins
SAMPLES = {
    "hubspot": ("hubspot_workflow_custom.json", "10420866", "Globex"),
    "pipedrive": ("pipedrive_v2_deal_won.json", "18487521", "Initech"),
    "salesforce": ("salesforce_opportunity_won.xml", "0057F000001aBcDQAU", "Express Logistics SLA"),
}


@pytest.fixture
def crm(db_url: str, fake_slack: FakeSlack, clock: Clock) -> Iterator[Running]:
    """The app with every CRM route configured, on the samples' day, with a small team."""
    clock.set(MARCH_10)
    run = start_app(db_url, fake_slack, clock, **CRM_ENV)
    team(run)  # UMGR manages; USAM hunts; UDANA and ULEE farm
    yield run
    run.stop()


def deliver(run: Running, crm: str, body: bytes, **kwargs: Any) -> HttpAnswer:
    """Post a delivery the way the CRM does (signed, Basic, or with the URL's token)."""
    if crm == "hubspot":
        uri = kwargs.pop("uri", PUBLIC_URL + "/webhooks/hubspot")
        now_ms = int(run.clock().timestamp() * 1000)
        headers = hubspot_headers(body, uri, now_ms, kwargs.pop("secret", HUBSPOT_SECRET))
        return post_raw(run.url, "/webhooks/hubspot", body, headers)
    if crm == "pipedrive":
        password = kwargs.pop("password", PIPEDRIVE_PASSWORD)
        return post_raw(run.url, "/webhooks/pipedrive", body, pipedrive_headers(password=password))
    token = kwargs.pop("token", WEBHOOK_SECRET)
    target = "/webhooks/salesforce" + (f"?token={token}" if token else "")
    return post_raw(run.url, target, body, SALESFORCE_HEADERS)


def results(answer: HttpAnswer) -> list[dict[str, Any]]:
    """The JSON answer's per-deal results (HubSpot, Pipedrive)."""
    assert answer.status == 200, answer.text
    return list(json.loads(answer.text)["results"])


def stored(run: Running) -> tuple[int, int, int]:
    """(accounts, hand-offs, CRM deliveries) in the database."""
    with run.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Account)) or 0,
            s.scalar(select(func.count()).select_from(Handoff)) or 0,
            s.scalar(select(func.count()).select_from(CrmDelivery)) or 0,
        )


def map_owner(run: Running, crm: str, owner: str, user: str = "USAM") -> None:
    answer = run.slack.command(f"crm map {crm} {owner} <@{user}>", user_id="UMGR").json()
    assert answer["text"].startswith("Mapped "), answer


@pytest.mark.parametrize("crm_name", ["hubspot", "pipedrive", "salesforce"])
def test_a_delivery_opens_one_private_handoff_with_the_right_people_and_a_repeat_changes_nothing(
    crm: Running, crm_name: str
) -> None:
    sample, owner, account = SAMPLES[crm_name]
    map_owner(crm, crm_name, owner)
    body = crm_sample(sample)
    answer = deliver(crm, crm_name, body)
    if crm_name == "salesforce":
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/xml")
        assert "<Ack>true</Ack>" in answer.text and "notificationsResponse" in answer.text
    else:
        assert [r["status"] for r in results(answer)] == ["created"]
    (row,) = accounts(crm)
    assert (row.name, row.crm, row.sales_rep_id, row.account_manager_id, row.source) == (
        account,
        crm_name,
        "USAM",
        "UDANA",  # the free farmer never assigned before (ties by user id)
        crm_name,
    )
    (create,) = crm.fake.calls("conversations.create")
    assert create.args["is_private"] in (True, "true", "1", 1)
    invited = {c.args["users"] for c in crm.fake.calls("conversations.invite")}
    assert invited == {"USAM", "UDANA"}
    (intro,) = intros(crm)
    assert "<@UDANA> takes over" in intro.text and "<@USAM> won the account" in intro.text
    # the CRM delivers the same again (a retry): the same answer kind, nothing new
    again = deliver(crm, crm_name, body)
    if crm_name == "salesforce":
        assert again.status == 200 and "<Ack>true</Ack>" in again.text
    else:
        assert [r["status"] for r in results(again)] == ["duplicate"]
    assert stored(crm)[:2] == (1, 1)
    assert len(crm.fake.calls("conversations.create")) == 1 and len(intros(crm)) == 1


def test_salesforce_acknowledges_every_notification_and_acts_on_the_win_only(
    crm: Running,
) -> None:
    map_owner(crm, "salesforce", "0057F000001aBcDQAU")
    answer = deliver(crm, "salesforce", crm_sample("salesforce_opportunity_won.xml"))
    assert "<Ack>true</Ack>" in answer.text
    # two notifications: the won one recorded, the other stage ignored (nothing stored for it)
    assert stored(crm) == (1, 1, 1)


def test_a_hubspot_win_and_a_slack_win_for_the_same_account_meet(crm: Running) -> None:
    map_owner(crm, "hubspot", "10420866")
    crm.slack.command("won Globex Inc. rep:<@USAM> am:<@ULEE>", user_id="USAM")
    crm.fake.wait_for("conversations.create")
    (status,) = [
        r["status"] for r in results(deliver(crm, "hubspot", crm_sample(SAMPLES["hubspot"][0])))
    ]
    assert status == "exists" and stored(crm)[:2] == (1, 1)
    (row,) = accounts(crm)
    assert (row.account_manager_id, row.crm_id) == ("ULEE", "46789044")  # the CRM id is kept
    # … and the other way round: HubSpot first, then the Slack command finds it
    body = crm_sample("hubspot_workflow_all_properties.json")
    map_owner(crm, "hubspot", "10420865")
    assert [r["status"] for r in results(deliver(crm, "hubspot", body))] == ["created"]
    crm.slack.command("won ACME corp rep:<@USAM>", user_id="USAM")
    answer = crm.fake.wait_for_response(2)[-1]["text"]
    assert "*Acme Corp* already has a hand-off: <#" in answer
    assert stored(crm)[:2] == (2, 2) and len(crm.fake.calls("conversations.create")) == 2
    closed = crm.slack.command("handoff close 46789044", user_id="UMGR").json()["text"]
    assert "Closed the *Globex Inc.* hand-off" in closed


def test_an_unmapped_owner_waits_and_the_managers_are_asked_once(crm: Running) -> None:
    won = json.loads(crm_sample("pipedrive_v2_deal_won.json"))
    assert [r["status"] for r in results(deliver(crm, "pipedrive", json.dumps(won).encode()))] == [
        "needs_sales_rep"
    ]
    # a second win of the same owner: it waits too, and nobody is asked twice
    won["meta"]["id"], won["meta"]["entity_id"] = "a0000000-0000-4000-8000-000000000002", "70"
    won["data"].update(id=70, title="Hooli")
    assert [r["status"] for r in results(deliver(crm, "pipedrive", json.dumps(won).encode()))] == [
        "needs_sales_rep"
    ]
    (ask,) = dms_to(crm, "UMGR")
    assert "won in Pipedrive by owner `18487521`, who isn't mapped" in ask.text
    assert len(questions(crm)) == 1 and crm.fake.calls("conversations.create") == []
    listing = crm.slack.command("handoffs", user_id="UMGR").json()["text"]
    assert "`/rolesplit crm map pipedrive 18487521 @user`" in listing
    # the manager answers in the DM: the owner is mapped and both hand-offs start
    block = next(b["block_id"] for b in ask.json("blocks") if b["type"] == "actions")
    crm.slack.block_action(v.PICK_REP, user_id="UMGR", block_id=block, selected_user="USAM")
    crm.fake.wait_for("chat.postMessage", 2, predicate=lambda c: c.text.startswith("Hand-off:"))
    assert {a.sales_rep_id for a in accounts(crm)} == {"USAM"}
    assert {a.status for a in accounts(crm)} == {"open"}


@pytest.mark.parametrize(
    ("crm_name", "kwargs"),
    [
        ("hubspot", {"secret": "not-the-app-secret"}),
        ("hubspot", {"uri": "http://rolesplit.example.com/webhooks/hubspot"}),  # not the public URL
        ("pipedrive", {"password": "guess"}),
        ("salesforce", {"token": "guess"}),
        ("salesforce", {"token": ""}),
    ],
)
def test_bad_authentication_is_401_and_stores_nothing(
    crm: Running, crm_name: str, kwargs: dict[str, str]
) -> None:
    map_owner(crm, crm_name, SAMPLES[crm_name][1])
    crm.fake.reset()
    answer = deliver(crm, crm_name, crm_sample(SAMPLES[crm_name][0]), **kwargs)
    assert answer.status == 401, answer.text
    if crm_name == "salesforce":
        assert "<faultcode>soapenv:Client</faultcode>" in answer.text
    assert stored(crm) == (0, 0, 0) and crm.fake.calls("chat.postMessage") == []


def test_salesforce_from_another_org_is_401(crm: Running) -> None:
    body = crm_sample("salesforce_opportunity_won.xml").replace(
        SALESFORCE_ORG.encode(), b"00D000000000001AAA"
    )
    answer = deliver(crm, "salesforce", body)
    assert answer.status == 401 and "ROLESPLIT_SALESFORCE_ORG_ID" in answer.text
    assert stored(crm) == (0, 0, 0)


def test_a_bad_field_is_400_naming_it_and_stores_nothing(crm: Running) -> None:
    deal = json.loads(crm_sample("hubspot_workflow_custom.json"))
    answer = deliver(crm, "hubspot", json.dumps({**deal, "amount": "lots"}).encode())
    assert answer.status == 400 and json.loads(answer.text)["field"] == "amount"
    early = json.loads(crm_sample("pipedrive_v2_deal_won.json"))
    early["data"]["won_time"] = "2025-01-02T10:00:00Z"  # more than a year back
    answer = deliver(crm, "pipedrive", json.dumps(early).encode())
    assert answer.status == 400 and json.loads(answer.text)["field"] == "data.won_time"
    answer = deliver(crm, "salesforce", b"<notifications/>")
    assert answer.status == 400 and "Envelope" in answer.text and "soapenv:Fault" in answer.text
    assert stored(crm) == (0, 0, 0)


def test_a_database_outage_is_503_and_the_retry_goes_through(crm: Running) -> None:
    map_owner(crm, "hubspot", "10420866")
    working = crm.services.Session, crm.services.Read
    gone = make_sessionmaker(create_engine("sqlite:////nonexistent-folder/rolesplit.db"))
    body = crm_sample("hubspot_workflow_custom.json")
    crm.services.Session, crm.services.Read = gone, gone
    try:
        answer = deliver(crm, "hubspot", body)
        salesforce = deliver(crm, "salesforce", crm_sample("salesforce_opportunity_won.xml"))
    finally:
        crm.services.Session, crm.services.Read = working
    assert answer.status == 503 and "database" in json.loads(answer.text)["error"]
    assert salesforce.status == 503 and "soapenv:Server" in salesforce.text
    assert stored(crm) == (0, 0, 0)
    assert [r["status"] for r in results(deliver(crm, "hubspot", body))] == ["created"]


def test_routes_are_off_until_their_settings_are_given(running: Running) -> None:
    for path, variable in (
        ("/webhooks/hubspot", "ROLESPLIT_HUBSPOT_SECRET"),
        ("/webhooks/pipedrive", "ROLESPLIT_PIPEDRIVE_USER"),
        ("/webhooks/salesforce", "ROLESPLIT_SALESFORCE_ORG_ID"),
    ):
        answer = post_raw(running.url, path, b"{}", {"Content-Type": "application/json"})
        assert answer.status == 404 and json.loads(answer.text)["setting"] == variable


def test_without_a_public_url_hubspot_signs_the_address_it_called(
    db_url: str, fake_slack: FakeSlack, clock: Clock
) -> None:
    clock.set(MARCH_10)
    run = start_app(db_url, fake_slack, clock, ROLESPLIT_HUBSPOT_SECRET=HUBSPOT_SECRET)
    try:
        team(run)
        body = crm_sample("hubspot_webhooks_batch.json")  # the Webhooks API: no name, no owner
        answer = deliver(run, "hubspot", body, uri=run.url + "/webhooks/hubspot")
        # a deal won, a deal moved to another stage, a contact (not read), a deal deleted
        assert [r["status"] for r in results(answer)] == ["incomplete", "ignored", "ignored"]
        assert deliver(run, "hubspot", body).status == 401  # signed for another address
        (row,) = accounts(run)
        assert (row.status, row.crm_id, row.missing) == (
            "incomplete",
            "1246965",
            "account_name,owner",
        )
    finally:
        run.stop()
