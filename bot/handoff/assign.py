"""Who takes the account: a free farmer, else people asked by DM every work day until they pick."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk.errors import SlackApiError
from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.handoff import texts
from bot.handoff import views as views
from bot.handoff.rules import Candidate, choose_account_manager
from bot.handoff.schedule import SKIPPED
from bot.handoff.space import managers_of, setup_space
from bot.services import NoTokenError, Services
from bot.timecalc import zone
from storage import accounts_repo as q
from storage import questions_repo as qr
from storage import repo
from storage.models import Account, Handoff, HandoffQuestion, Nudge, Workspace

log = logging.getLogger(__name__)
ADMINS_KEY = "__admins_and_owners__"
MAX_USER_PAGES = 50


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
        from bot.handoff.owners import ask_for_owner

        asked = ask_for_owner(services, team_id, account_id, declarer)
        return FollowUp(
            status,
            f"*{name}* is recorded and waits for its sales rep: "
            + (f"I've asked {texts.people(asked)} who won it." if asked else "nobody to ask."),
        )
    from bot.handoff.waiting import incomplete_notice

    incomplete_notice(services, team_id, account_id)
    return FollowUp(status, f"*{name}* is recorded and waits for the details its CRM did not send.")


def admins_and_owners(services: Services, team_id: str) -> list[str]:
    """The workspace's admins and owners (users.list, users:read; cached a few minutes)."""
    cached = services.user_cache.get((team_id, ADMINS_KEY))
    if cached is not None:
        return list(cached)
    found: list[str] = []
    cursor = None
    try:
        client = services.client_for(team_id)
        for _ in range(MAX_USER_PAGES):
            resp = client.users_list(limit=200, **({"cursor": cursor} if cursor else {}))
            for user in resp.get("members") or []:
                if user.get("deleted") or user.get("is_bot") or user.get("id") == "USLACKBOT":
                    continue
                if user.get("is_admin") or user.get("is_owner"):
                    found.append(str(user["id"]))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    except (SlackApiError, NoTokenError) as err:
        log.warning("could not list the workspace's admins: %s", err)
        return []
    services.user_cache.put((team_id, ADMINS_KEY), found)
    return found


def people_to_ask(services: Services, team_id: str, fallback: str | None) -> tuple[list[str], str]:
    """Managers (roster, ROLESPLIT_MANAGERS); else admins and owners; else the declarer."""
    managers = managers_of(services, team_id)
    if managers:
        return managers, "managers"
    admins = admins_and_owners(services, team_id)
    if admins:
        return admins, "admins"
    return ([fallback] if fallback else []), "you"


def am_question_key(account_id: int, day: date) -> str:
    """The claim of one day's question about one account's account manager."""
    return f"am:{account_id}:{day.isoformat()}"


def ask_for_account_manager(
    services: Services,
    team_id: str,
    account_id: int,
    declarer: str | None = None,
    now: datetime | None = None,
) -> tuple[list[str], str]:
    """DM the people who can pick, with a user select — at most once per local day."""
    now = now or services.now()
    with services.Session.begin() as s:
        account = s.get(Account, account_id)
        ws = s.get(Workspace, account.workspace_id) if account else None
        if account is None or ws is None or account.status != "needs_account_manager":
            return [], ""
        today = now.astimezone(zone(services.config(ws).timezone)).date()
        days, first = qr.times_asked(s, account_id, "account_manager")
        qid = qr.claim_question(
            s,
            ws.id,
            am_question_key(account_id, today),
            "account_manager",
            today,
            now,
            account_id=account_id,
        )
        if qid is None:
            return [], ""
        handoff_id = s.query(Handoff.id).filter_by(account_id=account_id).scalar()
        name, fallback = account.name, account.declared_by or account.sales_rep_id
    reason = (
        "no farmer is free to take it."
        if not days
        else f"it is still waiting for an account manager (since {first:%-d %b}, asked on "
        f"{days} day{'s' if days != 1 else ''})."
    )
    asked, who = people_to_ask(services, team_id, fallback)
    blocks = views.pick_am_blocks(handoff_id, name, reason)
    messages = _post_all(services, team_id, asked, f"{name} needs an account manager", blocks)
    with services.Session.begin() as s:
        if messages or not asked:
            qr.add_messages(s, qid, messages)
        else:  # Slack took none of them: give the day back so a later pass asks again
            s.execute(delete(HandoffQuestion).where(HandoffQuestion.id == qid))
    return [m["user"] for m in messages], who


def _post_all(
    services: Services, team_id: str, users: list[str], text: str, blocks: list[dict[str, object]]
) -> list[dict[str, str]]:
    try:
        client = services.client_for(team_id)
    except NoTokenError:
        return []
    sent = []
    for user in dict.fromkeys(users):
        try:
            resp = client.chat_postMessage(channel=user, text=text, blocks=blocks)
        except SlackApiError as err:
            log.warning("could not ask %s: %s", user, err.response.get("error"))
            continue
        sent.append({"user": user, "channel": str(resp["channel"]), "ts": str(resp["ts"])})
    return sent


def answer_questions(
    services: Services,
    team_id: str,
    kind: str,
    text: str,
    *,
    account_id: int | None = None,
    subject: str | None = None,
) -> int:
    """Replace every open question's DM with its answer (chat.update); how many were replaced."""
    with services.Session.begin() as s:
        ws_id = services.workspace_id(team_id)
        questions = qr.open_questions(s, ws_id, kind, account_id=account_id, subject=subject)
        messages = [m for question in questions for m in question.messages or []]
        for question in questions:
            question.answered_at = services.now()
    if not messages:
        return 0
    client = services.client_for(team_id)
    done = 0
    for m in messages:
        try:
            client.chat_update(
                channel=m["channel"], ts=m["ts"], text=text, blocks=views.answered_blocks(text)
            )
            done += 1
        except SlackApiError as err:
            log.warning("could not replace a question: %s", err.response.get("error"))
    return done


def may_pick(services: Services, team_id: str, user_id: str, account_id: int, kind: str) -> bool:
    """Managers, and anyone who was asked, may answer."""
    from bot.slack.router import is_manager

    with services.read() as s:
        ws = s.get(Workspace, services.workspace_id(team_id))
        assert ws is not None
        if user_id in qr.asked_people(s, ws.id, kind, account_id):
            return True
        return is_manager(services, s, ws, user_id, services.client_for(team_id))


def pick_account_manager(
    services: Services, team_id: str, handoff_id: int, am: str, picker: str
) -> str:
    """A person picked the account manager in their DM: assign once, replace every question."""
    with services.read() as s:
        handoff = s.get(Handoff, handoff_id)
        if handoff is None or handoff.account.workspace_id != services.workspace_id(team_id):
            return "I can't find that hand-off any more."
        account_id, name = handoff.account_id, handoff.account.name
    if not may_pick(services, team_id, picker, account_id, "account_manager"):
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
