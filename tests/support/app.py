"""The real app served over HTTP on loopback, pointing at the fake Slack."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App
from sqlalchemy.orm import Session

from bot import create_app
from bot.config import Settings, load_settings
from bot.services import Services
from bot.slack.server import AppServer, build_wsgi
from tests.fakes import FakeSlack, SlackRequests
from tests.support.clock import Clock
from tests.support.constants import (
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    SIGNING_SECRET,
    TEAM_ID,
    WEBHOOK_SECRET,
)
from tests.support.http import HttpAnswer, http_get


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


@dataclass
class Running:
    """The real app served over HTTP, with its fake Slack and a signed-request client."""

    url: str
    services: Services
    fake: FakeSlack
    slack: SlackRequests
    clock: Clock
    server: AppServer
    app: App

    def session(self) -> AbstractContextManager[Session]:
        """A new transaction on the app's database (`with run.session() as s:`)."""
        return self.services.Session.begin()

    def stop(self) -> None:
        """Drain the server and close the database."""
        self.server.shutdown(timeout=5)
        self.services.dispose()


def start_app(db_url: str, fake: FakeSlack, clock: Clock, **env: Any) -> Running:
    """create_app + AppServer on 127.0.0.1:0 pointing at the fake Slack."""
    settings = make_settings(db_url, fake.url, **env)
    services = Services.from_settings(settings, clock=clock)
    app = create_app(settings, services)
    server = AppServer(build_wsgi(app, services), host="127.0.0.1", port=0).start()
    slack = SlackRequests(server.url, SIGNING_SECRET, team_id=TEAM_ID, fake=fake)
    return Running(server.url, services, fake, slack, clock, server, app)


def start_oauth_app(db_url: str, fake: FakeSlack, clock: Clock, **env: Any) -> Running:
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
