"""Two workspaces installed by OAuth stay apart: a manager of one never sees or touches the other's
people, hours, reports or hand-offs — by command, App Home, CSV, webhook or scheduled work."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import jobs
from bot.study import dm_views
from storage import repo
from storage.models import (
    Account,
    ChecklistItem,
    DayLog,
    FitAnswer,
    Handoff,
    Member,
    ProcessedRequest,
    Study,
)
from tests.support.app import Running
from tests.support.constants import EARLY, MON, TEAM_B, TEAM_ID
from tests.support.daylog import log_days
from tests.support.http import post_webhook

TEAM_A = TEAM_ID
PEOPLE = {TEAM_A: ("UAMGR", "UA1", "UAF"), TEAM_B: ("UBMGR", "UB1", "UBF")}
ACCOUNT = {TEAM_A: "Northwind", TEAM_B: "Globex"}


def other(team: str) -> str:
    return TEAM_B if team == TEAM_A else TEAM_A


def mentions_of(team: str) -> set[str]:
    return {f"<@{u}>" for u in PEOPLE[team]}


def add_member(run: Running, team: str, user: str, role: str, **fields: Any) -> None:
    run.fake.add_user(user, tz="UTC", team_id=team, email=f"{user.lower()}@{team.lower()}.test")
    with run.session() as s:
        ws = repo.ensure_workspace(s, team)
        member, _ = repo.upsert_member(s, ws.id, user, role, tz="UTC", now=run.clock())
        for key, value in fields.items():
            setattr(member, key, value)


def answer(run: Running, team: str, text: str, user: str | None = None) -> str:
    """The command's answer: the ack, or what it posted to its response_url afterwards."""
    run.fake.reset()
    ack = run.slack.command(text, user_id=user or PEOPLE[team][0], team_id=team).json() or {}
    if "…" not in ack.get("text", "") and ack.get("text"):
        return str(ack["text"])
    msg = run.fake.wait_for_response(1)[-1]
    return str(msg.get("text", "")) + json.dumps(msg.get("blocks", []), ensure_ascii=False)


def export(run: Running, team: str, user: str) -> None:
    """`/rolesplit export @user` by the workspace's manager; waits for the file."""
    run.fake.reset()
    ack = run.slack.command(f"export <@{user}>", user_id=PEOPLE[team][0], team_id=team).json()
    assert "Collecting" in ack["text"]
    (upload,) = run.fake.wait_for("files.completeUploadExternal")
    assert upload.token in tokens(run, team)


def tokens(run: Running, team: str) -> set[str]:
    return {t for t, owner in run.fake.tokens.items() if owner == team}


@pytest.fixture
def seeded(two_workspaces: Running) -> Running:
    """Each workspace: a manager (the installer), a rep with a week of hours, a farmer, and a
    hand-off of its own account."""
    run = two_workspaces
    for team, (_manager, rep, farmer) in PEOPLE.items():
        add_member(run, team, rep, "hybrid", created_at=EARLY)
        add_member(run, team, farmer, "farmer", created_at=EARLY)
    log_days(
        run, "UA1", MON, 5, team_id=TEAM_A, prospecting="6", account_service="2"
    )  # 40 h, 25% farming
    log_days(run, "UB1", MON, 5, team_id=TEAM_B, account_service="7")  # 35 h, 100% farming
    for team, (_manager, rep, farmer) in PEOPLE.items():
        status, body = post_webhook(
            run,
            {
                "team_id": team,
                "account": ACCOUNT[team],
                "sales_rep": rep,
                "account_manager": farmer,
            },
        )
        assert (status, body["status"]) == (202, "created")
    run.fake.reset()
    return run


# ---------------------------------------------------------------- what managers see


@pytest.mark.parametrize("team", [TEAM_A, TEAM_B])
def test_roster_report_and_handoffs_show_only_the_callers_workspace(
    seeded: Running, team: str
) -> None:
    run, theirs = seeded, other(team)
    roster = answer(run, team, "roster")
    assert all(m in roster for m in mentions_of(team))
    assert not any(m in roster for m in mentions_of(theirs))

    report = answer(run, team, "report last-week")
    assert f"<@{PEOPLE[team][1]}>" in report
    assert not any(m in report for m in mentions_of(theirs))
    assert ("*Team:* 40 h" in report) == (team == TEAM_A)
    assert ("*Team:* 35 h" in report) == (team == TEAM_B)
    assert {c.token for c in run.fake.calls()} <= tokens(run, team)

    handoffs = answer(run, team, "handoffs")
    assert ACCOUNT[team] in handoffs and ACCOUNT[theirs] not in handoffs


@pytest.mark.parametrize("team", [TEAM_A, TEAM_B])
def test_csv_and_export_hold_only_the_callers_workspace(seeded: Running, team: str) -> None:
    run, theirs = seeded, other(team)
    manager, rep, _farmer = PEOPLE[team]
    answer(run, team, "report last-week csv")
    run.fake.wait_for("files.completeUploadExternal")
    (shared,) = run.fake.shared_files
    rows = list(csv.DictReader(io.StringIO(shared["content"].decode())))
    assert {r["user_id"] for r in rows} <= set(PEOPLE[team]) and rep in {r["user_id"] for r in rows}
    assert shared["channel"] == "D" + manager
    upload = run.fake.calls("files.completeUploadExternal")[0]
    assert upload.token in tokens(run, team)

    # exporting someone of the other workspace gives nothing of theirs
    run.fake.shared_files.clear()
    export(run, team, PEOPLE[theirs][1])
    data = json.loads(run.fake.shared_files[-1]["content"])
    assert data["member"] is None and data["accounts"] == [] and "days" not in data
    run.fake.shared_files.clear()
    export(run, team, rep)
    mine = json.loads(run.fake.shared_files[-1]["content"])
    assert mine["member"]["user_id"] == rep and len(mine["days"]) == 5
    assert [a["name"] for a in mine["accounts"]] == [ACCOUNT[team]]


def test_app_home_shows_a_manager_only_their_team(seeded: Running) -> None:
    run = seeded
    this_monday = MON + timedelta(days=7)
    log_days(run, "UA1", this_monday, 1, team_id=TEAM_A, prospecting="3")
    log_days(run, "UB1", this_monday, 1, team_id=TEAM_B, account_service="9")
    for team, total in ((TEAM_A, "3"), (TEAM_B, "9")):
        run.fake.reset()
        run.slack.app_home_opened(user_id=PEOPLE[team][0], team_id=team)
        (publish,) = run.fake.wait_for("views.publish")
        assert publish.token in tokens(run, team)
        assert f"*Team:* {total} h" in publish.text
        assert not any(m in publish.text for m in mentions_of(other(team)))
    # a rep's own Home tab: their week only
    run.fake.reset()
    run.slack.app_home_opened(user_id="UB1", team_id=TEAM_B)
    (publish,) = run.fake.wait_for("views.publish")
    assert "9 h" in publish.text and "3 h" not in publish.text and "*Team:*" not in publish.text


# ---------------------------------------------------------------- what managers can touch


def test_a_manager_has_no_rights_and_no_reach_in_the_other_workspace(seeded: Running) -> None:
    run = seeded
    # Acme's manager is nobody in Beta
    refusal = answer(run, TEAM_B, "roster", user="UAMGR")
    assert "for managers" in refusal and "<@UB1>" not in refusal
    # Beta's people cannot be put on (or taken off) Acme's roster
    added = answer(run, TEAM_A, "add <@UB1> as farmer")
    assert "not an active member of this workspace" in added
    removed = answer(run, TEAM_A, "remove <@UBF>")
    assert "not on the roster" in removed
    with run.session() as s:
        ws_a = repo.get_workspace(s, TEAM_A)
        ws_b = repo.get_workspace(s, TEAM_B)
        assert ws_a is not None and ws_b is not None
        assert repo.get_member(s, ws_a.id, "UB1") is None
        ub1 = repo.get_member(s, ws_b.id, "UB1")
        ubf = repo.get_member(s, ws_b.id, "UBF")
        assert ub1 is not None and ub1.role == "hybrid" and ubf is not None and ubf.active
        a_handoff = s.scalar(
            select(Handoff.id).join(Account).where(Account.workspace_id == ws_a.id)
        )
    # a checklist click sent from Beta for Acme's hand-off ticks nothing
    run.slack.block_action(
        "checklist_toggle", f"{a_handoff}:intro_call:tick", user_id="UBMGR", team_id=TEAM_B
    )
    # and erasing "UB1" in Acme (where nobody has that id) leaves Beta's UB1 untouched
    b_key, a_key = "btn:T0002:UB1:same:2026-11-20", "btn:T0001:UB1:same:2026-11-20"
    with run.session() as s:
        for key in (b_key, a_key):
            repo.claim_key(s, key, run.clock())
    run.slack.block_action("forget_confirm", "UB1", user_id="UAMGR", team_id=TEAM_A)
    run.fake.wait_for_response(1)
    with run.session() as s:
        assert not s.scalars(
            select(ChecklistItem.done_by).where(ChecklistItem.done_by.is_not(None))
        ).all()
        a_account = s.scalar(select(Account).join(Handoff).where(Handoff.id == a_handoff))
        assert a_account is not None and a_account.account_manager_id == "UAF"
        ub1 = s.scalar(select(Member).where(Member.user_id == "UB1"))
        assert ub1 is not None and ub1.active
        b_days = s.scalars(select(DayLog).where(DayLog.member_id == ub1.id)).all()
        assert len(b_days) == 5
        b_account = s.scalar(select(Account).where(Account.name == ACCOUNT[TEAM_B]))
        assert b_account is not None and b_account.sales_rep_id == "UB1"
        keys = set(s.scalars(select(ProcessedRequest.key)))
        assert b_key in keys and a_key not in keys  # Beta's click keys survive Acme's erasure


# ---------------------------------------------------------------- the webhook


def test_webhook_needs_and_checks_team_id_when_several_are_installed(seeded: Running) -> None:
    run = seeded
    deal = {"account": "Initech", "sales_rep": "UB1", "account_manager": "UBF"}
    status, body = post_webhook(run, deal)
    assert status == 400 and body["field"] == "team_id" and "team_id" in body["error"]
    status, body = post_webhook(run, {**deal, "team_id": "T9999"})
    assert status == 400 and body["field"] == "team_id"
    with run.session() as s:
        assert s.scalar(select(Account).where(Account.name == "Initech")) is None
    assert run.fake.calls() == []
    # e-mail addresses are looked up in the named workspace only
    status, body = post_webhook(run, {**deal, "team_id": TEAM_A, "sales_rep": "ub1@t0002.test"})
    assert status == 400 and body["field"] == "sales_rep"
    status, body = post_webhook(run, {**deal, "team_id": TEAM_B, "sales_rep": "ub1@t0002.test"})
    assert (status, body["status"]) == (202, "created")
    assert {c.token for c in run.fake.calls()} - {None} <= tokens(run, TEAM_B) | tokens(run, TEAM_A)
    assert not [
        c
        for c in run.fake.calls()
        if c.method != "users.lookupByEmail" and c.token in tokens(run, TEAM_A)
    ]
    with run.session() as s:
        account = s.scalar(select(Account).where(Account.name == "Initech"))
        ws_b = repo.get_workspace(s, TEAM_B)
        assert account is not None and ws_b is not None and account.workspace_id == ws_b.id
    assert "Initech" not in answer(run, TEAM_A, "handoffs")
    assert "Initech" in answer(run, TEAM_B, "handoffs")


# ---------------------------------------------------------------- scheduled work


def test_scheduled_work_uses_each_workspaces_own_token(seeded: Running) -> None:
    run = seeded
    run.services.settings.rollup_channel = "C0ROLL"
    done = jobs.tick(run.services, datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    assert done["prompts"] == 4 and done["rollups"] == 2 and done["nudges"] == 2
    for call in run.fake.calls("chat.postMessage"):
        channel = str(call.args["channel"])
        team = next((t for t, people in PEOPLE.items() if channel in people), None)
        if team is not None:  # a DM: the person's own workspace's token
            assert call.token in tokens(run, team), channel
    rollups = [c for c in run.fake.calls("chat.postMessage") if c.args["channel"] == "C0ROLL"]
    by_token = {
        next(t for t in (TEAM_A, TEAM_B) if c.token in tokens(run, t)): c.text for c in rollups
    }
    assert "<@UA1>" in by_token[TEAM_A] and "<@UB1>" not in by_token[TEAM_A]
    assert "<@UB1>" in by_token[TEAM_B] and "<@UA1>" not in by_token[TEAM_B]


# ---------------------------------------------------------------- the time study


def test_a_study_is_seen_and_answered_only_in_its_own_workspace(seeded: Running) -> None:
    run = seeded
    assert "Time study started" in answer(run, TEAM_A, "study start 2 weeks")
    with run.session() as s:
        ws_a = repo.get_workspace(s, TEAM_A)
        assert ws_a is not None
        study_id = s.scalar(select(Study.id).where(Study.workspace_id == ws_a.id))
    assert study_id is not None
    # Beta has no study of its own, and its manager hears nothing of Acme's
    assert "Northwind" not in answer(run, TEAM_B, "study") and "<@UA1>" not in answer(
        run, TEAM_B, "study"
    )
    run.fake.reset()
    # Beta's rep clicking on Acme's study: no form opens, no answer is stored
    run.slack.block_action(dm_views.FIT_COMMENT, str(study_id), user_id="UB1", team_id=TEAM_B)
    run.slack.block_action(
        dm_views.FIT_ACTION.format(5), str(study_id), user_id="UB1", team_id=TEAM_B
    )
    run.fake.wait_for_response(2)
    assert run.fake.calls("views.open") == []
    with run.session() as s:
        assert s.scalars(select(FitAnswer)).all() == []
