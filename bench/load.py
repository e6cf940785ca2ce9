"""Request-path load: rolesplit against a durable baseline and a bare Bolt app, side by side.

    PYTHONPATH=. .venv/bin/python bench/load.py [--requests 200] [--postgres URL]
        [--only "view submission"] [--levels 1,8,32]

Starts the fake Slack Web API, `rolesplit run`, `bench/baseline_app.py` (bare Bolt: every
listener only acks) and `bench/baseline_app.py --durable` (the same, but each request is first
stored — one insert, committed — then acknowledged: the floor for an app that loses nothing it
acknowledged) as separate processes on 127.0.0.1, then sends real signed requests at 1, 8 and
32 concurrent clients for five kinds: a slash command (`/rolesplit roster`), a block action
(Log hours → views.open), a view submission (a full day logged), a `message.im` in plain words
and `app_home_opened`. Latency is until the HTTP answer (the ack).

**completed/s** is rolesplit's rate of finished work, from the first request of a cell until
the fake Slack and the database show all of it done: a day stored *and* its confirmation DM
received (submissions, plain words), the form opened (Log hours); for the roster the answer is
the ack itself; for App Home (publishes coalesce per person) the rate until the process is
idle again. The durable baseline's work is done at its ack (its rows are counted to check).
After the table, each cell at 8 and 32 clients is held against the targets: rolesplit's ack
median within 1.5× the durable baseline's, p99 under 250 ms at 32 clients, and a completed
rate of at least 50% of the durable baseline's ack rate.
Bounded: a fixed number of requests per cell, a 60 s cap per wait; everything stops by itself.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.loadkit import (
    MANAGER,
    SECRET,
    TOKEN,
    Recorder,
    Watch,
    builders,
    cell,
    discover,
    drain,
    free_port,
    rss_mb,
    seed,
    wait_up,
)
from storage.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
WARM = 40
HEADER = (
    "| db | request | clients | rolesplit median ms | p99 ms | acks/s | completed/s "
    "| durable median ms | p99 ms | acks/s | bare Bolt median ms | p99 ms | acks/s "
    "| median ÷ durable | completed ÷ durable acks | non-200 |"
)


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[Any]:
    """A server process on 127.0.0.1 (stderr discarded)."""
    return subprocess.Popen(args, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)


def completion(kind: str, watch: Watch) -> Callable[[], int] | None:
    """How much of a cell's work is done, counted from the outside (None: see `measure`)."""
    if kind.startswith(("view submission", "message.im")):
        saves0, posts0 = watch.saves(), watch.calls("chat.postMessage")
        return lambda: min(watch.saves() - saves0, watch.calls("chat.postMessage") - posts0)
    if kind.startswith("block action"):
        opened0 = watch.calls("views.open")
        return lambda: watch.calls("views.open") - opened0
    return None


def measure(
    url: str, pid: int, kind: str, build: Callable[[int], Any], clients: int, size: int, w: Watch
) -> tuple[dict[str, float], str, float]:
    """One rolesplit cell, idle before and after: its numbers, completed/s (text and value)."""
    cell(url, build, clients, min(WARM, size))  # warm-up
    drain(pid)
    done = completion(kind, w)
    r = cell(url, build, clients, size)
    if kind.startswith("slash command"):  # the answer is in the ack
        drain(pid)
        return r, f"{r['rps']:.0f}", r["rps"]
    if done is None:  # App Home: until the process is idle again
        after = drain(pid)
        rate = size / (r["wall"] + after)
        return r, f"{rate:.0f}", rate
    at, count = w.until(done, size)
    rate = count / (at - r["started"])
    drain(pid)
    return r, f"{rate:.0f}" + ("" if count >= size else f" ({count} of {size})"), rate


def verdict(
    label: str, kind: str, clients: int, r: dict[str, float], d: dict[str, float], rate: float
) -> str:
    """The issue's targets for one cell: median ≤ 1.5× durable, p99 < 250 ms at 32 clients,
    completed ≥ 50% of the durable baseline's ack rate."""

    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    ratio, share = r["median"] / d["median"], rate / d["rps"]
    parts = [
        f"median {ratio:.2f}× durable ({mark(ratio <= 1.5)})",
        f"completed {share:.0%} of durable acks ({mark(share >= 0.5)})",
    ]
    if clients == 32:
        parts.append(f"p99 {r['p99']:.0f} ms ({mark(r['p99'] < 250)})")
    return f"{label}, {kind}, {clients} clients: " + "; ".join(parts)


def run_db(
    label: str, url: str, n: int, only: str, levels: list[int], pace: int | None = None
) -> tuple[list[str], list[str]]:
    """The three apps on one database; every kind at every concurrency level."""
    seed(url, pace)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLESPLIT_"))}
    env["PYTHONPATH"] = str(ROOT)
    fake = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fake_slack_server.py"), "--token", TOKEN],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
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
    )
    ports = {"rolesplit": free_port(), "durable": free_port(), "bare": free_port()}
    base = [sys.executable, str(ROOT / "bench" / "baseline_app.py"), "--port"]
    procs = {
        "rolesplit": start(
            [
                sys.executable,
                "-m",
                "bot",
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports["rolesplit"]),
            ],
            env,
        ),
        "durable": start([*base, str(ports["durable"]), "--durable"], env),
        "bare": start([*base, str(ports["bare"])], env),
    }
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    rows, notes = [], []
    watch = Watch(url, api)
    try:
        for name, proc in procs.items():
            wait_up(urls[name], proc)
        rec = Recorder("http://unused", SECRET)
        form, open_action = discover(urls["rolesplit"], watch, rec)
        acked_durable = 0
        for kind, build in builders(rec, form, open_action).items():
            if only not in kind:
                continue
            for clients in levels:
                size = max(n, clients * 10)
                cell(urls["bare"], build, clients, min(WARM, size))
                b = cell(urls["bare"], build, clients, size)
                d_warm = cell(urls["durable"], build, clients, min(WARM, size))
                d = cell(urls["durable"], build, clients, size)
                acked_durable += min(WARM, size) + size - int(d_warm["errors"] + d["errors"])
                r, completed, rate = measure(
                    urls["rolesplit"], procs["rolesplit"].pid, kind, build, clients, size, watch
                )
                rows.append(
                    f"| {label} | {kind} | {clients} | {r['median']:.1f} | {r['p99']:.1f} | "
                    f"{r['rps']:.0f} | {completed} | {d['median']:.1f} | {d['p99']:.1f} | "
                    f"{d['rps']:.0f} | {b['median']:.1f} | {b['p99']:.1f} | {b['rps']:.0f} | "
                    f"{r['median'] / d['median']:.2f} | {rate / d['rps']:.2f} | "
                    f"{int(r['errors'] + d['errors'] + b['errors'])} |"
                )
                if clients in (8, 32):
                    notes.append(verdict(label, kind, clients, r, d, rate))
        stored = watch.durable_rows()
        notes.append(
            f"{label}: the durable baseline stored {stored} of the {acked_durable} requests it "
            f"acknowledged; peak RSS of rolesplit {rss_mb(procs['rolesplit'].pid):.0f} MB"
        )
    finally:
        watch.close()
        for proc in (*procs.values(), fake):
            proc.send_signal(signal.SIGTERM)
        for proc in (*procs.values(), fake):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return rows, notes


def main() -> int:
    """Run on SQLite (and PostgreSQL when given) and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", default="", help="run only request kinds containing this")
    parser.add_argument("--levels", default="1,8,32", help="concurrent clients per cell")
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--dm-per-minute",
        type=int,
        default=None,
        help="the workspace's DM pace (default: the product's, 600 a minute)",
    )
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    out = [HEADER, "|" + " --- |" * 16]
    notes: list[str] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            rows, more = run_db(
                "SQLite",
                f"sqlite:///{tmp}/load.db",
                args.requests,
                args.only,
                levels,
                args.dm_per_minute,
            )
            out += rows
            notes += more
    if args.postgres:
        schema = f"load_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.postgres else "?"
        try:
            rows, more = run_db(
                "PostgreSQL",
                f"{args.postgres}{sep}options=-csearch_path%3D{schema}",
                args.requests,
                args.only,
                levels,
                args.dm_per_minute,
            )
            out += rows
            notes += more
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print("\n".join(out))
    print("\n" + "\n".join(f"- {note}" for note in notes))
    return 0


if __name__ == "__main__":
    threading.stack_size(512 * 1024)
    sys.exit(main())
