"""POST /webhooks/deal-won: a won deal from a CRM, Zapier or a script."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import exc as db_errors
from sqlalchemy import select

from bot.handoff.declare import WinInput, declare_win, workspace_today
from bot.handoff.rules import check_won_at
from bot.logs import annotate
from bot.services import Services
from bot.slack.app import Wiring
from bot.slack.client import NoTokenError
from bot.slack.inbound import BadInput, load_json
from bot.slack.routes import HttpRequest, HttpResponse
from storage import repo
from storage.models import MONEY_LIMIT, Workspace

log = logging.getLogger(__name__)

PATH = "/webhooks/deal-won"
MAX_BODY = 64 * 1024
MAX_AGE = 300
DB_DOWN = (db_errors.OperationalError, db_errors.InterfaceError, db_errors.TimeoutError)
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def authenticated(secret: str, req: HttpRequest, now: float) -> bool:
    """Bearer secret, or a Slack-style v0 HMAC signature at most 5 minutes old."""
    auth = req.headers.get("authorization", "")
    if auth.startswith("Bearer "):
        return hmac.compare_digest(auth[7:].encode(), secret.encode())
    ts = req.headers.get("x-rolesplit-request-timestamp", "")
    sig = req.headers.get("x-rolesplit-signature", "")
    if not ts.isdigit() or not sig.startswith("v0=") or abs(now - int(ts)) > MAX_AGE:
        return False
    base = b"v0:" + ts.encode() + b":" + req.body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), sig.encode())


def bad(field: str, message: str) -> HttpResponse:
    """400 naming the field."""
    return HttpResponse(400, {"error": f"{field}: {message}", "field": field})


def _text(
    data: dict[str, Any], field: str, *, required: bool = False, limit: int = 200
) -> str | HttpResponse | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return bad(field, "is required") if required else None
    if not isinstance(value, str):
        return bad(field, "must be a string")
    if len(value) > limit:
        return bad(field, f"must be at most {limit} characters")
    return value.strip()


def handle(services: Services, req: HttpRequest) -> HttpResponse:
    """Validate, authenticate, resolve people and declare the win (idempotent).

    Every answer is JSON: a database that does not answer is a `503` and Slack failing a
    `502`, both safe to retry (a win is recorded once per account).
    """
    secret = services.settings.webhook_secret
    if not secret:
        return HttpResponse(404, {"error": "webhook disabled: set ROLESPLIT_WEBHOOK_SECRET"})
    if not authenticated(secret, req, time.time()):
        return HttpResponse(401, {"error": "bad or missing authentication"})
    try:
        return _handle(services, req)
    except DB_DOWN as exc:
        log.warning("deal-won: database not answering (%s)", type(exc).__name__)
        return HttpResponse(
            503,
            {"error": "the database is not answering: nothing was stored, retry in a minute"},
            {"Retry-After": "60"},
        )
    except (SlackClientError, OSError) as exc:
        log.warning("deal-won: Slack not answering (%s)", type(exc).__name__)
        return HttpResponse(502, {"error": "Slack did not answer: retry in a minute"})


def _handle(services: Services, req: HttpRequest) -> HttpResponse:
    try:
        data = load_json((req.body or b"").decode("utf-8"), max_int_digits=40)
    except UnicodeDecodeError:
        return bad("body", "is not UTF-8")
    except BadInput as exc:
        return bad(exc.field, exc.message)
    if not isinstance(data, dict):
        return bad("body", "must be a JSON object")
    fields: dict[str, Any] = {}
    for name, required, limit in (
        ("account", True, 200),
        ("account_id", False, 190),
        ("sales_rep", True, 254),
        ("account_manager", False, 254),
        ("team_id", False, 32),
        ("notes", False, 4000),
    ):
        value = _text(data, name, required=required, limit=limit)
        if isinstance(value, HttpResponse):
            return value
        fields[name] = value
    amount = _value(data.get("value"))
    if isinstance(amount, HttpResponse):
        return amount
    fields["value"] = amount
    won_at = _won_at(data.get("won_at"))
    if isinstance(won_at, HttpResponse):
        return won_at
    fields["won_at"] = won_at
    team = resolve_team(services, fields["team_id"])
    if isinstance(team, HttpResponse):
        return team
    annotate(team_id=team)
    if fields.get("won_at"):
        problem = check_won_at(fields["won_at"], workspace_today(services, team))
        if problem:
            return bad("won_at", problem)
    people = {}
    for name in ("sales_rep", "account_manager"):
        resolved = _person(services, team, name, fields[name])
        if isinstance(resolved, HttpResponse):
            return resolved
        people[name] = resolved
    result = declare_win(
        services,
        team,
        WinInput(
            account=fields["account"],
            crm_id=fields["account_id"],
            sales_rep=people["sales_rep"],
            account_manager=people["account_manager"],
            value=fields.get("value"),
            won_at=fields.get("won_at"),
            notes=fields["notes"],
            source="webhook",
        ),
    )
    answer: dict[str, Any] = {"handoff_id": result.handoff_id, "status": result.status}
    if result.error:  # Slack refused the space: the hand-off is recorded, not started
        answer["error"] = result.error
    return HttpResponse(202, answer)


def _value(value: Any) -> Decimal | HttpResponse | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return bad("value", "must be a number")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return bad("value", "must be a number")
    if not amount.is_finite() or amount < 0:
        return bad("value", "must be a positive number")
    if amount >= MONEY_LIMIT:
        return bad("value", f"must be less than {MONEY_LIMIT:,}")
    return amount.quantize(Decimal("0.01"))


def _won_at(value: Any) -> date | HttpResponse | None:
    """The date's form; its range (a year back, not ahead) is checked in the workspace's zone."""
    if value is None:
        return None
    if not isinstance(value, str):
        return bad("won_at", "must be an ISO date like 2026-11-24")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return bad("won_at", "must be an ISO date like 2026-11-24")


def resolve_team(services: Services, team_id: str | None) -> str | HttpResponse:
    """The workspace a delivery is for: the named one, the only one installed, or the token's."""
    with services.Session() as s:
        teams = list(s.scalars(select(Workspace.team_id).where(Workspace.installed.is_(True))))
    if team_id:
        return team_id if team_id in teams else bad("team_id", "is not an installed workspace")
    if len(teams) == 1:
        return teams[0]
    if not teams and services.settings.slack_bot_token and services.installation_store is None:
        # single-workspace mode before any Slack request: the token knows its workspace
        auth = services.slack.client(services.settings.slack_bot_token).auth_test()
        with services.Session.begin() as s:
            repo.ensure_workspace(s, auth["team_id"], auth.get("team"))
        return str(auth["team_id"])
    if not teams:
        return bad("team_id", "no workspace is installed yet")
    return bad("team_id", "is required when several workspaces are installed")


def _person(
    services: Services, team_id: str, field: str, value: str | None
) -> str | HttpResponse | None:
    if value is None:
        return None
    if USER_ID.match(value):
        return value
    if not EMAIL.match(value):
        return bad(field, "must be a Slack user id or an e-mail address")
    try:
        resp = services.slack.for_team(team_id).users_lookupByEmail(email=value)
    except SlackApiError as err:
        if err.response.get("error") == "users_not_found":
            return bad(field, f"no Slack user has the e-mail {value}")
        return HttpResponse(502, {"error": f"Slack said {err.response.get('error')}"})
    except NoTokenError:
        return bad("team_id", "the workspace has no bot token")
    return str(resp["user"]["id"])


def register(app: App, wiring: Wiring) -> None:
    """The webhook route, with its 64 KiB body limit (a plain HTTP route, not a Bolt listener)."""
    wiring.add_route("POST", PATH, partial(handle, wiring.services), MAX_BODY)
