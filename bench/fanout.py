"""The evening fan-out: N members due at once, against Slack's chat.postMessage limits.

    .venv/bin/python bench/fanout.py [--members 10000] [--per-second 100] [--postgres URL]

Runs `rolesplit tick` as real processes (one on SQLite, then two together on PostgreSQL when a
URL is given) against the fake Slack Web API in its own process, rate-limited like Slack
(1 message per second per channel, plus a workspace-wide cap per second). Reports wall time
against the minimum the cap allows, duplicates, prompts lost, and each ticking process's peak
memory. Everything talks to 127.0.0.1 only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text

from bot.config import load_settings
from storage import migrate, repo
from storage.db import make_engine, make_sessionmaker
from storage.models import Member, Prompt

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-bench-token-0000"
MAX_TICKS = 30


def daytime_zone(now: datetime) -> str:
    """A zone where the local time is between 02:00 and 22:00 right now."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Pacific/Auckland"):
        if 2 <= now.astimezone(ZoneInfo(name)).hour < 22:
            return name
    return "UTC"


def seed(url: str, members: int) -> None:
    """A migrated database with `members` reps all due now (prompt at 01:00 local, daytime)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    tz = daytime_zone(datetime.now(UTC))
    now = datetime.now(UTC)
    with make_sessionmaker(engine).begin() as s:
        ws = repo.ensure_workspace(s, "T0001")
        rows = [
            {
                "workspace_id": ws.id,
                "user_id": f"U{i:05d}",
                "role": "hybrid",
                "tz": tz,
                "tz_checked_at": now,
                "prompt_time": "01:00",
                "work_days": "mon,tue,wed,thu,fri,sat,sun",
                "active": True,
                "handoff_optin": False,
                "created_at": now,
            }
            for i in range(members)
        ]
        for i in range(0, len(rows), 2000):
            s.execute(insert(Member), rows[i : i + 2000])
    engine.dispose()


def start_fake(per_second: int) -> tuple[subprocess.Popen[str], str]:
    """The fake Slack in its own process; returns it and its URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "fake_slack_server.py"),
            "--token",
            TOKEN,
            "--post-per-second",
            str(per_second),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def stats(api_url: str) -> dict[str, dict[str, int]]:
    """Calls per method from the fake."""
    with urllib.request.urlopen(api_url.replace("/api/", "/_stats"), timeout=10) as resp:
        return json.loads(resp.read())  # type: ignore[no-any-return]


def tick_until_done(url: str, api_url: str, processes: int, members: int) -> dict[str, object]:
    """Run `processes` tick processes at a time until every prompt is sent (bounded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLESPLIT_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN=TOKEN,
        ROLESPLIT_PROMPT_WINDOW_MINUTES="1380",
        ROLESPLIT_LOG_FORMAT="json",
    )
    engine = make_engine(url)
    started = time.perf_counter()
    peak_kb = 0
    rounds = 0
    sent = 0
    while rounds < MAX_TICKS:
        rounds += 1
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "tick"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(processes)
        ]
        for p in procs:
            _pid, _status, usage = os.wait4(p.pid, 0)
            p.returncode = 0
            peak_kb = max(peak_kb, usage.ru_maxrss)
        with engine.connect() as conn:
            sent = (
                conn.scalar(select(func.count()).select_from(Prompt).where(Prompt.status == "sent"))
                or 0
            )
        if sent >= members:
            break
    wall = time.perf_counter() - started
    with engine.connect() as conn:
        rows = conn.scalar(select(func.count()).select_from(Prompt)) or 0
    engine.dispose()
    return {
        "wall_s": wall,
        "rounds": rounds,
        "sent": sent,
        "prompt_rows": rows,
        "peak_rss_mb": peak_kb / 1024,
    }


def run_case(
    label: str, url: str, processes: int, members: int, per_second: int
) -> dict[str, object]:
    """Seed, start the fake, tick until done, and read what Slack received."""
    seed(url, members)
    fake, api_url = start_fake(per_second)
    try:
        result = tick_until_done(url, api_url, processes, members)
        st = stats(api_url)
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    posts = st["calls"].get("chat.postMessage", 0)
    distinct = st["channels"].get("chat.postMessage", 0)
    limited = st["rate_limited"].get("chat.postMessage", 0)
    delivered = posts - limited
    minimum = members / per_second
    result.update(
        label=label,
        members=members,
        cap_per_second=per_second,
        theoretical_min_s=minimum,
        ratio=float(result["wall_s"]) / minimum,  # type: ignore[arg-type]
        delivered=delivered,
        duplicates=delivered - distinct,
        lost=members - distinct,
        rate_limited_429=limited,
    )
    return result


def main() -> int:
    """Run the cases and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--per-second", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    load_settings(_env_file=None)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(
            run_case(
                "SQLite, 1 process", f"sqlite:///{tmp}/fanout.db", 1, args.members, args.per_second
            )
        )
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.postgres else "?"
        url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
        try:
            results.append(
                run_case("PostgreSQL, 2 processes", url, 2, args.members, args.per_second)
            )
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(
        "| case | members | cap/s | wall s | minimum s | ratio | duplicates | lost | "
        "429s | ticks | peak RSS MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['label']} | {r['members']} | {r['cap_per_second']} | {r['wall_s']:.1f} | "
            f"{r['theoretical_min_s']:.1f} | {r['ratio']:.2f} | {r['duplicates']} | "
            f"{r['lost']} | {r['rate_limited_429']} | {r['rounds']} | {r['peak_rss_mb']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
