"""Plain HTTP to the app on loopback (the install pages, the webhook) and process helpers."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from tests.support.constants import WEBHOOK_SECRET


class Served(Protocol):
    """Anything served on loopback: the running app (`Running`)."""

    @property
    def url(self) -> str: ...


@dataclass
class HttpAnswer:
    """A plain HTTP answer (the install pages are HTML, not JSON)."""

    status: int
    headers: dict[str, str]
    text: str


def http_get(url: str, headers: dict[str, str] | None = None) -> HttpAnswer:
    """GET without following redirects."""
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=10)
    try:
        target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        conn.request("GET", target, headers=headers or {})
        resp = conn.getresponse()
        return HttpAnswer(
            resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
        )
    finally:
        conn.close()


def post_webhook(
    app: Served | str,
    payload: Any,
    *,
    auth: str = "bearer",
    secret: str = WEBHOOK_SECRET,
    age: int = 0,
    raw: bytes | None = None,
    timeout: float = 10,
) -> tuple[int, Any]:
    """POST /webhooks/deal-won to the app (or its base URL), Bearer-authenticated or signed; the
    status and the JSON body."""
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if auth == "bearer":
        headers["Authorization"] = f"Bearer {secret}"
    elif auth == "signed":
        ts = str(int(time.time()) - age)
        sig = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
        headers["X-Rolesplit-Request-Timestamp"] = ts
        headers["X-Rolesplit-Signature"] = "v0=" + sig.hexdigest()
    url = urlparse(app if isinstance(app, str) else app.url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=timeout)
    try:
        conn.request("POST", "/webhooks/deal-won", body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read()
        return resp.status, json.loads(text) if text else None
    finally:
        conn.close()


def free_port() -> int:
    """A loopback port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_env(home: Path, **values: str) -> dict[str, str]:
    """The environment of a `python -m bot` process: none of this shell's Slack, rolesplit or
    database settings, HOME in the test's folder, then `values`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "ROLESPLIT_")) and k not in ("DATABASE_URL", "PORT")
    }
    env.update(HOME=str(home), PYTHONUNBUFFERED="1")
    env.update(values)
    return env
