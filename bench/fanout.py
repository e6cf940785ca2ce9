"""The evening fan-out: N members due at once, against Slack's chat.postMessage limits.

    .venv/bin/python bench/fanout.py [--members 10000] [--per-second 100] [--pace-per-minute P]
        [--postgres URL] [--cases sqlite1,pg2,pg1] [--tick-seconds 60] [--logs DIR]

Runs `rolesplit tick` (`python -m bot tick`) as real processes, back to back (one on SQLite;
two together, and optionally one, on PostgreSQL when a URL is given) against the fake Slack
Web API, rate-limited like Slack: 1 message per second per channel, plus a workspace-wide cap
of `--per-second` calls in any sliding second (over it: HTTP 429 with Retry-After). The sender
paces at the workspace's `dm_per_minute` setting (`bot.slack.outbound.per_minute`), which the bench
sets to `--pace-per-minute` (default: 95% of the cap). Reports wall time against the minimum
the cap allows, duplicates and prompts lost (counted from the messages the fake Slack stored,
per DM), 429s, ticks, and each ticking process's peak memory. Everything talks to 127.0.0.1
only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
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
TICK_TIMEOUT_S = 900


def daytime_zone(now: datetime) -> str:
    """A zone where the local time is between 02:00 and 22:00 right now."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Pacific/Auckland"):
        if 2 <= now.astimezone(ZoneInfo(name)).hour < 22:
            return name
    return "UTC"


def seed(url: str, members: int, pace_per_minute: int) -> None:
    """A migrated database with `members` reps all due now (prompt at 01:00 local, daytime)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    tz = daytime_zone(datetime.now(UTC))
    now = datetime.now(UTC)
    with make_sessionmaker(engine).begin() as s:
        ws = repo.ensure_workspace(s, "T0001")
        # read by bot.slack.outbound.per_minute; the Slack status read before each prompt
        # (bot.timelog.away_check.status_per_minute) keeps the same pace
        ws.settings = {"dm_per_minute": pace_per_minute, "status_per_minute": pace_per_minute}
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


def tick_until_done(
    url: str, api_url: str, processes: int, members: int, logs: Path, tick_seconds: int
) -> dict[str, object]:
    """Run `processes` tick processes at a time, back to back, until every prompt is sent."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLESPLIT_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN=TOKEN,
        ROLESPLIT_PROMPT_WINDOW_MINUTES="1380",
        ROLESPLIT_LOG_FORMAT="json",
        ROLESPLIT_TICK_SECONDS=str(tick_seconds),  # a pass sends for 0.9 x this, then exits
    )
    engine = make_engine(url)
    started = time.monotonic()
    windows: list[tuple[float, float]] = []  # each round's start and end (monotonic)
    peaks_kb = [0] * processes  # per process slot: the largest RSS over the rounds
    failures = 0
    rounds = 0
    sent = 0
    while rounds < MAX_TICKS:
        rounds += 1
        round_started = time.monotonic()
        procs = []
        for n in range(processes):
            with open(logs / f"tick-{rounds}-{n}.log", "wb") as err:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "bot", "tick"],
                        env=env,
                        cwd=ROOT,
                        stdout=subprocess.DEVNULL,
                        stderr=err,
                    )
                )
        deadline = time.monotonic() + TICK_TIMEOUT_S
        for n, p in enumerate(procs):
            code, peak_kb = reap(p, deadline)
            peaks_kb[n] = max(peaks_kb[n], peak_kb)
            failures += code != 0
        windows.append((round_started, time.monotonic()))
        with engine.connect() as conn:
            sent = (
                conn.scalar(select(func.count()).select_from(Prompt).where(Prompt.status == "sent"))
                or 0
            )
        if sent >= members:
            break
    wall = time.monotonic() - started
    with engine.connect() as conn:
        by_status = dict(
            conn.execute(select(Prompt.status, func.count()).group_by(Prompt.status)).all()
        )
    engine.dispose()
    return {
        "wall_s": wall,
        "rounds": rounds,
        "windows": windows,
        "sent": sent,
        "by_status": by_status,
        "failed_ticks": failures,
        "peak_rss_mb": [kb / 1024 for kb in peaks_kb],
    }


def reap(proc: subprocess.Popen[bytes], deadline: float) -> tuple[int, int]:
    """Wait for a tick process (killed at the deadline): its exit code and peak RSS in KiB."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_maxrss
        if time.monotonic() > deadline:
            proc.kill()
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_maxrss
        time.sleep(0.05)


def run_case(
    label: str,
    url: str,
    processes: int,
    members: int,
    per_second: int,
    pace: int,
    tick_seconds: int = 60,
    keep_logs: str = "",
) -> dict[str, object]:
    """Seed, start the fake, tick until done, and count what Slack stored per DM."""
    seed(url, members, pace)
    sys.path.insert(0, str(ROOT))  # the fake Slack lives with the tests
    from tests.fakes import FakeSlack

    fake = FakeSlack(bot_token=TOKEN).start()
    fake.set_rate_limit(
        "chat.postMessage", per_channel_per_second=1, per_workspace_per_second=per_second
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            logs = Path(keep_logs or tmp) / label.replace(", ", "-").replace(" ", "")
            logs.mkdir(parents=True, exist_ok=True)
            result = tick_until_done(url, fake.url, processes, members, logs, tick_seconds)
            if result["failed_ticks"]:
                for log in sorted(logs.iterdir()):
                    tail = log.read_text(errors="replace").strip().splitlines()[-5:]
                    if tail:
                        print(f"{label} {log.name}:", *tail, sep="\n  ", file=sys.stderr)
        st = fake.stats()
        posted = [c.at for c in fake.calls("chat.postMessage")]
        per_dm = Counter(channel for channel, _ts in list(fake.messages))
    finally:
        fake.stop()
    limited = st["rate_limited"].get("chat.postMessage", 0)
    minimum = members / per_second
    result.update(
        label=label,
        members=members,
        cap_per_second=per_second,
        pace_per_minute=pace,
        theoretical_min_s=minimum,
        ratio=float(result["wall_s"]) / minimum,  # type: ignore[arg-type]
        posts=st["calls"].get("chat.postMessage", 0),
        delivered=sum(per_dm.values()),
        duplicates=sum(n - 1 for n in per_dm.values()),
        lost=members - len(per_dm),
        rate_limited_429=limited,
        timeline=timeline(result["windows"], posted),  # type: ignore[arg-type]
    )
    return result


def timeline(windows: list[tuple[float, float]], posted: list[float]) -> str:
    """Per tick: seconds to the first post, seconds posting, posts, and their rate."""
    parts = []
    for start, end in windows:
        at = sorted(t for t in posted if start <= t <= end)
        if not at:
            parts.append(f"{end - start:.1f}s, no posts")
            continue
        span = at[-1] - at[0]
        parts.append(
            f"first post +{at[0] - start:.1f}s, posting {span:.1f}s, {len(at)} posts "
            f"({len(at) / max(span, 1e-9):.1f}/s), exit +{end - at[-1]:.1f}s"
        )
    return "; ".join(parts)


def main() -> int:
    """Run the cases and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--per-second", type=int, default=100, help="the workspace-wide cap")
    parser.add_argument(
        "--pace-per-minute", type=int, default=0, help="dm_per_minute (default: 95%% of the cap)"
    )
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    parser.add_argument("--cases", default="sqlite1,pg2", help="of sqlite1, pg2, pg1")
    parser.add_argument("--tick-seconds", type=int, default=60, help="ROLESPLIT_TICK_SECONDS")
    parser.add_argument("--logs", default="", help="keep the tick processes' logs here")
    args = parser.parse_args()
    load_settings(_env_file=None)
    pace = args.pace_per_minute or args.per_second * 60 * 95 // 100
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    results = []
    for case in cases:
        if case == "sqlite1":
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/fanout.db"
                results.append(
                    run_case(
                        "SQLite, 1 process",
                        url,
                        1,
                        args.members,
                        args.per_second,
                        pace,
                        args.tick_seconds,
                        args.logs,
                    )
                )
            continue
        if not args.postgres:
            print(f"{case}: no --postgres URL, skipped", file=sys.stderr)
            continue
        processes = 2 if case == "pg2" else 1
        label = f"PostgreSQL, {processes} process{'es' if processes > 1 else ''}"
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.postgres else "?"
        url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
        try:
            results.append(
                run_case(
                    label,
                    url,
                    processes,
                    args.members,
                    args.per_second,
                    pace,
                    args.tick_seconds,
                    args.logs,
                )
            )
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(
        "| case | members | cap/s | pace/min | wall s | minimum s | ratio | duplicates | lost | "
        "429s | ticks | peak RSS MB per process |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        rss = " / ".join(f"{mb:.0f}" for mb in r["peak_rss_mb"])  # type: ignore[attr-defined]
        print(
            f"| {r['label']} | {r['members']} | {r['cap_per_second']} | {r['pace_per_minute']} | "
            f"{r['wall_s']:.1f} | {r['theoretical_min_s']:.1f} | {r['ratio']:.2f} | "
            f"{r['duplicates']} | {r['lost']} | {r['rate_limited_429']} | {r['rounds']} | {rss} |"
        )
    for r in results:
        print(
            f"{r['label']}: posts {r['posts']}, delivered {r['delivered']}, "
            f"prompt rows {r['by_status']}, failed ticks {r['failed_ticks']}; "
            f"ticks: {r['timeline']}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
