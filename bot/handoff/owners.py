"""The CRM owner map: `/rolesplit crm map`, the CSV import, and wins waiting for their rep."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.handoff import texts
from bot.handoff.asking import answer_questions, may_pick
from bot.handoff.assign import FollowUp, advance, follow_up
from bot.handoff.space import workspace_of
from bot.handoff.texts import shown
from bot.services import Services
from bot.slack.context import Request
from storage import crm_repo as cr
from storage.models import Account

CRMS = ("hubspot", "pipedrive", "salesforce")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OWNER = re.compile(r"^[^\s<>|]{1,100}$")
MAP_USAGE = "crm map CRM OWNER_ID @user | crm map — link a CRM's owner to a Slack user; the list"


@dataclass(frozen=True)
class OwnerRow:
    """One mapping to store: a CRM's owner (key) is a Slack user (or an e-mail to look up)."""

    line: int
    crm: str
    owner: str  # "id:…" or "email:…"
    slack_user: str | None
    email: str | None


def owner_of(text: str) -> str | None:
    """An owner id or e-mail as typed → its key (`id:12345`, `email:dana@acme.com`)."""
    text = text.strip()
    if EMAIL.match(text):
        return "email:" + text.lower()
    return "id:" + text if OWNER.match(text) else None


def parse_map_args(args: str, mentions: list[str]) -> tuple[str, str, str] | str:
    """`hubspot 12345 @dana` → (crm, owner key, user); or what is wrong, with an example."""
    words = [w for w in args.split() if not w.startswith("<@")]
    example = "e.g. `/rolesplit crm map hubspot 12345 @dana`"
    if len(words) != 3 or len(mentions) != 1:
        return f"Name the CRM, the owner id and one person, {example}."
    crm, owner = words[1].lower(), owner_of(words[2])
    if crm not in CRMS:
        return f"`{words[1]}` isn't a CRM I take: use hubspot, pipedrive or salesforce ({example})."
    if owner is None:
        return f"`{words[2]}` isn't an owner id or e-mail ({example})."
    return crm, owner, mentions[0]


def parse_owner_csv(text: str) -> tuple[list[OwnerRow], list[str]]:
    """Rows of `crm,owner_id,slack_user|email`; problems by line number (nothing half-read)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if "crm" not in header or "owner_id" not in header:
        return [], ["line 1: the header needs the columns crm, owner_id and slack_user or email"]
    if "slack_user" not in header and "email" not in header:
        return [], ["line 1: add a slack_user column (U… ids) or an email column"]
    rows, errors = [], []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        n = reader.line_num  # the file's own line (blank lines are skipped, not counted out)
        cells = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(cells.values()):
            continue
        crm, owner = cells.get("crm", "").lower(), owner_of(cells.get("owner_id", ""))
        user, email = cells.get("slack_user") or None, cells.get("email") or None
        if crm not in CRMS:
            errors.append(
                f"line {n}: crm `{cells.get('crm')}` is not hubspot, pipedrive or salesforce"
            )
        elif owner is None:
            errors.append(f"line {n}: owner_id is empty or has spaces")
        elif user and not USER_ID.match(user):
            errors.append(f"line {n}: slack_user `{user}` is not a Slack user id like U012ABCDEF")
        elif not user and not (email and EMAIL.match(email)):
            errors.append(f"line {n}: give a slack_user id or a valid email")
        elif (crm, owner) in seen:
            errors.append(
                f"line {n}: {crm} owner {shown(owner)} is already on line {seen[(crm, owner)]}"
            )
        else:
            seen[(crm, owner)] = n
            rows.append(OwnerRow(n, crm, owner, user, None if user else email))
    return rows, errors


def import_owners(
    services: Services,
    team_id: str,
    rows: list[OwnerRow],
    lookup: Callable[[str], str | None],
) -> list[str]:
    """Resolve e-mails, then store every row in one transaction — or none; the problems."""
    resolved, errors = [], []
    for row in rows:
        user = row.slack_user or (lookup(row.email) if row.email else None)
        if user is None:
            errors.append(f"line {row.line}: no Slack user has the e-mail {row.email}")
        resolved.append((row, user))
    if errors:
        return errors
    now = services.now()
    ws_id = workspace_of(services, team_id)
    with services.Session.begin() as s:
        for row, user in resolved:
            assert user is not None
            cr.map_owner(s, ws_id, row.crm, row.owner, user, "import", now)
    for row, user in resolved:
        assert user is not None
        owner_mapped(services, team_id, row.crm, row.owner, user, None)
    return []


def owner_mapped(
    services: Services, team_id: str, crm: str, owner: str, user: str, by: str | None
) -> list[FollowUp]:
    """An owner is mapped: the wins waiting for that owner get their rep and move on."""
    now = services.now()
    moved = []
    ws_id = workspace_of(services, team_id)
    with services.Session.begin() as s:
        waiting = s.query(Account).filter_by(
            workspace_id=ws_id, crm=crm, crm_owner=owner, status="needs_sales_rep"
        )
        for account in waiting.with_for_update():
            account.sales_rep_id = account.owner_id = user
            advance(s, account, now)
            moved.append(account.id)
    who = f"<@{by}> mapped" if by else "Mapped"
    answer_questions(
        services,
        team_id,
        "owner",
        f"✅ {who} {texts.crm_name(crm)} owner `{shown(owner)}` to <@{user}>.",
        subject=f"{crm}|{owner}",
    )
    return [follow_up(services, team_id, account_id, by) for account_id in moved]


def pick_rep(req: Request, client: WebClient, account_id: int, rep: str) -> str:
    """Someone answered "who won it?": map the owner (if any) and move the wins on."""
    services, team_id, picker = req.services, req.team_id, req.user_id
    ws_id = req.workspace_id()
    with services.read() as s:
        account = s.get(Account, account_id)
        if account is None or account.workspace_id != ws_id:
            return "I can't find that hand-off any more."
        crm, owner, name, status = account.crm, account.crm_owner, account.name, account.status
    kind = "owner" if owner else "rep"
    if not may_pick(req, client, account_id, kind):
        return "Only managers, or the people I asked, can name the sales rep."
    if status != "needs_sales_rep":
        return f"*{name}* already has its sales rep — nothing changed."
    if owner and crm:
        with services.Session.begin() as s:
            cr.map_owner(s, ws_id, crm, owner, rep, picker, services.now())
        results = owner_mapped(services, team_id, crm, owner, rep, picker)
        return f"Thanks — {texts.crm_name(crm)} owner `{shown(owner)}` is <@{rep}>. " + " ".join(
            r.text for r in results
        )
    with services.Session.begin() as s:
        account = s.get(Account, account_id, with_for_update=True)
        if account is None or account.status != "needs_sales_rep":
            return f"*{name}* already has its sales rep — nothing changed."
        account.sales_rep_id = account.owner_id = rep
        advance(s, account, services.now())
    answer_questions(
        services,
        team_id,
        "rep",
        f"✅ <@{picker}> named <@{rep}> as the sales rep of *{name}*.",
        account_id=account_id,
    )
    return (
        f"Thanks — <@{rep}> won *{name}*. " + follow_up(services, team_id, account_id, picker).text
    )
