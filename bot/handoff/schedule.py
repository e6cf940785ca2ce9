"""Writing a hand-off's nudges: planned from the win's date, long-overdue ones skipped."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig
from bot.handoff.rules import NudgePlan, plan_nudges
from bot.timecalc import local_datetime, zone
from storage.models import Handoff, Nudge

NUDGE_AT = time(9, 0)  # nudges go out at 09:00 in the workspace's time zone
SKIPPED = "skipped: over a week overdue when the win was declared"


def write_plan(s: Session, handoff_id: int, plan: NudgePlan, tz_name: str, now: datetime) -> None:
    """Insert the plan's nudges; skipped ones are claimed already, with the reason."""
    tz = zone(tz_name)
    for kind, day in plan.scheduled:
        s.add(Nudge(handoff_id=handoff_id, kind=kind, due_at=local_datetime(day, NUDGE_AT, tz)))
    for kind, day in plan.skipped:
        due = local_datetime(day, NUDGE_AT, tz)
        s.add(Nudge(handoff_id=handoff_id, kind=kind, due_at=due, claimed_at=now, error=SKIPPED))


def skip_overdue(s: Session, handoff: Handoff, cfg: WorkspaceConfig, now: datetime) -> None:
    """When a hand-off's space opens late (it waited for people), nudges that are by then over
    a week overdue are skipped as at the declaration, and listed in the introduction."""
    account = handoff.account
    today: date = now.astimezone(zone(cfg.timezone)).date()
    plan = plan_nudges(account.won_at, today, account.transfer_on, cfg.nudge_days, cfg.checkin_days)
    late = {kind for kind, _ in plan.skipped}
    newly = [n for n in handoff.nudges if n.claimed_at is None and n.kind in late]
    for nudge in newly:
        nudge.claimed_at, nudge.error = now, SKIPPED
    if not any(n.kind == "transfer" for n in newly):
        return
    # the transfer passed while it waited: ownership has moved, and the check-ins carry on
    # from the first one still due
    if account.status == "open":
        account.status, account.owner_id = "transferred", account.account_manager_id
    kinds = {n.kind for n in handoff.nudges}
    checkins = [(k, d) for k, d in plan.skipped + plan.scheduled if k.startswith("checkin")]
    write_plan(
        s,
        handoff.id,
        NudgePlan(
            scheduled=[(k, d) for k, d in checkins if k not in late and k not in kinds],
            skipped=[(k, d) for k, d in checkins if k in late and k not in kinds],
        ),
        cfg.timezone,
        now,
    )
