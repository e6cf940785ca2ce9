"""Drag: how long hand-offs take to the intro call, what is overdue, what is past its transfer.

An item is due by the nudge that first asks for it: the first nudge that lists open items
(day N, transfer — not partner check-ins; skipped and unsent ones asked nothing) sent while it
was still unticked. It is overdue when it is still unticked after that nudge's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from bot.slack.blocks import context, section
from bot.timecalc import zone
from storage import accounts_repo as q
from storage.models import Workspace

ASKING = ("day", "transfer")  # nudge kinds that list the open items


@dataclass(frozen=True)
class DragItem:
    """A checklist item: its key, label and the local day it was ticked (None: open)."""

    key: str
    label: str
    done_on: date | None


@dataclass(frozen=True)
class DragInput:
    """One hand-off, as plain data."""

    handoff_id: int
    account: str
    won_on: date
    transfer_on: date
    items: tuple[DragItem, ...]
    asking_nudges: tuple[date, ...]  # local days of the nudges that list open items


@dataclass(frozen=True)
class HandoffDrag:
    """One hand-off's drag."""

    handoff_id: int
    account: str
    days_to_intro: int | None  # None: the intro call is not ticked yet
    days_since_win: int
    overdue: tuple[str, ...]  # labels of open items past their due day
    past_transfer_open: bool  # the transfer date has passed with items open


@dataclass(frozen=True)
class DragTotals:
    """All hand-offs together."""

    handoffs: int
    intro_ticked: int
    mean_days_to_intro: Decimal | None
    intro_pending: int
    overdue_items: int
    handoffs_overdue: int
    past_transfer_open: int


def intro_item(items: tuple[DragItem, ...]) -> DragItem | None:
    """The intro call: key `intro_call`, else the first item whose label says "intro"."""
    for item in items:
        if item.key == "intro_call":
            return item
    return next((i for i in items if "intro" in i.label.lower()), None)


def due_on(item: DragItem, asking_nudges: tuple[date, ...]) -> date | None:
    """The day of the first nudge that asked for the item (it was open then), or None."""
    for day in sorted(asking_nudges):
        if item.done_on is None or item.done_on >= day:
            return day
    return None


def handoff_drag(h: DragInput, today: date) -> HandoffDrag:
    """One hand-off's numbers as of `today`."""
    intro = intro_item(h.items)
    to_intro = (intro.done_on - h.won_on).days if intro and intro.done_on else None
    overdue = tuple(
        i.label
        for i in h.items
        if i.done_on is None and (due := due_on(i, h.asking_nudges)) is not None and due < today
    )
    open_items = any(i.done_on is None for i in h.items)
    return HandoffDrag(
        h.handoff_id,
        h.account,
        max(0, to_intro) if to_intro is not None else None,
        (today - h.won_on).days,
        overdue,
        open_items and h.transfer_on < today,
    )


def compute_drag(handoffs: list[DragInput], today: date) -> tuple[list[HandoffDrag], DragTotals]:
    """Per hand-off and in total; the mean days to the intro call over those ticked."""
    rows = [handoff_drag(h, today) for h in handoffs]
    ticked = [r.days_to_intro for r in rows if r.days_to_intro is not None]
    mean = (
        (Decimal(sum(ticked)) / len(ticked)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if ticked
        else None
    )
    return rows, DragTotals(
        handoffs=len(rows),
        intro_ticked=len(ticked),
        mean_days_to_intro=mean,
        intro_pending=len(rows) - len(ticked),
        overdue_items=sum(len(r.overdue) for r in rows),
        handoffs_overdue=sum(1 for r in rows if r.overdue),
        past_transfer_open=sum(1 for r in rows if r.past_transfer_open),
    )


def drag_inputs(session: Session, workspace_id: int, tz_name: str) -> list[DragInput]:
    """The hand-offs not closed, read into plain data (dates local to the workspace)."""
    tz = zone(tz_name)
    out = []
    for h in q.open_handoffs(session, workspace_id):
        items = tuple(
            DragItem(i.key, i.label, i.done_at.astimezone(tz).date() if i.done_at else None)
            for i in h.items
        )
        asking = tuple(
            n.sent_at.astimezone(tz).date()
            for n in h.nudges
            if n.kind.startswith(ASKING) and n.sent_at is not None
        )
        out.append(
            DragInput(h.id, h.account.name, h.account.won_at, h.account.transfer_on, items, asking)
        )
    return out


def drag_summary(
    session: Session, workspace_id: int, today: date, tz: str | None = None
) -> tuple[list[HandoffDrag], DragTotals]:
    """For the weekly rollup and `/rolesplit handoffs`: the drag of a workspace's hand-offs."""
    if tz is None:
        ws = session.get(Workspace, workspace_id)
        tz = str((ws.settings or {}).get("timezone") or "UTC") if ws else "UTC"
    return compute_drag(drag_inputs(session, workspace_id, tz), today)


def drag_line(row: HandoffDrag) -> str:
    """`intro call after 3 days · 2 overdue · past transfer with items open`."""
    bits = [
        f"intro call after {row.days_to_intro} day{'s' if row.days_to_intro != 1 else ''}"
        if row.days_to_intro is not None
        else f"no intro call yet ({row.days_since_win} days since the win)"
    ]
    if row.overdue:
        bits.append(f"{len(row.overdue)} overdue")
    if row.past_transfer_open:
        bits.append("past transfer with items open")
    return " · ".join(bits)


def totals_text(t: DragTotals) -> str:
    """The totals in one paragraph."""
    if not t.handoffs:
        return "No open hand-offs."
    intro = (
        f"intro call on average *{t.mean_days_to_intro} days* after the win "
        f"({t.intro_ticked} of {t.handoffs} ticked)"
        if t.mean_days_to_intro is not None
        else f"no intro call ticked yet (0 of {t.handoffs})"
    )
    return (
        f"*Hand-off drag* — {t.handoffs} open: {intro}; *{t.overdue_items}* checklist "
        f"item{'s' if t.overdue_items != 1 else ''} overdue in {t.handoffs_overdue} "
        f"hand-off{'s' if t.handoffs_overdue != 1 else ''}; *{t.past_transfer_open}* past "
        "the transfer date with items open."
    )


def drag_blocks(
    rows: list[HandoffDrag], totals: DragTotals, limit: int = 10
) -> list[dict[str, Any]]:
    """A Block Kit section for the weekly rollup: the totals, then the slowest hand-offs."""
    blocks = [section(totals_text(totals))]
    slow = sorted(
        (r for r in rows if r.overdue or r.past_transfer_open or r.days_to_intro is None),
        key=lambda r: (-len(r.overdue), -r.days_since_win),
    )[:limit]
    if slow:
        blocks.append(context("\n".join(f"*{r.account}*: {drag_line(r)}" for r in slow)))
    return blocks
