"""Bad input at the running server: 401 before parsing, 400 naming the field, never a 5xx."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from sqlalchemy import func, select

from bot import create_app
from bot.services import Services
from bot.slack.server import AppServer, build_wsgi
from storage.db import make_engine, make_sessionmaker
from storage.models import Account
from tests.support.app import Running
from tests.support.constants import SIGNING_SECRET
from tests.support.daylog import add_reps
from tests.support.http import post_webhook

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MALFORMED = [
    ("{not json", JSON),
    ("[1]", JSON),
    ("null", JSON),
    ("payload={x", FORM),
    ("payload=" + "[" * 10_000, FORM),
    ('{"a":' * 10_000 + "1" + "}" * 10_000, JSON),
    ('{"type": "x"', JSON),
    ('{"type": "event_callback", "event": "message"}', JSON),
    ('{"type": "block_actions", "actions": [{"action_id": 1}]}', JSON),
    ('{"n": 1e999}', JSON),
]


def _post(run: Running, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    url = urlparse(run.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read()
        return resp.status, json.loads(text) if text else None
    finally:
        conn.close()


def setup_people(run: Running) -> None:
    run.fake.add_user("UBOSS", is_admin=True)
    run.fake.add_user("USAM", email="sam@acme.test")
    add_reps(run, ("UDANA", "UTC"), role="farmer")
    add_reps(run, ("ULEE", "UTC"), role="farmer")


def count(run: Running, model: Any) -> int:
    with run.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def signed(raw: bytes) -> dict[str, str]:
    """Slack's signature headers for raw bytes."""
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.http" and r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""},
        {"X-Slack-Request-Timestamp": "1" * 30, "X-Slack-Signature": "v0=x"},
    ],
)
def test_without_a_valid_signature_every_body_is_a_401(
    running: Running, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for body, ctype in MALFORMED:
        status, answer = _post(
            running, "/slack/events", body.encode(), {"Content-Type": ctype, **headers}
        )
        assert (status, answer) == (401, {"error": "invalid request"}), body[:30]
    assert [c.method for c in running.fake.calls()] == ["auth.test"]  # start-up only
    assert len(_refusals(caplog)) == len(MALFORMED)  # one line each
    assert not any(r.exc_info for r in caplog.records)


def test_signed_malformed_bodies_are_a_400_naming_the_field(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fields = []
    for body, ctype in MALFORMED:
        resp = running.slack.send(body, ctype)
        assert resp.status == 400, (body[:40], resp.text)
        fields.append(resp.json()["error"].split(":")[0])
    assert fields == [
        "body",
        "body",
        "body",
        "payload",
        "payload",
        "body",
        "body",
        "event",
        "actions[0].action_id",
        "body",
    ]
    refusals = _refusals(caplog)
    assert len(refusals) == len(MALFORMED)
    assert all(getattr(r, "reason", "") and not r.exc_info for r in refusals)
    assert not any(r.exc_info for r in caplog.records)
    assert [c.method for c in running.fake.calls()] == ["auth.test"]


def test_a_signed_body_that_is_not_utf8_is_a_400(running: Running) -> None:
    raw = b'{"type": "\xff"}'
    headers = {"Content-Type": JSON, **signed(raw)}
    assert _post(running, "/slack/events", raw, headers) == (400, {"error": "body: is not UTF-8"})


def test_other_methods_and_paths_get_json_errors(running: Running) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", urlparse(running.url).port, timeout=10)
    try:
        for path, status in (("/slack/events", 405), ("/webhooks/deal-won", 405), ("/x", 404)):
            conn.request("GET", path)
            resp = conn.getresponse()
            assert resp.status == status and "error" in json.loads(resp.read())
    finally:
        conn.close()


def test_text_is_stored_without_nul_or_lone_surrogates_on_every_database(
    running: Running,
) -> None:
    setup_people(running)
    running.slack.command("won Acme\x00 Corp am:<@UDANA> rep:<@USAM>", user_id="UBOSS")
    assert "Hand-off started for *Acme Corp*" in running.fake.wait_for_response(1)[-1]["text"]
    payload = {
        "account": "Glob\udc00ex\x00",
        "sales_rep": "USAM",
        "account_manager": "ULEE",
        "notes": "call \x00Friday\ud83d",
    }
    raw = json.dumps(payload).encode()  # \u escapes: JSON may carry what UTF-8 cannot
    assert post_webhook(running, None, raw=raw)[0] == 202
    with running.session() as s:
        stored = {a.name: a.notes for a in s.scalars(select(Account))}
    assert stored == {"Acme Corp": None, "Globex": "call Friday"}


def test_webhook_numbers_and_dates_out_of_range_name_the_field(running: Running) -> None:
    setup_people(running)
    ok = {"account": "Globex", "sales_rep": "USAM", "account_manager": "ULEE"}
    today = running.clock().date()
    cases = [
        ({"won_at": "9999-12-31"}, "won_at", "in the future"),
        ({"won_at": (today + timedelta(days=3)).isoformat()}, "won_at", "in the future"),
        ({"won_at": (today - timedelta(days=400)).isoformat()}, "won_at", "more than a year"),
        ({"won_at": 20261124}, "won_at", "ISO date"),
        ({"value": 1e20}, "value", "less than 1,000,000,000,000"),
        ({"value": "1000000000000"}, "value", "less than"),
        ({"value": 10**30}, "value", "less than"),
        ({"value": "NaN"}, "value", "positive number"),
        ({"value": "Infinity"}, "value", "positive number"),
        ({"value": -5}, "value", "positive number"),
        ({"account": "\x00\udc00"}, "account", "is required"),
    ]
    for extra, field, words in cases:
        status, body = post_webhook(running, {**ok, **extra})
        assert status == 400 and body["field"] == field and words in body["error"], extra
    for raw, words in (
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "deeper than 64"),
        (b'{"value": 1' + b"0" * 100 + b"}", "out of range"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "JSON object"),
    ):
        status, body = post_webhook(running, None, raw=raw)
        assert status == 400 and body["field"] == "body" and words in body["error"], raw[:20]
    assert count(running, Account) == 0
    edge = {"value": 999_999_999_999.99, "won_at": (today - timedelta(days=365)).isoformat()}
    assert post_webhook(running, {**ok, **edge})[0] == 202
    with running.session() as s:
        account = s.scalars(select(Account)).one()
    assert str(account.value) == "999999999999.99" and account.won_at == today - timedelta(365)


def test_webhook_answers_503_json_while_the_database_is_down(running: Running) -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", pool_pre_ping=False)
    down = Services(
        settings=running.services.settings,
        engine=engine,
        Session=make_sessionmaker(engine),
        clock=running.clock,
    )
    app = create_app(down.settings, down)  # the same app, on a database that does not answer
    server = AppServer(build_wsgi(app, down), host="127.0.0.1", port=0).start()
    try:
        status, body = post_webhook(server.url, {"account": "A", "sales_rep": "USAM"})
    finally:
        server.shutdown(timeout=5)
        down.dispose()
    assert status == 503 and "database is not answering" in body["error"]


def test_form_bodies_with_too_many_fields_are_refused(running: Running) -> None:
    body = urlencode({f"f{i}": "x" for i in range(1000)})
    resp = running.slack.send(body, FORM)
    assert resp.status == 400 and "form fields" in resp.json()["error"]


def test_oversized_bodies_and_headers_are_refused_before_reading(running: Running) -> None:
    status, body = _post(running, "/slack/events", b"x" * (1024 * 1024 + 1), {"X": "y"})
    assert status == 413 and "1024 KiB" in body["error"]
    url = urlparse(running.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", "/healthz", headers={"X-Big": "a" * 70_000})
        assert conn.getresponse().status == 431
    finally:
        conn.close()
