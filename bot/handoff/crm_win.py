"""A CRM's own won-deal delivery, normalised by its adapter, declared once per delivery key."""

from __future__ import annotations

import logging
import re
from datetime import date

from slack_sdk.errors import SlackApiError

from bot.handoff.crm import CrmDelivery
from bot.handoff.declare import Recorded, WinInput, WinResult, record_win, settle
from bot.handoff.owners import CRMS
from bot.handoff.rules import check_won_at
from bot.handoff.space import workspace_of
from bot.services import Services
from bot.slack.client import NoTokenError
from bot.timecalc import zone
from storage import crm_repo as cr
from storage import repo
from storage.models import MONEY_LIMIT

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_delivery(delivery: CrmDelivery, today: date) -> tuple[str, str] | None:
    """(field, why) when a delivery cannot be taken at all (4xx naming the field), else None."""
    if delivery.crm not in CRMS:
        return "crm", f"must be one of {', '.join(CRMS)}"
    if not delivery.delivery_key or not delivery.delivery_key.strip():
        return "delivery_key", "is required"
    if not delivery.deal_id or not str(delivery.deal_id).strip():
        return "deal_id", "is required"
    if delivery.value is not None and (not delivery.value.is_finite() or delivery.value < 0):
        return "value", "must be a positive number"
    if delivery.value is not None and delivery.value >= MONEY_LIMIT:
        return "value", "is too large"
    if delivery.won_at is not None:
        problem = check_won_at(delivery.won_at, today)
        if problem:
            return "won_at", problem
    return None


def declare_crm_win(services: Services, team_id: str, delivery: CrmDelivery) -> WinResult:
    """Declare a CRM win once per (crm, delivery key): owner map, one account, waits visibly.

    Status: `ignored` (not a win), `duplicate` (delivery seen before; nothing changes),
    `invalid` (the text names the field), else as `declare_win`.
    """
    now = services.now()
    ws_id = workspace_of(services, team_id)
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        assert ws is not None
        cfg = services.config(ws)
    today = now.astimezone(zone(cfg.timezone)).date()
    bad = check_delivery(delivery, today)
    if bad is not None:
        return WinResult(0, "invalid", f"{bad[0]}: {bad[1]}", error=bad[0])
    if not delivery.is_win:
        return WinResult(0, "ignored", "not a won deal")
    keys = cr.owner_key(delivery.owner_id, delivery.owner_email)
    with services.read() as s:
        rep = cr.lookup_owner(s, ws_id, delivery.crm, keys)
    if rep is None and delivery.owner_email and EMAIL.match(delivery.owner_email):
        rep = _slack_user_by_email(services, team_id, delivery.owner_email)
    name = (delivery.account_name or "").strip()
    missing = tuple(dict.fromkeys([*delivery.missing, *([] if name else ["account_name"])]))
    win = WinInput(  # the account and who won it
        name,
        rep,
        value=delivery.value,
        won_at=delivery.won_at,
        crm=delivery.crm,
        crm_id=str(delivery.deal_id).strip(),
        crm_owner=None if rep else (keys[0] if keys else None),
        source=delivery.crm,
        missing=missing,
    )
    with services.Session.begin() as s:
        if not cr.claim_delivery(s, ws_id, delivery.crm, delivery.delivery_key, now):
            seen = cr.get_delivery(s, ws_id, delivery.crm, delivery.delivery_key)
            return WinResult(
                0, "duplicate", f"delivery already handled ({seen.status if seen else '?'})"
            )
        recorded: Recorded = record_win(s, ws_id, cfg, win, now)
        seen = cr.get_delivery(s, ws_id, delivery.crm, delivery.delivery_key)
        assert seen is not None
        seen.account_id, seen.status = recorded.account_id, recorded.status
    return settle(services, team_id, recorded, None)


def _slack_user_by_email(services: Services, team_id: str, email: str) -> str | None:
    """users.lookupByEmail: the CRM owner's e-mail is often their Slack e-mail too."""
    try:
        resp = services.slack.for_team(team_id).users_lookupByEmail(email=email)
    except SlackApiError as err:
        if err.response.get("error") != "users_not_found":
            log.warning("could not look up a CRM owner's e-mail: %s", err.response.get("error"))
        return None
    except NoTokenError:
        return None
    return str(resp["user"]["id"])
