"""Fixtures: databases (SQLite always, PostgreSQL when ROLESPLIT_TEST_POSTGRES_URL is set),
a pinned clock, the fake Slack Web API, and the real app served over HTTP on loopback."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot.config import Settings, load_settings
from bot.services import Services
from storage import migrate
from storage.db import make_engine, make_sessionmaker

PG_URL = os.environ.get("ROLESPLIT_TEST_POSTGRES_URL")
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token-1234567890"
WEBHOOK_SECRET = "test-webhook-secret-abcdef123456"
TEAM_ID = "T0001"

DB_PARAMS = ["sqlite"] + (["postgres"] if PG_URL else [])


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.value = now

    def __call__(self) -> datetime:
        return self.value

    def set(self, now: datetime) -> None:
        """Jump to an instant (aware)."""
        assert now.tzinfo is not None
        self.value = now.astimezone(UTC)

    def advance(self, **kwargs: float) -> datetime:
        """Move forward by a timedelta's keyword arguments."""
        self.value = self.value + timedelta(**kwargs)
        return self.value


def _pg_schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=DB_PARAMS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated database: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'rolesplit.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_schema_url(schema)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    conn = engine.connect()
    outer = conn.begin()
    sess = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield sess
    finally:
        sess.close()
        outer.rollback()
        conn.close()


@pytest.fixture
def clock() -> Clock:
    """Pinned to Tuesday 2026-11-24 12:00 UTC unless a test moves it."""
    return Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


def make_settings(db_url: str, api_url: str = "http://127.0.0.1:9/api/", **env: Any) -> Settings:
    """Settings as the environment would give them, for tests."""
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": db_url,
        "ROLESPLIT_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "ROLESPLIT_SCHEDULER": "off",
        "_env_file": None,
    }
    values.update(env)
    return load_settings(**values)


@pytest.fixture
def services(db_url: str, clock: Clock) -> Iterator[Services]:
    """Services on the test database with the pinned clock (no Slack behind them)."""
    svc = Services.from_settings(make_settings(db_url), clock=clock)
    yield svc
    svc.dispose()


@pytest.fixture
def fake_slack() -> Iterator[Any]:
    """The fake Slack Web API on an ephemeral loopback port."""
    from tests.fakes import FakeSlack

    fake = FakeSlack(bot_token=BOT_TOKEN, team_id=TEAM_ID)
    fake.start()
    yield fake
    fake.stop()


@dataclass
class Running:
    """The real app served over HTTP, with its fake Slack and a signed-request client."""

    url: str
    services: Services
    fake: Any
    slack: Any
    clock: Clock
    server: Any
    app: Any

    def session(self) -> Any:
        """A new transaction on the app's database."""
        return self.services.Session.begin()


def start_app(db_url: str, fake: Any, clock: Clock, **env: Any) -> Running:
    """create_app + AppServer on 127.0.0.1:0 pointing at the fake Slack."""
    from bot import create_app
    from bot.server import AppServer, build_wsgi
    from tests.fakes import SlackRequests

    settings = make_settings(db_url, fake.url, **env)
    services = Services.from_settings(settings, clock=clock)
    app = create_app(settings, services)
    server = AppServer(build_wsgi(app, services), host="127.0.0.1", port=0).start()
    slack = SlackRequests(server.url, SIGNING_SECRET, team_id=TEAM_ID, fake=fake)
    return Running(server.url, services, fake, slack, clock, server, app)


@pytest.fixture
def running(db_url: str, fake_slack: Any, clock: Clock) -> Iterator[Running]:
    """The whole app on loopback, on each test database."""
    run = start_app(db_url, fake_slack, clock)
    yield run
    run.server.shutdown(timeout=5)
    run.services.dispose()


@pytest.fixture
def pg_only(db_url: str) -> None:
    """Skip a test on SQLite."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")


def make_session_factory(engine: Engine) -> Any:
    """sessionmaker for ad-hoc test use."""
    return make_sessionmaker(engine)
