"""Backdated wins: one introduction, not a storm; one nudge per hand-off per pass; bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import jobs
from bot.handoff import views as v
from storage import repo
from storage.models import Account, Handoff
from tests.fakes import datepicker_value, input_value, users_select_value
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps
from tests.support.handoff import accounts, dms_to, eventually, handoffs, intros, nudges, team
from tests.support.http import post_webhook

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # the clock fixture's instant


def nudge_posts(run: Running) -> list[str]:
    return [
        c.text
        for c in run.fake.calls("chat.postMessage")
        if c.args["channel"].startswith("C") and "Hand-off:" not in c.text
    ]


def test_a_year_old_win_sends_one_introduction_not_a_storm(running: Running) -> None:
    team(running)
    body = post_webhook(
        running,
        {
            "account": "Oldco",
            "sales_rep": "USAM",
            "account_manager": "UDANA",
            "won_at": "2025-11-24",
        },
    )[1]
    assert body["status"] == "created"
    (intro,) = intros(running)
    skipped = "day 1 (25 Nov 2025), day 7 (1 Dec 2025), day 30 (24 Dec 2025), day 90 (22 Feb 2026)"
    assert (
        skipped in intro.text
        and "transfer (25 May 2026), partner check-in 1 (23 Aug 2026)" in intro.text
    )
    assert intro.text.count("are skipped") == 1
    assert "Ownership moved to the account manager on *Mon 25 May 2026*" in intro.text
    assert accounts(running)[0].status == "transferred" and accounts(running)[0].owner_id == "UDANA"
    # the one check-in still due (21 Nov, 3 days ago) goes on the next pass, and that is all
    sent = [jobs.tick(running.services, NOW + timedelta(minutes=m))["nudges"] for m in range(5)]
    assert sent == [1, 0, 0, 0, 0]
    assert "Partner check-in for *Oldco*" in nudge_posts(running)[0]
    # the chain of check-ins goes on from there: the next one 90 days after the last
    pending = [n for n in nudges(running) if n.claimed_at is None]
    assert [(n.kind, n.due_at.date().isoformat()) for n in pending] == [("checkin3", "2027-02-19")]


def test_at_most_one_nudge_per_handoff_per_pass(running: Running) -> None:
    team(running)
    # won a week ago: day 1 (18 Nov, 6 days late) and day 7 (today 09:00) are both due
    post_webhook(
        running,
        {
            "account": "Weekco",
            "sales_rep": "USAM",
            "account_manager": "UDANA",
            "won_at": "2026-11-17",
        },
    )
    post_webhook(running, {"account": "Otherco", "sales_rep": "USAM", "won_at": "2026-11-22"})
    assert jobs.tick(running.services, NOW)["nudges"] == 2  # one each: Weekco day 1, Otherco day 1
    assert jobs.tick(running.services, NOW + timedelta(seconds=5))["nudges"] == 0
    assert jobs.tick(running.services, NOW + timedelta(seconds=61))["nudges"] == 1  # Weekco day 7
    assert jobs.tick(running.services, NOW + timedelta(seconds=122))["nudges"] == 0
    posts = nudge_posts(running)
    assert [p.split("*")[1] for p in posts] == ["Weekco", "Otherco", "Weekco"]
    assert "Day 1 of the *Weekco*" in posts[0] and "Day 7 of the *Weekco*" in posts[2]


def test_win_dates_out_of_bounds_are_refused_and_change_nothing(running: Running) -> None:
    team(running)
    base = {"account": "Acme", "sales_rep": "USAM"}
    for won, why in (
        ("2025-11-23", "more than a year ago — use a date on or after 2025-11-24"),
        ("0001-01-01", "more than a year ago"),
        ("2026-11-25", "is in the future"),
    ):
        status, body = post_webhook(running, {**base, "won_at": won})
        assert status == 400 and body["field"] == "won_at" and why in body["error"], body
    answer = running.slack.command("won Acme won:2025-01-01", user_id="UMGR").json()["text"]
    assert "`won:` 1 Jan 2025 is more than a year ago" in answer
    values = {
        v.B_ACCOUNT: {v.A_ACCOUNT: input_value("Acme")},
        v.B_REP: {v.A_REP: users_select_value("USAM")},
        v.B_WON: {v.A_WON: datepicker_value("2026-12-01")},
    }
    errors = running.slack.view_submission(v.WON_CALLBACK, values, user_id="UMGR").json()
    assert "in the future" in errors["errors"][v.B_WON]
    assert accounts(running) == [] and running.fake.calls("conversations.create") == []
    values[v.B_WON] = {v.A_WON: datepicker_value("2026-11-20")}
    assert running.slack.view_submission(v.WON_CALLBACK, values, user_id="UMGR").text == ""
    running.fake.wait_for("conversations.create")
    assert accounts(running)[0].won_at.isoformat() == "2026-11-20"


def test_a_space_opened_late_skips_what_became_long_overdue_while_it_waited(
    running: Running,
) -> None:
    add_reps(running, ("UMGR", "UTC"), role="manager")
    add_reps(running, ("USAM", "UTC"), role="hunter")
    # won 6 days ago: day 1 is 5 days late, still due — but nobody can take it yet
    body = post_webhook(
        running, {"account": "Slowco", "sales_rep": "USAM", "won_at": "2026-11-18"}
    )[1]
    assert body["status"] == "needs_account_manager"
    assert next(n.kind for n in nudges(running) if n.claimed_at is None) == "day1"
    # four days later a manager picks: day 1 (19 Nov) is now 9 days late and is skipped
    running.clock.set(datetime(2026, 11, 28, 10, tzinfo=UTC))
    ask = dms_to(running, "UMGR")[0]
    block = next(b["block_id"] for b in ask.json("blocks") if b["type"] == "actions")
    add_reps(running, ("UAMY", "UTC"), role="hybrid")
    running.slack.block_action(v.PICK_AM, user_id="UMGR", block_id=block, selected_user="UAMY")
    intro = running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off:" in c.text)[0]
    assert "day 1 (19 Nov 2026)" in intro.text and "day 7" not in intro.text
    eventually(lambda: len(intros(running)) == 1 and handoffs(running)[0].status == "open")
    assert jobs.tick(running.services, running.clock())["nudges"] == 1  # day 7 (25 Nov)
    assert "Day 7 of the *Slowco*" in nudge_posts(running)[-1]


def test_a_setup_left_half_done_by_a_stopped_process_is_offered_again(running: Running) -> None:
    team(running)
    with running.session() as s:  # what a process killed mid-setup leaves behind
        ws = repo.ensure_workspace(s, TEAM_ID)
        account = Account(
            workspace_id=ws.id,
            key="win:x",
            name="Halfco",
            name_key="halfco",
            won_at=NOW.date(),
            transfer_on=NOW.date() + timedelta(days=182),
            status="open",
            source="command",
            sales_rep_id="USAM",
            account_manager_id="UDANA",
            created_at=NOW,
        )
        s.add(account)
        s.flush()
        s.add(
            Handoff(
                account_id=account.id,
                mode="channel",
                status="setting_up",
                setup_claimed_at=NOW,
                created_at=NOW,
            )
        )
    jobs.tick(running.services, NOW + timedelta(minutes=10))
    assert handoffs(running)[0].status == "setting_up"
    jobs.tick(running.services, NOW + timedelta(minutes=16))
    assert handoffs(running)[0].status == "failed"
    listing = running.slack.command("handoffs", user_id="UMGR").json()
    assert "not started" in listing["text"] and "interrupted" in listing["text"]
    assert any(b.get("accessory", {}).get("action_id") == v.RETRY for b in listing["blocks"])
