"""HTTP: /slack/events (Bolt), /healthz, OAuth routes and feature routes, served by waitress."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.request.internals import build_context

from bot.logs import request_outcome, request_scope
from bot.services import Services
from bot.slack.app import pool_of, wiring_of
from bot.slack.httpd import AppServer, HealthCheck, Limits
from bot.slack.inbound import BadInput, parse_slack_body, signature_ok
from bot.slack.kinds import classify
from bot.slack.routes import HttpRequest, Route
from bot.slack.shape import check_shape

log = logging.getLogger("bot.http")
__all__ = ["AppServer", "WsgiApp", "build_wsgi"]

SLACK_PATH = "/slack/events"
MAX_SLACK_BODY = Limits.body_bytes
Answer = tuple[int, list[tuple[str, str]], bytes, dict[str, Any]]


REASONS = {
    200: "OK",
    202: "Accepted",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def json_answer(
    status: int, body: dict[str, Any], meta: dict[str, Any] | None = None, **headers: str
) -> Answer:
    """A JSON answer (every error the edge gives is one)."""
    hdrs = [("Content-Type", "application/json")] + [
        (k.replace("_", "-"), v) for k, v in headers.items()
    ]
    return status, hdrs, json.dumps(body).encode(), meta or {}


def refused(status: int, reason: str, **headers: str) -> Answer:
    """A request refused at the edge: `{"error": reason}`, logged as one warning line."""
    return json_answer(status, {"error": reason}, {"reason": reason}, **headers)


class WsgiApp:
    """Routes requests; counts in-flight ones so shutdown can drain them."""

    def __init__(
        self,
        app: App,
        services: Services,
        routes: dict[tuple[str, str], Route] | None = None,
        route_limits: dict[str, int] | None = None,
    ) -> None:
        self.app, self.services = app, services
        self.routes = dict(routes or {})
        self.route_limits = dict(route_limits or {})
        self.inflight = 0
        self._lock = threading.Lock()
        self.health = HealthCheck(services.engine)
        self.pool = pool_of(app)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        with self._lock:
            self.inflight += 1
        started = time.perf_counter()
        status = 500  # an exception escaping a route is logged as a 500 here
        meta: dict[str, Any] = {}
        try:
            with request_scope() as annotated:
                try:
                    status, headers, body, meta = self._handle(environ)
                except Exception:  # a bug: one traceback in the log, a JSON 500 to the caller
                    log.exception("request failed", extra={"outcome": "error"})
                    status, headers, body, meta = json_answer(500, {"error": "internal error"})
                meta = {**meta, **annotated}
        finally:
            with self._lock:
                self.inflight -= 1
            self._log_request(environ, status, meta, started)
        start_response(f"{status} {REASONS.get(status, 'OK')}", headers)
        return [body]

    @staticmethod
    def _log_request(
        environ: dict[str, Any], status: int, meta: dict[str, Any], started: float
    ) -> None:
        """The one line per request: method, path, status, ms, team_id, outcome (no headers)."""
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        fields: dict[str, Any] = {
            "method": method,
            "path": path,
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "team_id": "",
            "outcome": request_outcome(status),
        }
        fields.update(meta)
        level = logging.WARNING if status >= 500 or "reason" in meta else logging.INFO
        log.log(level, "%s %s %s", method, path, status, extra=fields)

    def _read_body(self, environ: dict[str, Any], limit: int) -> bytes | None:
        try:
            length = max(0, int(environ.get("CONTENT_LENGTH") or 0))
        except ValueError:
            length = 0
        if length > limit:
            return None
        stream = environ["wsgi.input"]
        if length:
            return bytes(stream.read(length))
        data = stream.read(limit + 1)
        return None if len(data) > limit else bytes(data)

    def _healthz(self) -> Answer:
        ok = self.health.check()
        if ok:
            return json_answer(200, {"status": "ok"})
        reason = (
            "database not answering"
            if ok is False
            else f"database did not answer within {self.health.timeout:g} s"
        )
        return json_answer(503, {"status": "unavailable", "reason": reason})

    def _handle(self, environ: dict[str, Any]) -> Answer:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self._healthz()
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        route = self.routes.get((method, path))
        if route is None and any(p == path for _m, p in self.routes):
            allowed = ", ".join(sorted(m for m, p in self.routes if p == path))
            return refused(405, f"use {allowed}", Allow=allowed)
        if route is not None:
            limit = self.route_limits.get(path, MAX_SLACK_BODY)
            raw = self._read_body(environ, limit)
            if raw is None:
                return refused(413, f"body too large (the limit is {limit // 1024} KiB)")
            scheme = str(environ.get("wsgi.url_scheme") or "http")
            resp = route(HttpRequest(method, path, headers, raw, parse_qs(query), query, scheme))
            data, ctype = resp.encoded()
            hdrs = [("Content-Type", ctype)] + [
                (k, v) for k, v in resp.headers.items() if k.lower() != "content-type"
            ]
            return resp.status, hdrs, data, {}
        oauth = self.app.oauth_flow
        if (
            method == "GET"
            and oauth is not None
            and path in (oauth.install_path, oauth.redirect_uri_path)
        ):
            req = BoltRequest(body="", query=query, headers=headers)
            bolt = (
                oauth.handle_installation(req)
                if path == oauth.install_path
                else oauth.handle_callback(req)
            )
            return self._bolt(bolt, {})
        if path == SLACK_PATH:
            if method != "POST":
                return refused(405, "use POST", Allow="POST")
            return self._slack(environ, query, headers)
        return refused(404, "not found")

    def _slack(self, environ: dict[str, Any], query: str, headers: dict[str, str]) -> Answer:
        """Verify the signature on the raw bytes, then parse (bounded), check and clean."""
        raw = self._read_body(environ, MAX_SLACK_BODY)
        if raw is None:
            return refused(413, f"body too large (the limit is {MAX_SLACK_BODY // 1024} KiB)")
        secret = self.services.settings.slack_signing_secret or ""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not signature_ok(secret, timestamp, signature, raw, time.time()):
            return refused(401, "invalid request")
        try:
            text = raw.decode("utf-8")
            body = parse_slack_body(text, headers.get("content-type", "").split(";")[0] or None)
            check_shape(body)
        except UnicodeDecodeError:
            return refused(400, "body: is not UTF-8")
        except BadInput as exc:
            return refused(400, str(exc))
        if self.pool is not None and not self.pool.admit():
            return refused(503, "busy: try again in a moment", Retry_After="1")
        # Bolt's own headers are not taken from outside
        passed: dict[str, str | Sequence[str]] = {
            k: v for k, v in headers.items() if not k.startswith("x-slack-bolt-")
        }
        bolt_req = BoltRequest(body="", query=query, headers=passed)
        bolt_req.raw_body, bolt_req.body = text, body  # Bolt checks the signature on raw_body
        bolt_req.context = build_context(BoltContext({}), body)
        answer = self.app.dispatch(bolt_req)
        meta = {
            "team_id": bolt_req.context.team_id or "",
            "kind": classify(body).label,
            "retry": headers.get("x-slack-retry-num", ""),
        }
        return self._bolt(answer, meta)

    @staticmethod
    def _bolt(resp: BoltResponse, meta: dict[str, Any]) -> Answer:
        hdrs = [
            (k, v)
            for k, values in resp.headers.items()
            for v in values
            if k.lower() != "content-length"
        ]
        body = resp.body.encode() if isinstance(resp.body, str) else resp.body
        return resp.status, hdrs, body, meta


def build_wsgi(app: App, services: Services) -> WsgiApp:
    """The WSGI app with the HTTP routes the features added to the app's wiring."""
    wiring = wiring_of(app)
    routes = wiring.routes if wiring is not None else {}
    return WsgiApp(
        app,
        services,
        {key: route for key, (route, _) in routes.items()},
        {path: limit for (_, path), (_, limit) in routes.items()},
    )
