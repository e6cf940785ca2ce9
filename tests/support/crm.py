"""CRM deliveries as the CRMs send them: the vendored samples, signed or authenticated each CRM's
own way, posted raw to the running app."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
from pathlib import Path
from urllib.parse import urlparse

from tests.support.http import HttpAnswer

CRM_DATA = Path(__file__).resolve().parent.parent / "data" / "crm"

HUBSPOT_SECRET = "test-hubspot-client-secret-0123"
PIPEDRIVE_USER = "rolesplit-hook"
PIPEDRIVE_PASSWORD = "test-pipedrive-password-4567"
SALESFORCE_ORG = "00D7F00000107XsUAI"  # the vendored Salesforce samples' OrganizationId
PUBLIC_URL = "https://rolesplit.example.com"


def crm_sample(name: str) -> bytes:
    """A vendored delivery's raw bytes (tests/data/crm, sources in its README)."""
    return (CRM_DATA / name).read_bytes()


def hubspot_headers(
    body: bytes, uri: str, now_ms: int, secret: str = HUBSPOT_SECRET
) -> dict[str, str]:
    """HubSpot's v3 signature: base64(HMAC-SHA256(secret, "POST" + uri + body + timestamp))."""
    source = b"POST" + uri.encode() + body + str(now_ms).encode()
    digest = hmac.new(secret.encode(), source, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-v3": base64.b64encode(digest).decode(),
        "X-HubSpot-Request-Timestamp": str(now_ms),
    }


def pipedrive_headers(
    user: str = PIPEDRIVE_USER, password: str = PIPEDRIVE_PASSWORD
) -> dict[str, str]:
    """Pipedrive's HTTP Basic credentials, as set on the webhook."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Content-Type": "application/json", "Authorization": f"Basic {token}"}


SALESFORCE_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}


def post_raw(base_url: str, target: str, body: bytes, headers: dict[str, str]) -> HttpAnswer:
    """POST bytes to a path (with its query) of the app on loopback; the answer as text."""
    url = urlparse(base_url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=15)
    try:
        conn.request("POST", target, body=body, headers=headers)
        resp = conn.getresponse()
        return HttpAnswer(
            resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
        )
    finally:
        conn.close()
