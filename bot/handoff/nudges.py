"""Scheduled: hand-off nudges, the ownership transfer, and partner check-ins — each once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.handoff import views as views
from bot.handoff.schedule import NUDGE_AT
from bot.services import Services
from bot.slack import outbound
from bot.timecalc import local_datetime, zone
from storage import accounts_repo as q
from storage.db import insert_ignore
from storage.models import Nudge, Workspace

log = logging.getLogger(__name__)


def pass_gap(services: Services) -> timedelta:
    """How long a hand-off rests after a nudge: one scheduler pass (at least a second)."""
    return timedelta(seconds=max(1.0, services.settings.tick_seconds / 2))


def send_nudges(services: Services, now: datetime) -> int:
    """Claim each due nudge — at most one per hand-off per pass — post it, record the outcome."""
    with services.Session.begin() as s:
        due = q.due_nudges(s, now)
    sent, this_pass = 0, set()
    for nudge_id, handoff_id in due:
        if handoff_id in this_pass:  # the next one waits for the next pass
            continue
        this_pass.add(handoff_id)
        with services.Session.begin() as s:
            if not q.claim_nudge(s, nudge_id, handoff_id, now, pass_gap(services)):
                continue
            nudge = s.get(Nudge, nudge_id)
            assert nudge is not None
            h = nudge.handoff
            a = h.account
            ws = s.get(Workspace, a.workspace_id)
            assert ws is not None
            cfg = services.config(ws)
            unticked = [i.label for i in h.items if not i.done_by]
            text = views.nudge_text(
                nudge.kind, a.name, a.sales_rep_id, a.account_manager_id, unticked, a.transfer_on
            )
            channel, thread = h.channel_id, h.thread_ts
            team_id, kind, handoff_id = ws.team_id, nudge.kind, h.id
            checkin_days = cfg.checkin_days
            tz = zone(cfg.timezone)
            if kind == "transfer":  # ownership moves; the rep stays as the secondary contact
                a.owner_id, a.status = a.account_manager_id, "transferred"
        outcome, error = _post(services, team_id, channel, thread, text)
        with services.Session.begin() as s:
            nudge = s.get(Nudge, nudge_id)
            assert nudge is not None
            if outcome == "sent":
                nudge.sent_at, nudge.error = now, None
                if kind == "transfer" or kind.startswith("checkin"):
                    n = int(kind.removeprefix("checkin") or 0) + 1 if kind != "transfer" else 1
                    day = nudge.due_at.astimezone(tz).date() + timedelta(days=checkin_days)
                    insert_ignore(
                        s,
                        Nudge,
                        {
                            "handoff_id": handoff_id,
                            "kind": f"checkin{n}",
                            "due_at": local_datetime(day, NUDGE_AT, tz),
                            "attempts": 0,
                        },
                        ["handoff_id", "kind"],
                    )
            elif outcome == "retry":
                nudge.claimed_at, nudge.error = None, error  # a later pass tries again
            else:
                nudge.error = error
        log.log(
            logging.INFO if outcome == "sent" else logging.WARNING,
            "nudge %s %s%s",
            kind,
            outcome,
            f": {error}" if error else "",
            extra={
                "job": "nudges",
                "team_id": team_id,
                "kind": kind,
                "outcome": outcome,
                **({"error": error} if error else {}),
            },
        )
        sent += outcome == "sent"
    return sent


def _post(
    services: Services, team_id: str, channel: str | None, thread: str | None, text: str
) -> tuple[str, str | None]:
    if not channel:
        return "failed", "the hand-off has no space"
    out = outbound.post(services, team_id, channel, thread_ts=thread, text=text)
    if out.error == outbound.NO_TOKEN:  # an installed workspace without a token: not retried
        return "failed", "no bot token"
    return out.status, out.error[:200] or None
