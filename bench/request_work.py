"""Database work per request: transactions begun, statements and writes for each request kind.

    PYTHONPATH=. .venv/bin/python bench/request_work.py [--postgres URL]

The real app on loopback against the fake Slack (tests/fakes), 5 reps and an admin; each kind
is sent twice (the first warms the caches) and the second is counted, the ack and all the
work after it (the confirmation, the prompt update, the App Home refresh). Unlike latency on a
shared machine these counts are exact, so two versions of the code compare one for one.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, event, text

from bot import create_app
from bot.config import load_settings
from bot.services import Services
from bot.slack.server import AppServer, build_wsgi
from bot.timelog import views as v
from storage import migrate, repo
from storage.db import make_engine
from tests.fakes import FakeSlack, SlackRequests

TEAM, TOKEN, SECRET = "T0001", "xoxb-bench-token", "bench-signing-secret-0123456789"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WRITES = ("insert", "update", "delete")


@dataclass
class Count:
    """What the app did on its engines meanwhile."""

    begun: int = 0
    statements: int = 0
    writes: int = 0


def _engines(services: Services) -> list[Engine]:
    read = services.Read.kw["bind"] if services.Read is not None else None
    return [services.engine] + ([read] if read is not None else [])


def counted(services: Services, send: Callable[[], None]) -> Count:
    """Count the transactions and statements while `send` runs (and its work settles)."""
    count = Count()

    def on_begin(_conn: Any) -> None:
        count.begun += 1

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        count.statements += 1
        count.writes += statement.lstrip().lower().startswith(WRITES)

    for engine in _engines(services):
        event.listen(engine, "begin", on_begin)
        event.listen(engine, "before_cursor_execute", on_execute)
    try:
        send()
        time.sleep(1.0)  # the work after the ack settles (the listener pool's second lane)
    finally:
        for engine in _engines(services):
            event.remove(engine, "begin", on_begin)
            event.remove(engine, "before_cursor_execute", on_execute)
    return count


def day(date_text: str, **hours: str) -> dict[str, Any]:
    """The Log hours form's state.values for a day."""
    values: dict[str, Any] = {
        v.DATE_BLOCK: {v.DATE_ACTION: {"type": "datepicker", "selected_date": date_text}}
    }
    for key in ("prospecting", "account_service"):
        values[v.CATEGORY_BLOCK.format(key)] = {
            v.HOURS_ACTION: {"type": "plain_text_input", "value": hours.get(key)}
        }
    values[v.NOTE_BLOCK] = {v.NOTE_ACTION: {"type": "plain_text_input", "value": None}}
    return values


def measure(db_url: str, label: str) -> list[tuple[str, str, Count]]:
    """Every request kind, counted, on one database."""
    fake = FakeSlack(bot_token=TOKEN, team_id=TEAM)
    fake.start()
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url}
    settings = load_settings(**env, DATABASE_URL=db_url, ROLESPLIT_SCHEDULER="off", _env_file=None)
    services = Services.from_settings(settings, clock=lambda: NOW)
    server = AppServer(build_wsgi(create_app(settings, services), services), "127.0.0.1", 0)
    server.start()
    slack = SlackRequests(server.url, SECRET, team_id=TEAM, fake=fake)
    try:
        fake.add_user("UBOSS", is_admin=True)
        with services.Session.begin() as s:
            ws = repo.ensure_workspace(s, TEAM)
            for i in range(1, 6):
                repo.upsert_member(s, ws.id, f"U{i}", "hybrid", tz="UTC", now=NOW)
                fake.add_user(f"U{i}", tz="UTC")

        def wait(method: str) -> Callable[[Any], None]:
            return lambda _resp: fake.wait_for(method, 1)

        kinds: list[tuple[str, Callable[[int], Any], Callable[[Any], None]]] = [
            ("/rolesplit roster", lambda n: slack.command("roster", user_id="UBOSS"), id),
            (
                "/rolesplit report",
                lambda n: slack.command("report last-week", user_id="UBOSS"),
                lambda _resp: fake.wait_for_response(1),
            ),
            (
                "block action (Log hours)",
                lambda n: slack.block_action(v.OPEN_MODAL, value="2026-11-24", user_id="U1"),
                wait("views.open"),
            ),
            (
                "view submission (day)",
                lambda n: slack.view_submission(
                    v.MODAL_CALLBACK,
                    day("2026-11-24", prospecting="2", account_service="4"),
                    user_id="U1",
                    view_id=f"V{n}",
                    hash=f"h{n}",
                ),
                wait("views.publish"),
            ),
            (
                "message.im (plain words)",
                lambda n: slack.message_im(
                    "prospecting 3, admin 1", user_id="U2", ts=f"{1700000000 + n}.0001"
                ),
                wait("views.publish"),
            ),
            (
                "app_home_opened",
                lambda n: slack.app_home_opened(user_id="U3"),
                wait("views.publish"),
            ),
        ]
        rows = []
        for name, send, settle in kinds:
            for n in (1, 2):  # the first warms the caches (users.info, statements); count the 2nd
                fake.reset()
                count = counted(services, lambda n=n, send=send, settle=settle: settle(send(n)))
            rows.append((label, name, count))
        return rows
    finally:
        server.shutdown(timeout=5)
        services.dispose()
        fake.stop()


def main() -> None:
    """Both databases (PostgreSQL when --postgres is given), one table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    rows = []
    url = f"sqlite:///{tempfile.mkdtemp()}/work.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    rows += measure(url, "SQLite")
    if args.postgres:
        schema = f"work_{uuid.uuid4().hex[:10]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.postgres else "?"
            pg = f"{args.postgres}{sep}options={quote(f'-csearch_path={schema}')}"
            engine = make_engine(pg)
            migrate.upgrade(engine)
            engine.dispose()
            rows += measure(pg, "PostgreSQL")
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print("| db | request | transactions | statements | writes |")
    print("| --- | --- | --- | --- | --- |")
    for label, name, c in rows:
        print(f"| {label} | {name} | {c.begun} | {c.statements} | {c.writes} |")


if __name__ == "__main__":
    main()
