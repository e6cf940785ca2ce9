"""HTTP: /slack/events (Bolt), /healthz, OAuth routes and feature routes, served by waitress."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import waitress
from slack_bolt import App, BoltRequest, BoltResponse
from waitress import wasyncore

from bot.logs import request_outcome, request_scope
from bot.services import Services
from bot.slack.app import wiring_of
from bot.slack.kinds import classify
from bot.slack.routes import HttpRequest, Route
from storage.db import ping

log = logging.getLogger("bot.http")

SLACK_PATH = "/slack/events"
MAX_SLACK_BODY = 1024 * 1024


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
    503: "Service Unavailable",
}


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
                status, headers, body, meta = self._handle(environ)
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
        level = logging.WARNING if status >= 500 else logging.INFO
        log.log(level, "%s %s %s", method, path, status, extra=fields)

    def _read_body(self, environ: dict[str, Any], limit: int) -> bytes | None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return None
        stream = environ["wsgi.input"]
        if length:
            return bytes(stream.read(length))
        data = stream.read(limit + 1)
        return None if len(data) > limit else bytes(data)

    def _handle(
        self, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes, dict[str, Any]]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            ok = ping(self.services.engine)
            body = json.dumps(
                {"status": "ok"}
                if ok
                else {"status": "unavailable", "reason": "database not answering"}
            )
            return (200 if ok else 503), [("Content-Type", "application/json")], body.encode(), {}
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        route = self.routes.get((method, path))
        if route is not None:
            raw = self._read_body(environ, self.route_limits.get(path, MAX_SLACK_BODY))
            if raw is None:
                return (
                    413,
                    [("Content-Type", "application/json")],
                    json.dumps({"error": "body too large"}).encode(),
                    {},
                )
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
                return 405, [("Allow", "POST")], b"", {}
            raw = self._read_body(environ, MAX_SLACK_BODY)
            if raw is None:
                return 413, [], b"", {}
            bolt_req = BoltRequest(
                body=raw.decode("utf-8", "replace"), query=query, headers=headers
            )
            answer = self.app.dispatch(bolt_req)
            meta = {
                "team_id": bolt_req.context.team_id or "",
                "kind": classify(bolt_req.body).label,
                "retry": headers.get("x-slack-retry-num", ""),
            }
            return self._bolt(answer, meta)
        return 404, [("Content-Type", "text/plain")], b"Not Found", {}

    @staticmethod
    def _bolt(
        resp: BoltResponse, meta: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes, dict[str, Any]]:
        hdrs = [
            (k, v)
            for k, values in resp.headers.items()
            for v in values
            if k.lower() != "content-length"
        ]
        body = resp.body.encode() if isinstance(resp.body, str) else resp.body
        return resp.status, hdrs, body, meta


class AppServer:
    """A waitress server that can run in the foreground or a thread and drains on shutdown."""

    def __init__(
        self, wsgi: WsgiApp, host: str = "0.0.0.0", port: int = 3000, threads: int = 8
    ) -> None:
        self.wsgi = wsgi
        self.server: Any = waitress.create_server(
            wsgi,
            host=host,
            port=port,
            threads=threads,
            ident="rolesplit",
            clear_untrusted_proxy_headers=True,
            channel_timeout=30,
        )
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        """The bound port (useful with port 0)."""
        return int(self.server.effective_port)

    @property
    def url(self) -> str:
        """Base URL on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def serve_forever(self) -> None:
        """Run the server loop in this thread until shutdown()."""
        self.server.run()
        self._stopped.set()

    def start(self) -> AppServer:
        """Serve from a daemon thread (tests, benchmarks)."""
        self._thread = threading.Thread(target=self.serve_forever, name="http", daemon=True)
        self._thread.start()
        return self

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop accepting, let in-flight requests and post-ack work finish, then close."""
        deadline = time.monotonic() + timeout
        self.server.accepting = False
        self.server.trigger.pull_trigger(self._close_listener)
        while self.wsgi.inflight and time.monotonic() < deadline:
            time.sleep(0.02)
        self.wsgi.app.listener_runner.listener_executor.shutdown(wait=True)
        time.sleep(0.05)  # let the last responses flush
        self.server.task_dispatcher.shutdown(
            cancel_pending=False, timeout=max(0.1, deadline - time.monotonic())
        )
        self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        if self._thread is not None:
            self._thread.join(timeout=5)
        else:
            self._stopped.wait(timeout=5)

    def _close_listener(self) -> None:
        self.server.del_channel()
        self.server.socket.close()


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
