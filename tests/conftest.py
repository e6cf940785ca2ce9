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
    from bot.slack.server import AppServer, build_wsgi
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


# ---------------------------------------------------------------- OAuth mode (many workspaces)

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret-0123456789"
TEAM_B = "T0002"
STATE_COOKIE = "slack-app-oauth-state"


@dataclass
class HttpAnswer:
    """A plain HTTP answer (the install pages are HTML, not JSON)."""

    status: int
    headers: dict[str, str]
    text: str


def http_get(url: str, headers: dict[str, str] | None = None) -> HttpAnswer:
    """GET without following redirects."""
    import http.client
    from urllib.parse import urlparse

    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    try:
        target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        conn.request("GET", target, headers=headers or {})
        resp = conn.getresponse()
        return HttpAnswer(
            resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
        )
    finally:
        conn.close()


def oauth_install(
    run: Running,
    team_id: str,
    team_name: str,
    installer: str,
    *,
    bot_token: str | None = None,
    refresh_token: str | None = None,
    expires_in: int | None = None,
    tz: str = "UTC",
) -> HttpAnswer:
    """What a person's browser does: /slack/install, Slack's consent, /slack/oauth_redirect."""
    from urllib.parse import urlencode

    if installer not in run.fake.users:
        run.fake.add_user(installer, name=installer.lower(), tz=tz, team_id=team_id)
    page = http_get(run.url + "/slack/install")
    assert page.status == 200, page
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    state = cookie.split("=", 1)[1]
    assert f"state={state}" in page.text  # the Add to Slack link carries it
    code = f"code-{team_id}-{uuid.uuid4().hex[:8]}"
    run.fake.set_oauth_response(
        code,
        team_id,
        team_name,
        installer,
        bot_token=bot_token or f"xoxb-{team_id}-{uuid.uuid4().hex[:6]}",
        refresh_token=refresh_token,
        expires_in=expires_in,
    )
    query = urlencode({"code": code, "state": state})
    return http_get(f"{run.url}/slack/oauth_redirect?{query}", {"Cookie": cookie})


def start_oauth_app(db_url: str, fake: Any, clock: Clock, **env: Any) -> Running:
    """The app in OAuth mode: client id and secret, no single bot token."""
    fake.oauth_client = (CLIENT_ID, CLIENT_SECRET)
    return start_app(
        db_url,
        fake,
        clock,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        **env,
    )


@pytest.fixture
def oauth_app(db_url: str, fake_slack: Any, clock: Clock) -> Iterator[Running]:
    """The whole app in OAuth mode on loopback, nothing installed yet."""
    run = start_oauth_app(db_url, fake_slack, clock)
    yield run
    run.server.shutdown(timeout=5)
    run.services.dispose()


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
