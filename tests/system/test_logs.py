"""Structured logs over a whole scenario: one JSON line per request and per scheduled item, with
the workspace and the outcome — and no token, secret or signature anywhere in them."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlparse

import pytest

from bot import jobs
from bot.logs import configured_secrets, setup_logging
from bot.timelog import views as v
from tests.support.app import Running, start_app
from tests.support.clock import Clock, at
from tests.support.constants import BOT_TOKEN, SIGNING_SECRET, TEAM_ID, WEBHOOK_SECRET
from tests.support.daylog import modal_values

APP_TOKEN = "xapp-1-A0001-4242-0123456789abcdef"
CLIENT_SECRET = "test-client-secret-5f4e3d2c1b0a"
# Slack still puts the deprecated verification token in every body: it only shows up in the
# logs if something logs a request body.
VERIFICATION_TOKEN = "legacy-verification-token"
REQUEST_FIELDS = ("method", "path", "status", "ms", "team_id", "outcome")
ITEM_LOGGERS = (
    "bot.timelog.prompts",
    "bot.timelog.reminders",
    "bot.reports.rollup",
    "bot.handoff.nudges",
)


class Sent:
    """Everything secret the test (as Slack and as a CRM) sent to the app, and the count."""

    def __init__(self) -> None:
        self.requests = 0
        self.secret_headers: list[str] = []

    def record(self, headers: dict[str, str]) -> None:
        """Keep signature and Authorization values (and a signature's bare hex digest)."""
        self.requests += 1
        for name, value in headers.items():
            if name.lower() in ("x-slack-signature", "x-rolesplit-signature", "authorization"):
                self.secret_headers.append(value)
                self.secret_headers.append(value.split("=", 1)[-1].split(" ", 1)[-1])


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """The root handler `rolesplit run` installs (JSON), writing to a buffer; removed after."""
    root = logging.getLogger()
    level = root.level
    noisy = {n: logging.getLogger(n).level for n in ("slack_bolt", "slack_sdk", "waitress")}
    buf = io.StringIO()
    try:
        yield buf
    finally:
        for h in list(root.handlers):
            if getattr(h, "_rolesplit", False):
                root.removeHandler(h)
        root.setLevel(level)
        for name, lvl in noisy.items():
            logging.getLogger(name).setLevel(lvl)


def plain_request(
    run: Running, sent: Sent, method: str, path: str, body: bytes, **headers: str
) -> int:
    """A plain request to the app (the webhook, /healthz), recorded."""
    sent.record(headers)
    url = urlparse(run.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def webhook(run: Running, sent: Sent, payload: dict[str, Any], auth: str = "bearer") -> int:
    """POST /webhooks/deal-won, Bearer-authenticated, signed, or with a wrong Bearer secret."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if auth == "signed":
        ts = str(int(time.time()))
        mac = hmac.new(WEBHOOK_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256)
        headers["X-Rolesplit-Request-Timestamp"] = ts
        headers["X-Rolesplit-Signature"] = "v0=" + mac.hexdigest()
    else:
        secret = WEBHOOK_SECRET if auth == "bearer" else "not-the-secret-9f8e7d6c"
        headers["Authorization"] = f"Bearer {secret}"
    return plain_request(run, sent, "POST", "/webhooks/deal-won", body, **headers)


def record_slack_requests(run: Running, sent: Sent) -> None:
    """Count every signed request the fake Slack client sends and keep its signature."""
    slack = run.slack
    send, sign = slack.send, slack.sign

    def counting_send(*args: Any, **kwargs: Any) -> Any:
        sent.requests += 1
        return send(*args, **kwargs)

    def recording_sign(body: str, timestamp: int | None = None) -> dict[str, str]:
        headers = sign(body, timestamp)
        sent.secret_headers.append(headers["X-Slack-Signature"])
        sent.secret_headers.append(headers["X-Slack-Signature"].removeprefix("v0="))
        return headers

    slack.send = counting_send  # type: ignore[method-assign]
    slack.sign = recording_sign  # type: ignore[method-assign]


def run_scenario(run: Running, sent: Sent) -> None:
    """Roster, evening prompts, a modal and a plain-words log, a report, hand-offs with nudges,
    failing Web API calls, rejected requests — everything a day in production does."""
    fake, slack = run.fake, run.slack
    # the roster dates from two weeks back, so last week's rollup has reps to report on (a
    # week before anyone was on the roster is skipped, not posted)
    run.clock.set(at(9, day=10))
    fake.add_user("UBOSS", tz="UTC")
    for uid in ("U1", "U2", "U3", "UDANA", "USAM"):
        fake.add_user(uid, tz="UTC", email=f"{uid.lower()}@acme.test")
    slack.command("add <@U1|u1> <@U2|u2> <@U3|u3> as hybrid", user_id="UBOSS")
    slack.command("add <@UDANA|udana> as farmer", user_id="UBOSS")
    fake.wait_for_response(2)
    # the four reps' welcome DMs went out (before the failure below is armed)
    fake.wait_for("chat.postMessage", count=4, predicate=lambda c: "Hi <@" in c.text)

    # two won deals (Bearer and signed) with nudges due by the evening; one wrong secret
    run.clock.set(at(9))  # the day itself: a win may not be dated in the future
    won = {"sales_rep": "usam@acme.test", "account_manager": "UDANA", "won_at": "2026-11-16"}
    assert webhook(run, sent, {"account": "Acme Corp", "account_id": "CRM-1", **won}) == 202
    assert webhook(run, sent, {"account": "Globex", **won}, auth="signed") == 202
    assert webhook(run, sent, {"account": "Initech", **won}, auth="wrong") == 401

    # the evening: U3's DM fails for good (an error from the Web API), the others are prompted
    fake.fail_next("chat.postMessage", "account_inactive", when=lambda a: a["channel"] == "U3")
    run.clock.set(at(17, 30))
    done = jobs.tick(run.services, at(17, 30))
    assert (done["prompts"], done["rollups"], done["nudges"]) == (3, 1, 2), done
    # each hand-off's second nudge waits for the next pass (one per hand-off per pass)
    run.clock.set(at(17, 31))
    done = jobs.tick(run.services, at(17, 31))
    assert (done["prompts"], done["rollups"], done["nudges"]) == (0, 0, 2), done

    # U1 logs in the modal; U2 in plain words, and Slack retries that event once
    run.clock.set(at(18, 0))
    slack.command("log", user_id="U1")
    opened = fake.wait_for("views.open")[-1].json("view")
    resp = slack.view_submission(
        v.MODAL_CALLBACK,
        modal_values("2026-11-24", prospecting="3", account_service="4.5"),
        user_id="U1",
        private_metadata=opened["private_metadata"],
    )
    assert resp.status == 200
    slack.message_im("prospecting 2, accounts 3", user_id="U2", ts="1764007200.000100")
    slack.message_im("prospecting 2, accounts 3", user_id="U2", ts="1764007200.000100", retry_num=1)
    fake.wait_for("chat.postMessage", predicate=lambda c: "Logged" in c.text, count=2)

    # a Web API error whose text echoes secrets back (as a misbehaving proxy might): the form
    # cannot open, the rep is told by DM, and the warning line carries no secret
    fake.fail_next("views.open", f"invalid_auth token={BOT_TOKEN} secret={SIGNING_SECRET}")
    fake.set_delay("views.open", 0.1)
    assert slack.command("log yesterday", user_id="U1").status == 200
    fake.wait_for("views.open", 2)

    # a manager's report; a stale and a wrongly signed request; an unsigned one; health
    slack.command("report", user_id="UBOSS")
    fake.wait_for_response(3)
    assert slack.command("roster", user_id="UBOSS", stale=True).status == 401
    assert slack.command("roster", user_id="UBOSS", wrong=True).status == 401
    assert slack.command("roster", user_id="UBOSS", unsigned=True).status == 401
    assert plain_request(run, sent, "GET", "/healthz", b"") == 200

    # later: one reminder for the rep who has not answered (UDANA), nothing else new
    run.clock.set(at(19, 35))
    done = jobs.tick(run.services, at(19, 35))
    assert (done["prompts"], done["reminders"], done["nudges"]) == (0, 1, 0), done


def test_every_line_is_json_with_its_fields_and_no_secret_appears(
    db_url: str, fake_slack: Any, clock: Clock, json_logs: io.StringIO
) -> None:
    run = start_app(
        db_url,
        fake_slack,
        clock,
        ROLESPLIT_MANAGERS="UBOSS",
        ROLESPLIT_ROLLUP_CHANNEL="C0ROLLUP",
        ROLESPLIT_LOG_FORMAT="json",
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,  # without a client id: not OAuth mode, still secret
    )
    settings = run.services.settings
    setup_logging(settings.log_format, configured_secrets(settings), stream=json_logs)
    sent = Sent()
    record_slack_requests(run, sent)
    try:
        run_scenario(run, sent)
    finally:
        run.server.shutdown(timeout=10)  # drains post-ack work, so every line is written
        run.services.dispose()
    text = json_logs.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]  # (a) every line is JSON

    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys(), line
    requests = [x for x in lines if x["logger"] == "bot.http"]
    assert len(requests) == sent.requests, [x["message"] for x in requests]
    for line in requests:
        assert set(REQUEST_FIELDS) <= line.keys(), line
        assert line["message"] == f"{line['method']} {line['path']} {line['status']}"
        if line["path"] == "/slack/events" and line["status"] != 401:
            assert line["team_id"] == TEAM_ID and line["kind"], line
        elif line["path"] == "/slack/events":  # refused before its body was parsed
            assert line["team_id"] == "" and line["reason"] == "invalid request", line
    outcomes = [(x["path"], x["status"], x["outcome"]) for x in requests]
    assert outcomes.count(("/slack/events", 401, "unauthorized")) == 3
    assert outcomes.count(("/webhooks/deal-won", 401, "unauthorized")) == 1
    assert outcomes.count(("/webhooks/deal-won", 202, "ok")) == 2
    assert ("/healthz", 200, "ok") in outcomes
    assert [x["kind"] for x in requests if x.get("retry")] == ["event:message"]

    items = [x for x in lines if x["logger"] in ITEM_LOGGERS and "job" in x]
    for line in items:
        assert line["team_id"] == TEAM_ID and line["outcome"], line
    per_job = sorted((x["job"], x["outcome"]) for x in items)
    assert per_job == sorted(
        [("prompts", "sent")] * 3
        + [("prompts", "failed"), ("reminders", "sent"), ("rollups", "sent")]
        + [("nudges", "sent")] * 4
    )
    passes = [x for x in lines if x["logger"] == "bot.jobs"]
    assert {(x["job"], x["items"]) for x in passes} == {
        ("prompts", 3),
        ("rollups", 1),
        ("nudges", 2),
        ("reminders", 1),
    }
    assert all(x["outcome"] == "ok" and "ms" in x for x in passes)
    (failed,) = [x for x in lines if "views.open failed" in x.get("message", "")]
    assert "invalid_auth token=[redacted] secret=[redacted]" in failed["message"]
    assert failed["level"] == "warning" and failed["outcome"] == "failed"

    # (b) no secret, in any form, anywhere — messages, fields, exception text
    secrets = {
        "bot token": BOT_TOKEN,
        "app token": APP_TOKEN,
        "signing secret": SIGNING_SECRET,
        "webhook secret": WEBHOOK_SECRET,
        "client secret": CLIENT_SECRET,
        "verification token (a logged request body)": VERIFICATION_TOKEN,
    }
    for value in sent.secret_headers:
        secrets[f"header sent to the app: {value[:12]}…"] = value
    for call in fake_slack.calls():
        auth = call.headers.get("authorization")
        if auth:
            secrets[f"Authorization sent to Slack: {auth[:12]}…"] = auth
    assert any(k.startswith("header sent") for k in secrets)
    assert any(k.startswith("Authorization sent") for k in secrets)
    leaks = [
        name
        for name, value in secrets.items()
        for form in {value, quote(value, safe=""), json.dumps(value)[1:-1]}
        if form in text
    ]
    assert leaks == []


def test_a_failing_click_is_logged_with_its_workspace(running: Running) -> None:
    def boom(body: dict[str, Any]) -> None:  # before any ack: Bolt hands it to the error handler
        raise RuntimeError("listener bug")

    class Keep(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.ERROR)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    keep = Keep()
    logging.getLogger("bot").addHandler(keep)
    try:
        running.app.action("test_boom")(boom)
        running.slack.block_action("test_boom", "x", user_id="U1")
    finally:
        logging.getLogger("bot").removeHandler(keep)
    (line,) = [r for r in keep.records if r.getMessage() == "listener failed"]
    # a click carries its team at body.team.id, not body.team_id
    assert line.team_id == TEAM_ID and line.outcome == "error"  # type: ignore[attr-defined]
