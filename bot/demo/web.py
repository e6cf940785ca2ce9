"""One WSGI app on the demo's port: the page and its JSON, the simulated Slack (Web API, upload
and response URLs, files), and everything else handed to the real rolesplit app."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from bot.demo.host import DemoHost as Demo

log = logging.getLogger("bot.demo")
StartResponse = Callable[..., Any]


Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
MAX_BODY = 8 * 1024 * 1024
STATIC = {"demo.js": "text/javascript", "demo.css": "text/css", "index.html": "text/html"}
PLAIN_FILES = ("text/csv", "application/json", "text/plain")
TRAFFIC = ("/api/", "/slack/", "/upload/", "/respond/", "/webhooks/")


def _send(
    start: StartResponse,
    status: int,
    body: bytes,
    ctype: str,
    extra: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}
    headers = [("Content-Type", ctype), ("Content-Length", str(len(body)))]
    headers += [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), *extra]
    start(f"{status} {reason.get(status, 'OK')}", headers)
    return [body]


def _json(start: StartResponse, data: Any, status: int = 200) -> list[bytes]:
    return _send(start, status, json.dumps(data).encode(), "application/json")


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return bytes(environ["wsgi.input"].read(min(length, MAX_BODY))) if length else b""


def api_args(environ: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], str | None]:
    """A Web API call's arguments (query, form or JSON) and its token."""
    args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    ctype = environ.get("CONTENT_TYPE", "")
    if raw and "json" in ctype:
        data = json.loads(raw)
        if isinstance(data, dict):
            args.update(data)
    elif raw:
        form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        args.update({k: v[-1] for k, v in form.items()})
    auth = environ.get("HTTP_AUTHORIZATION", "")
    token = auth[7:] if auth.startswith("Bearer ") else args.pop("token", None)
    return args, token


class Site:
    """Routes every request on the demo's port."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.app: Wsgi | None = None  # the rolesplit app, attached once built
        self.inflight = 0  # requests between Slack and the app right now
        self.last = time.monotonic()
        self._lock = threading.Lock()

    def settle(self, quiet: float = 0.25, timeout: float = 30.0) -> bool:
        """Wait (bounded) until Slack and the app have been quiet for a moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = self.inflight == 0 and time.monotonic() - self.last >= quiet
            if idle:
                return True
            time.sleep(0.05)
        return False

    def __call__(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if not path.startswith(TRAFFIC):
            return self._route(environ, start, path)
        with self._lock:
            self.inflight += 1
        try:
            return self._route(environ, start, path)
        finally:
            with self._lock:
                self.inflight -= 1
                self.last = time.monotonic()

    def _route(self, environ: dict[str, Any], start: StartResponse, path: str) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path.startswith("/api/"):
                return self._api(environ, start, path[5:])
            if path.startswith("/upload/") and method == "POST":
                ok = self.demo.api.upload(path[8:], _body(environ))
                return _send(start, 200 if ok else 404, b"OK" if ok else b"", "text/plain")
            if path.startswith("/respond/") and method == "POST":
                answer = self.demo.api.respond(path[9:], json.loads(_body(environ) or b"{}"))
                self.demo.ws.touch()
                return _json(start, answer, 200 if answer.get("ok") else 404)
            if path.startswith("/files/"):
                return self._file(start, path[7:])
            if path in ("/", "/index.html"):
                return self._static(start, "index.html")
            if path.startswith("/static/"):
                return self._static(start, path[8:])
            if path.startswith("/demo/"):
                return self._demo(environ, start, path[6:], method)
        except (ValueError, KeyError) as err:
            return _json(start, {"ok": False, "error": f"bad request: {err}"}, 400)
        if self.app is None:
            return _send(start, 503, b"starting", "text/plain")
        return self.app(environ, start)

    def _api(self, environ: dict[str, Any], start: StartResponse, method: str) -> list[bytes]:
        args, token = api_args(environ, _body(environ))
        answer = self.demo.api.call(method, args, token)
        self.demo.note(f"app → Slack  {method}  {'ok' if answer.get('ok') else answer['error']}")
        return _json(start, answer)

    def _file(self, start: StartResponse, file_id: str) -> list[bytes]:
        stored = self.demo.ws.files.get(file_id)
        if stored is None:
            return _send(start, 404, b"no such file", "text/plain")
        # text files open as text in the browser; nothing uploaded is ever run as a page
        ctype = stored.mimetype
        if ctype in PLAIN_FILES:
            ctype = "text/plain; charset=utf-8"
        elif not stored.is_image:
            ctype = "application/octet-stream"
        disposition = f'inline; filename="{stored.name.replace(chr(34), "")}"'
        return _send(start, 200, stored.content, ctype, (("Content-Disposition", disposition),))

    def _static(self, start: StartResponse, name: str) -> list[bytes]:
        if name not in STATIC:
            return _send(start, 404, b"Not Found", "text/plain")
        data = resources.files("bot.demo").joinpath("static", name).read_bytes()
        return _send(start, 200, data, STATIC[name] + "; charset=utf-8")

    def _demo(
        self, environ: dict[str, Any], start: StartResponse, what: str, method: str
    ) -> list[bytes]:
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if what == "render":
            return _json(start, self.demo.render(query))
        if what == "wait":
            return _json(start, {"version": self.demo.ws.wait(int(query.get("v") or 0), 20.0)})
        if what == "action" and method == "POST":
            data = json.loads(_body(environ) or b"{}")
            if not isinstance(data, dict):
                raise ValueError("an object is expected")
            return _json(start, self.demo.act(data))
        return _send(start, 404, b"Not Found", "text/plain")
