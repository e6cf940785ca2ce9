"""A fake Slack Web API on an ephemeral loopback port, checked against Slack's method reference."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

# Slack's reference files, vendored in the repository (tests/data/slack/README.md)
REF_DIR = Path(__file__).resolve().parents[1] / "data" / "slack"
_METHODS: dict[str, Any] | None = None
CHANNEL_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
BLOCK_ARGS = ("blocks",)
MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral")
VIEW_METHODS = ("views.open", "views.publish", "views.update", "views.push")


def methods_reference() -> dict[str, Any]:
    """Slack's Web API method reference (required arguments, tiers, errors)."""
    global _METHODS
    if _METHODS is None:
        _METHODS = json.loads((REF_DIR / "web-api-methods.json").read_text())
    return _METHODS


@dataclass
class Call:
    """One recorded Web API call."""

    method: str
    args: dict[str, Any]
    token: str | None
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    def json(self, name: str) -> Any:
        """An argument that arrives JSON-encoded in form posts (blocks, view, files)."""
        value = self.args.get(name)
        return json.loads(value) if isinstance(value, str) else value

    @property
    def text(self) -> str:
        """The message text plus every text in its blocks, for assertions."""
        parts = [str(self.args.get("text") or "")]
        blocks = self.json("blocks") or []
        view = self.json("view")
        if isinstance(view, dict):
            blocks = list(blocks) + list(view.get("blocks") or [])
        parts.append(json.dumps(blocks, ensure_ascii=False))
        return "\n".join(parts)


@dataclass
class _Rule:
    method: str
    kind: str  # error | ratelimit | status
    value: Any
    times: int | None
    when: Callable[[dict[str, Any]], bool] | None
    extra: dict[str, Any] | None = None  # more fields of the error answer (e.g. `needed`)


class FakeSlack:
    """Records every call, answers like Slack, and fails on demand."""

    def __init__(
        self,
        bot_token: str = "xoxb-test",
        team_id: str = "T0001",
        team_name: str = "Acme Staffing",
        bot_user_id: str = "UBOT",
    ) -> None:
        self.bot_token, self.team_id, self.team_name = bot_token, team_id, team_name
        self.bot_user_id = bot_user_id
        self.tokens: dict[str, str] = {bot_token: team_id}
        self._calls: list[Call] = []
        self._cond = threading.Condition()
        self._rules: list[_Rule] = []
        self._delays: dict[str, float] = {}
        self._limits: dict[str, tuple[int | None, int | None, int | None]] = {}
        self._windows: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self.rate_limited_count: dict[str, int] = defaultdict(int)
        self.contract_violations: list[str] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.members: dict[str, set[str]] = defaultdict(set)
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self._upload_meta: dict[str, dict[str, Any]] = {}
        self.shared_files: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        # OAuth: the app's credentials (checked when set), refresh tokens -> team, and how long
        # a refreshed rotating token lives
        self.oauth_client: tuple[str, str] | None = None
        self.refresh_tokens: dict[str, str] = {}
        self.refreshed_expires_in = 43_200
        self._counter = 0
        self._ts = 1_700_000_000
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeSlack:
        """Serve on 127.0.0.1:<ephemeral> from a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                return

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="fake-slack"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and join its thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>."""
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """What SLACK_API_URL is set to."""
        return self.base + "/api/"

    # ------------------------------------------------------------------ setup helpers
    def add_token(self, token: str, team_id: str) -> None:
        """Accept another bot token (another workspace)."""
        self.tokens[token] = team_id

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        tz: str = "America/New_York",
        is_admin: bool = False,
        is_owner: bool = False,
        email: str | None = None,
        deleted: bool = False,
        is_bot: bool = False,
        team_id: str | None = None,
    ) -> None:
        """Register a workspace member for users.info / users.lookupByEmail."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name or user_id.lower(),
            "real_name": (name or user_id).title(),
            "deleted": deleted,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_bot": is_bot,
            "profile": {
                "email": email,
                "real_name": (name or user_id).title(),
                "display_name": name or user_id.lower(),
                "status_emoji": "",
                "status_text": "",
                "status_expiration": 0,
            },
        }

    def set_status(
        self, user_id: str, emoji: str = "", text: str = "", expiration: int = 0
    ) -> None:
        """Set a user's Slack status (profile.status_emoji / status_text / status_expiration)."""
        self.users[user_id]["profile"].update(
            status_emoji=emoji, status_text=text, status_expiration=expiration
        )

    def set_user_tz(self, user_id: str, tz: str) -> None:
        """Move a user to another time zone."""
        self.users[user_id]["tz"] = tz

    def add_channel(self, name: str, id: str | None = None, is_private: bool = False) -> str:
        """Pre-seed a channel (e.g. to make a name taken)."""
        cid = id or self._next("C")
        self.channels[cid] = {
            "id": cid,
            "name": name,
            "is_channel": True,
            "is_private": is_private,
            "created": int(time.time()),
        }
        return cid

    def set_oauth_response(
        self,
        code: str,
        team_id: str,
        team_name: str,
        user_id: str,
        bot_token: str | None = None,
        refresh_token: str | None = None,
        expires_in: int | None = None,
    ) -> None:
        """What oauth.v2.access answers for a code (a rotating token with refresh_token)."""
        self.oauth_codes[code] = {
            "team_id": team_id,
            "team_name": team_name,
            "user_id": user_id,
            "bot_token": bot_token or f"xoxb-{team_id}",
            "refresh_token": refresh_token,
            "expires_in": expires_in,
        }

    # ------------------------------------------------------------------ failure injection
    def fail_next(
        self,
        method: str,
        error: str = "user_not_found",
        times: int = 1,
        when: Callable[[dict[str, Any]], bool] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """The next matching call(s) answer ok:false with this error (and `extra` fields)."""
        self._rules.append(_Rule(method, "error", error, times, when, extra))

    def fail_always(
        self, method: str, error: str, when: Callable[[dict[str, Any]], bool] | None = None
    ) -> None:
        """Every matching call answers this error until clear_failures()."""
        self._rules.append(_Rule(method, "error", error, None, when))

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """HTTP 429 with an integer Retry-After."""
        self._rules.append(_Rule(method, "ratelimit", int(retry_after), times, None))

    def server_error_next(self, method: str, status: int = 500, times: int = 1) -> None:
        """An HTTP 5xx."""
        self._rules.append(_Rule(method, "status", status, times, None))

    def set_delay(self, method: str, seconds: float) -> None:
        """Answer this method slowly."""
        self._delays[method] = seconds

    def clear_failures(self) -> None:
        """Forget every failure rule and delay."""
        self._rules.clear()
        self._delays.clear()
        self._limits.clear()

    def set_rate_limit(
        self,
        method: str,
        per_channel_per_second: int | None = None,
        per_workspace_per_minute: int | None = None,
        per_workspace_per_second: int | None = None,
    ) -> None:
        """Enforce Slack-like limits (sliding windows) with 429s."""
        self._limits[method] = (
            per_channel_per_second,
            per_workspace_per_minute,
            per_workspace_per_second,
        )

    # ------------------------------------------------------------------ inspection
    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls, optionally of one method."""
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait (bounded) until `count` matching calls were recorded; return them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c
                    for c in self._calls
                    if c.method == method and (predicate is None or predicate(c))
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(
                        f"expected {count} {method} call(s), got {len(found)}; recorded: {seen}"
                    )
                self._cond.wait(left)

    def response_url(self, id: str | None = None) -> str:
        """A response_url that records what the app posts to it."""
        return f"{self.base}/respond/{id or self._next('R')}"

    def wait_for_response(
        self,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Wait (bounded) for posts to response_urls; return their JSON bodies."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    r["body"] for r in self.responses if predicate is None or predicate(r["body"])
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} response_url post(s), got {len(found)}: {found}"
                    )
                self._cond.wait(left)

    def stats(self) -> dict[str, Any]:
        """Calls per method, distinct channels per method, and 429s (for benchmarks)."""
        with self._cond:
            calls: dict[str, int] = defaultdict(int)
            channels: dict[str, set[str]] = defaultdict(set)
            for c in self._calls:
                calls[c.method] += 1
                if "channel" in c.args:
                    channels[c.method].add(str(c.args["channel"]))
        return {
            "calls": dict(calls),
            "channels": {k: len(v) for k, v in channels.items()},
            "rate_limited": dict(self.rate_limited_count),
        }

    def reset(self) -> None:
        """Forget recorded calls and responses."""
        with self._cond:
            self._calls.clear()
            self.responses.clear()
            self.contract_violations.clear()

    # ------------------------------------------------------------------ HTTP
    def _next(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{prefix}{self._counter:04d}"

    def _next_ts(self) -> str:
        with self._lock:
            self._ts += 1
            return f"{self._ts}.000100"

    def _handle(self, req: BaseHTTPRequestHandler, verb: str) -> None:
        parsed = urlparse(req.path)
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        if parsed.path.startswith("/upload/"):
            self.uploads[parsed.path.rsplit("/", 1)[1]] = _multipart_or_raw(raw, req.headers)
            return _send(req, 200, "OK - " + str(len(raw)), "text/plain")
        if parsed.path.startswith("/respond/"):
            body = json.loads(raw or b"{}")
            with self._cond:
                self.responses.append({"id": parsed.path.rsplit("/", 1)[1], "body": body})
                self._cond.notify_all()
            return _send(req, 200, "ok", "text/plain")
        if parsed.path == "/_stats":
            return _send(req, 200, self.stats())
        if not parsed.path.startswith("/api/"):
            return _send(req, 404, {"ok": False, "error": "not_found"})
        method = parsed.path[len("/api/") :]
        args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        ctype = req.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            args.update(json.loads(raw))
        elif raw:
            args.update(
                {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            )
        auth = req.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else args.get("token")
        call = Call(method, args, token, {k.lower(): v for k, v in req.headers.items()})
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
        if auth.startswith("Basic "):  # oauth.v2.access: client_id:client_secret
            args = {**args, "_client_auth": base64.b64decode(auth[6:]).decode()}
        if method in self._delays:
            time.sleep(self._delays[method])
        status, body, headers = self._answer(method, args, token)
        _send(req, status, body, headers=headers)

    def _answer(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        ref = methods_reference()
        if method not in ref:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if method != "oauth.v2.access":
            missing = [
                a
                for a in ref[method].get("required", [])
                if a != "token" and args.get(a) in (None, "")
            ]
            if missing:
                msg = f"{method}: missing required field: {missing[0]}"
                self.contract_violations.append(msg)
                return (
                    200,
                    {
                        "ok": False,
                        "error": "invalid_arguments",
                        "response_metadata": {"messages": [f"[ERROR] {msg}"]},
                    },
                    {},
                )
            if token not in self.tokens:
                return (
                    200,
                    {"ok": False, "error": "not_authed" if not token else "invalid_auth"},
                    {},
                )
        for rule in list(self._rules):
            if rule.method != method or (rule.when is not None and not rule.when(args)):
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
            if rule.kind == "ratelimit":
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(rule.value)}
            if rule.kind == "status":
                return int(rule.value), {"ok": False, "error": "fatal_error"}, {}
            return 200, {"ok": False, "error": rule.value, **(rule.extra or {})}, {}
        limited = self._over_limit(method, args)
        if limited:
            self.rate_limited_count[method] += 1
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(limited)}
        problem = self._check_blocks(method, args)
        if problem:
            self.contract_violations.append(f"{method}: {problem}")
            error = "invalid_arguments" if method in VIEW_METHODS else "invalid_blocks"
            return 200, {"ok": False, "error": error, "detail": problem}, {}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        team = self.tokens.get(token or "", self.team_id)
        result = handler(args, team) if handler else {"ok": True}
        return 200, result, {}

    def _over_limit(self, method: str, args: dict[str, Any]) -> int:
        limits = self._limits.get(method)
        if not limits:
            return 0
        per_channel, per_minute, per_second = limits
        now = time.monotonic()
        with self._lock:
            checks = []
            if per_channel:
                checks.append((("ch", str(args.get("channel"))), 1.0, per_channel))
            if per_minute:
                checks.append((("ws", method), 60.0, per_minute))
            if per_second:
                checks.append((("ws1", method), 1.0, per_second))
            for key, window, cap in checks:
                q = self._windows[key]
                while q and q[0] <= now - window:
                    q.popleft()
                if len(q) >= cap:
                    return max(1, int(q[0] + window - now + 0.999))
            for key, _window, _cap in checks:
                self._windows[key].append(now)
        return 0

    def _check_blocks(self, method: str, args: dict[str, Any]) -> str | None:
        if method in MESSAGE_METHODS:
            blocks = _decode(args.get("blocks")) or []
            if (
                method == "chat.postMessage"
                and not blocks
                and not args.get("text")
                and not args.get("attachments")
            ):
                return "no_text"
            if len(blocks) > 50:
                return f"{len(blocks)} blocks in a message (max 50)"
            return _check_block_list(blocks)
        if method in VIEW_METHODS:
            view = _decode(args.get("view")) or {}
            blocks = view.get("blocks") or []
            if len(blocks) > 100:
                return f"{len(blocks)} blocks in a view (max 100)"
            title = (view.get("title") or {}).get("text", "")
            if len(title) > 24:
                return f"view title {len(title)} characters (max 24)"
            if len(view.get("private_metadata") or "") > 3000:
                return "private_metadata over 3000 characters"
            for key in ("submit", "close"):
                if len((view.get(key) or {}).get("text", "")) > 24:
                    return f"view {key} text over 24 characters"
            return _check_block_list(blocks)
        return None

    # ------------------------------------------------------------------ methods
    def _user(self, user_id: str) -> dict[str, Any] | None:
        user = self.users.get(user_id)
        if user is None:
            return None
        user = dict(json.loads(json.dumps(user)))  # a deep copy
        offset = int(datetime.now(ZoneInfo(user["tz"])).utcoffset().total_seconds())  # type: ignore[union-attr]
        user.update(tz_label=user["tz"], tz_offset=offset)
        return user

    def _m_auth_test(self, _a: dict[str, Any], team: str) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://acme.slack.com/",
            "team": self.team_name,
            "user": "rolesplit",
            "team_id": team,
            "user_id": self.bot_user_id,
            "bot_id": "B0001",
            "is_enterprise_install": False,
        }

    def _m_users_info(self, a: dict[str, Any], team: str) -> dict[str, Any]:
        user = self._user(a["user"])
        if user is None or user["team_id"] != team:  # a token sees its own workspace only
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _m_users_list(self, a: dict[str, Any], team: str) -> dict[str, Any]:
        ids = sorted(uid for uid, u in self.users.items() if u["team_id"] == team)
        start = int(a.get("cursor") or 0)
        limit = int(a.get("limit") or 0) or len(ids) or 1
        nxt = str(start + limit) if start + limit < len(ids) else ""
        members = [self._user(uid) for uid in ids[start : start + limit]]
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": nxt}}

    def _m_users_lookupByEmail(self, a: dict[str, Any], team: str) -> dict[str, Any]:
        for uid, u in self.users.items():
            if u["team_id"] != team:
                continue
            if (u["profile"].get("email") or "").lower() == a["email"].lower():
                return {"ok": True, "user": self._user(uid)}
        return {"ok": False, "error": "users_not_found"}

    def _m_conversations_open(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        users = str(a.get("users") or "").split(",")
        return {"ok": True, "channel": {"id": "D" + users[0].strip()}}

    def _dm(self, channel: str) -> str:
        return "D" + channel if channel.startswith(("U", "W")) else channel

    def _m_chat_postMessage(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        channel = self._dm(a["channel"])
        ts = self._next_ts()
        msg = {
            "type": "message",
            "text": a.get("text") or "",
            "blocks": _decode(a.get("blocks")),
            "ts": ts,
            "thread_ts": a.get("thread_ts"),
            "bot_id": "B0001",
            "user": self.bot_user_id,
        }
        self.messages[(channel, ts)] = msg
        return {"ok": True, "channel": channel, "ts": ts, "message": msg}

    def _m_chat_update(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        key = (a["channel"], a["ts"])
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key].update(
            text=a.get("text") or self.messages[key]["text"], blocks=_decode(a.get("blocks"))
        )
        return {"ok": True, "channel": a["channel"], "ts": a["ts"], "text": a.get("text") or ""}

    def _m_chat_postEphemeral(self, _a: dict[str, Any], _t: str) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_delete(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        self.messages.pop((a["channel"], a["ts"]), None)
        return {"ok": True, "channel": a["channel"], "ts": a["ts"]}

    def _m_chat_getPermalink(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        return {
            "ok": True,
            "channel": a["channel"],
            "permalink": f"https://acme.slack.com/archives/{a['channel']}/p{a['message_ts']}",
        }

    def _m_conversations_create(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        name = str(a.get("name") or "")
        if not name:
            return {"ok": False, "error": "invalid_name_required"}
        if len(name) > 80:
            return {"ok": False, "error": "invalid_name_maxlength"}
        if not set(name) <= CHANNEL_CHARS:
            return {"ok": False, "error": "invalid_name_specials"}
        if any(c["name"] == name for c in self.channels.values()):
            return {"ok": False, "error": "name_taken"}
        private = str(a.get("is_private")).lower() in ("true", "1")
        cid = self.add_channel(name, is_private=private)
        self.members[cid].add(self.bot_user_id)
        return {"ok": True, "channel": self.channels[cid]}

    def _m_conversations_invite(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        cid = a["channel"]
        if cid not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        for uid in (u.strip() for u in str(a["users"]).split(",") if u.strip()):
            if uid == self.bot_user_id:
                return {"ok": False, "error": "cant_invite_self"}
            user = self.users.get(uid)
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            if user["deleted"]:
                return {"ok": False, "error": "user_is_inactive"}
            if uid in self.members[cid]:
                return {"ok": False, "error": "already_in_channel"}
            self.members[cid].add(uid)
        return {"ok": True, "channel": self.channels[cid]}

    def _m_conversations_join(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        if a["channel"] not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        self.members[a["channel"]].add(self.bot_user_id)
        return {"ok": True, "channel": self.channels[a["channel"]]}

    def _m_conversations_info(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        ch = self.channels.get(a["channel"])
        return {"ok": True, "channel": ch} if ch else {"ok": False, "error": "channel_not_found"}

    def _m_conversations_members(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        return {
            "ok": True,
            "members": sorted(self.members.get(a["channel"], set())),
            "response_metadata": {"next_cursor": ""},
        }

    def _view(self, a: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view = dict(_decode(a.get("view")) or {})
        view.update(id=view_id or self._next("V"), hash=self._next("h"), team_id=self.team_id)
        self.views[view["id"]] = view
        return view

    def _m_views_open(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        return {"ok": True, "view": self._view(a)}

    def _m_views_push(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        return {"ok": True, "view": self._view(a)}

    def _m_views_update(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        vid = a.get("view_id")
        if not vid and a.get("external_id"):
            vid = next(
                (k for k, v in self.views.items() if v.get("external_id") == a["external_id"]), None
            )
        if not vid or vid not in self.views:
            return {"ok": False, "error": "not_found"}
        return {"ok": True, "view": self._view(a, vid)}

    def _m_views_publish(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        view = self._view(a)
        self.home_views[a["user_id"]] = view
        return {"ok": True, "view": view}

    def _m_files_getUploadURLExternal(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        fid = self._next("F")
        self._upload_meta[fid] = {"filename": a.get("filename"), "length": a.get("length")}
        return {"ok": True, "upload_url": f"{self.base}/upload/{fid}", "file_id": fid}

    def _m_files_completeUploadExternal(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        files = _decode(a.get("files")) or []
        channel = a.get("channel_id") or a.get("channels")
        out = []
        for f in files:
            if f["id"] not in self._upload_meta:
                return {"ok": False, "error": "file_not_found"}
            meta = self._upload_meta[f["id"]]
            self.shared_files.append(
                {
                    "file_id": f["id"],
                    "channel": channel,
                    "title": f.get("title"),
                    "filename": meta["filename"],
                    "content": self.uploads.get(f["id"], b""),
                    "initial_comment": a.get("initial_comment"),
                    "thread_ts": a.get("thread_ts"),
                }
            )
            out.append({"id": f["id"], "title": f.get("title"), "name": meta["filename"]})
        return {"ok": True, "files": out}

    def _m_team_info(self, _a: dict[str, Any], team: str) -> dict[str, Any]:
        return {"ok": True, "team": {"id": team, "name": self.team_name, "domain": "acme"}}

    def _m_oauth_v2_access(self, a: dict[str, Any], _t: str) -> dict[str, Any]:
        client_id, _, secret = str(a.get("_client_auth") or "").partition(":")
        client_id = client_id or str(a.get("client_id") or "")
        secret = secret or str(a.get("client_secret") or "")
        if self.oauth_client is not None and client_id != self.oauth_client[0]:
            return {"ok": False, "error": "invalid_client_id"}
        if self.oauth_client is not None and secret != self.oauth_client[1]:
            return {"ok": False, "error": "bad_client_secret"}
        if a.get("grant_type") == "refresh_token":
            return self._refresh(str(a.get("refresh_token") or ""))
        info = self.oauth_codes.pop(str(a.get("code")), None)  # a code works once
        if info is None:
            return {"ok": False, "error": "invalid_code"}
        self.tokens[info["bot_token"]] = info["team_id"]
        answer = {
            "ok": True,
            "app_id": "A0001",
            "authed_user": {"id": info["user_id"]},
            "scope": "chat:write,commands,users:read",
            "token_type": "bot",
            "access_token": info["bot_token"],
            "bot_user_id": self.bot_user_id,
            "team": {"id": info["team_id"], "name": info["team_name"]},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if info.get("refresh_token"):
            self.refresh_tokens[info["refresh_token"]] = info["team_id"]
            answer.update(refresh_token=info["refresh_token"], expires_in=info["expires_in"])
        return answer

    def _refresh(self, refresh_token: str) -> dict[str, Any]:
        """grant_type=refresh_token: a new rotating bot token (and refresh token)."""
        team = self.refresh_tokens.get(refresh_token)
        if team is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        n = self._next("")
        token, fresh = f"xoxe.xoxb-{team}-r{n}", f"xoxe-1-{team}-r{n}"
        self.tokens[token] = team
        self.refresh_tokens[fresh] = team
        return {
            "ok": True,
            "app_id": "A0001",
            "scope": "chat:write,commands,users:read",
            "token_type": "bot",
            "access_token": token,
            "refresh_token": fresh,
            "expires_in": self.refreshed_expires_in,
            "bot_user_id": self.bot_user_id,
            "team": {"id": team, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def revoke(self, team_id: str) -> None:
        """Slack forgets every token of a workspace (the app was uninstalled there)."""
        for token, team in list(self.tokens.items()):
            if team == team_id:
                del self.tokens[token]


def _decode(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _check_block_list(blocks: list[dict[str, Any]]) -> str | None:
    for block in blocks:
        text = (
            (block.get("text") or {}).get("text", "") if isinstance(block.get("text"), dict) else ""
        )
        if block.get("type") == "section" and len(text) > 3000:
            return f"section text {len(text)} characters (max 3000)"
        if block.get("type") == "header" and len(text) > 150:
            return "header text over 150 characters"
        for field_ in block.get("fields") or []:
            if len(field_.get("text", "")) > 2000:
                return "section field over 2000 characters"
        elements = list(block.get("elements") or [])
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for el in elements:
            if el.get("type") == "button" and len((el.get("text") or {}).get("text", "")) > 75:
                return "button text over 75 characters"
            if el.get("type") == "button" and len(el.get("value") or "") > 2000:
                return "button value over 2000 characters"
    return None


def _multipart_or_raw(raw: bytes, headers: Any) -> bytes:
    ctype = headers.get("Content-Type", "")
    if "multipart/form-data" not in ctype or "boundary=" not in ctype:
        return raw
    boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
    for part in raw.split(b"--" + boundary):
        if b"\r\n\r\n" in part and b"filename=" in part.split(b"\r\n\r\n", 1)[0]:
            return part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n-")
    return raw


def _send(
    req: BaseHTTPRequestHandler,
    status: int,
    body: Any,
    ctype: str = "application/json",
    headers: dict[str, str] | None = None,
) -> None:
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    req.send_response(status)
    req.send_header("Content-Type", ctype if isinstance(body, str) else "application/json")
    req.send_header("Content-Length", str(len(data)))
    for k, v in (headers or {}).items():
        req.send_header(k, v)
    req.end_headers()
    req.wfile.write(data)
