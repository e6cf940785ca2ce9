"""Feature: a person's data — `/rolesplit export @user` and `/rolesplit forget @user`."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.slack.app import Wiring
from bot.slack.blocks import button, section
from bot.slack.context import request_of
from bot.slack.router import Command
from storage import outbox_repo, repo
from storage.models import (
    Account,
    AwayPeriod,
    Category,
    ChecklistItem,
    CrmOwner,
    DayLog,
    FitAnswer,
    Handoff,
    HandoffQuestion,
    Member,
    ProcessedRequest,
    Prompt,
    Study,
    TimeEntry,
    Workspace,
)

FORGET_CONFIRM = "forget_confirm"
EXPORT_USAGE = "export @user — that person's data, as a file"
FORGET_USAGE = "forget @user — erase that person's data"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def person_data(session: Session, workspace_id: int, user_id: str) -> dict[str, Any]:
    """Everything rolesplit holds about one person in one workspace."""
    member = repo.get_member(session, workspace_id, user_id)
    data: dict[str, Any] = {"user_id": user_id, "member": _row(member) if member else None}
    if member is not None:
        days = session.scalars(
            select(DayLog).where(DayLog.member_id == member.id).order_by(DayLog.work_date)
        ).all()
        entries = session.execute(
            select(TimeEntry, Category.key)
            .join(Category, Category.id == TimeEntry.category_id)
            .where(TimeEntry.member_id == member.id)
            .order_by(TimeEntry.work_date)
        ).all()
        data["days"] = [_row(d) for d in days]
        data["time_entries"] = [{**_row(e), "category": key} for e, key in entries]
        data["prompts"] = [
            _row(p) for p in session.scalars(select(Prompt).where(Prompt.member_id == member.id))
        ]
        data["away"] = [
            _row(a)
            for a in session.scalars(
                select(AwayPeriod)
                .where(AwayPeriod.member_id == member.id)
                .order_by(AwayPeriod.first_day)
            )
        ]
        data["fit_answers"] = [
            _row(f)
            for f in session.scalars(select(FitAnswer).where(FitAnswer.member_id == member.id))
        ]
    accounts = session.scalars(
        select(Account).where(
            Account.workspace_id == workspace_id,
            or_(
                Account.sales_rep_id == user_id,
                Account.account_manager_id == user_id,
                Account.owner_id == user_id,
                Account.declared_by == user_id,
            ),
        )
    )
    data["accounts"] = [_row(a) for a in accounts]
    data["crm_owner_map"] = [
        _row(o)
        for o in session.scalars(
            select(CrmOwner).where(
                CrmOwner.workspace_id == workspace_id, CrmOwner.slack_user == user_id
            )
        )
    ]
    ticks = session.scalars(
        select(ChecklistItem)
        .join(Handoff, Handoff.id == ChecklistItem.handoff_id)
        .join(Account, Account.id == Handoff.account_id)
        .where(Account.workspace_id == workspace_id, ChecklistItem.done_by == user_id)
    )
    data["checklist_ticks"] = [_row(t) for t in ticks]
    return data


def forget(session: Session, workspace_id: int, user_id: str) -> int:
    """Erase one person: their roster entry and history; hand-offs keep the account."""
    # locked first: a second erasure at the same moment waits, then finds nobody to erase
    member = session.scalar(
        select(Member)
        .where(Member.workspace_id == workspace_id, Member.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    accounts = select(Account.id).where(Account.workspace_id == workspace_id)
    for column in (
        Account.sales_rep_id,
        Account.account_manager_id,
        Account.owner_id,
        Account.declared_by,
    ):
        session.execute(
            update(Account)
            .where(Account.workspace_id == workspace_id, column == user_id)
            .values({column: None})
        )
    session.execute(
        delete(CrmOwner).where(
            CrmOwner.workspace_id == workspace_id, CrmOwner.slack_user == user_id
        )
    )
    for question in session.scalars(
        select(HandoffQuestion).where(HandoffQuestion.workspace_id == workspace_id)
    ):
        kept = [m for m in question.messages or [] if m.get("user") != user_id]
        if len(kept) != len(question.messages or []):
            question.messages = kept
    handoffs = select(Handoff.id).where(Handoff.account_id.in_(accounts))
    session.execute(
        update(ChecklistItem)
        .where(ChecklistItem.handoff_id.in_(handoffs), ChecklistItem.done_by == user_id)
        .values(done_by=None)
    )
    session.execute(  # away days this manager marked keep counting, with no name on them
        update(AwayPeriod)
        .where(
            AwayPeriod.set_by == user_id,
            AwayPeriod.member_id.in_(select(Member.id).where(Member.workspace_id == workspace_id)),
        )
        .values(set_by=None)
    )
    session.execute(  # a study this manager started keeps running, with no name on it
        update(Study)
        .where(Study.workspace_id == workspace_id, Study.started_by == user_id)
        .values(started_by="")
    )
    # only this workspace's keys (`btn:<team>:<user>:…`): another workspace's stay
    team_id = session.scalar(select(Workspace.team_id).where(Workspace.id == workspace_id))
    session.execute(
        delete(ProcessedRequest).where(ProcessedRequest.key.like(f"%:{team_id}:{user_id}:%"))
    )
    outbox_repo.forget(session, team_id or "", user_id)  # what was queued to them, or about them
    if member is None:
        return 0
    session.delete(member)  # cascades: day logs, entries, prompts, study messages, answers
    return 1


def handle_export(cmd: Command) -> None:
    """Send the manager one person's data as a JSON file in their DM."""
    if len(cmd.mentions) != 1:
        cmd.ack(response_type="ephemeral", text="Mention one person: `/rolesplit export @sam`.")
        return
    user = cmd.mentions[0]
    cmd.ack(response_type="ephemeral", text=f"Collecting <@{user}>'s data…")
    ws_id = cmd.request.workspace_id()
    with cmd.services.read() as s:
        data = person_data(s, ws_id, user)
    channel = cmd.client.conversations_open(users=cmd.user_id)["channel"]["id"]
    cmd.client.files_upload_v2(
        channel=channel,
        content=json.dumps(data, indent=2),
        filename=f"rolesplit-export-{user}.json",
        title=f"rolesplit data of {user}",
        initial_comment=f"Everything rolesplit holds about <@{user}>.",
    )


def handle_forget(cmd: Command) -> None:
    """Ask for a confirmation before erasing anything."""
    if len(cmd.mentions) != 1:
        cmd.ack(response_type="ephemeral", text="Mention one person: `/rolesplit forget @sam`.")
        return
    user = cmd.mentions[0]
    cmd.ack(
        response_type="ephemeral",
        text=f"Erase <@{user}>'s data?",
        blocks=[
            section(
                f"Erase everything rolesplit holds about <@{user}>: their roster entry, every "
                "logged day and prompt. Hand-offs keep their accounts, with the person removed. "
                "This cannot be undone — export first if you need a copy."
            ),
            {
                "type": "actions",
                "block_id": "forget",
                "elements": [button(f"Erase {user}'s data", FORGET_CONFIRM, user, style="danger")],
            },
        ],
    )


def on_confirm(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Erase after the confirmation; a second click finds nothing left to erase."""
    ack()
    req = request_of(context)
    user = body["actions"][0].get("value") or ""
    if not req.is_manager(client):
        respond(response_type="ephemeral", text="Only managers can erase data.")
        return
    ws_id = req.workspace_id()
    with req.services.Session.begin() as s:
        erased = forget(s, ws_id, user)
    respond(
        replace_original=True,
        text=(f"Erased <@{user}>'s data." if erased else f"Nothing left to erase for <@{user}>."),
    )


def register(app: App, wiring: Wiring) -> None:
    """`/rolesplit export` and `/rolesplit forget` (managers)."""
    wiring.router.add("export", handle_export, EXPORT_USAGE, manager_only=True, order=50)
    wiring.router.add("forget", handle_forget, FORGET_USAGE, manager_only=True, order=51)
    app.action(FORGET_CONFIRM)(on_confirm)
