"""Waiting hand-offs: taken by farmers who join, asked about every work day, resumed."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.handoff.asking import am_question_key, answer_questions, ask_for_account_manager
from bot.handoff.assign import assign, follow_up, pick_farmer
from bot.handoff.schedule import NUDGE_AT
from bot.handoff.space import setup_space, workspace_of
from bot.services import Services
from bot.timecalc import zone
from storage import accounts_repo as q
from storage import questions_repo as qr
from storage.models import Workspace

STALE_SETUP = timedelta(minutes=5)  # recorded, ready, and nobody started its space
STALLED_SETUP = timedelta(minutes=15)  # started and never finished: the process stopped
INTERRUPTED = "interrupted: the app stopped while making the space"


def farmers_joined(services: Services, team_id: str, user_ids: list[str], role: str) -> int:
    """Roster hook: when farmers join, waiting hand-offs are assigned (fewest open first)."""
    if role != "farmer" or not user_ids:
        return 0
    return take_waiting(services, team_id, reason="joined the roster as a farmer and takes")


def take_waiting(services: Services, team_id: str, reason: str = "takes") -> int:
    """Give every waiting hand-off of a workspace to a free farmer; how many were assigned."""
    ws_id = workspace_of(services, team_id)
    with services.read() as s:
        waiting = [
            (a.id, a.name, a.sales_rep_id)
            for a in q.waiting_accounts(s, "needs_account_manager", ws_id)
        ]
    taken = 0
    for account_id, name, rep in waiting:
        with services.read() as s:
            am = pick_farmer(s, ws_id, rep)
        if am is None or not assign(services, account_id, am):
            continue
        taken += 1
        answer_questions(
            services,
            team_id,
            "account_manager",
            f"✅ <@{am}> {reason} *{name}* as account manager.",
            account_id=account_id,
        )
        result = follow_up(services, team_id, account_id)
        if result.status == "space_failed":
            continue  # the managers were told by setup_space
    return taken


def ask_waiting(services: Services, now: datetime) -> int:
    """Scheduled: waiting hand-offs go to a farmer when there is one, else people are asked
    again each work day from 09:00 (claimed per hand-off and day); setups nobody started are
    started, and setups a stopped process left half-done are shown as failed (Retry)."""
    with services.Session.begin() as s:
        handled = q.interrupt_stalled_setups(s, now - STALLED_SETUP, INTERRUPTED)
    teams: set[str] = set()
    with services.read() as s:
        rows = []
        for a in q.waiting_accounts(s, "needs_account_manager"):
            ws = s.get(Workspace, a.workspace_id)
            assert ws is not None
            cfg = services.config(ws)
            local = now.astimezone(zone(cfg.timezone))
            key = am_question_key(a.id, local.date())
            due = local.weekday() in cfg.work_days and local.time() >= NUDGE_AT
            if due and not qr.asked_keys(s, ws.id, [key]):
                rows.append((a.id, ws.team_id))
            teams.add(ws.team_id)
        stale = q.stale_setups(s, now - STALE_SETUP)
    for team in teams:
        handled += take_waiting(services, team)
    for account_id, team in rows:
        asked, _ = ask_for_account_manager(services, team, account_id, now=now)
        handled += bool(asked)
    for handoff_id in stale:
        handled += setup_space(services, handoff_id).status == "open"
    return handled
