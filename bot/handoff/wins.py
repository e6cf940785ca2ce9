"""Feature: `/rolesplit won`, the won modal, the checklist, `/rolesplit handoffs` and close."""

from __future__ import annotations

import difflib
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.handoff import views as views
from bot.handoff.declare import WinInput, assign_later, declare_win
from bot.handoff.rules import account_key, normalise_name, parse_inline, parse_value
from bot.handoff.space import refresh_intro
from bot.slack.app import Wiring
from bot.slack.context import Request, request_of
from bot.slack.router import Command
from storage import accounts_repo as q
from storage import repo
from storage.models import Account

WON_USAGE = "won [ACCOUNT] [am:@user] [rep:@user] [value:12000] — start a hand-off"
LIST_USAGE = "handoffs — open hand-offs and their progress"
HANDOFF_SUB_USAGE = "handoff close ACCOUNT | join | leave — end one; be invited to new ones or not"
STATUS_TEXT = {
    "created": "🤝 Hand-off started for *{name}*.",
    "exists": "*{name}* already has a hand-off — nothing new was created.",
    "needs_account_manager": "🤝 *{name}* is recorded. No farmer is free, so I've asked the "
    "managers to pick an account manager.",
}


def may_declare(req: Request, rep: str | None, client: WebClient) -> bool:
    """Any manager, or the sales rep named on the win."""
    return rep == req.user_id or req.is_manager(client)


def handle_won(cmd: Command) -> None:
    """Inline fields skip the modal; otherwise open it (prefilled with the account name)."""
    win = parse_inline(cmd.args)
    if not win.has_fields:
        cmd.ack()
        cmd.client.views_open(
            trigger_id=cmd.trigger_id, view=views.won_modal(win.account, cmd.user_id)
        )
        return
    if win.errors or not win.account:
        problems = win.errors or ["Name the account, e.g. `/rolesplit won Acme Corp am:@dana`."]
        cmd.ack(
            response_type="ephemeral",
            text=" ".join(problems) + f"\nUsage: `/rolesplit {WON_USAGE}`",
        )
        return
    rep = win.sales_rep or cmd.user_id
    if not may_declare(cmd.request, rep, cmd.client):
        cmd.ack(
            response_type="ephemeral",
            text="Only a manager or the sales rep who won it can declare a win.",
        )
        return
    cmd.ack(response_type="ephemeral", text=f"Starting the hand-off for *{win.account}*…")
    _, status = declare_win(
        cmd.services,
        cmd.team_id,
        WinInput(
            account=win.account,
            sales_rep=rep,
            account_manager=win.account_manager,
            value=win.value,
            source="command",
        ),
    )
    cmd.respond(
        response_type="ephemeral",
        replace_original=True,
        text=STATUS_TEXT[status].format(name=win.account),
    )


def on_won_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The won modal: errors in place; a repeat submission creates nothing new."""
    req = request_of(context)
    fields = views.read_won_modal(view["state"]["values"])
    errors: dict[str, str] = {}
    value = None
    if not fields["account"] or not normalise_name(fields["account"]):
        errors[views.B_ACCOUNT] = "Name the account."
    if fields["value"]:
        try:
            value = parse_value(fields["value"])
        except ValueError as err:
            errors[views.B_VALUE] = str(err)
    if not fields["rep"]:
        errors[views.B_REP] = "Who won it? They get the new-business credit."
    if not errors and not may_declare(req, fields["rep"], client):
        errors[views.B_REP] = "Only a manager or the sales rep who won it can declare a win."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    assert fields["account"]
    _, status = declare_win(
        req.services,
        req.team_id,
        WinInput(
            account=fields["account"],
            sales_rep=fields["rep"],
            account_manager=fields["am"],
            value=value,
            notes=fields["notes"],
            source="modal",
        ),
    )
    client.chat_postMessage(
        channel=req.user_id, text=STATUS_TEXT[status].format(name=fields["account"])
    )


def on_toggle(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Tick or untick a checklist item; the value carries the intent, so replays do nothing."""
    ack()
    req = request_of(context)
    services, ws = req.services, req.workspace
    raw = body["actions"][0].get("value") or ""
    try:
        handoff_id_s, key, intent = raw.split(":")
        handoff_id = int(handoff_id_s)
    except ValueError:
        return
    if ws is None:
        return
    with services.Session.begin() as s:
        handoff = q.load_handoff(s, handoff_id)
        if handoff is None or handoff.account.workspace_id != ws.id:
            return
        changed = q.set_item(s, handoff_id, key, intent == "tick", req.user_id, services.now())
    if changed:
        refresh_intro(services, client, handoff_id)


def on_pick_am(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A manager chose the account manager for a waiting hand-off."""
    ack()
    req = request_of(context)
    action = body["actions"][0]
    am = action.get("selected_user")
    try:
        handoff_id = int(str(action.get("block_id", "")).split(":")[1])
    except (IndexError, ValueError):
        return
    if not am:
        return
    user_id = req.user_id
    if not req.is_manager(client):
        client.chat_postMessage(channel=user_id, text="Only managers can assign accounts.")
        return
    done = assign_later(req.services, req.team_id, handoff_id, am)
    text = (
        f"Thanks — <@{am}> is the account manager; the hand-off has started."
        if done
        else "That hand-off already has an account manager."
    )
    channel = (body.get("container") or {}).get("channel_id") or user_id
    client.chat_postMessage(channel=channel, text=text)


def handle_handoffs(cmd: Command) -> None:
    """`/rolesplit handoffs`: open hand-offs, checklist progress, next nudge."""
    ws = cmd.request.workspace
    with cmd.reading() as s:
        handoffs = q.open_handoffs(s, ws.id) if ws else []
        lines = []
        for h in handoffs[:40]:
            a = h.account
            done = sum(1 for i in h.items if i.done_by)
            pending = [n for n in h.nudges if n.claimed_at is None]
            nxt = (
                f"next: {pending[0].kind} on {pending[0].due_at:%-d %b}"
                if pending
                else "no nudges left"
            )
            where = f"<#{h.channel_id}>" if h.channel_id else h.status
            am = f"<@{a.account_manager_id}>" if a.account_manager_id else "*no account manager*"
            lines.append(
                f"• *{a.name}* — {where} · rep <@{a.sales_rep_id}> · AM {am} · "
                f"checklist {done}/{len(h.items)} · {nxt}"
            )
    text = (
        ("*Open hand-offs*\n" + "\n".join(lines))
        if lines
        else ("No open hand-offs. Start one with `/rolesplit won Acme Corp`.")
    )
    cmd.ack(response_type="ephemeral", text=text[:3000])


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
    """`/rolesplit handoff close ACCOUNT`: no more nudges."""
    with cmd.services.Session.begin() as s:
        ws = repo.ensure_workspace(s, cmd.team_id)
        account = (
            q.get_account(s, ws.id, account_key(name))
            or s.query(Account).filter_by(workspace_id=ws.id, crm_id=name.strip()).one_or_none()
        )
        if account is None or account.status == "closed":
            names = [
                a.name
                for a in s.query(Account).filter(
                    Account.workspace_id == ws.id, Account.status != "closed"
                )
            ]
            close = difflib.get_close_matches(name.strip(), names, n=3, cutoff=0.4)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            cmd.ack(
                response_type="ephemeral",
                text=f"I found no open hand-off for “{name.strip()}”.{hint}",
            )
            return
        account.status, account.closed_at = "closed", cmd.services.now()
        label = account.name
    cmd.ack(
        response_type="ephemeral",
        text=f"Closed the *{label}* hand-off: no more nudges. Its history stays.",
    )


def register(app: App, wiring: Wiring) -> None:
    """Hand-off commands and interactions."""
    router = wiring.router
    router.add("won", handle_won, WON_USAGE, order=30)
    router.add("handoffs", handle_handoffs, LIST_USAGE, manager_only=True, order=31, read_only=True)
    router.add("handoff", handle_handoff, HANDOFF_SUB_USAGE, manager_only=True, order=32)
    app.view(views.WON_CALLBACK)(on_won_submit)
    app.action(views.TOGGLE)(on_toggle)
    app.action(views.PICK_AM)(on_pick_am)
