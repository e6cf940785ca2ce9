"""The evening burst: reps submitting their day while Slack fails and the server is killed.

    PYTHONPATH=. .venv/bin/python bench/burst.py [--reps 3000] [--seconds 180]
        [--fail-share 0.3] [--fail-seconds S] [--kill-at S] [--postgres URL] [--no-sqlite]

`--reps` reps (default 3,000) each submit the Log hours form once, at moments spread evenly
at random over `--seconds` (default 180). Slack (the fake Web API, in this process) answers
HTTP 500 to `--fail-share` (30%) of `chat.postMessage` calls for the first `--fail-seconds`
(default: the first third), and `rolesplit run` is killed with `kill -9` at `--kill-at`
(default: the middle) and started again at once. A person whose Save gets no `200` within
Slack's 3 seconds sees an error and presses Save again 5 s later (the same view), up to 8
times. Afterwards the bench waits (bounded by `--settle`) until every stored day is confirmed
or nothing moves for 30 s, then reports, from the database and the fake Slack's records:
entries stored, confirmations sent, duplicates of either, acknowledged entries lost, and the
time from the start until the last confirmation. The app runs with its scheduler on
(`ROLESPLIT_TICK_SECONDS`, `--tick-seconds`, default 60 as in production). 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage.db import make_engine
from tests.faults.harness import Db, FaultySlack, rep_ids, seed
from tests.faults.procs import Procs, Served, app_env
from tests.faults.signed import FORM_TOTAL, LogForm, open_log_form, post

RETRY_AFTER = 5.0  # seconds before a person presses Save again
ATTEMPTS = 8
SLACK_TIMEOUT = 3.0  # Slack gives up on a view_submission answer after 3 s
QUIET = 30.0


@dataclass
class Run:
    """The state of one burst: the server in service, who got a 200, every answer."""

    app: Served
    started: float
    acked: set[str] = field(default_factory=set)
    attempts: int = 0
    refused: int = 0  # no 200: refused, reset, timed out, or an error status
    lock: threading.Lock = field(default_factory=threading.Lock)


def people(run: Run, form: LogForm, reps: list[str], seconds: float, seed_: int) -> None:
    """Every rep submits at a random moment; a failed Save is pressed again (bounded)."""
    rng = random.Random(seed_)
    events = [(rng.uniform(0, seconds), u, 1) for u in reps]
    heapq.heapify(events)
    reqs = {u: form.submission(u, view_id=f"V{u}", hash=f"h{u}") for u in reps}
    pending = 0
    cond = threading.Condition()

    def attempt(user: str, n: int) -> None:
        nonlocal pending
        answer = post(run.app.url, reqs[user], timeout=SLACK_TIMEOUT)
        with run.lock:
            run.attempts += 1
            if answer.status == 200:
                run.acked.add(user)
            else:
                run.refused += 1
        with cond:
            if answer.status != 200 and n < ATTEMPTS:
                heapq.heappush(events, (time.monotonic() - run.started + RETRY_AFTER, user, n + 1))
            pending -= 1
            cond.notify_all()

    with ThreadPoolExecutor(64) as pool:
        while True:
            with cond:
                while not events and pending:
                    cond.wait(0.5)
                if not events:
                    return
                at, user, n = events[0]
                delay = at - (time.monotonic() - run.started)
                if delay > 0:
                    cond.wait(min(delay, 0.5))
                    continue
                heapq.heappop(events)
                pending += 1
            pool.submit(attempt, user, n)


def run_burst(label: str, url: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Seed, serve, burst with faults and a kill, wait for the work to settle; what it came to."""
    reps = rep_ids(args.reps)
    seed(url, reps, settings={"dm_per_minute": args.dm_per_minute} if args.dm_per_minute else None)
    fake = FaultySlack()
    fake.start()
    procs = Procs(
        app_env(url, fake, workdir, ROLESPLIT_TICK_SECONDS=str(args.tick_seconds)), workdir
    )
    db = Db(url)
    try:
        app = procs.serve()
        form = open_log_form(app.url, fake, reps[0])
        fake.reset()
        fail_for = args.fail_seconds if args.fail_seconds >= 0 else args.seconds / 3
        kill_at = args.kill_at if args.kill_at >= 0 else args.seconds / 2
        run = Run(app, time.monotonic())
        fake.outage("chat.postMessage", args.fail_share)
        threading.Timer(fail_for, fake.recover).start()

        def kill_and_restart() -> None:
            run.app.kill()
            run.app = procs.serve()

        killer = threading.Timer(kill_at, kill_and_restart)
        killer.start()
        people(run, form, reps, args.seconds, args.seed)
        killer.join()
        last_answer = time.monotonic() - run.started

        def state() -> tuple[int, int]:
            return len(db.days()), len(fake.posted_at)

        deadline, moved, last = time.monotonic() + args.settle, time.monotonic(), state()
        while time.monotonic() < deadline and time.monotonic() - moved < QUIET:
            days, dms = db.days(), fake.dm_counts()
            if len(days) >= len(run.acked) and all(dms[u] for u in days):
                break
            time.sleep(1.0)
            if state() != last:
                last, moved = state(), time.monotonic()
        days, dms = db.days(), fake.dm_counts()
        stats = fake.stats()
        return {
            "label": label,
            "reps": args.reps,
            "acked": len(run.acked),
            "attempts": run.attempts,
            "refused": run.refused,
            "stored": len(days),
            "saved_twice": sum(1 for d in days.values() if len(d) != 1 or d[0][1] != 1),
            "wrong_hours": sum(1 for d in days.values() if str(d[0][2]) != FORM_TOTAL),
            "lost": len(run.acked - set(days)),
            "confirmed": sum(1 for u in days if dms[u]),
            "confirmed_twice": sum(1 for n in dms.values() if n > 1),
            "unconfirmed": sum(1 for u in days if not dms[u]),
            "posts_500": fake.injected["chat.postMessage"],
            "posts": stats["calls"].get("chat.postMessage", 0),
            "last_answer_s": last_answer,
            "last_confirmation_s": (max(fake.posted_at) - run.started) if fake.posted_at else 0.0,
            "kill_at_s": kill_at,
            "fail_for_s": fail_for,
        }
    finally:
        procs.close()
        db.close()
        fake.stop()


def main() -> int:
    """Run the burst on SQLite (and PostgreSQL when given); print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--fail-share", type=float, default=0.3)
    parser.add_argument("--fail-seconds", type=float, default=-1, help="default: seconds / 3")
    parser.add_argument("--kill-at", type=float, default=-1, help="default: seconds / 2")
    parser.add_argument("--tick-seconds", type=int, default=60)
    parser.add_argument("--settle", type=float, default=300.0, help="max wait after the burst")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--dm-per-minute",
        type=int,
        default=None,
        help="the workspace's DM pace (default: the product's, 600 a minute)",
    )
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_sqlite:
            work = Path(tmp) / "sqlite"
            work.mkdir()
            results.append(run_burst("SQLite", f"sqlite:///{work}/burst.db", args, work))
        if args.postgres:
            schema = f"burst_{uuid.uuid4().hex[:8]}"
            admin = make_engine(args.postgres)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in args.postgres else "?"
            work = Path(tmp) / "postgres"
            work.mkdir()
            try:
                url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
                results.append(run_burst("PostgreSQL", url, args, work))
            finally:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    print(
        "| db | reps | acknowledged | Save pressed | no 200 | stored | saved twice | "
        "acknowledged, lost | confirmed | confirmed twice | stored, unconfirmed | "
        "500s injected | last answer s | last confirmation s |"
    )
    print("|" + " --- |" * 14)
    for r in results:
        print(
            f"| {r['label']} | {r['reps']} | {r['acked']} | {r['attempts']} | {r['refused']} | "
            f"{r['stored']} | {r['saved_twice']} | {r['lost']} | {r['confirmed']} | "
            f"{r['confirmed_twice']} | {r['unconfirmed']} | {r['posts_500']} | "
            f"{r['last_answer_s']:.1f} | {r['last_confirmation_s']:.1f} |"
        )
    for r in results:
        print(
            f"\n- {r['label']}: kill -9 at {r['kill_at_s']:.0f} s; Slack failing "
            f"{args.fail_share:.0%} of chat.postMessage for the first {r['fail_for_s']:.0f} s; "
            f"{r['posts']} chat.postMessage calls; days with other hours than {FORM_TOTAL}: "
            f"{r['wrong_hours']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
