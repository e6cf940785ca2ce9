"""Feature: `/rolesplit won`, the won modal, the checklist, `/rolesplit handoffs` and close."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.handoff import views as views
from bot.handoff.asking import answer_questions
from bot.handoff.clicks import on_pick_am, on_pick_rep, on_retry, on_toggle
from bot.handoff.crm_map import handle_crm
from bot.handoff.declare import WinInput, declare_check, declare_win
from bot.handoff.listing import NO_HANDOFFS, handoffs_blocks, handoffs_text, listed_handoffs
from bot.handoff.owners import MAP_USAGE
from bot.handoff.rules import check_won_at, normalise_name, parse_inline, parse_value
from bot.slack.app import Wiring
from bot.slack.context import request_of
from bot.slack.router import Command
from storage import accounts_repo as q
from storage import repo
from storage.models import Account

WON_USAGE = "won [ACCOUNT] [am:@user] [rep:@user] [value:12000] [won:YYYY-MM-DD] — start a hand-off"
LIST_USAGE = "handoffs — open hand-offs, their progress and drag"
HANDOFF_SUB_USAGE = (
    "handoff close ACCOUNT|CRM_ID | join | leave — end one; be invited to new ones or not"
)


def handle_won(cmd: Command) -> None:
    """Inline fields skip the modal; otherwise open it (prefilled with the account name)."""
    win = parse_inline(cmd.args)
    if not win.has_fields:
        cmd.ack()
        cmd.client.views_open(
            trigger_id=cmd.trigger_id, view=views.won_modal(win.account, cmd.user_id)
        )
        return
    problems = list(win.errors)
    if not win.account or not normalise_name(win.account):
        problems.append("Name the account, e.g. `/rolesplit won Acme Corp am:@dana`.")
    if win.won_at and not problems:
        late = check_won_at(win.won_at, cmd.request.today)
        if late:
            problems.append(f"`won:` {late}")
    if problems:
        cmd.ack(
            response_type="ephemeral",
            text=" ".join(problems) + f"\nUsage: `/rolesplit {WON_USAGE}`",
        )
        return
    rep = win.sales_rep or cmd.user_id
    refusal = declare_check(cmd.request, rep, cmd.client)
    if refusal:
        cmd.ack(response_type="ephemeral", text=refusal)
        return
    cmd.ack(response_type="ephemeral", text=f"Starting the hand-off for *{win.account}*…")
    result = declare_win(
        cmd.services,
        cmd.team_id,
        WinInput(
            account=win.account,
            sales_rep=rep,
            account_manager=win.account_manager,
            value=win.value,
            won_at=win.won_at,
            source="command",
            declared_by=cmd.user_id,
        ),
    )
    cmd.respond(response_type="ephemeral", replace_original=True, text=result.text)


def on_won_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The won modal: errors in place; a repeat submission creates nothing new."""
    req = request_of(context)
    fields = views.read_won_modal(view["state"]["values"])
    services, team_id, user_id = req.services, req.team_id, req.user_id
    errors: dict[str, str] = {}
    value, won_at = None, None
    if not fields["account"] or not normalise_name(fields["account"]):
        errors[views.B_ACCOUNT] = "Name the account."
    if fields["value"]:
        try:
            value = parse_value(fields["value"])
        except ValueError as err:
            errors[views.B_VALUE] = str(err)
    if fields["won_at"]:
        try:
            won_at = date.fromisoformat(fields["won_at"])
        except ValueError:
            errors[views.B_WON] = "Pick a date."
        else:
            late = check_won_at(won_at, req.today)
            if late:
                errors[views.B_WON] = late
    if not fields["rep"]:
        errors[views.B_REP] = "Who won it? They get the new-business credit."
    if not errors:
        refusal = declare_check(req, fields["rep"], client)
        if refusal:
            errors[views.B_REP] = refusal[:2000]
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    assert fields["account"]
    result = declare_win(
        services,
        team_id,
        WinInput(  # the account, who won it, who takes it
            fields["account"],
            fields["rep"],
            fields["am"],
            value=value,
            won_at=won_at,
            notes=fields["notes"],
            source="modal",
            declared_by=user_id,
        ),
    )
    client.chat_postMessage(channel=user_id, text=result.text)


def handle_handoffs(cmd: Command) -> None:
    """`/rolesplit handoffs`: open hand-offs, checklist progress, next nudge, waiting, drag."""
    req = cmd.request
    with cmd.reading() as s:
        ws = req.workspace
        if ws is None:
            cmd.ack(response_type="ephemeral", text=NO_HANDOFFS)
            return
        rows, totals = listed_handoffs(s, ws.id, req.settings, req.today)
    cmd.ack(
        response_type="ephemeral",
        text=handoffs_text(rows, totals),
        blocks=handoffs_blocks(rows, totals),
    )


HANDOFF_USAGE = (
    "Usage: `/rolesplit handoff close ACCOUNT` (end one), "
    "`/rolesplit handoff join` / `leave` (be invited to every new hand-off channel)"
)


def handle_handoff(cmd: Command) -> None:
    """`/rolesplit handoff close ACCOUNT | join | leave`."""
    action, _, name = cmd.args.partition(" ")
    if action.lower() in ("join", "leave"):
        handle_optin(cmd, action.lower() == "join")
    elif action.lower() == "close" and name.strip():
        handle_close(cmd, name)
    else:
        cmd.ack(response_type="ephemeral", text=HANDOFF_USAGE)


def handle_optin(cmd: Command, join: bool) -> None:
    """A manager opts in (or out) of being invited to every new hand-off channel."""
    with cmd.services.Session.begin() as s:
        ws = repo.ensure_workspace(s, cmd.team_id)
        member = repo.get_member(s, ws.id, cmd.user_id)
        if member is None or member.role != "manager" or not member.active:
            member, _ = repo.upsert_member(s, ws.id, cmd.user_id, "manager", now=cmd.services.now())
        member.handoff_optin = join
    cmd.ack(
        response_type="ephemeral",
        text=(
            "You'll be invited to every new hand-off channel."
            if join
            else "You won't be invited to new hand-off channels any more."
        ),
    )


def handle_close(cmd: Command, name: str) -> None:
    """`/rolesplit handoff close ACCOUNT|CRM_ID`: no more nudges, no more questions."""
    text = name.strip()
    ws_id = cmd.request.workspace_id()
    with cmd.services.Session.begin() as s:
        found = q.accounts_matching(s, ws_id, normalise_name(text), text)
        if len(found) > 1:
            listed = "; ".join(f"{a.name} (CRM id {a.crm_id or '—'})" for a in found[:5])
            cmd.ack(
                response_type="ephemeral",
                text=f"{len(found)} open hand-offs match “{text}”: {listed}. Close one by its "
                "CRM id.",
            )
            return
        if not found:
            names = [
                a.name
                for a in s.query(Account).filter(
                    Account.workspace_id == ws_id, Account.status != "closed"
                )
            ]
            close = difflib.get_close_matches(text, names, n=3, cutoff=0.4)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            cmd.ack(
                response_type="ephemeral",
                text=f"I found no open hand-off for “{text}” (by name or CRM id).{hint} "
                "`/rolesplit handoffs` lists them.",
            )
            return
        account = found[0]
        account.status, account.closed_at = "closed", cmd.services.now()
        label, account_id = account.name, account.id
    cmd.ack(
        response_type="ephemeral",
        text=f"Closed the *{label}* hand-off: no more nudges. Its history stays.",
    )
    for kind in ("account_manager", "rep"):
        answer_questions(
            cmd.services,
            cmd.team_id,
            kind,
            f"<@{cmd.user_id}> closed the *{label}* hand-off — nothing to pick any more.",
            account_id=account_id,
        )


def register(app: App, wiring: Wiring) -> None:
    """Hand-off commands and interactions."""
    router = wiring.router
    router.add("won", handle_won, WON_USAGE, order=30)
    router.add("handoffs", handle_handoffs, LIST_USAGE, manager_only=True, order=31, read_only=True)
    router.add("handoff", handle_handoff, HANDOFF_SUB_USAGE, manager_only=True, order=32)
    router.add("crm", handle_crm, MAP_USAGE, manager_only=True, order=33)
    app.view(views.WON_CALLBACK)(on_won_submit)
    app.action(views.TOGGLE)(on_toggle)
    app.action(views.PICK_AM)(on_pick_am)
    app.action(views.PICK_REP)(on_pick_rep)
    app.action(views.RETRY)(on_retry)
