"""`/rolesplit handoffs`: open hand-offs, their progress, what they wait for, their drag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig
from bot.handoff import texts
from bot.handoff.drag import (
    DragTotals,
    HandoffDrag,
    compute_drag,
    drag_inputs,
    drag_line,
    totals_text,
)
from bot.handoff.rules import nudge_label
from bot.handoff.views import RETRY
from bot.slack.blocks import button, context, section
from bot.timecalc import zone
from storage import accounts_repo as q
from storage import questions_repo as qr

MAX_ROWS = 40
NO_HANDOFFS = "No open hand-offs. Start one with `/rolesplit won Acme Corp`."


@dataclass(frozen=True)
class Listed:
    """One hand-off as listed."""

    handoff_id: int
    account: str
    state: str  # open | failed | setting_up | waiting
    where: str | None  # <#C…> once the space exists
    rep: str | None
    am: str | None
    done: int
    total: int
    next_nudge: str
    waiting: str  # what a waiting hand-off waits for
    error: str | None
    drag: HandoffDrag


def listed_handoffs(
    s: Session, workspace_id: int, cfg: WorkspaceConfig, today: date
) -> tuple[list[Listed], DragTotals]:
    """Read the workspace's hand-offs not closed, with their drag (inside the caller's read)."""
    tz = zone(cfg.timezone)
    drags, totals = compute_drag(drag_inputs(s, workspace_id, cfg.timezone), today)
    by_id = {d.handoff_id: d for d in drags}
    rows = []
    for h in q.open_handoffs(s, workspace_id):
        a = h.account
        pending = [n for n in h.nudges if n.claimed_at is None]
        nxt = (
            f"next: {nudge_label(pending[0].kind)} on {pending[0].due_at.astimezone(tz):%-d %b}"
            if pending
            else "no nudges left"
        )
        days, since = qr.times_asked(s, a.id, "account_manager")
        waiting = texts.waiting_line(a.status, a.crm, a.crm_id, a.crm_owner, a.missing, days, since)
        state = "waiting" if waiting else h.status
        rows.append(
            Listed(
                h.id,
                a.name,
                state,
                f"<#{h.channel_id}>" if h.channel_id and h.status == "open" else None,
                a.sales_rep_id,
                a.account_manager_id,
                sum(1 for i in h.items if i.done_by),
                len(h.items),
                nxt,
                waiting,
                h.error,
                by_id[h.id],
            )
        )
    return rows, totals


def row_text(row: Listed) -> str:
    """One hand-off in a line or two."""
    rep = f"rep <@{row.rep}>" if row.rep else "*no sales rep yet*"
    am = f"AM <@{row.am}>" if row.am else "*no account manager yet*"
    head = f"*{row.account}* — " + (row.where or "")
    if row.state == "failed":
        head += f"⚠️ not started: Slack refused the space (`{row.error}`)"
    elif row.state == "waiting":
        head += row.waiting
    elif row.state in ("pending", "setting_up"):
        head += "being set up"
    return (
        f"{head}\n{rep} · {am} · checklist {row.done}/{row.total} · {row.next_nudge}\n"
        f"_{drag_line(row.drag)}_"
    )


def handoffs_blocks(rows: list[Listed], totals: DragTotals) -> list[dict[str, Any]]:
    """The listing: drag totals, then each hand-off (a Retry button where Slack refused)."""
    if not rows:
        return [section(NO_HANDOFFS)]
    blocks: list[dict[str, Any]] = [section(totals_text(totals))]
    for row in rows[:MAX_ROWS]:
        block = section(row_text(row))
        if row.state == "failed":
            block["accessory"] = button("Retry", RETRY, str(row.handoff_id), style="primary")
        blocks.append(block)
    if len(rows) > MAX_ROWS:
        blocks.append(context(f"…and {len(rows) - MAX_ROWS} more (oldest not shown)."))
    return blocks


def handoffs_text(rows: list[Listed], totals: DragTotals) -> str:
    """The same as plain text (the message's fallback)."""
    if not rows:
        return NO_HANDOFFS
    lines = [totals_text(totals)] + [f"• {row_text(r)}" for r in rows[:MAX_ROWS]]
    return "\n".join(lines)[:3000]
