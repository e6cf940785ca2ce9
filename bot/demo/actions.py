"""What the page's clicks, submissions and clock buttons do (POST /demo/action)."""

from __future__ import annotations

import http.client
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from bot.demo.render import viewer_of
from bot.demo.state import Raw
from bot.demo.transport import Outcome

if TYPE_CHECKING:
    from bot.demo.host import DemoHost as Demo

AWAY = (":palm_tree:", "On vacation")
CRM_DEAL = {
    "account": "Lakeside Manufacturing",
    "account_id": "HS-20431",
    "sales_rep": "priya@northwind.example",
    "value": 27500,
    "notes": "12-month MSA for warehouse temps; first job order expected next week.",
}


def _raw(value: Any) -> Raw:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def _form(value: Any) -> dict[str, dict[str, Raw]]:
    if not isinstance(value, dict):
        return {}
    return {
        str(bid): {str(aid): _raw(v) for aid, v in acts.items()}
        for bid, acts in value.items()
        if isinstance(acts, dict)
    }


def _texts(data: dict[str, Any], *keys: str) -> list[str]:
    """The named fields of an action, as text (a missing one is a KeyError: a bad action)."""
    return [str(data[key]) for key in keys]


def perform(demo: Demo, data: dict[str, Any]) -> Outcome | dict[str, Any]:
    """Run one action as the person in `as`."""
    who = viewer_of(demo, str(data.get("as") or ""))
    kind = str(data.get("kind") or "")
    d = demo.driver
    if kind == "send":
        return d.type_text(who, str(data.get("channel") or ""), str(data.get("text") or ""))
    if kind == "click":
        channel, ts, block_id, action_id = _texts(data, "channel", "ts", "block_id", "action_id")
        return d.click(who, channel, ts, block_id, action_id, _raw(data.get("value")))
    if kind == "view_action":
        view_id, block_id, action_id = _texts(data, "view_id", "block_id", "action_id")
        value, form = _raw(data.get("value")), _form(data.get("form"))
        return d.view_action(who, view_id, block_id, action_id, value, form)
    if kind == "submit":
        return d.submit(who, str(data["view_id"]), _form(data.get("form")))
    if kind == "close":
        return d.close(who, str(data["view_id"]))
    if kind == "home":
        return d.open_home(who)
    if kind == "clock":
        done = demo.move_clock(str(data.get("to") or ""), who)
        now = demo.clock().astimezone(ZoneInfo(demo.ws.users[who].tz))
        sent = ", ".join(f"{k} {v}" for k, v in done.items() if v) or "nothing was due"
        return Outcome(True, f"It is now {now:%a %-d %b %H:%M} your time. Scheduler pass: {sent}.")
    if kind == "status":
        return toggle_away(demo, who)
    if kind == "crm":
        return crm_deal(demo)
    return Outcome(False, f"unknown action {kind!r}")


def toggle_away(demo: Demo, who: str) -> Outcome:
    """Set or clear the person's Slack status (vacation), and tell the app (user_change)."""
    user = demo.ws.users[who]
    with demo.ws.lock:
        away = not user.status_emoji
        user.status_emoji, user.status_text = AWAY if away else ("", "")
    demo.ws.touch()
    out = demo.driver.event(
        {"type": "user_change", "user": demo.api.user_json(user), "event_ts": "0"}
    )
    if not out.ok:
        return out
    return Outcome(
        True,
        "Your status says you're on vacation: no evening prompt until you clear it."
        if away
        else "Status cleared: evening prompts are back.",
    )


def crm_deal(demo: Demo) -> Outcome:
    """A won deal from the CRM, posted to the app's webhook with its secret."""
    url = urlparse(demo.url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        conn.request(
            "POST",
            "/webhooks/deal-won",
            body=json.dumps(CRM_DEAL).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": "Bearer demo-webhook-secret",
            },
        )
        resp = conn.getresponse()
        answer = resp.read().decode("utf-8", "replace")
    finally:
        conn.close()
    demo.note(f"CRM → app  POST /webhooks/deal-won  {resp.status} {answer[:120]}")
    return Outcome(
        resp.status < 300,
        f"The CRM posted {CRM_DEAL['account']} as won: HTTP {resp.status} {answer}",
    )
