"""HubSpot deliveries: the workflow "Send a webhook" action and the Webhooks API.

Authentication is HubSpot's request signature. `X-HubSpot-Signature-v3` is
base64(HMAC-SHA256(app secret, method + URI + body + timestamp)) with the timestamp in
`X-HubSpot-Request-Timestamp` (milliseconds), refused when more than 5 minutes off. Without a
v3 header, `X-HubSpot-Signature-Version` says how `X-HubSpot-Signature` is made: `v1` is
sha256 hex of secret + body (the Webhooks API), `v2` sha256 hex of secret + method + URI + body
(workflows). v1/v2 carry no timestamp, so a captured request can be replayed: the delivery keys
make a replay change nothing.
https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation

The URI HubSpot signs is the public URL it called — scheme, host, path and query exactly as
configured in HubSpot (`https://rolesplit.example.com/webhooks/hubspot`), not the address the
app sees behind a proxy. The route must rebuild it with `public_uri` from the public scheme and
host: behind a TLS-terminating proxy those come from `X-Forwarded-Proto`/`X-Forwarded-Host`,
which waitress strips unless `trusted_proxy` is set (it then turns them into `wsgi.url_scheme`
and `HTTP_HOST`), and from the raw query string (a parsed dict loses the order HubSpot signed).

A win is `dealstage` becoming one of the configured won stages (`ROLESPLIT_HUBSPOT_WON_STAGES`,
default `closedwon`; custom pipelines use their stage's internal id).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.handoff.crm import ACCOUNT_NAME, OWNER, CrmDelivery, CrmPayloadError, values

CRM = "hubspot"
MAX_BODY = 256 * 1024
MAX_EVENTS = 500  # HubSpot batches up to 100 events per request; 500 fit in MAX_BODY
MAX_AGE_MS = 5 * 60 * 1000
DEFAULT_WON_STAGES = frozenset({"closedwon"})
DEAL_OBJECT_TYPE = "0-3"  # objectTypeId of deals in `object.*` events
STAGE = "dealstage"

# v3 signs the URI with these percent-escapes decoded (HubSpot's documented table)
_DECODED = {
    "3A": ":",
    "2F": "/",
    "3F": "?",
    "40": "@",
    "21": "!",
    "24": "$",
    "27": "'",
    "28": "(",
    "29": ")",
    "2A": "*",
    "2C": ",",
    "3B": ";",
}
_ESCAPE = re.compile(r"%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)", re.IGNORECASE)
_TIMESTAMP = re.compile(r"[0-9]{1,16}")


def public_uri(scheme: str, host: str, path: str, query: str = "") -> str:
    """The URL HubSpot called: `https://host/path?query` (query raw, as received)."""
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def signed_uri(uri: str) -> str:
    """The URI as v3 signs it: no fragment, the listed percent-escapes decoded."""
    return _ESCAPE.sub(lambda m: _DECODED[m.group(1).upper()], uri.split("#", 1)[0])


def authenticate(
    *,
    secret: str,
    method: str,
    uri: str,
    body: bytes,
    headers: Mapping[str, str],
    now_ms: int,
) -> bool:
    """True when the request carries a valid v3 signature, or (without v3) a valid v2/v1 one."""
    if not secret:
        return False
    lower = {k.lower(): v for k, v in headers.items()}
    key = secret.encode()
    v3 = lower.get("x-hubspot-signature-v3")
    if v3 is not None:
        stamp = lower.get("x-hubspot-request-timestamp", "").strip()
        if not _TIMESTAMP.fullmatch(stamp) or abs(now_ms - int(stamp)) > MAX_AGE_MS:
            return False
        base = method.encode() + signed_uri(uri).encode() + body + stamp.encode()
        expected = base64.b64encode(hmac.new(key, base, hashlib.sha256).digest())
        return hmac.compare_digest(expected, _ascii(v3.strip()))
    version = lower.get("x-hubspot-signature-version", "").strip().lower()
    given = lower.get("x-hubspot-signature")
    if given is None:
        return False
    if version == "v1":
        source = key + body
    elif version == "v2":
        source = key + method.encode() + uri.encode() + body
    else:
        return False
    digest = hashlib.sha256(source).hexdigest().encode()
    return hmac.compare_digest(digest, _ascii(given.strip().lower()))


def _ascii(text: str) -> bytes:
    return text.encode("ascii", "replace")


def parse_won_stages(text: str | None) -> frozenset[str]:
    """`ROLESPLIT_HUBSPOT_WON_STAGES` (comma-separated stage ids) → a set; blank → default."""
    stages = frozenset(part.strip() for part in (text or "").split(",") if part.strip())
    return stages or DEFAULT_WON_STAGES


def parse(
    body: bytes, *, today: date, won_stages: frozenset[str] = DEFAULT_WON_STAGES
) -> list[CrmDelivery]:
    """A Webhooks API batch (a JSON array) or a workflow webhook (an object), normalised."""
    data = values.load_json(body, max_bytes=MAX_BODY)
    if isinstance(data, list):
        return _events(data, today, won_stages)
    if isinstance(data, dict):
        return [_workflow(data, today, won_stages)]
    raise CrmPayloadError(
        "body", "must be a JSON array of events (Webhooks API) or an object (workflow webhook)"
    )


def _events(events: list[Any], today: date, won_stages: frozenset[str]) -> list[CrmDelivery]:
    if len(events) > MAX_EVENTS:
        raise CrmPayloadError("body", f"has {len(events)} events; at most {MAX_EVENTS} are read")
    out: list[CrmDelivery] = []
    for i, event in enumerate(events):
        at = f"[{i}]"
        if not isinstance(event, dict):
            raise CrmPayloadError(at, "must be an event object")
        kind = event.get("subscriptionType")
        if not isinstance(kind, str) or not kind:
            raise CrmPayloadError(f"{at}.subscriptionType", "is required, e.g. deal.propertyChange")
        subject, _, action = kind.partition(".")
        if subject == "object":
            subject = "deal" if event.get("objectTypeId") == DEAL_OBJECT_TYPE else "other"
        if subject != "deal":
            continue  # another object's event (a contact, a company): nothing for the hand-off
        portal = values.clean_id(event.get("portalId"), f"{at}.portalId", required=True)
        event_id = values.clean_id(event.get("eventId"), f"{at}.eventId", required=True)
        deal_id = values.clean_id(event.get("objectId"), f"{at}.objectId", required=True)
        prop = values.clean_text(event.get("propertyName"), f"{at}.propertyName")
        stage = (
            values.clean_text(event.get("propertyValue"), f"{at}.propertyValue")
            if prop == STAGE
            else None
        )
        is_win = action == "propertyChange" and stage is not None and stage in won_stages
        assert deal_id is not None
        out.append(
            CrmDelivery(
                crm=CRM,
                delivery_key=f"event:{portal}:{event_id}",
                deal_id=deal_id,
                is_win=is_win,
                # the event says when the stage changed; its deal name and owner need a read
                won_at=values.won_date(event.get("occurredAt"), f"{at}.occurredAt", today)
                if is_win
                else None,
                raw_stage=stage,
                missing=(ACCOUNT_NAME, OWNER) if is_win else (),
            )
        )
    return out


def _workflow(deal: dict[str, Any], today: date, won_stages: frozenset[str]) -> CrmDelivery:
    """ "Include all properties" (the object API's shape) or a customised body of properties."""
    raw_props = deal.get("properties")
    if isinstance(raw_props, dict):
        props = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in raw_props.items()}
    elif raw_props is None:
        props = deal
    else:
        raise CrmPayloadError("properties", "must be an object of deal properties")
    raw_id = next(
        (x for x in (deal.get("dealId"), deal.get("objectId"), deal.get("id")) if x is not None),
        props.get("hs_object_id"),
    )
    deal_id = values.clean_id(raw_id, "hs_object_id")
    if deal_id is None:
        raise CrmPayloadError(
            "hs_object_id", "is required: add the deal's Record ID to the webhook"
        )
    stage = values.clean_text(props.get(STAGE), STAGE, limit=100)
    if stage is None:
        raise CrmPayloadError(STAGE, "is required: add the deal stage to the webhook")
    deleted = deal.get("isDeleted") is True or deal.get("archived") is True
    key = f"workflow:{deal_id}:{stage}"
    if deleted or stage not in won_stages:
        return CrmDelivery(CRM, key, deal_id, is_win=False, raw_stage=stage)
    name = values.clean_text(props.get("dealname"), "dealname")
    owner = values.clean_id(props.get("hubspot_owner_id"), "hubspot_owner_id")
    return values.win_delivery(
        CRM,
        key,
        deal_id,
        name=name,
        owner_id=owner,
        owner_email=None,
        value=values.parse_value(props.get("amount"), "amount"),
        won_at=values.won_date(props.get("closedate"), "closedate", today),
        raw_stage=stage,
    )
