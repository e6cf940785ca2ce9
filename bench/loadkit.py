"""Pieces of the request-path bench (bench/load.py): seeding, the requests, sending them at a
concurrency, and watching the work finish — through the apps' and the fake Slack's outside."""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import insert, text

from storage import migrate, repo
from storage.db import make_engine, make_sessionmaker
from storage.models import Member
from tests.fakes import SlackRequests
from tests.faults.signed import LogForm

TOKEN = "xoxb-load-token-0000"
SECRET = "load-signing-secret-0123456789"
MANAGER = "UMGR0001"
REPS = 200
WORDS = "prospecting 2, meetings 1.5, accounts 4"


class Recorder(SlackRequests):
    """SlackRequests that returns the request instead of sending it."""

    def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None, **_flags: Any
    ) -> Any:
        return (body, content_type, headers or {})


def free_port() -> int:
    """A loopback port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str, dm_per_minute: int | None = None) -> None:
    """A migrated database with 200 reps and a manager (and the workspace's DM pace, if given)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    with make_sessionmaker(engine).begin() as s:
        ws = repo.ensure_workspace(s, "T0001")
        if dm_per_minute:
            ws.settings = {**(ws.settings or {}), "dm_per_minute": dm_per_minute}
        s.execute(
            insert(Member),
            [
                {
                    "workspace_id": ws.id,
                    "user_id": f"U{i:05d}",
                    "role": "hybrid",
                    "tz": "UTC",
                    "tz_checked_at": now,
                    "active": True,
                    "handoff_optin": False,
                    "created_at": now,
                }
                for i in range(REPS)
            ],
        )
    engine.dispose()


def send(base: str, req: Any, signer: SlackRequests) -> tuple[float, int]:
    """One signed POST on a new connection: (ms until the answer, status; 0 when none)."""
    body, ctype, headers = req
    hdrs = {"Content-Type": ctype, **signer.sign(body), **headers}
    url = urlparse(base)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    try:
        conn.request("POST", "/slack/events", body=body.encode(), headers=hdrs)
        resp = conn.getresponse()
        resp.read()
        return (time.perf_counter() - started) * 1000, resp.status
    except OSError:
        return (time.perf_counter() - started) * 1000, 0
    finally:
        conn.close()


def cell(base: str, build: Callable[[int], Any], clients: int, n: int) -> dict[str, float]:
    """n requests from `clients` concurrent senders: median and p99 (ms), acks per second."""
    signer = SlackRequests(base, SECRET)
    reqs = [build(i) for i in range(n)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda r: send(base, r, signer), reqs))
    wall = time.perf_counter() - started
    lat = sorted(ms for ms, _ in results)
    return {
        "median": statistics.median(lat),
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "rps": n / wall,
        "errors": sum(1 for _, status in results if status != 200),
        "started": started,
        "wall": wall,
    }


def wait_up(url: str, proc: subprocess.Popen[Any]) -> None:
    """Until /healthz answers (bounded)."""
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(pid: int, limit: float = 60.0, window: float = 0.25) -> float:
    """Wait until a process is idle (under 2% CPU over a window); seconds it was still busy."""
    started = time.perf_counter()
    last = cpu_seconds(pid)
    busy_until = started
    while time.perf_counter() - started < limit:
        time.sleep(window)
        now = cpu_seconds(pid)
        if now - last < 0.02 * window:
            return busy_until - started
        last, busy_until = now, time.perf_counter()
    return limit


def rss_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Watch:
    """What has been done so far, read from the outside: the database and the fake Slack."""

    def __init__(self, db_url: str, api_url: str) -> None:
        self.engine = make_engine(db_url, read_only=db_url.startswith("sqlite"))
        self.fake = api_url.rsplit("/api/", 1)[0]

    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(self.fake + path, timeout=5) as resp:
            return json.loads(resp.read())

    def calls(self, method: str) -> int:
        """Web API calls of one method the fake Slack received."""
        return int(self._get("/_stats")["calls"].get(method, 0))

    def last_args(self, method: str) -> list[dict[str, Any]]:
        """The arguments of the method's last calls."""
        return list(self._get(f"/_calls/{method}"))

    def saves(self) -> int:
        """Days saved so far (each save of a day bumps its revision)."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(text("SELECT COALESCE(SUM(revision), 0) FROM day_log")).scalar_one()
            )

    def durable_rows(self) -> int:
        """Requests the durable baseline stored."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(text("SELECT COUNT(*) FROM bench_durable_request")).scalar_one()
            )

    def until(self, done: Callable[[], int], target: int, limit: float = 60.0) -> tuple[float, int]:
        """Poll until done() >= target (bounded): (perf_counter when it got there, count)."""
        deadline = time.perf_counter() + limit
        count = done()
        while count < target and time.perf_counter() < deadline:
            time.sleep(0.02)
            count = done()
        return time.perf_counter(), count

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


def _decoded(value: Any) -> dict[str, Any]:
    return dict(json.loads(value) if isinstance(value, str) else value)


def discover(url: str, watch: Watch, rec: Recorder) -> tuple[LogForm, str]:
    """The Log hours form and button as rolesplit shows them (App Home, then the form)."""
    signer = SlackRequests(url, SECRET)
    _, status = send(url, rec.app_home_opened("U00000"), signer)
    home: dict[str, Any] = {}
    for _ in range(100):
        published = watch.last_args("views.publish")
        if published:
            home = _decoded(published[-1]["view"])
            break
        time.sleep(0.05)
    # the week's rows carry a Log / Edit button per day; "Log hours" stands below on a day off
    buttons = [
        el
        for block in home.get("blocks") or []
        for el in [*(block.get("elements") or []), block.get("accessory") or {}]
        if el.get("type") == "button" and el["text"]["text"] in ("Log hours", "Log", "Edit")
    ]
    if not buttons:
        raise RuntimeError(f"no Log hours button on the App Home ({status}): {home}")
    button = buttons[-1]
    seen = len(watch.last_args("views.open"))
    send(
        url,
        rec.block_action(button["action_id"], value=button.get("value"), user_id="U00000"),
        signer,
    )
    for _ in range(100):
        opened = watch.last_args("views.open")
        if len(opened) > seen:
            return LogForm(_decoded(opened[-1]["view"])), str(button["action_id"])
        time.sleep(0.05)
    raise RuntimeError(f"rolesplit opened no Log hours form ({status})")


def builders(rec: Recorder, form: LogForm, open_action: str) -> dict[str, Callable[[int], Any]]:
    """Request builders per kind; i makes each request unique."""
    today = form.day

    def submission(i: int) -> Any:
        return rec.view_submission(
            form.view["callback_id"],
            form.values(("2", "1.5", "3", "1", "0.5")),
            user_id=f"U{i % REPS:05d}",
            private_metadata=form.view.get("private_metadata") or "",
            view_id=f"V{uuid.uuid4().hex[:10]}",
            hash=str(i),
        )

    return {
        "slash command (roster)": lambda i: rec.command("roster", user_id=MANAGER),
        "block action (Log hours)": lambda i: rec.block_action(
            open_action, value=today, user_id=f"U{i % REPS:05d}"
        ),
        "view submission (day)": submission,
        "message.im (plain words)": lambda i: rec.message_im(
            WORDS, user_id=f"U{i % REPS:05d}", ts=f"{time.time():.6f}{i}"
        ),
        "app_home_opened": lambda i: rec.app_home_opened(f"U{i % REPS:05d}"),
    }
