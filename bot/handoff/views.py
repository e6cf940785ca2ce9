"""Block Kit for hand-offs: the won modal, the introduction with its checklist, nudges."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.handoff.rules import nudge_label
from bot.slack.blocks import button, context, header, plain, section

WON_CALLBACK = "won_submit"
TOGGLE = "checklist_toggle"
PICK_AM = "pick_am"
PICK_REP = "pick_rep"
RETRY = "handoff_retry"
B_ACCOUNT, B_REP, B_AM, B_VALUE, B_NOTES = "account", "rep", "am", "value", "notes"
A_ACCOUNT, A_REP, A_AM, A_VALUE, A_NOTES = "account", "rep", "am", "value", "notes"
B_WON, A_WON = "won_at", "won_at"


@dataclass(frozen=True)
class Item:
    """A checklist item as shown."""

    key: str
    label: str
    done_by: str | None
    done_at: datetime | None


def money(value: Decimal | None) -> str:
    """`$12,000` or an empty string."""
    return f"${value:,.0f}" if value else ""


def won_modal(account: str, rep: str) -> dict[str, Any]:
    """Declare a win: account, sales rep (default the caller), account manager, value, notes."""
    account_el: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": A_ACCOUNT,
        "max_length": 150,
    }
    if account:
        account_el["initial_value"] = account[:150]
    return {
        "type": "modal",
        "callback_id": WON_CALLBACK,
        "title": plain("Account won", 24),
        "submit": plain("Start hand-off", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": B_ACCOUNT,
                "label": plain("Account"),
                "element": account_el,
            },
            {
                "type": "input",
                "block_id": B_REP,
                "label": plain("Sales rep (new-business credit)"),
                "element": {"type": "users_select", "action_id": A_REP, "initial_user": rep},
            },
            {
                "type": "input",
                "block_id": B_AM,
                "optional": True,
                "label": plain("Account manager"),
                "hint": plain(
                    "Leave empty and rolesplit assigns the farmer with the fewest open hand-offs.",
                    150,
                ),
                "element": {"type": "users_select", "action_id": A_AM},
            },
            {
                "type": "input",
                "block_id": B_WON,
                "optional": True,
                "label": plain("Won on"),
                "hint": plain("Leave empty for today; at most a year back.", 150),
                "element": {"type": "datepicker", "action_id": A_WON},
            },
            {
                "type": "input",
                "block_id": B_VALUE,
                "optional": True,
                "label": plain("Deal value"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": A_VALUE,
                    "placeholder": plain("e.g. 12,000"),
                },
            },
            {
                "type": "input",
                "block_id": B_NOTES,
                "optional": True,
                "label": plain("Notes"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": A_NOTES,
                    "multiline": True,
                    "max_length": 2000,
                },
            },
        ],
    }


def read_won_modal(values: dict[str, Any]) -> dict[str, str | None]:
    """The won modal's raw values."""

    def get(block: str, action: str, key: str = "value") -> str | None:
        value = (values.get(block) or {}).get(action, {}).get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    return {
        "account": get(B_ACCOUNT, A_ACCOUNT),
        "rep": get(B_REP, A_REP, "selected_user"),
        "am": get(B_AM, A_AM, "selected_user"),
        "value": get(B_VALUE, A_VALUE),
        "notes": get(B_NOTES, A_NOTES),
        "won_at": get(B_WON, A_WON, "selected_date"),
    }


def intro_blocks(
    handoff_id: int,
    account: str,
    value: Decimal | None,
    rep: str | None,
    am: str | None,
    transfer_on: date,
    items: list[Item],
    notes: str | None,
    *,
    skipped: list[tuple[str, date]] | None = None,
    transferred: bool = False,
) -> list[dict[str, Any]]:
    """The introduction: who is who, the transfer date, and a live checklist.

    Pass `value=None` to hide the deal value. Nudges skipped because they were over a week
    overdue when the win was declared are listed here, once.
    """
    done = sum(1 for i in items if i.done_by)
    worth = f" ({money(value)})" if value else ""
    who = []
    if am:
        who.append(f"<@{am}> takes over day-to-day as account manager.")
    if rep:
        who.append(f"<@{rep}> won the account and stays on as your partner.")
    moves = (
        f"\nOwnership moved to the account manager on *{transfer_on:%a %-d %b %Y}*, before "
        "this hand-off was declared; the rep stays attached as partner."
        if transferred
        else f"\nOwnership moves to the account manager on *{transfer_on:%a %-d %b %Y}*."
    )
    blocks: list[dict[str, Any]] = [
        header(f"🤝 Hand-off: {account}"),
        section(f"We won *{account}*{worth}! " + " ".join(who) + moves),
    ]
    if notes:
        blocks.append(context(f"Notes: {notes[:1500]}"))
    if skipped:
        listed = ", ".join(f"{nudge_label(k)} ({d:%-d %b %Y})" for k, d in skipped)
        blocks.append(
            context(
                f"The win is dated {len(skipped)} reminder{'s' if len(skipped) != 1 else ''} "
                f"back, so these were over a week overdue and are skipped: {listed}."
            )
        )
    blocks.append(section(f"*Checklist* — {done}/{len(items)} done"))
    for item in items[:40]:
        if item.done_by and item.done_at:
            text = f"✅ ~{item.label}~\n_ticked by <@{item.done_by}> on {item.done_at:%-d %b}_"
            btn = button("Untick", TOGGLE, f"{handoff_id}:{item.key}:untick")
        else:
            text = f"⬜ {item.label}"
            btn = button("Done", TOGGLE, f"{handoff_id}:{item.key}:tick", style="primary")
        blocks.append(
            {
                "type": "section",
                "block_id": f"item:{item.key}",
                "text": {"type": "mrkdwn", "text": text[:3000]},
                "accessory": btn,
            }
        )
    return blocks


def pick_am_blocks(handoff_id: int, account: str, reason: str) -> list[dict[str, Any]]:
    """The managers' DM when nobody can take the account yet."""
    return [
        section(
            f"*{account}* was won, but {reason} Who should be its account manager? "
            "The hand-off starts as soon as you pick someone."
        ),
        {
            "type": "actions",
            "block_id": f"pick_am:{handoff_id}",
            "elements": [
                {
                    "type": "users_select",
                    "action_id": PICK_AM,
                    "placeholder": plain("Choose an account manager"),
                }
            ],
        },
    ]


def pick_rep_blocks(account_id: int, question: str) -> list[dict[str, Any]]:
    """Who won it? Asked when a CRM owner is not mapped (or the CRM named nobody)."""
    return [
        section(question),
        {
            "type": "actions",
            "block_id": f"pick_rep:{account_id}",
            "elements": [
                {
                    "type": "users_select",
                    "action_id": PICK_REP,
                    "placeholder": plain("Choose the sales rep"),
                }
            ],
        },
    ]


def answered_blocks(text: str) -> list[dict[str, Any]]:
    """A question replaced by its answer (no select left to click)."""
    return [section(text)]


def nudge_text(
    kind: str, account: str, rep: str | None, am: str | None, unticked: list[str], transfer_on: date
) -> str:
    """What a scheduled nudge says, mentioning who must act."""
    people = " ".join(f"<@{u}>" for u in (am, rep) if u)
    todo = ("\nStill open: " + "; ".join(unticked)) if unticked else "\nThe checklist is done. 🎉"
    if kind == "transfer":
        return (
            f"{people} Today ownership of *{account}* moves to <@{am}> as account manager. "
            f"<@{rep}> stays attached as the secondary contact and partner.{todo}"
        )
    if kind.startswith("checkin"):
        return (
            f"{people} Partner check-in for *{account}*: how is the account growing, and is "
            "there new business the rep should hear about?"
        )
    days = kind.removeprefix("day")
    return (
        f"{people} Day {days} of the *{account}* hand-off (transfer on "
        f"{transfer_on:%-d %b %Y}).{todo}"
    )


def metadata(**fields: Any) -> str:
    """private_metadata JSON (≤ 3,000 characters)."""
    return json.dumps(fields)[:3000]
