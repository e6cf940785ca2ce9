"""Questions by DM that unblock a waiting hand-off: who takes the account (every work day), who
won it (once per CRM owner), what a CRM did not send (once); answers replace every question."""

from __future__ import annotations

import logging
from datetime import date, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete

from bot.handoff import texts
from bot.handoff import views as views
from bot.handoff.space import managers_of, post_dms, tell_managers, workspace_of
from bot.services import Services
from bot.slack.client import NoTokenError
from bot.slack.context import Request
from bot.timecalc import zone
from storage import questions_repo as qr
from storage.models import Account, Handoff, HandoffQuestion, Workspace

log = logging.getLogger(__name__)
ADMINS_KEY = "__admins_and_owners__"
MAX_USER_PAGES = 50


def admins_and_owners(services: Services, team_id: str) -> list[str]:
    """The workspace's admins and owners (users.list, users:read; cached a few minutes)."""
    cached = services.user_cache.get((team_id, ADMINS_KEY))
    if cached is not None:
        return list(cached)
    found: list[str] = []
    cursor = None
    try:
        client = services.slack.for_team(team_id)
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
    messages = post_dms(
        services, team_id, asked, text=f"{name} needs an account manager", blocks=blocks
    )
    with services.Session.begin() as s:
        if messages or not asked:
            qr.add_messages(s, qid, messages)
        else:  # Slack took none of them: give the day back so a later pass asks again
            s.execute(delete(HandoffQuestion).where(HandoffQuestion.id == qid))
    return [m["user"] for m in messages], who


def ask_for_owner(
    services: Services, team_id: str, account_id: int, declarer: str | None = None
) -> list[str]:
    """Ask the managers once per CRM owner (or once per win naming nobody) who won it."""
    now = services.now()
    with services.Session.begin() as s:
        account = s.get(Account, account_id)
        ws = s.get(Workspace, account.workspace_id) if account else None
        if account is None or ws is None or account.status != "needs_sales_rep":
            return []
        today = now.astimezone(zone(services.config(ws).timezone)).date()
        crm, owner, name = account.crm or "crm", account.crm_owner, account.name
        key = f"owner:{crm}:{owner}" if owner else f"rep:{account_id}"
        qid = qr.claim_question(
            s,
            ws.id,
            key,
            "owner" if owner else "rep",
            today,
            now,
            account_id=account_id,
            subject=f"{crm}|{owner}" if owner else None,
        )
        if qid is None:
            return []
    if owner:
        question = (
            f"*{name}* was won in {texts.crm_name(crm)} by owner `{texts.shown(owner)}`, who isn't "
            "mapped to a Slack user yet. Who is it? Your pick becomes the sales rep and maps "
            f"the owner for next time (`/rolesplit crm map {crm} {texts.shown(owner)} @user` does "
            "the same)."
        )
    else:
        question = (
            f"*{name}* was won in {texts.crm_name(crm)}, but no owner came with it. Who won it?"
        )
    asked, _ = people_to_ask(services, team_id, declarer)
    messages = post_dms(
        services,
        team_id,
        asked,
        text=f"Who won {name}?",
        blocks=views.pick_rep_blocks(account_id, question),
    )
    with services.Session.begin() as s:
        qr.add_messages(s, qid, messages)
    return [m["user"] for m in messages]


def incomplete_notice(services: Services, team_id: str, account_id: int) -> None:
    """Tell the managers once that a CRM win waits for details it did not send."""
    with services.Session.begin() as s:
        account = s.get(Account, account_id)
        if account is None:
            return
        today = services.now().astimezone(zone("UTC")).date()
        claimed = qr.claim_question(
            s,
            account.workspace_id,
            f"incomplete:{account_id}",
            "incomplete",
            today,
            services.now(),
            account_id=account_id,
        )
        if claimed is None:
            return
        line = texts.waiting_line(
            account.status, account.crm, account.crm_id, None, account.missing, 0, None
        )
    tell_managers(services, team_id, f"A {texts.crm_name(account.crm)} win is {line}.")


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
    ws_id = workspace_of(services, team_id)
    with services.Session.begin() as s:
        questions = qr.open_questions(s, ws_id, kind, account_id=account_id, subject=subject)
        messages = [m for question in questions for m in question.messages or []]
        for question in questions:
            question.answered_at = services.now()
    if not messages:
        return 0
    try:
        client = services.slack.for_team(team_id)
    except NoTokenError:
        return 0
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


def may_pick(req: Request, client: WebClient, account_id: int, kind: str) -> bool:
    """Managers, and anyone who was asked, may answer."""
    ws_id = req.workspace_id()
    with req.services.read() as s:
        if req.user_id in qr.asked_people(s, ws_id, kind, account_id):
            return True
    return req.is_manager(client)
