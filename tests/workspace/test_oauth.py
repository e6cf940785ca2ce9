"""OAuth mode: installing into a workspace from /slack/install, the stored installation, the
installer as manager, bad callbacks, and rotating tokens in requests and in scheduled work."""

from __future__ import annotations

import html
import io
import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import yaml
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, inspect, text

from bot import jobs
from bot.config import ConfigError, load_settings
from bot.logs import setup_logging
from bot.workspace.oauth import BOT_SCOPES, authorization_url
from storage import migrate, repo
from tests.support.app import Running, oauth_install
from tests.support.constants import CLIENT_ID, CLIENT_SECRET, STATE_COOKIE, TEAM_B
from tests.support.http import http_get

SLACK_TABLES = {"slack_installations", "slack_bots", "slack_oauth_states"}
TUE_EVENING = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # a rep's prompt time (UTC, Tuesday)


def bots(run: Running) -> list[dict[str, Any]]:
    """Rows of slack_bots, oldest first."""
    with run.services.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM slack_bots ORDER BY id")).mappings()
        return [dict(r) for r in rows]


def installations(run: Running) -> list[dict[str, Any]]:
    """Rows of slack_installations, oldest first."""
    with run.services.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM slack_installations ORDER BY id")).mappings()
        return [dict(r) for r in rows]


def roster(run: Running, team_id: str) -> list[tuple[str, str, str]]:
    """(user, role, tz) of a workspace's active members."""
    with run.session() as s:
        ws = repo.get_workspace(s, team_id)
        return [(m.user_id, m.role, m.tz) for m in repo.roster(s, ws.id)] if ws else []


def add_rep(run: Running, team_id: str, user_id: str, tz: str = "UTC") -> None:
    """A rep on a workspace's roster (and in the fake Slack)."""
    run.fake.add_user(user_id, tz=tz, team_id=team_id)
    with run.session() as s:
        ws = repo.ensure_workspace(s, team_id)
        repo.upsert_member(s, ws.id, user_id, "hybrid", tz=tz, now=run.clock())


# ---------------------------------------------------------------- schema and configuration


def test_migration_creates_exactly_slack_sdks_store_tables(engine: Engine, db_url: str) -> None:
    expected = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(expected, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(expected, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(expected, "slack_oauth_states")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, expected)
        indexes = {
            t: {(i["name"], tuple(i["column_names"])) for i in inspect(conn).get_indexes(t)}
            for t in ("slack_installations", "slack_bots")
        }

    def table_of(diff: Any) -> str | None:
        item = diff[0] if isinstance(diff, list) else diff
        obj = item[1] if len(item) > 1 else None
        table = getattr(obj, "table", obj)
        return getattr(table, "name", None) or (item[2] if len(item) > 2 else None)

    ours = [d for d in diffs if table_of(d) in SLACK_TABLES]
    assert ours == []
    assert ("slack_bots_idx", ("client_id", "enterprise_id", "team_id", "installed_at")) in (
        indexes["slack_bots"]
    )
    assert (
        "slack_installations_idx",
        ("client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
    ) in indexes["slack_installations"]
    # and it goes down to 0002 and back up
    cfg = migrate.alembic_config(db_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert not SLACK_TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= SLACK_TABLES


def test_requested_scopes_are_the_manifests() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[2] / "manifest.yml").read_text())
    assert sorted(BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"SLACK_CLIENT_ID": CLIENT_ID}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_SECRET": CLIENT_SECRET}, "SLACK_CLIENT_ID"),
    ],
)
def test_half_of_the_oauth_credentials_stops_start_up_with_one_line(
    given: dict[str, str], missing: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = load_settings(
        SLACK_SIGNING_SECRET="s" * 32, SLACK_BOT_TOKEN="xoxb-1", _env_file=None, **given
    )
    for mode in ("http", "tick"):
        with pytest.raises(ConfigError, match=f"^{missing} is not set"):
            settings.require_for(mode)  # type: ignore[arg-type]
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s" * 32)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    assert main(["run", "--port", "0"]) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rolesplit: {missing} is not set")
    assert not (tmp_path / "x.db").exists()  # stopped before touching anything


def test_oauth_mode_refuses_socket_mode() -> None:
    settings = load_settings(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_APP_TOKEN="xapp-1",
        _env_file=None,
    )
    with pytest.raises(ConfigError, match="without --socket"):
        settings.require_for("socket")


def test_authorize_page_follows_the_api_host() -> None:
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert (
        authorization_url("https://slack-gov.com/api/")
        == "https://slack-gov.com/oauth/v2/authorize"
    )


# ---------------------------------------------------------------- the install flow


def test_install_page_links_to_slack_with_our_scopes_and_a_state(oauth_app: Running) -> None:
    page = http_get(oauth_app.url + "/slack/install")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    href = html.unescape(re.search(r'<a href="(http[^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    link = urlparse(href)
    assert (
        f"{link.scheme}://{link.netloc}{link.path}" == oauth_app.fake.base + "/oauth/v2/authorize"
    )
    query = parse_qs(link.query)
    assert query["client_id"] == [CLIENT_ID]
    assert sorted(query["scope"][0].split(",")) == sorted(BOT_SCOPES)
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{STATE_COOKIE}={query['state'][0]};")
    with oauth_app.services.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM slack_oauth_states")).scalar() == 1


def test_install_stores_the_workspace_and_makes_the_installer_a_manager(
    oauth_app: Running, caplog: pytest.LogCaptureFixture
) -> None:
    fake = oauth_app.fake
    caplog.set_level(logging.INFO)
    answer = oauth_install(
        oauth_app, TEAM_B, "Beta Recruiting", "UBMGR", bot_token="xoxb-beta-1", tz="Europe/Berlin"
    )
    assert answer.status == 200 and f"slack://app?team={TEAM_B}" in answer.text
    # the code was exchanged on SLACK_API_URL with the app's credentials, never a bot token
    (exchange,) = fake.calls("oauth.v2.access")
    assert exchange.token is None and exchange.headers["authorization"].startswith("Basic ")
    assert [c.token for c in fake.calls("auth.test")] == ["xoxb-beta-1"]
    (bot,) = bots(oauth_app)
    assert (bot["team_id"], bot["bot_token"], bot["client_id"]) == (
        TEAM_B,
        "xoxb-beta-1",
        CLIENT_ID,
    )
    assert [i["user_id"] for i in installations(oauth_app)] == ["UBMGR"]
    with oauth_app.session() as s:
        ws = repo.get_workspace(s, TEAM_B)
        assert ws is not None and ws.installed and ws.name == "Beta Recruiting"
    assert roster(oauth_app, TEAM_B) == [("UBMGR", "manager", "Europe/Berlin")]
    (welcome,) = fake.calls("chat.postMessage")
    assert welcome.args["channel"] == "UBMGR" and welcome.token == "xoxb-beta-1"
    assert "first manager" in welcome.text and "/rolesplit add" in welcome.text
    # the new manager works in Slack right away, with that workspace's token
    fake.reset()
    fake.add_user("UB1", tz="Asia/Tokyo", team_id=TEAM_B)
    oauth_app.slack.command("add <@UB1> as hunter", user_id="UBMGR", team_id=TEAM_B)
    fake.wait_for_response(1)
    assert ("UB1", "hunter", "Asia/Tokyo") in roster(oauth_app, TEAM_B)
    assert {c.token for c in fake.calls()} == {"xoxb-beta-1"}
    # nothing secret reached the logs
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for secret in (CLIENT_SECRET, "xoxb-beta-1", "code-"):
        assert secret not in logged


def test_reinstalling_keeps_the_roster_and_the_installers_role(oauth_app: Running) -> None:
    assert oauth_install(oauth_app, TEAM_B, "Beta", "UBMGR").status == 200
    add_rep(oauth_app, TEAM_B, "UB1")
    oauth_app.fake.reset()
    # a rep re-authorises the app (new scopes, say): they stay a rep, no second welcome
    assert oauth_install(oauth_app, TEAM_B, "Beta Recruiting", "UB1").status == 200
    assert roster(oauth_app, TEAM_B) == [("UB1", "hybrid", "UTC"), ("UBMGR", "manager", "UTC")]
    assert oauth_app.fake.calls("chat.postMessage") == []
    with oauth_app.session() as s:
        assert repo.get_workspace(s, TEAM_B).name == "Beta Recruiting"  # type: ignore[union-attr]


def _nothing_stored(run: Running) -> None:
    assert bots(run) == [] and installations(run) == []
    with run.session() as s:
        assert repo.get_workspace(s, TEAM_B) is None
    assert run.fake.calls("chat.postMessage") == []


def test_bad_callbacks_are_refused_and_store_nothing(oauth_app: Running) -> None:
    fake, url = oauth_app.fake, oauth_app.url + "/slack/oauth_redirect"
    fake.add_user("UBMGR", team_id=TEAM_B)
    fake.set_oauth_response("good-code", TEAM_B, "Beta", "UBMGR")

    def fresh_state() -> tuple[str, str]:
        cookie = http_get(oauth_app.url + "/slack/install").headers["set-cookie"]
        cookie = cookie.split(";", 1)[0]
        return cookie, cookie.split("=", 1)[1]

    def callback(query: dict[str, str], cookie: str | None) -> Any:
        return http_get(f"{url}?{urlencode(query)}", {"Cookie": cookie} if cookie else {})

    cookie, state = fresh_state()
    # the browser that started the install must finish it (the state cookie)
    no_cookie = callback({"code": "good-code", "state": state}, None)
    assert no_cookie.status == 400 and "invalid_browser" in no_cookie.text
    forged = callback({"code": "good-code", "state": "forged"}, f"{STATE_COOKIE}=forged")
    assert forged.status == 401 and "invalid_state" in forged.text
    denied = callback({"error": "access_denied", "state": state}, cookie)
    assert denied.status == 200 and "access_denied" in denied.text
    # a state is good once, whatever came with it
    missing = callback({"state": state}, cookie)
    assert missing.status == 401 and "missing_code" in missing.text
    again = callback({"code": "good-code", "state": state}, cookie)
    assert again.status == 401 and "invalid_state" in again.text
    cookie, state = fresh_state()
    bad = callback({"code": "wrong-code", "state": state}, cookie)
    assert bad.status == 401 and "invalid_code" in bad.text
    assert [c.args["code"] for c in fake.calls("oauth.v2.access")] == ["wrong-code"]
    _nothing_stored(oauth_app)


def test_wrong_client_secret_installs_nothing(oauth_app: Running) -> None:
    oauth_app.fake.oauth_client = (CLIENT_ID, "the-real-secret")
    answer = oauth_install(oauth_app, TEAM_B, "Beta", "UBMGR")
    assert answer.status == 401 and "invalid_code" in answer.text
    _nothing_stored(oauth_app)


def test_a_workspace_that_never_installed_is_told_to_install(oauth_app: Running) -> None:
    oauth_app.fake.add_user("UX", is_admin=True, team_id="T0009")
    resp = oauth_app.slack.command("add <@UX> as manager", user_id="UX", team_id="T0009")
    assert resp.status == 200
    (told,) = oauth_app.fake.wait_for_response(1)
    assert "reinstall" in told["text"].lower() or "install" in told["text"].lower()
    with oauth_app.session() as s:
        assert repo.get_workspace(s, "T0009") is None


def test_each_token_is_checked_with_auth_test_once_not_per_request(oauth_app: Running) -> None:
    assert oauth_install(oauth_app, TEAM_B, "Beta", "UBMGR", bot_token="xoxb-beta-9").status == 200
    oauth_app.fake.reset()
    for _ in range(3):
        assert oauth_app.slack.command("roster", user_id="UBMGR", team_id=TEAM_B).status == 200
    checks = [c for c in oauth_app.fake.calls("auth.test") if c.token == "xoxb-beta-9"]
    assert len(checks) <= 1


# ---------------------------------------------------------------- token rotation


def _install_rotating(run: Running, expires_in: int = 3600) -> None:
    run.fake.refreshed_expires_in = 43_200
    answer = oauth_install(
        run,
        TEAM_B,
        "Beta",
        "UBMGR",
        bot_token="xoxe.xoxb-beta-0",
        refresh_token="xoxe-1-beta-0",
        expires_in=expires_in,
    )
    assert answer.status == 200
    (bot,) = bots(run)
    assert bot["bot_refresh_token"] == "xoxe-1-beta-0" and bot["bot_token_expires_at"] is not None
    run.fake.reset()


def test_requests_refresh_an_expiring_token_first(oauth_app: Running) -> None:
    _install_rotating(oauth_app)  # one hour left: inside the two-hour refresh window
    resp = oauth_app.slack.command("roster", user_id="UBMGR", team_id=TEAM_B)
    assert resp.status == 200 and "UBMGR" in resp.json()["text"]
    (refresh,) = oauth_app.fake.calls("oauth.v2.access")
    assert refresh.args["grant_type"] == "refresh_token"
    assert refresh.args["refresh_token"] == "xoxe-1-beta-0"
    (bot,) = bots(oauth_app)
    assert (
        bot["bot_token"].startswith("xoxe.xoxb-T0002-r") and bot["bot_token"] != "xoxe.xoxb-beta-0"
    )
    assert [c.token for c in oauth_app.fake.calls("auth.test")] == [bot["bot_token"]]
    # the refreshed token is good for 12 hours: the next request refreshes nothing
    oauth_app.fake.reset()
    oauth_app.slack.command("roster", user_id="UBMGR", team_id=TEAM_B)
    assert oauth_app.fake.calls("oauth.v2.access") == []


def test_scheduled_work_refreshes_an_expiring_token_once(oauth_app: Running) -> None:
    _install_rotating(oauth_app)
    add_rep(oauth_app, TEAM_B, "UB1")
    add_rep(oauth_app, TEAM_B, "UB2")
    done = jobs.tick(oauth_app.services, TUE_EVENING)
    assert done["prompts"] == 2
    assert len(oauth_app.fake.calls("oauth.v2.access")) == 1  # one refresh, shared
    (bot,) = bots(oauth_app)
    dms = oauth_app.fake.calls("chat.postMessage")
    assert {c.args["channel"] for c in dms} == {"UB1", "UB2"}
    assert {c.token for c in dms} == {bot["bot_token"]} and bot["bot_token"] != "xoxe.xoxb-beta-0"
    stored = oauth_app.services.installation_store.find_bot(  # type: ignore[union-attr]
        enterprise_id=None, team_id=TEAM_B
    )
    assert stored is not None and stored.bot_token_expires_at > time.time() + 11 * 3600


def test_a_refresh_slack_refuses_sends_nothing_and_logs_no_token(
    oauth_app: Running, caplog: pytest.LogCaptureFixture
) -> None:
    _install_rotating(oauth_app, expires_in=60)
    add_rep(oauth_app, TEAM_B, "UB1")
    oauth_app.fake.refresh_tokens.clear()  # Slack no longer knows the refresh token
    stream = io.StringIO()
    handler = setup_logging("json", [CLIENT_SECRET], stream=stream)
    try:
        done = jobs.tick(oauth_app.services, TUE_EVENING)
    finally:
        logging.getLogger().removeHandler(handler)
    assert done["prompts"] == 0 and oauth_app.fake.calls("chat.postMessage") == []
    out = stream.getvalue()
    assert "invalid_refresh_token" in out and TEAM_B in out
    for secret in ("xoxe-1-beta-0", "xoxe.xoxb-beta-0", CLIENT_SECRET):
        assert secret not in out
    (bot,) = bots(oauth_app)
    assert bot["bot_token"] == "xoxe.xoxb-beta-0"  # unchanged: nothing half-saved
