"""Databases for tests: private PostgreSQL schemas and migrated SQLite files."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import text

from storage import migrate
from storage.db import make_engine
from tests.support.constants import PG_URL


def pg_schema_url(schema: str, base: str | None = None) -> str:
    """A PostgreSQL URL whose connections use `schema` as their search_path."""
    url = base or PG_URL
    assert url
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def pg_schema(prefix: str = "t") -> Iterator[str]:
    """A new, empty PostgreSQL schema (its name), dropped with everything in it afterwards."""
    assert PG_URL
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def upgrade(url: str) -> None:
    """Apply every migration to the database at `url`."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
