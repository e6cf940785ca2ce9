"""Pipedrive deliveries: webhooks v2 (`meta`/`data`/`previous`) and v1 (`current`/`previous`).

Authentication is HTTP Basic: the webhook is created in Pipedrive with an HTTP auth user name
and password, which Pipedrive sends as `Authorization: Basic …`
(https://pipedrive.readme.io/docs/guide-for-webhooks-v2).

A win is a deal's `status` becoming `won`: in v2 a `change` whose `previous` (only the fields
that changed) holds a `status` other than `won`, or a deal created already won; in v1 an
`updated`/`added` deal whose `current.status` is `won` and whose `previous.status` was not.
An edit of a deal that was already won is not a new win; deletions never are.

Delivery keys: v2 `meta.id` (one id per event, the same on every retry; v2 sends one webhook
per change). v1 has no event id (`meta.id` is the deal's id) and can send the same change twice,
so a v1 win is keyed by the deal and its `won_time`, anything else by the deal and
`meta.timestamp_milli`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import date
from typing import Any

from bot.handoff.crm import CrmDelivery, CrmPayloadError, values

CRM = "pipedrive"
MAX_BODY = 256 * 1024
V2_ACTIONS = frozenset({"create", "change", "delete"})
V1_ACTIONS = frozenset({"added", "updated", "deleted", "merged"})


def authenticate(authorization: str | None, *, user: str, password: str) -> bool:
    """True when `Authorization: Basic` carries the configured user and password."""
    if not user or not password or not authorization:
        return False
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        raw = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    given_user, colon, given_password = raw.partition(b":")
    user_ok = hmac.compare_digest(given_user, user.encode())
    password_ok = hmac.compare_digest(given_password, password.encode())
    return bool(colon) & user_ok & password_ok  # both compared, whichever is wrong


def parse(body: bytes, *, today: date) -> list[CrmDelivery]:
    """One webhook (v2 or v1), normalised; deliveries about other objects read as none."""
    data = values.load_json(body, max_bytes=MAX_BODY)
    if not isinstance(data, dict):
        raise CrmPayloadError("body", "must be a JSON object")
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise CrmPayloadError("meta", "is required: a Pipedrive webhook carries a meta object")
    if "entity" in meta or str(meta.get("version", "")).startswith("2"):
        return _v2(data, meta, today)
    if "object" in meta:
        return _v1(data, meta, today)
    raise CrmPayloadError("meta.entity", "is required (webhooks v2) — or meta.object (v1)")


def _v2(data: dict[str, Any], meta: dict[str, Any], today: date) -> list[CrmDelivery]:
    if values.clean_text(meta.get("entity"), "meta.entity") != "deal":
        return []
    action = _action(meta, V2_ACTIONS)
    event_id = values.clean_id(meta.get("id"), "meta.id", required=True)
    current = _object(data, "data")
    previous = _object(data, "previous")
    deal_id = values.clean_id(
        meta.get("entity_id") or (current or previous or {}).get("id"),
        "meta.entity_id",
        required=True,
    )
    assert deal_id is not None
    status = values.clean_text((current or {}).get("status"), "data.status")
    was = previous.get("status") if previous is not None and "status" in previous else "won"
    became_won = status == "won" and (action == "create" or was != "won")
    key = f"v2:{event_id}"
    if action == "delete" or not became_won or current is None:
        return [CrmDelivery(CRM, key, deal_id, is_win=False, raw_stage=status)]
    return [_win(key, deal_id, current, "data", "owner_id", today)]


def _v1(data: dict[str, Any], meta: dict[str, Any], today: date) -> list[CrmDelivery]:
    if values.clean_text(meta.get("object"), "meta.object") != "deal":
        return []
    action = _action(meta, V1_ACTIONS)
    current = _object(data, "current")
    previous = _object(data, "previous")
    deal_id = values.clean_id(
        meta.get("id") or (current or previous or {}).get("id"), "meta.id", required=True
    )
    assert deal_id is not None
    company = values.clean_id(meta.get("company_id"), "meta.company_id") or "-"
    status = values.clean_text((current or {}).get("status"), "current.status")
    was = values.clean_text((previous or {}).get("status"), "previous.status")
    is_win = (
        action in ("added", "updated") and current is not None and status == "won" and was != "won"
    )
    if is_win and current is not None:
        won_time = values.clean_text(current.get("won_time"), "current.won_time", limit=40)
        stamp = won_time or _stamp(meta)
        return [
            _win(
                f"v1:{company}:{deal_id}:won:{stamp}", deal_id, current, "current", "user_id", today
            )
        ]
    key = f"v1:{company}:{deal_id}:{action}:{_stamp(meta)}"
    return [CrmDelivery(CRM, key, deal_id, is_win=False, raw_stage=status)]


def _action(meta: dict[str, Any], allowed: frozenset[str]) -> str:
    action = values.clean_text(meta.get("action"), "meta.action")
    if action not in allowed:
        raise CrmPayloadError("meta.action", f"must be one of {', '.join(sorted(allowed))}")
    return action


def _object(data: dict[str, Any], field: str) -> dict[str, Any] | None:
    value = data.get(field)
    if value is not None and not isinstance(value, dict):
        raise CrmPayloadError(field, "must be an object (or null)")
    return value


def _stamp(meta: dict[str, Any]) -> str:
    for field in ("timestamp_milli", "timestamp_micro", "timestamp"):
        stamp = values.clean_text(meta.get(field), f"meta.{field}", limit=40)
        if stamp:
            return stamp
    raise CrmPayloadError("meta.timestamp", "is required")


def _win(
    key: str, deal_id: str, deal: dict[str, Any], at: str, owner_field: str, today: date
) -> CrmDelivery:
    """A won deal: the organisation's name (v1) or else the deal's title, its owner, value, day."""
    name = values.clean_text(deal.get("org_name"), f"{at}.org_name") or values.clean_text(
        deal.get("title"), f"{at}.title"
    )
    owner = deal.get(owner_field)
    if isinstance(owner, dict):  # the API's expanded user: {"id": …, "email": …}
        owner_id = values.clean_id(owner.get("id"), f"{at}.{owner_field}.id")
        owner_email = values.clean_email(owner.get("email"), f"{at}.{owner_field}.email")
    else:
        owner_id = values.clean_id(owner, f"{at}.{owner_field}")
        owner_email = None
    won_field = "won_time" if deal.get("won_time") else "close_time"
    return values.win_delivery(
        CRM,
        key,
        deal_id,
        name=name,
        owner_id=owner_id,
        owner_email=owner_email,
        value=values.parse_value(deal.get("value"), f"{at}.value"),
        won_at=values.won_date(deal.get(won_field), f"{at}.{won_field}", today),
        raw_stage="won",
    )
