"""Request-path load: rolesplit vs a bare Bolt app on the same server stack, side by side.

    .venv/bin/python bench/load.py [--requests 300] [--postgres URL]

Starts the fake Slack Web API, `rolesplit run` and `bench/baseline_app.py` as separate
processes on 127.0.0.1, then sends real signed requests at 1, 8 and 32 concurrent clients for
five kinds: a slash command (`/rolesplit roster`), a block action (Log hours → views.open),
a view submission (a full day logged), a `message.im` in plain words, and `app_home_opened`.
Reports median and p99 latency and throughput for both apps and the ratio. Latency is until
the HTTP answer (the ack). Each rolesplit cell starts with the app idle and ends by waiting
until it is idle again: `post-ack s` is how long the work after the acks (transactions, DMs,
App Home refreshes) still ran after the last answer, and `done/s` the rate including it.
Bounded: a fixed number of requests per cell, a 60 s cap per wait; everything stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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

from bot.timelog import views as dv
from storage import migrate, repo
from storage.db import make_engine, make_sessionmaker
from storage.models import Member
from tests.fakes import SlackRequests, datepicker_value, input_value

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-load-token-0000"
SECRET = "load-signing-secret-0123456789"
MANAGER = "UMGR0001"
REPS = 200
LEVELS = (1, 8, 32)


class Recorder(SlackRequests):
    """SlackRequests that returns the request instead of sending it."""

    def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None, **_flags: Any
    ) -> Any:
        return (body, content_type, headers or {})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str) -> None:
    """A migrated database with 200 reps and a manager."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    with make_sessionmaker(engine).begin() as s:
        ws = repo.ensure_workspace(s, "T0001")
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


def builders(rec: Recorder) -> dict[str, Callable[[int], Any]]:
    """Request builders per kind; i makes each request unique."""
    today = datetime.now(UTC).date().isoformat()

    def submission(i: int) -> Any:
        values = {dv.DATE_BLOCK: {dv.DATE_ACTION: datepicker_value(today)}}
        for key, hours in (
            ("prospecting", "2"),
            ("sales_meetings", "1.5"),
            ("account_service", "3"),
            ("account_growth", "1"),
            ("admin", "0.5"),
        ):
            values[dv.CATEGORY_BLOCK.format(key)] = {dv.HOURS_ACTION: input_value(hours)}
        return rec.view_submission(
            dv.MODAL_CALLBACK,
            values,
            user_id=f"U{i % REPS:05d}",
            view_id=f"V{uuid.uuid4().hex[:10]}",
            hash=str(i),
        )

    return {
        "slash command (roster)": lambda i: rec.command("roster", user_id=MANAGER),
        "block action (Log hours)": lambda i: rec.block_action(
            dv.OPEN_MODAL, value=today, user_id=f"U{i % REPS:05d}"
        ),
        "view submission (day)": submission,
        "message.im (plain words)": lambda i: rec.message_im(
            "prospecting 2, meetings 1.5, accounts 4",
            user_id=f"U{i % REPS:05d}",
            ts=f"{time.time():.6f}{i}",
        ),
        "app_home_opened": lambda i: rec.app_home_opened(f"U{i % REPS:05d}"),
    }


def send(base: str, req: Any, signer: SlackRequests) -> tuple[float, int]:
    body, ctype, headers = req
    hdrs = {"Content-Type": ctype, **signer.sign(body), **headers}
    url = urlparse(base)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("POST", "/slack/events", body=body.encode(), headers=hdrs)
        resp = conn.getresponse()
        resp.read()
        return (time.perf_counter() - started) * 1000, resp.status
    finally:
        conn.close()


def cell(base: str, build: Callable[[int], Any], clients: int, n: int) -> dict[str, float]:
    """n requests from `clients` concurrent senders: median, p99 (ms), requests per second."""
    signer = SlackRequests(base, SECRET)
    reqs = [build(i) for i in range(n)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda r: send(base, r, signer), reqs))
    wall = time.perf_counter() - started
    lat = sorted(ms for ms, _ in results)
    bad = sum(1 for _, status in results if status != 200)
    return {
        "median": statistics.median(lat),
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "rps": n / wall,
        "errors": bad,
    }


def wait_up(url: str, proc: subprocess.Popen[Any]) -> None:
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
    """Wait until a process is idle (under 2% CPU over a window); seconds it was still busy.

    The work listeners do after their acks (transactions, DMs, App Home refreshes) may still
    be running when the last ack is in: it is timed here, and never leaks into the next cell.
    """
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
    """Resident memory of a process (VmHWM: its peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_db(label: str, url: str, n: int, only: str = "") -> list[str]:
    """Both apps on one database; every kind at every concurrency level."""
    seed(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLESPLIT_"))}
    fake = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fake_slack_server.py"), "--token", TOKEN],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert fake.stdout is not None
    api = fake.stdout.readline().strip()
    env.update(
        DATABASE_URL=url,
        SLACK_API_URL=api,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        ROLESPLIT_SCHEDULER="off",
        ROLESPLIT_MANAGERS=MANAGER,
        PYTHONPATH=str(ROOT),
    )
    p_app, p_base = free_port(), free_port()
    app = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", str(p_app)],
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    base = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "baseline_app.py"), "--port", str(p_base)],
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        url_app, url_base = f"http://127.0.0.1:{p_app}", f"http://127.0.0.1:{p_base}"
        wait_up(url_app, app)
        wait_up(url_base, base)
        rec = Recorder("http://unused", SECRET)
        for kind, build in builders(rec).items():
            if only not in kind:
                continue
            for clients in LEVELS:
                size = max(n, clients * 10)
                cell(url_base, build, clients, min(40, size))  # warm-up
                b = cell(url_base, build, clients, size)
                cell(url_app, build, clients, min(40, size))  # warm-up
                drain(app.pid)
                r = cell(url_app, build, clients, size)
                after = drain(app.pid)
                done_rps = size / (size / r["rps"] + after)
                rows.append(
                    f"| {label} | {kind} | {clients} | {r['median']:.1f} | {r['p99']:.1f} | "
                    f"{r['rps']:.0f} | {b['median']:.1f} | {b['p99']:.1f} | {b['rps']:.0f} | "
                    f"{r['median'] / b['median']:.2f} | {r['rps'] / b['rps']:.2f} | "
                    f"{after:.2f} | {done_rps:.0f} | {int(r['errors'] + b['errors'])} |"
                )
        rows.append(f"\npeak RSS of the rolesplit process ({label}): {rss_mb(app.pid):.0f} MB")
    finally:
        for proc in (app, base, fake):
            proc.send_signal(signal.SIGTERM)
        for proc in (app, base, fake):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    return rows


def main() -> int:
    """Run on SQLite (and PostgreSQL when given) and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", default="", help="run only request kinds containing this")
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    out = [
        "| db | request | clients | rolesplit median ms | p99 ms | req/s | baseline median ms "
        "| p99 ms | req/s | median ratio | throughput ratio | post-ack s | done/s | non-200 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out += run_db("SQLite", f"sqlite:///{tmp}/load.db", args.requests, args.only)
    if args.postgres:
        schema = f"load_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.postgres else "?"
        try:
            out += run_db(
                "PostgreSQL",
                f"{args.postgres}{sep}options=-csearch_path%3D{schema}",
                args.requests,
                args.only,
            )
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    threading.stack_size(512 * 1024)
    sys.exit(main())
