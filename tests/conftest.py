"""Fixtures: databases (SQLite always, PostgreSQL when ROLESPLIT_TEST_POSTGRES_URL is set),
a pinned clock, the fake Slack Web API, and the real app served over HTTP on loopback.
Constants and builders live in tests/support."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services import Services
from storage.db import make_engine
from tests.fakes import FakeSlack
from tests.support.app import Running, make_settings, oauth_install, start_app, start_oauth_app
from tests.support.clock import Clock
from tests.support.constants import BOT_TOKEN, DB_PARAMS, TEAM_B, TEAM_ID
from tests.support.db import pg_schema, pg_schema_url, upgrade


@pytest.fixture(params=DB_PARAMS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated database: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'rolesplit.db'}"
        upgrade(url)
        yield url
        return
    with pg_schema() as schema:
        url = pg_schema_url(schema)
        upgrade(url)
        yield url


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


@pytest.fixture
def services(db_url: str, clock: Clock) -> Iterator[Services]:
    """Services on the test database with the pinned clock (no Slack behind them)."""
    svc = Services.from_settings(make_settings(db_url), clock=clock)
    yield svc
    svc.dispose()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API on an ephemeral loopback port."""
    fake = FakeSlack(bot_token=BOT_TOKEN, team_id=TEAM_ID)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def running(db_url: str, fake_slack: FakeSlack, clock: Clock) -> Iterator[Running]:
    """The whole app on loopback, on each test database."""
    run = start_app(db_url, fake_slack, clock)
    yield run
    run.stop()


@pytest.fixture
def pg_only(db_url: str) -> None:
    """Skip a test on SQLite."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")


@pytest.fixture
def oauth_app(db_url: str, fake_slack: FakeSlack, clock: Clock) -> Iterator[Running]:
    """The whole app in OAuth mode on loopback, nothing installed yet."""
    run = start_oauth_app(db_url, fake_slack, clock)
    yield run
    run.stop()


@pytest.fixture
def two_workspaces(oauth_app: Running) -> Running:
    """Acme (T0001, installed by UAMGR) and Beta (T0002, installed by UBMGR), both by OAuth."""
    for team, name, installer in (
        (TEAM_ID, "Acme Staffing", "UAMGR"),
        (TEAM_B, "Beta Recruiting", "UBMGR"),
    ):
        answer = oauth_install(oauth_app, team, name, installer)
        assert answer.status == 200, answer.text
    oauth_app.fake.reset()
    return oauth_app
