"""Report time for 100, 1,000 and 5,000 reps × 365 days of entries, on SQLite and PostgreSQL.

    .venv/bin/python bench/report_bench.py [--reps 100,1000,5000] [--postgres URL]

Times `build_report` (the SQL aggregation) plus `report_blocks` (the Block Kit rendering) —
everything between the acknowledged command and the `response_url` post — for a week, a month
and a year, and prints the query plan of the aggregation. Local only; bounded.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, insert, select, text

from bot.config import effective, load_settings
from bot.reports.model import build_report
from bot.reports.period import Period
from bot.reports.views import report_blocks
from storage import migrate, repo
from storage.db import make_engine, make_sessionmaker
from storage.models import DayLog, Member, TimeEntry

TODAY = date(2026, 11, 24)
DAYS = 365
RUNS = 5


def seed(engine: Engine, reps: int) -> None:
    """`reps` members with ~4 entries on each work day of the last 365 days (bulk inserts)."""
    migrate.upgrade(engine)
    rnd = random.Random(7)
    now = datetime.now(UTC)
    with make_sessionmaker(engine).begin() as s:
        ws = repo.ensure_workspace(s, "T0001")
        cats = [c.id for c in repo.categories(s, ws.id)]
        s.execute(
            insert(Member),
            [
                {
                    "workspace_id": ws.id,
                    "user_id": f"U{i:05d}",
                    "role": "hybrid",
                    "tz": "UTC",
                    "active": True,
                    "handoff_optin": False,
                    "created_at": datetime(2025, 1, 1, tzinfo=UTC),
                }
                for i in range(reps)
            ],
        )
        member_ids = list(s.scalars(select(Member.id).order_by(Member.id)))
    days = [TODAY - timedelta(days=d) for d in range(DAYS)]
    days = [d for d in days if d.weekday() < 5]
    day_id = 0
    with engine.begin() as conn:
        for mid in member_ids:
            logs, entries = [], []
            for d in days:
                day_id += 1
                logs.append(
                    {
                        "id": day_id,
                        "member_id": mid,
                        "work_date": d,
                        "status": "logged",
                        "source": "import",
                        "logged_at": now,
                        "revision": 1,
                    }
                )
                for cid in rnd.sample(cats, 4):
                    entries.append(
                        {
                            "day_id": day_id,
                            "member_id": mid,
                            "work_date": d,
                            "category_id": cid,
                            "hours": Decimal(rnd.randint(1, 12)) / 4,
                        }
                    )
            conn.execute(insert(DayLog), logs)
            conn.execute(insert(TimeEntry), entries)


def time_report(engine: Engine, period: Period) -> tuple[float, int]:
    """Median milliseconds over RUNS of aggregation + rendering, and the blocks produced."""
    settings = load_settings(_env_file=None)
    factory = make_sessionmaker(engine)
    times, blocks = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        with factory() as s:
            ws = repo.get_workspace(s, "T0001")
            assert ws is not None
            report = build_report(s, ws.id, effective(settings, ws.settings), period, TODAY)
            rendered, _ = report_blocks(report)
        times.append((time.perf_counter() - started) * 1000)
        blocks = len(rendered)
    return statistics.median(times), blocks


def plan(engine: Engine, period: Period) -> str:
    """EXPLAIN of the per-member, per-category aggregation."""
    stmt = (
        select(TimeEntry.member_id, TimeEntry.category_id, func.sum(TimeEntry.hours))
        .join(Member, Member.id == TimeEntry.member_id)
        .where(
            Member.workspace_id == 1,
            TimeEntry.work_date >= period.first,
            TimeEntry.work_date <= period.last,
        )
        .group_by(TimeEntry.member_id, TimeEntry.category_id)
    )
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.execute(text(prefix + sql)).all()
    return "\n".join(str(r[-1]) for r in rows)


PERIODS = {
    "week": Period(TODAY - timedelta(days=6), TODAY, "last 7 days"),
    "month": Period(TODAY - timedelta(days=29), TODAY, "last 30 days"),
    "year": Period(TODAY - timedelta(days=364), TODAY, "last 365 days"),
}


def run(label: str, engine: Engine, reps: int, show_plan: bool) -> list[str]:
    """Seed one database and time the three periods."""
    started = time.perf_counter()
    seed(engine, reps)
    with engine.connect() as conn:
        rows = conn.scalar(select(func.count()).select_from(TimeEntry))
    seeded = time.perf_counter() - started
    out = []
    for name, period in PERIODS.items():
        ms, blocks = time_report(engine, period)
        covered = int(rows * period.days / DAYS)
        out.append(
            f"| {label} | {reps} | {rows:,} | {name} | ~{covered:,} | {ms:.0f} | "
            f"{ms / max(covered, 1) * 1000:.1f} | {blocks} |"
        )
    if show_plan:
        out.append(f"\nplan ({label}, month):\n```\n{plan(engine, PERIODS['month'])}\n```")
    print(f"seeded {label} {reps} reps in {seeded:.0f} s", file=sys.stderr)
    return out


def main() -> int:
    """Seed, time, print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", default="100,1000,5000")
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    sizes = [int(x) for x in args.reps.split(",")]
    lines = [
        "| database | reps | entries | period | rows covered | median ms | µs per row | blocks |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    plans = []
    for reps in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/r.db")
            res = run("SQLite", engine, reps, reps == 1000)
            engine.dispose()
        lines += [r for r in res if r.startswith("|")]
        plans += [r for r in res if not r.startswith("|")]
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(args.postgres)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in args.postgres else "?"
            engine = make_engine(f"{args.postgres}{sep}options=-csearch_path%3D{schema}")
            try:
                res = run("PostgreSQL", engine, reps, reps == 1000)
            finally:
                engine.dispose()
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
            lines += [r for r in res if r.startswith("|")]
            plans += [r for r in res if not r.startswith("|")]
    print("\n".join(lines + plans))
    return 0


if __name__ == "__main__":
    sys.exit(main())
