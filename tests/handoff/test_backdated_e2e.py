"""Backdated wins: one introduction, not a storm; one nudge per hand-off per pass; bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import jobs
from bot.handoff import views as v
from tests.conftest import Running
from tests.fakes import datepicker_value, input_value, users_select_value
from tests.handoff.support import accounts, intros, nudges, post_webhook, team

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
