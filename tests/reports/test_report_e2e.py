"""`/rolesplit report`, its CSV, the weekly rollup and the terminal report, end to end."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot import jobs
from storage import repo
from storage.models import Account, Rollup
from tests.support.app import Running
from tests.support.constants import EARLY, MON, TEAM_ID
from tests.support.daylog import add_reps, log_days
from tests.support.slack import all_text, command

D = Decimal


def manager(run: Running) -> None:
    run.fake.add_user("UBOSS", is_admin=True)


def test_report_shows_split_verdict_capacity_and_flags(running: Running) -> None:
    manager(running)
    add_reps(running, ("UFARM", "UTC"), ("UHUNT", "UTC"), ("UNONE", "UTC"), created_at=EARLY)
    log_days(running, "UFARM", MON, 5, account_service="6", prospecting="2")
    log_days(running, "UHUNT", MON, 4, prospecting="5", sales_meetings="2", admin="1")
    msg = command(running, "report last-week")
    text = all_text(msg)
    assert "*Team:* 72 h — hunting 53% · farming 42% · other 5%" in text
    assert "Verdict: consider separating." in text and "1 of 2 reps" in text
    assert "about *0.8 account managers* at 40 h" in text
    assert "⚠️ <@UFARM> 40 h · hunting 25% · farming 75% · other 0%" in text
    assert "<@UHUNT> 32 h" in text and "4/5 days" in text
    assert "<@UNONE> no data · 0/5 days" in text and "Not logging:* <@UNONE>" in text
    assert "UFARM" not in text.replace("<@UFARM>", "")  # people appear as mentions only
    assert running.fake.contract_violations == []


def test_non_manager_gets_a_refusal_and_no_data(running: Running) -> None:
    add_reps(running, ("UREP", "UTC"), created_at=EARLY)
    log_days(running, "UREP", MON, 2, prospecting="8")
    answer = command(running, "report last-week", user="UREP")
    assert "for managers" in answer["text"] and "8 h" not in all_text(answer)
    assert running.fake.responses == []


def test_bad_period_gets_the_usage(running: Running) -> None:
    manager(running)
    answer = command(running, "report someday")
    assert "isn't a period" in answer["text"] and "/rolesplit report" in answer["text"]


def test_report_for_named_people_and_a_date_range(running: Running) -> None:
    manager(running)
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), created_at=EARLY)
    log_days(running, "U1", MON, 2, prospecting="4")
    log_days(running, "U2", MON, 2, account_growth="4")
    text = all_text(command(running, "report 2026-11-16..2026-11-17 <@U2|two>"))
    assert "<@U2>" in text and "<@U1>" not in text and "*Team:* 8 h" in text


def test_csv_upload_has_one_row_per_rep_per_category(running: Running) -> None:
    manager(running)
    add_reps(running, ("U1", "UTC"), created_at=EARLY)
    log_days(running, "U1", MON, 2, prospecting="3", account_service="1")
    command(running, "report last-week csv")
    running.fake.wait_for("files.completeUploadExternal")
    (shared,) = running.fake.shared_files
    assert shared["channel"] == "DUBOSS" and shared["filename"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(shared["content"].decode())))
    assert [(r["category_key"], r["hours"]) for r in rows] == [
        ("prospecting", "6.00"),
        ("account_service", "2.00"),
    ]
    assert rows[0]["farming_share"] == "0.2500" and rows[0]["over_half_farming"] == "no"


def test_200_reps_fit_slacks_limits_and_get_the_csv(running: Running) -> None:
    manager(running)
    people = [(f"U{i:03d}", "UTC") for i in range(200)]
    add_reps(running, *people, created_at=EARLY)
    for i, (uid, _tz) in enumerate(people):
        log_days(
            running,
            uid,
            MON,
            1,
            prospecting=str(1 + i % 5),
            account_service="3",
            account_growth="1",
            admin="0.5",
        )
    msg = command(running, "report last-week")
    assert len(msg["blocks"]) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in msg["blocks"])
    text = all_text(msg)
    shown = sum(1 for uid, _ in people if f"<@{uid}>" in text)
    if shown < 200:
        running.fake.wait_for("files.completeUploadExternal")
        assert f"{200 - shown} more reps are in the attached CSV" in text
    assert running.fake.contract_violations == []


def test_wins_are_kept_apart_from_accounts_managed(running: Running) -> None:
    manager(running)
    add_reps(running, ("USAM", "UTC"), created_at=EARLY)
    with running.session() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        for name, value in (("Acme", D(12000)), ("Globex", None)):
            s.add(
                Account(
                    workspace_id=ws.id,
                    key=name.lower(),
                    name=name,
                    won_at=MON,
                    value=value,
                    sales_rep_id="USAM",
                    account_manager_id="UDANA",
                    owner_id="USAM",
                    transfer_on=MON + timedelta(days=182),
                    status="open",
                    source="command",
                )
            )
    text = all_text(command(running, "report last-week"))
    assert "Accounts won (new-business credit):* <@USAM> 2 ($12,000)" in text
    assert "Accounts managed (account managers):* <@UDANA> 2 ($12,000)" in text


def test_weekly_rollup_posts_once_with_a_chart(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), created_at=EARLY)
    log_days(running, "U1", MON, 5, account_service="7", prospecting="1")
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert jobs.tick(running.services, monday_9 - timedelta(minutes=1))["rollups"] == 0
    assert jobs.tick(running.services, monday_9)["rollups"] == 1
    assert jobs.tick(running.services, monday_9 + timedelta(hours=5))["rollups"] == 0
    (post,) = [c for c in running.fake.calls("chat.postMessage") if c.args["channel"] == "C0ROLL"]
    assert "Weekly rollup — last week" in post.text and "Not logging:* <@U2>" in post.text
    (chart,) = running.fake.shared_files
    assert chart["content"][:8] == b"\x89PNG\r\n\x1a\n" and chart["thread_ts"]
    with running.session() as s:
        (row,) = s.query(Rollup).all()
        assert row.week_start == MON and row.status == "sent"


def test_no_rollup_without_a_channel(running: Running) -> None:
    assert jobs.tick(running.services, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))["rollups"] == 0


def test_terminal_report(running: Running, capsys) -> None:  # type: ignore[no-untyped-def]
    from bot.reports.cli import print_report

    add_reps(running, ("U1", "UTC"), created_at=EARLY)
    log_days(running, "U1", MON, 3, prospecting="2", account_growth="6")
    assert print_report(running.services, "last-week", None, as_csv=False) == 0
    out = capsys.readouterr().out
    assert "U1" in out and "75%" in out and "separate" in out
    assert print_report(running.services, "last-week", None, as_csv=True) == 0
    assert capsys.readouterr().out.startswith("period_start,period_end,user_id")
