"""Who takes the account: a free farmer, else whoever is asked picks; then what a recorded or
unblocked win does next (open its space, or ask the people who can unblock it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.handoff import texts
from bot.handoff.asking import (
    answer_questions,
    ask_for_account_manager,
    ask_for_owner,
    incomplete_notice,
    may_pick,
)
from bot.handoff.rules import Candidate, choose_account_manager
from bot.handoff.schedule import SKIPPED
from bot.handoff.space import setup_space
from bot.services import Services
from bot.slack.context import Request
from storage import accounts_repo as q
from storage import repo
from storage.models import Account, Handoff, Nudge


@dataclass(frozen=True)
class FollowUp:
    """What happened after a win was recorded or unblocked, for the person who caused it."""

    status: str  # created | space_failed | needs_account_manager | needs_sales_rep | incomplete
    text: str
    link: str | None = None
    error: str | None = None


def pick_farmer(s: Session, workspace_id: int, exclude: str | None) -> str | None:
    """The active farmer with the fewest open hand-offs (ties: longest since the last one)."""
    counts = q.open_counts(s, workspace_id)
    return choose_account_manager(
        [
            Candidate(
                m.user_id,
                counts.get(m.user_id, 0),
                m.last_assigned_at.toordinal() if m.last_assigned_at else None,
            )
            for m in q.farmers(s, workspace_id)
            if m.user_id != exclude
        ]
    )


def _transfer_skipped(s: Session, account: Account) -> bool:
    handoff = s.query(Handoff).filter_by(account_id=account.id).one_or_none()
    if handoff is None:
        return False
    return (
        s.query(Nudge).filter_by(handoff_id=handoff.id, kind="transfer", error=SKIPPED).count() > 0
    )


def advance(s: Session, account: Account, now: datetime) -> str:
    """Move a recorded win as far as it can go: name → sales rep → account manager → open."""
    if not account.name_key:
        account.status = "incomplete"
    elif not account.sales_rep_id:
        account.status = "needs_sales_rep"
    else:
        if not account.account_manager_id:
            account.account_manager_id = pick_farmer(s, account.workspace_id, account.sales_rep_id)
        if account.account_manager_id:
            _opened(s, account, account.account_manager_id, now)
        else:
            account.status = "needs_account_manager"
    return account.status


def _opened(s: Session, account: Account, am: str, now: datetime) -> None:
    account.account_manager_id = am
    account.status = "open"
    if _transfer_skipped(s, account):  # the win is dated past its transfer date
        account.status, account.owner_id = "transferred", am
    member = repo.get_member(s, account.workspace_id, am)
    if member is not None:
        member.last_assigned_at = now


def assign(services: Services, account_id: int, am: str) -> bool:
    """Give a waiting account its account manager, once (a second pick finds it taken)."""
    with services.Session.begin() as s:
        if not q.claim_assignment(s, account_id, am, "open", "needs_account_manager"):
            return False
        account = s.get(Account, account_id)
        assert account is not None
        _opened(s, account, am, services.now())
    return True


def follow_up(
    services: Services, team_id: str, account_id: int, declarer: str | None = None
) -> FollowUp:
    """After a win is recorded or unblocked: open the space, or ask whoever can unblock it."""
    with services.read() as s:
        account = s.get(Account, account_id)
        assert account is not None
        status, name = account.status, account.name
        handoff_id = s.query(Handoff.id).filter_by(account_id=account_id).scalar()
    if status in ("open", "transferred"):
        outcome = setup_space(services, handoff_id, declarer)
        if outcome.status == "failed":
            return FollowUp("space_failed", outcome.message, error=outcome.error)
        where = f": {outcome.link}" if outcome.link else ""
        return FollowUp("created", f"🤝 Hand-off started for *{name}*{where}.", outcome.link)
    if status == "needs_account_manager":
        asked, who = ask_for_account_manager(services, team_id, account_id, declarer)
        return FollowUp(status, texts.asked_text(name, asked, who))
    if status == "needs_sales_rep":
        asked = ask_for_owner(services, team_id, account_id, declarer)
        return FollowUp(
            status,
            f"*{name}* is recorded and waits for its sales rep: "
            + (f"I've asked {texts.people(asked)} who won it." if asked else "nobody to ask."),
        )
    incomplete_notice(services, team_id, account_id)
    return FollowUp(status, f"*{name}* is recorded and waits for the details its CRM did not send.")


def pick_account_manager(req: Request, client: WebClient, handoff_id: int, am: str) -> str:
    """A person picked the account manager in their DM: assign once, replace every question."""
    services, team_id, picker = req.services, req.team_id, req.user_id
    ws_id = req.workspace_id()
    with services.read() as s:
        handoff = s.get(Handoff, handoff_id)
        if handoff is None or handoff.account.workspace_id != ws_id:
            return "I can't find that hand-off any more."
        account_id, name = handoff.account_id, handoff.account.name
    if not may_pick(req, client, account_id, "account_manager"):
        return "Only managers, or the people I asked, can pick the account manager."
    if not assign(services, account_id, am):
        return f"*{name}* already has an account manager — nothing changed."
    answer_questions(
        services,
        team_id,
        "account_manager",
        f"✅ <@{picker}> picked <@{am}> as the account manager of *{name}*.",
        account_id=account_id,
    )
    result = follow_up(services, team_id, account_id, declarer=picker)
    return f"Thanks — <@{am}> is the account manager of *{name}*. {result.text}"
