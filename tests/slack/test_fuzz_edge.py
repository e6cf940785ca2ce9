"""Fuzzing the running server's edge: junk, signed or not, at /slack/events and the webhook.

Whatever arrives — random bytes, broken JSON or forms, deep nesting, huge numbers, lone
surrogates and NULs, Slack payloads with their fields swapped for other JSON — the answer is
never a 5xx and the log never holds a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from typing import Any
from urllib.parse import quote, urlencode, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.app import Running
from tests.support.constants import SIGNING_SECRET, WEBHOOK_SECRET
from tests.support.daylog import add_reps

FORM = "application/x-www-form-urlencoded"
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ACTIONS = [
    "daylog_open",
    "daylog_same",
    "daylog_off",
    "checklist_toggle",
    "pick_am",
    "home_report",
    "home_settings",
    "home_study_progress",
    "home_study_result",
    "study_fit_3",
    "study_fit_comment",
    "forget_confirm",
    "nothing_like_it",
]
CALLBACKS = ["daylog_submit", "won_submit", "settings_submit", "study_fit_submit", "other"]
COMMAND_WORDS = ["", "help", "won", "add", "remove", "roster", "report", "settings", "log"]
NASTY = ["\x00", "\ud800", "\udfff", "\ud83d", "😀", "\u202e", "%", "&", "=", "<@U1>", "\\"]

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**25), 10**25)
    | st.floats(allow_nan=False)
    | st.text(st.sampled_from([c for c in NASTY if len(c) == 1]) | st.characters(), max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
TEXT = st.lists(st.sampled_from(NASTY) | st.text(max_size=6), max_size=8).map("".join)


def setup_people(run: Running) -> None:
    run.fake.add_user("UBOSS", is_admin=True)
    run.fake.add_user("USAM", email="sam@acme.test")
    add_reps(run, ("UDANA", "UTC"), role="farmer")
    add_reps(run, ("ULEE", "UTC"), role="farmer")


def _post(run: Running, path: str, body: bytes, headers: dict[str, str]) -> int:
    url = urlparse(run.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def _slack_headers(body: bytes, content_type: str, signed: bool) -> dict[str, str]:
    headers = {"Content-Type": content_type}
    if signed:
        ts = str(int(time.time()))
        base = b"v0:" + ts.encode() + b":" + body
        sig = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
        headers.update({"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + sig})
    return headers


def _dumps(value: Any) -> str:
    return json.dumps(value)  # \u escapes: lone surrogates and NULs travel as JSON allows


@st.composite
def slack_payloads(draw: st.DrawFn, response_url: str) -> dict[str, Any]:
    """A Slack payload of some kind, some of its fields swapped for arbitrary JSON."""
    user = {"id": draw(st.sampled_from(["U1", "UBOSS", "U\x00"])), "team_id": "T0001"}
    kind = draw(st.sampled_from(["block_actions", "view_submission", "event", "other"]))
    payload: dict[str, Any]
    if kind == "block_actions":
        action = {"action_id": draw(st.sampled_from(ACTIONS)), "block_id": "b", "value": draw(TEXT)}
        payload = {
            "type": kind,
            "team": {"id": "T0001"},
            "user": user,
            "trigger_id": "1.1.t",
            "actions": [action],
            "container": {"type": "message", "message_ts": "1.1", "channel_id": "DU1"},
            "response_url": response_url,
            "channel": {"id": "DU1"},
            "message": {"ts": "1.1", "text": draw(TEXT)},
        }
    elif kind == "view_submission":
        values = draw(
            st.dictionaries(
                st.text(max_size=5),
                st.dictionaries(
                    st.text(max_size=5),
                    st.fixed_dictionaries({"type": st.just("plain_text_input"), "value": TEXT}),
                    max_size=2,
                ),
                max_size=3,
            )
        )
        payload = {
            "type": kind,
            "team": {"id": "T0001"},
            "user": user,
            "trigger_id": "1.1.t",
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": draw(st.sampled_from(CALLBACKS)),
                "private_metadata": draw(TEXT),
                "state": {"values": values},
            },
        }
    elif kind == "event":
        event_type = draw(st.sampled_from(["message", "app_home_opened", "user_change", "x"]))
        event = {
            "type": event_type,
            "user": {**user, "tz": "Europe/Paris"} if event_type == "user_change" else user["id"],
            "channel": "DU1",
            "channel_type": "im",
            "text": draw(TEXT),
            "ts": "1700000000.000100",
            "tab": "home",
        }
        payload = {
            "type": "event_callback",
            "team_id": "T0001",
            "event_id": f"Ev{draw(st.integers(0, 10**9))}",
            "event": event,
        }
    else:
        payload = draw(st.dictionaries(st.text(max_size=8), JSON, max_size=5))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):  # swap a field, maybe a nested one
        node: Any = payload
        while True:
            if isinstance(node, list) and node:
                inner = draw(st.integers(0, len(node) - 1))
            elif isinstance(node, dict) and node:
                inner = draw(st.sampled_from(sorted(node)))
            else:
                break
            if not isinstance(node[inner], dict | list) or draw(st.booleans()):
                node[inner] = draw(JSON)
                break
            node = node[inner]
    return payload


def _nested(depth: int, opener: str) -> str:
    return (opener if opener == "[" else '{"a":') * depth


def slack_bodies(response_url: str) -> st.SearchStrategy[tuple[bytes, str]]:
    """Bodies for /slack/events: junk, broken and deep text, and Slack payloads gone wrong."""
    payloads = slack_payloads(response_url)
    return st.one_of(
        st.binary(max_size=300).map(lambda b: (b, "application/json")),
        st.binary(max_size=300).map(lambda b: (b, "application/x-www-form-urlencoded")),
        payloads.map(lambda p: (_dumps(p).encode(), "application/json")),
        payloads.map(lambda p: (urlencode({"payload": _dumps(p)}).encode(), FORM)),
        payloads.map(lambda p: (urlencode({"payload": _dumps(p)}).encode(), FORM)),
        st.tuples(payloads, st.integers(0, 200)).map(
            lambda t: (_dumps(t[0])[: t[1]].encode(), "application/json")  # truncated JSON
        ),
        st.tuples(payloads, st.integers(0, 200)).map(
            lambda t: (
                ("payload=" + quote(_dumps(t[0]))[: t[1]]).encode(),
                "application/x-www-form-urlencoded",
            )
        ),
        st.tuples(st.sampled_from(COMMAND_WORDS), TEXT, st.sampled_from(["U1", "UBOSS"])).map(
            lambda t: (
                urlencode(
                    {
                        "command": "/rolesplit",
                        "text": f"{t[0]} {t[1]}",
                        "team_id": "T0001",
                        "user_id": t[2],
                        "channel_id": "DU1",
                        "trigger_id": "1.1.t",
                        "response_url": response_url,
                    },
                    errors="surrogatepass",  # a lone surrogate travels as its UTF-8-like bytes
                ).encode(),
                "application/x-www-form-urlencoded",
            )
        ),
        st.tuples(st.integers(60, 20_000), st.sampled_from("[{")).map(
            lambda t: (_nested(*t).encode(), "application/json")
        ),
        st.tuples(
            st.sampled_from(["{}", "-{}", '{{"n": {}}}', "[1e{}]", '{{"n": NaN}}']),
            st.integers(300, 5000),
        ).map(
            lambda t: (t[0].format("9" * t[1]).encode(), "application/json")  # out of range
        ),
    )


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.exc_text]
    assert not bad, [(r.name, r.getMessage()) for r in bad[:3]]


def test_fuzzed_slack_requests_never_get_a_5xx(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    running.fake.add_user("U1", tz="UTC")
    caplog.set_level(logging.INFO)
    seen: set[int] = set()

    @FUZZ
    @given(slack_bodies(running.fake.response_url()), st.sampled_from([True, True, False]))
    def check(body: tuple[bytes, str], signed: bool) -> None:
        raw, ctype = body
        status = _post(running, "/slack/events", raw, _slack_headers(raw, ctype, signed))
        assert status < 500, (status, raw[:200])
        if not signed:
            assert status == 401
        seen.add(status)

    check()
    _no_tracebacks(caplog)
    assert {400, 401} <= seen
    assert running.slack.command("help", user_id="U1").status == 200  # still serving


WEBHOOK_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "account": TEXT | JSON,
        "account_id": TEXT,
        "sales_rep": st.sampled_from(["USAM", "UBOSS", "a@b.c", "nobody"]) | JSON,
        "account_manager": st.sampled_from(["UDANA", "UBOSS"]) | JSON,
        "team_id": st.sampled_from(["T0001", "T9"]) | JSON,
        "value": st.integers(-(10**30), 10**30) | st.floats() | TEXT | JSON,
        "won_at": st.dates().map(str) | TEXT | JSON,
        "notes": TEXT,
    },
)
NEARLY_VALID = st.fixed_dictionaries(
    {"account": TEXT.map(lambda t: "Acme " + t), "sales_rep": st.just("USAM")},
    optional={
        "value": st.integers(0, 10**14) | st.decimals(allow_nan=False).map(str),
        "won_at": st.dates().map(str),
        "notes": TEXT,
        "account_id": TEXT,
    },
)
WEBHOOK_BODIES = st.one_of(
    NEARLY_VALID.map(lambda d: _dumps(d).encode()),
    st.binary(max_size=300),
    WEBHOOK_FIELDS.map(lambda d: _dumps(d).encode()),
    st.tuples(WEBHOOK_FIELDS, st.integers(0, 100)).map(lambda t: _dumps(t[0])[: t[1]].encode()),
    st.tuples(st.integers(60, 20_000), st.sampled_from("[{")).map(lambda t: _nested(*t).encode()),
    JSON.map(lambda v: _dumps(v).encode()),
)


def test_fuzzed_webhook_requests_never_get_a_5xx(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    setup_people(running)
    caplog.set_level(logging.INFO)
    seen: set[int] = set()

    @FUZZ
    @given(WEBHOOK_BODIES, st.sampled_from([True, True, False]))
    def check(raw: bytes, authed: bool) -> None:
        headers = {"Content-Type": "application/json"}
        if authed:
            headers["Authorization"] = f"Bearer {WEBHOOK_SECRET}"
        status = _post(running, "/webhooks/deal-won", raw, headers)
        assert status < 500, (status, raw[:200])
        if not authed:
            assert status in (401, 413)  # over 64 KiB is refused before anything is read
        seen.add(status)

    check()
    _no_tracebacks(caplog)
    assert {202, 400, 401} <= seen
