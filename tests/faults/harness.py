"""The fault harness: rolesplit as real processes, a fake Slack that fails on demand, and what
was stored (read with SQL) and delivered (the fake Slack's records).

Everything goes through the app's outside — signed requests to /slack/events, `python -m bot
run` and `python -m bot tick` as subprocesses, the database's tables, the Web API calls the
fake recorded — so the tests survive any restructuring inside. Only seeding uses the storage
layer (migrations, the workspace with its default categories, roster rows), as the benches do.
Every wait is bounded and every process is killed at the end.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text

from storage import migrate, repo
from storage.db import make_engine, make_sessionmaker
from storage.models import Member
from tests.fakes import FakeSlack
from tests.faults.procs import TOKEN
from tests.faults.signed import TEAM, Answer, Prepared, post

ALL_DAYS = "mon,tue,wed,thu,fri,sat,sun"
# Web API calls a kill -9 may catch between "about to send" and Slack having it: these alone
# may be lost (SPEC: only a call in flight at the moment of a crash). A call reaches the fake
# Slack within a millisecond or two of being started, and sends are spaced out, so at most a
# couple are on the wire at once.
IN_FLIGHT_MAX = 2


# ---------------------------------------------------------------- Slack, failing on demand


class FaultySlack(FakeSlack):
    """The fake Slack Web API that also fails a share of a method's calls, until `recover`."""

    def __init__(self) -> None:
        super().__init__(bot_token=TOKEN, team_id=TEAM)
        self._faults: dict[str, tuple[str, float, str]] = {}
        self._rng = random.Random(13)
        self._fault_lock = threading.Lock()
        self.injected: Counter[str] = Counter()
        self.posted_at: list[float] = []  # when each chat.postMessage succeeded (monotonic)

    def outage(self, method: str, share: float = 1.0) -> None:
        """From now on answer HTTP 500 to `share` of the method's calls."""
        with self._fault_lock:
            self._faults[method] = ("http_500", share, "")

    def refuse(self, method: str, error: str, needed: str = "") -> None:
        """Answer every call with a permanent error (`missing_scope` names the `needed` scope)."""
        with self._fault_lock:
            self._faults[method] = (error, 1.0, needed)

    def recover(self, method: str | None = None) -> None:
        """Slack answers normally again (one method, or all)."""
        with self._fault_lock:
            if method is None:
                self._faults.clear()
            else:
                self._faults.pop(method, None)

    def _answer(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._fault_lock:
            fault = self._faults.get(method)
            hit = fault is not None and self._rng.random() < fault[1]
            if hit:
                self.injected[method] += 1
        if fault is None or not hit:
            answer = super()._answer(method, args, token)
            if method == "chat.postMessage" and answer[1].get("ok"):
                self.posted_at.append(time.monotonic())
            return answer
        kind, _share, needed = fault
        if kind == "http_500":
            return 500, {"ok": False, "error": "fatal_error"}, {}
        body: dict[str, Any] = {"ok": False, "error": kind}
        if needed:  # what Slack says with missing_scope
            body.update(needed=needed, provided="chat:write,commands,users:read,im:write")
        return 200, body, {}

    def dm(self, user: str) -> list[str]:
        """Every message the app got into this person's DM (text and blocks), oldest first."""
        channel = "D" + user
        found = sorted((ts, m) for (ch, ts), m in list(self.messages.items()) if ch == channel)
        return [f"{m.get('text') or ''}\n{json.dumps(m.get('blocks') or [])}" for _, m in found]

    def dm_counts(self) -> Counter[str]:
        """Messages delivered per person (DM channel `D<user>`)."""
        return Counter(ch[1:] for ch, _ts in list(self.messages) if ch.startswith("D"))


# ---------------------------------------------------------------- the database


def rep_ids(n: int, prefix: str = "U") -> list[str]:
    """`U00000`, `U00001`, …"""
    return [f"{prefix}{i:05d}" for i in range(n)]


def seed(
    url: str,
    reps: Sequence[str],
    *,
    paused: bool = True,
    prompt_time: str | None = None,
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Migrate, create the workspace (default categories) and put the reps on the roster.

    Paused reps get no evening prompt from a scheduler pass, so every DM they get is an answer
    to what they entered.
    """
    now = now or datetime.now(UTC)
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with make_sessionmaker(engine).begin() as s:
            ws = repo.ensure_workspace(s, TEAM)
            if settings:
                ws.settings = dict(settings)
            rows = [
                {
                    "workspace_id": ws.id,
                    "user_id": uid,
                    "role": "hybrid",
                    "tz": "UTC",
                    "tz_checked_at": now,
                    "prompt_time": prompt_time,
                    "work_days": ALL_DAYS,
                    "paused_until": now.date() + timedelta(days=60) if paused else None,
                    "active": True,
                    "handoff_optin": False,
                    "created_at": now,
                }
                for uid in reps
            ]
            for i in range(0, len(rows), 2000):
                s.execute(insert(Member), rows[i : i + 2000])
    finally:
        engine.dispose()


def set_workspace_settings(url: str, settings: dict[str, Any]) -> None:
    """Replace the workspace's settings (as a manager's change would)."""
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine).begin() as s:
            repo.ensure_workspace(s, TEAM).settings = dict(settings)
    finally:
        engine.dispose()


class Db:
    """What the app stored, read with plain SQL on its tables."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url, read_only=url.startswith("sqlite"))

    def days(self) -> dict[str, list[tuple[str, int, Decimal]]]:
        """Per person: (date, revision, total hours) of every stored day."""
        sql = text(
            "SELECT m.user_id, d.work_date, d.revision, "
            "(SELECT COALESCE(SUM(t.hours), 0) FROM time_entry t WHERE t.day_id = d.id) "
            "FROM day_log d JOIN member m ON m.id = d.member_id"
        )
        out: dict[str, list[tuple[str, int, Decimal]]] = {}
        with self.engine.connect() as conn:
            for user, day, revision, hours in conn.execute(sql):
                total = Decimal(str(hours)).normalize()
                out.setdefault(str(user), []).append((str(day)[:10], int(revision), total))
        return out

    def scalar(self, sql: str) -> Any:
        """One value from a query."""
        with self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


# ---------------------------------------------------------------- load and waiting


def burst(
    url: str,
    reqs: Sequence[Prepared],
    *,
    clients: int = 8,
    kill_after: int | None = None,
    kill: Callable[[], None] | None = None,
) -> list[Answer]:
    """Send every request from `clients` concurrent senders; call `kill` at the Nth `200`."""
    answers: list[Answer] = [Answer(None, error="not sent")] * len(reqs)
    acked = 0
    lock = threading.Lock()

    def one(i: int) -> None:
        nonlocal acked
        answers[i] = answer = post(url, reqs[i])
        if answer.status != 200 or kill is None:
            return
        with lock:
            acked += 1
            fire = acked == kill_after
        if fire:
            kill()

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(len(reqs))))
    return answers


def settle(
    done: Callable[[], bool],
    state: Callable[[], Any],
    finish: Callable[[], Any],
    *,
    timeout: float = 25.0,
    quiet: float = 2.0,
    poll: float = 0.2,
) -> bool:
    """Wait (bounded) until `done()`, or until nothing has moved for `quiet` seconds; then
    `finish()` (e.g. stop the app and run a later scheduler pass). Returns `done()` after it."""
    deadline = time.monotonic() + timeout
    last, moved = state(), time.monotonic()
    while time.monotonic() < deadline and not done():
        time.sleep(poll)
        now_state = state()
        if now_state != last:
            last, moved = now_state, time.monotonic()
        elif time.monotonic() - moved >= quiet:
            break
    finish()
    return done()
