"""Drag, worked out by hand on four hand-offs, then read from a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot import jobs
from bot.handoff import views as v
from bot.handoff.drag import (
    DragInput,
    DragItem,
    compute_drag,
    drag_blocks,
    drag_summary,
    due_on,
    intro_item,
    totals_text,
)
from storage import repo
from storage.models import Account, ChecklistItem, Handoff, Nudge
from tests.support.app import Running
from tests.support.handoff import accounts, handoffs, team
from tests.support.http import post_webhook

TODAY = date(2026, 11, 24)
KEYS = ("intro_call", "contract_signing", "contacts_shared", "first_job_order", "credit_recorded")


def items(*done: date | None) -> tuple[DragItem, ...]:
    return tuple(DragItem(k, k.replace("_", " "), d) for k, d in zip(KEYS, done, strict=True))


# Acme: won 1 Nov; intro call ticked 4 Nov (3 days); contract 3 Nov; credit 1 Nov (before the
# first nudge: never asked); contacts and first job order open. Nudges went out 2 and 8 Nov:
# both open items were asked on 2 Nov → 2 overdue.
ACME = DragInput(
    1,
    "Acme",
    date(2026, 11, 1),
    date(2027, 5, 2),
    items(date(2026, 11, 4), date(2026, 11, 3), None, None, date(2026, 11, 1)),
    (date(2026, 11, 2), date(2026, 11, 8)),
)
# Globex: won 1 May, transfer 30 Oct; intro ticked 11 May (10 days); credit still open: asked
# 2 May → overdue, and the transfer date has passed with it open.
GLOBEX = DragInput(
    2,
    "Globex",
    date(2026, 5, 1),
    date(2026, 10, 30),
    items(date(2026, 5, 11), date(2026, 5, 3), date(2026, 5, 20), date(2026, 6, 1), None),
    (date(2026, 5, 2), date(2026, 5, 8), date(2026, 5, 31), date(2026, 7, 30), date(2026, 10, 30)),
)
# Initech: won yesterday, day-1 nudge today: asked, but not overdue until tomorrow.
INITECH = DragInput(
    3, "Initech", date(2026, 11, 23), date(2027, 5, 24), items(*[None] * 5), (TODAY,)
)
# Umbrella: waiting for an account manager since 10 Nov: no nudge has asked for anything yet.
UMBRELLA = DragInput(4, "Umbrella", date(2026, 11, 10), date(2027, 5, 11), items(*[None] * 5), ())


def test_drag_by_hand() -> None:
    rows, totals = compute_drag([ACME, GLOBEX, INITECH, UMBRELLA], TODAY)
    acme, globex, initech, umbrella = rows
    assert (acme.days_to_intro, acme.overdue, acme.past_transfer_open) == (
        3,
        ("contacts shared", "first job order"),
        False,
    )
    assert (globex.days_to_intro, globex.overdue, globex.past_transfer_open) == (
        10,
        ("credit recorded",),
        True,
    )
    assert (initech.days_to_intro, initech.overdue, initech.days_since_win) == (None, (), 1)
    assert (umbrella.days_to_intro, umbrella.overdue, umbrella.days_since_win) == (None, (), 14)
    assert totals.handoffs == 4 and totals.intro_ticked == 2 and totals.intro_pending == 2
    assert totals.mean_days_to_intro == Decimal("6.5")  # (3 + 10) / 2
    assert (totals.overdue_items, totals.handoffs_overdue, totals.past_transfer_open) == (3, 2, 1)
    text = str(drag_blocks(rows, totals))
    assert "6.5 days" in text and "*3* checklist items overdue in 2 hand-offs" in text
    assert "*Globex*: intro call after 10 days · 1 overdue · past transfer with items open" in text


def test_due_day_is_the_first_nudge_that_found_the_item_open() -> None:
    asked = (date(2026, 11, 2), date(2026, 11, 8))
    assert due_on(DragItem("a", "A", None), asked) == date(2026, 11, 2)
    assert due_on(DragItem("a", "A", date(2026, 11, 1)), asked) is None  # done before any asked
    assert due_on(DragItem("a", "A", date(2026, 11, 5)), asked) == date(2026, 11, 2)
    assert due_on(DragItem("a", "A", None), ()) is None


def test_the_intro_item_survives_a_renamed_checklist() -> None:
    custom = (DragItem("kickoff", "Kick-off", None), DragItem("joint_intro", "Joint intro", None))
    assert intro_item(custom) == custom[1]
    assert intro_item((DragItem("x", "X", None),)) is None
    none_yet = compute_drag([DragInput(9, "X", TODAY, TODAY, (), ())], TODAY)[1]
    assert none_yet.mean_days_to_intro is None
    assert "no intro call ticked yet (0 of 1)" in totals_text(none_yet)
    assert totals_text(compute_drag([], TODAY)[1]) == "No open hand-offs."


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def test_drag_summary_reads_the_database(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T0001")
    for case in (ACME, GLOBEX):
        account = Account(
            workspace_id=ws.id,
            key=f"win:{case.handoff_id}",
            name=case.account,
            name_key=case.account.lower(),
            won_at=case.won_on,
            transfer_on=case.transfer_on,
            status="open",
            source="command",
            created_at=at(case.won_on),
        )
        session.add(account)
        session.flush()
        handoff = Handoff(account_id=account.id, mode="channel", status="open")
        session.add(handoff)
        session.flush()
        for pos, item in enumerate(case.items):
            session.add(
                ChecklistItem(
                    handoff_id=handoff.id,
                    key=item.key,
                    label=item.label,
                    position=pos,
                    done_by="UDANA" if item.done_on else None,
                    done_at=at(item.done_on, 15) if item.done_on else None,
                )
            )
        for n, day in enumerate(case.asking_nudges):
            session.add(
                Nudge(handoff_id=handoff.id, kind=f"day{n}", due_at=at(day), sent_at=at(day))
            )
        # a check-in asks for nothing, and an unsent nudge asked nothing
        session.add(
            Nudge(
                handoff_id=handoff.id,
                kind="checkin1",
                due_at=at(case.won_on),
                sent_at=at(case.won_on),
            )
        )
        session.add(Nudge(handoff_id=handoff.id, kind="day999", due_at=at(case.won_on)))
    session.flush()
    rows, totals = drag_summary(session, ws.id, TODAY)
    by_name = {r.account: r for r in rows}
    assert by_name["Acme"].overdue == ("contacts shared", "first job order")
    assert by_name["Globex"].past_transfer_open and by_name["Globex"].days_to_intro == 10
    assert (totals.mean_days_to_intro, totals.overdue_items, totals.past_transfer_open) == (
        Decimal("6.5"),
        3,
        1,
    )


def test_the_weekly_rollup_shows_the_drag_worked_by_hand(running: Running) -> None:
    team(running)
    # Acme, won a week back: day 1 is six days overdue (sent, not skipped), day 7 is due today
    acme = {"account": "Acme", "sales_rep": "USAM", "account_manager": "UDANA"}
    assert post_webhook(running, {**acme, "won_at": "2026-11-17"})[0] == 202
    assert post_webhook(running, {"account": "Globex", "sales_rep": "USAM"})[0] == 202
    assert {a.account_manager_id for a in accounts(running)} == {"UDANA", "ULEE"}
    tue = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert jobs.tick(running.services, tue)["nudges"] == 1  # Acme's day 1 (one per pass)
    assert jobs.tick(running.services, tue + timedelta(minutes=1))["nudges"] == 1  # its day 7
    # Wednesday: Dana ticks Acme's intro call (8 days after the win); Globex's day 1 goes out
    running.clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    acme_id = handoffs(running)[0].id
    running.slack.block_action(v.TOGGLE, value=f"{acme_id}:intro_call:tick", user_id="UDANA")
    running.fake.wait_for("chat.update")
    assert jobs.tick(running.services, running.clock())["nudges"] == 1
    # Monday 09:00: the rollup. Acme: intro after 8 days, its 4 other items were asked on the
    # 24th → overdue. Globex: no intro call (6 days since the win), all 5 asked on the 25th.
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    running.clock.set(monday)
    running.services.settings.rollup_channel = "C0ROLL"
    assert jobs.tick(running.services, monday)["rollups"] == 1
    post = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "C0ROLL"
    )
    text = post[0].text
    assert (
        "*Hand-off drag* — 2 open: intro call on average *8.0 days* after the win (1 of 2 "
        "ticked); *9* checklist items overdue in 2 hand-offs; *0* past the transfer date"
    ) in text
    assert "*Globex*: no intro call yet (6 days since the win) · 5 overdue" in text
    assert "*Acme*: intro call after 8 days · 4 overdue" in text
    assert len(post[0].json("blocks")) <= 50


def test_no_drag_in_the_rollup_without_handoffs(running: Running) -> None:
    team(running)
    running.services.settings.rollup_channel = "C0ROLL"
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    running.clock.set(monday)
    assert jobs.tick(running.services, monday)["rollups"] == 1
    (post,) = running.fake.calls("chat.postMessage")
    assert "Weekly rollup" in post.text and "Hand-off drag" not in post.text
