"""Engine and session factory from DATABASE_URL (SQLite: WAL, foreign keys, immediate writes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Update, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgres URLs (Heroku-style `postgres://` too)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE.

    A read-only SQLite engine begins deferred transactions (WAL readers never wait for the
    writer) and refuses writes; on PostgreSQL reads need nothing special.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # a pool as large as the busiest moment: opening a SQLite connection runs PRAGMAs
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 20)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE: a transaction takes the
            # write lock up front and waits for it (busy_timeout) instead of failing on upgrade.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if not read_only and ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            if read_only:
                cur.execute("PRAGMA query_only=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def insert_ignore(
    session: Session, model: Any, values: dict[str, Any], conflict: list[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this call inserted the row (a claim)."""
    dialect = session.get_bind().dialect.name
    key = (dialect, model, tuple(sorted(values)), tuple(conflict))
    stmt = _INSERT_IGNORE.get(key)
    if stmt is None:
        # built once per shape (building and keying a statement costs more than running it);
        # the values come in as parameters
        ins = pg_insert if dialect == "postgresql" else sqlite_insert
        table = model.__table__
        pk = next(iter(table.primary_key.columns))
        # RETURNING, not rowcount: psycopg reports -1 for a skipped ON CONFLICT insert.
        stmt = ins(table).on_conflict_do_nothing(index_elements=conflict).returning(pk)
        _INSERT_IGNORE[key] = stmt
    return session.execute(stmt, values).first() is not None


_INSERT_IGNORE: dict[tuple[Any, ...], Any] = {}


def won(session: Session, stmt: Update) -> bool:
    """Run a guarded UPDATE … RETURNING (a claim): True when it changed a row (this caller won)."""
    row = session.execute(stmt, execution_options={"synchronize_session": False}).first()
    return row is not None


def skip_locked(session: Session) -> dict[str, Any]:
    """with_for_update() arguments: SKIP LOCKED on PostgreSQL, nothing on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        return {"skip_locked": True}
    return {}
