"""Privacy: a manager exports one person's data, and erases it after a confirmation."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from bot.workspace.privacy import FORGET_CONFIRM
from storage import repo
from storage.models import Account, DayLog, Member, Study, TimeEntry
from tests.support.app import Running
from tests.support.constants import EARLY, TEAM_ID
from tests.support.daylog import add_reps, log_days


def seed(run: Running) -> None:
    run.fake.add_user("UBOSS", is_admin=True)
    add_reps(run, ("USAM", "UTC"), ("UDANA", "UTC"), created_at=EARLY)
    log_days(run, "USAM", date(2026, 11, 16), 3, prospecting="5", admin="1")
    log_days(run, "UDANA", date(2026, 11, 16), 2, account_service="8")
    with run.session() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        s.add(
            Account(
                workspace_id=ws.id,
                key="name:acme",
                name="Acme",
                won_at=date(2026, 11, 2),
                sales_rep_id="USAM",
                account_manager_id="UDANA",
                owner_id="USAM",
                transfer_on=date(2027, 5, 3),
                status="open",
                source="command",
            )
        )
        for by, status in (("USAM", "ended"), ("UBOSS", "open")):
            s.add(
                Study(
                    workspace_id=ws.id,
                    started_by=by,
                    starts_on=date(2026, 11, 2),
                    ends_on=date(2026, 11, 29),
                    weeks=4,
                    status=status,
                )
            )


def test_export_sends_that_persons_data_only(running: Running) -> None:
    seed(running)
    running.slack.command("export <@USAM|sam>", user_id="UBOSS")
    running.fake.wait_for("files.completeUploadExternal")
    (shared,) = running.fake.shared_files
    assert shared["channel"] == "DUBOSS" and shared["filename"] == "rolesplit-export-USAM.json"
    data = json.loads(shared["content"])
    assert data["member"]["user_id"] == "USAM" and len(data["days"]) == 3
    assert {e["category"] for e in data["time_entries"]} == {"prospecting", "admin"}
    assert [a["name"] for a in data["accounts"]] == ["Acme"]
    assert "UDANA" not in json.dumps(data["days"]) + json.dumps(data["time_entries"])


def test_forget_needs_a_confirmation_then_erases_and_keeps_the_account(running: Running) -> None:
    seed(running)
    ask = running.slack.command("forget <@USAM>", user_id="UBOSS").json()
    assert "cannot be undone" in json.dumps(ask)
    with running.session() as s:
        assert s.scalar(select(func.count()).select_from(DayLog)) == 5  # nothing yet
    add_reps(running, ("UREP", "UTC"))
    running.slack.block_action(FORGET_CONFIRM, value="USAM", user_id="UREP")
    assert "Only managers" in running.fake.wait_for_response(1)[-1]["text"]
    for _ in range(2):
        running.slack.block_action(FORGET_CONFIRM, value="USAM", user_id="UBOSS")
    answers = [r["text"] for r in running.fake.wait_for_response(3)]
    assert "Erased <@USAM>'s data." in answers and "Nothing left to erase for <@USAM>." in answers
    with running.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Member).where(Member.user_id == "USAM")) == 0
        )
        assert s.scalar(select(func.count()).select_from(TimeEntry)) == 2  # Dana's stay
        acct = s.scalars(select(Account)).one()
        assert (acct.sales_rep_id, acct.owner_id, acct.account_manager_id) == (None, None, "UDANA")
        starters = {st.status: st.started_by for st in s.scalars(select(Study))}
        assert starters == {"ended": "", "open": "UBOSS"}  # the studies stay, without Sam's name


def test_export_and_forget_are_for_managers(running: Running) -> None:
    seed(running)
    for text in ("export <@UDANA>", "forget <@UDANA>"):
        assert "for managers" in running.slack.command(text, user_id="USAM").json()["text"]
    assert "Mention one person" in running.slack.command("export", user_id="UBOSS").json()["text"]
