"""The CRMs' own deal-won routes: POST /webhooks/hubspot, /webhooks/pipedrive, /webhooks/salesforce.

Each route, in order: its settings (404 naming the variable while they are unset); the CRM's own
authentication (401, nothing stored); the workspace (`?team_id=T…` when several are installed);
the body read by the CRM's adapter (400 naming the field, nothing stored); then each won deal
declared once per CRM delivery key (`declare_crm_win`) and answered the way the CRM expects —
JSON for HubSpot and Pipedrive, the SOAP `Ack` (or a SOAP fault) for Salesforce. While the
database does not answer, 503, so the CRM delivers again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import App
from sqlalchemy.exc import SQLAlchemyError

from bot.handoff.crm import CrmDelivery, CrmPayloadError, hubspot, pipedrive, salesforce
from bot.handoff.crm_win import check_delivery, declare_crm_win
from bot.handoff.declare import workspace_today
from bot.handoff.webhook import bad, resolve_team
from bot.logs import annotate
from bot.services import Services
from bot.slack.app import Wiring
from bot.slack.routes import HttpRequest, HttpResponse

log = logging.getLogger(__name__)
HUBSPOT, PIPEDRIVE, SALESFORCE = "/webhooks/hubspot", "/webhooks/pipedrive", "/webhooks/salesforce"
OUTAGE = "the database is not answering; deliver again in a few minutes"
Reader = Callable[[date], list[CrmDelivery]]


def public_uri(services: Services, req: HttpRequest) -> str:
    """The URL the CRM called: ROLESPLIT_PUBLIC_URL + path + raw query when set (behind a proxy),
    else the scheme and Host this server was called with."""
    base = services.settings.public_url
    if base:
        return base + req.path + (f"?{req.raw_query}" if req.raw_query else "")
    host = req.headers.get("host", "")
    return hubspot.public_uri(req.scheme, host, req.path, req.raw_query)


def off(variable: str) -> HttpResponse:
    """404 while a route's settings are unset, naming what to set."""
    return HttpResponse(404, {"error": f"this route is off: set {variable}", "setting": variable})


def handle_hubspot(services: Services, req: HttpRequest) -> HttpResponse:
    """HubSpot's workflow webhook or Webhooks API batch, signed (v3; v2/v1 where still sent)."""
    settings = services.settings
    if not settings.hubspot_secret:
        return off("ROLESPLIT_HUBSPOT_SECRET")
    signed = hubspot.authenticate(
        secret=settings.hubspot_secret,
        method=req.method,
        uri=public_uri(services, req),
        body=req.body,
        headers=req.headers,
        now_ms=int(services.now().timestamp() * 1000),
    )
    if not signed:
        return HttpResponse(
            401, {"error": "bad or missing HubSpot signature (X-HubSpot-Signature-v3)"}
        )
    stages = hubspot.parse_won_stages(settings.hubspot_won_stages)
    return _json_route(
        services, req, lambda today: hubspot.parse(req.body, today=today, won_stages=stages)
    )


def handle_pipedrive(services: Services, req: HttpRequest) -> HttpResponse:
    """Pipedrive's webhook (v2 or v1) with its HTTP Basic credentials."""
    settings = services.settings
    for variable, value in (
        ("ROLESPLIT_PIPEDRIVE_USER", settings.pipedrive_user),
        ("ROLESPLIT_PIPEDRIVE_PASSWORD", settings.pipedrive_password),
    ):
        if not value:
            return off(variable)
    assert settings.pipedrive_user and settings.pipedrive_password
    if not pipedrive.authenticate(
        req.headers.get("authorization"),
        user=settings.pipedrive_user,
        password=settings.pipedrive_password,
    ):
        return HttpResponse(
            401,
            {"error": "bad or missing HTTP Basic credentials"},
            {"WWW-Authenticate": 'Basic realm="rolesplit"'},
        )
    return _json_route(services, req, lambda today: pipedrive.parse(req.body, today=today))


def handle_salesforce(services: Services, req: HttpRequest) -> HttpResponse:
    """A Salesforce Outbound Message: `Ack` once every notification is recorded."""
    settings = services.settings
    if not settings.salesforce_org_id:
        return off("ROLESPLIT_SALESFORCE_ORG_ID")
    token = req.param("token")
    if not salesforce.token_ok(token, settings.webhook_secret):
        return _fault(401, "the endpoint URL's token is not ROLESPLIT_WEBHOOK_SECRET")
    try:
        team = resolve_team(services, req.param("team_id"))
        if isinstance(team, HttpResponse):
            return _fault(team.status, str(team.body.get("error")))
        annotate(team_id=team)
        try:
            message = salesforce.parse_message(req.body, today=workspace_today(services, team))
        except CrmPayloadError as err:
            return _fault(400, str(err))
        if not salesforce.authenticate(
            message.organization_id,
            token,
            org_id=settings.salesforce_org_id,
            secret=settings.webhook_secret,
        ):
            return _fault(401, "OrganizationId is not the org in ROLESPLIT_SALESFORCE_ORG_ID")
        answer = _declare_all(services, team, list(message.deliveries))
    except SQLAlchemyError:
        log.warning("CRM delivery refused: database unavailable", exc_info=True)
        return _fault(503, OUTAGE, client=False)
    if isinstance(answer, HttpResponse):
        return _fault(answer.status, str(answer.body.get("error")))
    return HttpResponse(200, salesforce.ack_response(), {"Content-Type": salesforce.CONTENT_TYPE})


def _fault(status: int, message: str, *, client: bool = True) -> HttpResponse:
    body = salesforce.soap_fault(message, client=client)
    return HttpResponse(status, body, {"Content-Type": salesforce.CONTENT_TYPE})


def _json_route(services: Services, req: HttpRequest, read: Reader) -> HttpResponse:
    """Authenticated already: the workspace, the body, each win declared; JSON answers."""
    try:
        team = resolve_team(services, req.param("team_id"))
        if isinstance(team, HttpResponse):
            return team
        annotate(team_id=team)
        try:
            deliveries = read(workspace_today(services, team))
        except CrmPayloadError as err:
            return bad(err.field, err.message)
        answer = _declare_all(services, team, deliveries)
    except SQLAlchemyError:
        log.warning("CRM delivery refused: database unavailable", exc_info=True)
        return HttpResponse(503, {"error": OUTAGE})
    if isinstance(answer, HttpResponse):
        return answer
    return HttpResponse(200, {"results": answer})


def _declare_all(
    services: Services, team: str, deliveries: list[CrmDelivery]
) -> list[dict[str, Any]] | HttpResponse:
    """Check every delivery first (a bad one stores nothing), then declare each once."""
    today = workspace_today(services, team)
    for delivery in deliveries:
        problem = check_delivery(delivery, today)
        if problem is not None:
            return bad(*problem)
    results: list[dict[str, Any]] = []
    for delivery in deliveries:
        result = declare_crm_win(services, team, delivery)
        if result.status == "invalid":  # the workspace's day moved on between the two checks
            field = result.error or "body"
            return bad(field, result.text.removeprefix(f"{field}: "))
        entry: dict[str, Any] = {
            "deal_id": delivery.deal_id,
            "status": result.status,
            "handoff_id": result.handoff_id or None,
        }
        if result.error:  # Slack refused the space: recorded, not started (Retry)
            entry["error"] = result.error
        results.append(entry)
    return results


def register(app: App, wiring: Wiring) -> None:
    """The three CRM routes with their body limits (plain HTTP routes, not Bolt listeners)."""
    services = wiring.services
    wiring.add_route("POST", HUBSPOT, partial(handle_hubspot, services), hubspot.MAX_BODY)
    wiring.add_route("POST", PIPEDRIVE, partial(handle_pipedrive, services), pipedrive.MAX_BODY)
    wiring.add_route("POST", SALESFORCE, partial(handle_salesforce, services), salesforce.MAX_BODY)
