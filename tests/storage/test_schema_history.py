"""Migrations are applied history: every revision builds exactly the schema it built when it
was written, on both databases, and downgrades leave nothing behind.

`data/schema_history.json` holds each revision's schema as the database itself describes it
(SQLite's stored DDL; PostgreSQL's catalog). A new migration adds its revision with
`python -m tests.storage.test_schema_history` (it writes revisions that are missing and never
rewrites one that is there); a change to an old revision, or to a helper the migrations share,
fails here.

The record is the databases' own text, so an upgrade of SQLAlchemy or PostgreSQL that writes
the same schema differently also shows here: compare the old and new text before re-recording
(delete the file and run the module on a checkout whose migrations are known good).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from storage.db import make_engine
from storage.migrate import alembic_config
from tests.support.constants import DB_PARAMS, PG_URL
from tests.support.db import pg_schema, pg_schema_url

HISTORY = Path(__file__).parent / "data" / "schema_history.json"


def revisions() -> list[str]:
    """Every revision, oldest first, then "base" (all the way down again)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))] + ["base"]


def describe(conn: Connection, schema: str | None) -> list[list[Any]]:
    """The schema as the database describes it, sorted."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        return sorted([list(r) for r in rows], key=lambda r: [str(v) for v in r])
    found: list[list[Any]] = []
    for query in (
        "SELECT 'column', table_name, column_name, data_type, character_maximum_length,"
        " numeric_precision, numeric_scale, is_nullable, column_default, ordinal_position"
        " FROM information_schema.columns WHERE table_schema = :s",
        "SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE connamespace = CAST(:s AS regnamespace)",
        "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = :s",
    ):
        found += [list(r) for r in conn.execute(text(query), {"s": schema})]
    described = json.loads(json.dumps(found).replace(f'"{schema}".', "").replace(f"{schema}.", ""))
    return sorted(described, key=lambda r: [str(v) for v in r])


def build(dialect: str, revision: str) -> list[list[Any]]:
    """Migrate a new database to `revision` (for "base": up to head and down again)."""
    if dialect == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            return _build(f"sqlite:///{tmp}/history.db", None, revision)
    with pg_schema("hist") as schema:
        return _build(pg_schema_url(schema), schema, revision)


def _build(url: str, schema: str | None, revision: str) -> list[list[Any]]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head" if revision == "base" else revision)
            if revision == "base":
                command.downgrade(cfg, "base")
            return describe(conn, schema)
    finally:
        engine.dispose()


def load() -> dict[str, dict[str, Any]]:
    return json.loads(HISTORY.read_text()) if HISTORY.exists() else {}


@pytest.mark.parametrize("dialect", DB_PARAMS)
@pytest.mark.parametrize("revision", revisions())
def test_each_revision_builds_what_it_always_built(dialect: str, revision: str) -> None:
    recorded = load().get(dialect, {})
    assert revision in recorded, (
        f"revision {revision} has no recorded schema: run python -m {__spec__.name}"
    )
    assert build(dialect, revision) == recorded[revision]


def main() -> None:
    """Record the revisions that are missing (both databases; PostgreSQL needs its URL)."""
    if not PG_URL:
        sys.exit("set ROLESPLIT_TEST_POSTGRES_URL: both databases' schemas are recorded")
    history = load()
    for dialect in ("sqlite", "postgres"):
        known = history.setdefault(dialect, {})
        for revision in revisions():
            if revision not in known:
                known[revision] = build(dialect, revision)
                print(f"{dialect} {revision}: recorded")
    HISTORY.write_text(dump(history))


def dump(history: dict[str, dict[str, Any]]) -> str:
    """The history as JSON with one schema object (row) to a line, for readable diffs."""
    parts = []
    for dialect, revs in history.items():
        body = ",\n".join(
            f"  {json.dumps(rev)}: [\n"
            + ",\n".join("   " + json.dumps(row, ensure_ascii=False) for row in rows)
            + "\n  ]"
            for rev, rows in revs.items()
        )
        parts.append(f" {json.dumps(dialect)}: {{\n{body}\n }}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


if __name__ == "__main__":
    main()
