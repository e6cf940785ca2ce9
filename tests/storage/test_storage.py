"""Storage on real databases: migrations, seeds, unique keys, claims, exact hours."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import migrate, repo
from storage.db import insert_ignore, make_sessionmaker
from storage.models import Base, Category, DayLog, Prompt, Study, TimeEntry, Workspace


def test_migrations_reach_head_and_match_models(engine: Engine) -> None:
    assert migrate.is_current(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "workspace",
        "member",
        "category",
        "day_log",
        "time_entry",
        "prompt",
        "account",
        "handoff",
        "checklist_item",
        "nudge",
        "rollup",
        "study",
        "processed_request",
    } <= tables
    # the migrations build exactly what the models say: columns, types, indexes, constraints
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_object": migrate.include_object}
        assert compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata) == []


def test_sqlite_runs_with_wal_and_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_workspace_is_seeded_with_spec_categories_once(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T9")
    again = repo.ensure_workspace(session, "T9")
    assert ws.id == again.id
    cats = repo.categories(session, ws.id)
    assert [(c.key, c.kind) for c in cats] == [
        ("prospecting", "hunting"),
        ("sales_meetings", "hunting"),
        ("sales_other", "hunting"),
        ("account_service", "farming"),
        ("account_growth", "farming"),
        ("admin", "other"),
    ]
    assert session.scalar(select(func.count()).select_from(Category)) == 6


def test_member_upsert_changes_role_and_reactivates(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T9")
    m, new = repo.upsert_member(session, ws.id, "U1", "hunter", tz="Asia/Kolkata")
    assert new and m.tz == "Asia/Kolkata"
    repo.deactivate_member(session, m, "left")
    m2, new2 = repo.upsert_member(session, ws.id, "U1", "farmer")
    assert not new2 and m2.id == m.id and m2.role == "farmer" and m2.active
    assert m2.tz == "Asia/Kolkata"
    with pytest.raises(ValueError):
        repo.upsert_member(session, ws.id, "U2", "boss")


def test_hours_are_exact_decimals_and_unique_per_day(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T9")
    m, _ = repo.upsert_member(session, ws.id, "U1", "hybrid")
    cat = repo.categories(session, ws.id)[0]
    day = DayLog(member_id=m.id, work_date=date(2026, 11, 23), status="logged", source="modal")
    session.add(day)
    session.flush()
    for _ in range(3):
        session.add(
            TimeEntry(
                day_id=day.id,
                member_id=m.id,
                work_date=day.work_date,
                category_id=cat.id,
                hours=Decimal("0.1"),
            )
        )
        session.flush()
        break
    total = session.scalar(select(func.sum(TimeEntry.hours)))
    assert total == Decimal("0.10")
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            TimeEntry(
                day_id=day.id,
                member_id=m.id,
                work_date=day.work_date,
                category_id=cat.id,
                hours=Decimal("1"),
            )
        )
        session.flush()


def test_instants_come_back_aware_utc(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T9")
    m, _ = repo.upsert_member(session, ws.id, "U1", "hunter")
    due = datetime(2026, 3, 8, 22, 30, tzinfo=UTC)
    session.add(Prompt(member_id=m.id, local_date=date(2026, 3, 8), due_at=due, claimed_at=due))
    session.flush()
    session.expire_all()
    p = session.scalars(select(Prompt)).one()
    assert p.due_at == due and p.due_at.tzinfo is not None


def test_only_one_open_study_per_workspace(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T9")
    kw = {
        "workspace_id": ws.id,
        "started_by": "U1",
        "starts_on": date(2026, 11, 2),
        "ends_on": date(2026, 11, 29),
        "weeks": 4,
    }
    session.add(Study(**kw, status="ended"))
    session.add(Study(**kw, status="open"))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Study(**kw, status="open"))
        session.flush()


def test_claim_key_is_once(session: Session) -> None:
    assert repo.claim_key(session, "event:Ev1")
    assert not repo.claim_key(session, "event:Ev1")


def test_concurrent_claims_have_one_winner(engine: Engine) -> None:
    """Eight threads race to claim the same prompt: exactly one insert wins."""
    Session_ = make_sessionmaker(engine)
    with Session_.begin() as s:
        ws = repo.ensure_workspace(s, "T9")
        member_id = repo.upsert_member(s, ws.id, "U1", "hunter")[0].id
    wins: list[bool] = []
    barrier = threading.Barrier(8)
    now = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)

    def claim() -> None:
        barrier.wait(timeout=10)
        with Session_.begin() as s:
            wins.append(
                insert_ignore(
                    s,
                    Prompt,
                    {
                        "member_id": member_id,
                        "local_date": date(2026, 11, 24),
                        "due_at": now,
                        "claimed_at": now,
                        "status": "claimed",
                        "attempts": 0,
                    },
                    ["member_id", "local_date"],
                )
            )

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(wins) == [False] * 7 + [True]
    with Session_() as s:
        assert s.scalar(select(func.count()).select_from(Prompt)) == 1
        assert s.scalar(select(func.count()).select_from(Workspace)) == 1
