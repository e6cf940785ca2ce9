"""A bare Bolt app whose listeners only ack(), served on rolesplit's own server stack.

The request-path benchmark runs it beside `rolesplit run` so every rolesplit number has a
same-machine, same-run baseline: `python bench/baseline_app.py --port 3101`. With `--durable`
it first stores each request (one insert of the signed body, committed) in DATABASE_URL, then
acknowledges: the floor for any app that loses nothing it acknowledged.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, Table, Text, func, insert

from bot.config import load_settings
from bot.services import Services
from bot.slack.server import AppServer, WsgiApp

REQUESTS = Table(
    "bench_durable_request",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), server_default=func.now()),
    Column("body", Text, nullable=False),
)


def build_baseline(
    signing_secret: str, api_url: str, token: str, durable: Engine | None = None
) -> App:
    """Bolt with the same client settings as rolesplit, every listener a bare ack().

    With a `durable` engine, a global middleware inserts the request body and commits before
    any listener runs (events are acknowledged before their listener starts, so after it).
    """
    client = WebClient(token=token, base_url=api_url)
    app = App(
        signing_secret=signing_secret,
        client=client,
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=16),
    )
    if durable is not None:
        REQUESTS.create(durable, checkfirst=True)
        statement = insert(REQUESTS)

        @app.middleware
        def store(req: BoltRequest, resp: BoltResponse, next: Any) -> Any:
            with durable.begin() as conn:
                conn.execute(statement, {"body": req.raw_body})
            return next()

    @app.command(re.compile(".*"))
    def on_command(ack: Ack) -> None:
        ack()

    @app.action(re.compile(".*"))
    def on_action(ack: Ack) -> None:
        ack()

    @app.view(re.compile(".*"))
    def on_view(ack: Ack) -> None:
        ack()

    @app.event("message")
    def on_message(ack: Ack) -> None:
        ack()

    @app.event("app_home_opened")
    def on_home(ack: Ack, body: dict[str, Any]) -> None:
        ack()

    return app


def main() -> int:
    """Serve the baseline until SIGTERM."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--durable", action="store_true", help="store each request, then ack")
    args = parser.parse_args()
    settings = load_settings()
    services = Services.from_settings(settings)
    app = build_baseline(
        settings.slack_signing_secret or "",
        settings.slack_api_url,
        settings.slack_bot_token or os.environ.get("SLACK_BOT_TOKEN", ""),
        services.engine if args.durable else None,
    )
    server = AppServer(WsgiApp(app, services), host="127.0.0.1", port=args.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
