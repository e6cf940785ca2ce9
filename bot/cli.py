"""Command line: rolesplit run | tick | db upgrade | report | crm import | demo."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from slack_bolt.error import BoltError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configured_secrets, setup_logging
from bot.services import Services
from bot.startup import HeldLogs, database_problem, held_logs, on_signals, slack_startup
from storage import migrate
from storage.models import utcnow

log = logging.getLogger("bot.cli")


def parse_now(value: str) -> datetime:
    """`--now`: an ISO 8601 instant with a zone (`2026-11-24T17:30:00Z`), as UTC."""
    try:
        instant = datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 instant like 2026-11-24T17:30:00Z"
        ) from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} has no time zone: add Z or an offset, e.g. 2026-11-24T17:30:00Z"
        )
    return instant.astimezone(UTC)


def pinned_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at `start` and runs at real speed from there."""
    offset = start - utcnow()
    return lambda: utcnow() + offset


def open_database(
    settings: Settings, *, auto_migrate: bool, clock: Callable[[], datetime] | None = None
) -> Services:
    """Connect and check the schema: the default SQLite migrates itself, others must be current."""
    try:
        services = Services.from_settings(settings, **({"clock": clock} if clock else {}))
        if auto_migrate and settings.is_default_sqlite:
            migrate.upgrade(services.engine)
        elif not migrate.is_current(services.engine):
            raise ConfigError(
                "the database schema is not up to date: run `rolesplit db upgrade` first "
                f"(database at {migrate.current_revision(services.engine) or 'no revision'}, "
                f"code at {migrate.head_revision()})"
            )
    except SQLAlchemyError as exc:
        raise database_problem(settings, exc) from None
    return services


def cmd_run(args: argparse.Namespace) -> int:
    """Serve the app (HTTP by default, Socket Mode with --socket) with the scheduler inside."""
    settings = load_settings()
    settings.require_for("socket" if args.socket else "http")
    setup_logging(settings.log_format, configured_secrets(settings))
    with held_logs() as held:
        services = open_database(settings, auto_migrate=True)
        try:
            return _serve(args, settings, services, held)
        finally:
            services.dispose()


def _serve(args: argparse.Namespace, settings: Settings, services: Services, held: HeldLogs) -> int:
    from bot import create_app

    team_id = None
    if settings.slack_bot_token and not settings.oauth:
        with slack_startup(settings, "SLACK_BOT_TOKEN"):
            team_id = str(services.slack.client(settings.slack_bot_token).auth_test()["team_id"])
    # Settings has read the token; Bolt would read it from the environment again and warn
    # that the client's copy wins: it reaches Bolt one way, on the client
    os.environ.pop("SLACK_BOT_TOKEN", None)
    try:
        with slack_startup(settings, "SLACK_BOT_TOKEN"):
            app = create_app(settings, services)
    except BoltError as exc:
        if settings.oauth:
            raise ConfigError(f"the OAuth settings were not accepted ({exc})") from None
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({exc})") from None
    if team_id is not None:
        # single-workspace mode: a token that works means the app is installed (again)
        from bot.workspace import greet_first_start, set_installed

        set_installed(services, team_id, True)
        greet_first_start(services, team_id)  # once: nobody on the roster yet
    handler = None
    if args.socket:
        from bot.slack.socket_mode import DrainingSocketModeHandler

        assert settings.slack_app_token
        handler = DrainingSocketModeHandler(app, settings.slack_app_token)
        try:
            with slack_startup(settings, "SLACK_APP_TOKEN"):
                handler.connect()
        except ConfigError:
            handler.close()
            raise
    scheduler = None
    if settings.scheduler == "on":
        from bot.scheduler import start_scheduler

        scheduler = start_scheduler(services)
    try:
        if handler is not None:
            stop = threading.Event()
            on_signals(stop.set)
            held.replay()
            log.info("rolesplit is running in Socket Mode")
            stop.wait()
            handler.drain()
            log.info("stopped cleanly")
            return 0
        from bot.slack.server import AppServer, build_wsgi

        port = settings.port if args.port is None else args.port
        server = AppServer(build_wsgi(app, services), host=args.host, port=port)
        on_signals(lambda: threading.Thread(target=server.shutdown, daemon=True).start())
        held.replay()
        log.info("rolesplit is listening on http://%s:%d/slack/events", args.host, server.port)
        server.serve_forever()
        log.info("stopped cleanly")
        return 0
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)


def cmd_tick(args: argparse.Namespace) -> int:
    """One scheduler pass (as of `--now` when given), then exit."""
    settings = load_settings()
    settings.require_for("tick")
    setup_logging(settings.log_format, configured_secrets(settings))
    clock = pinned_clock(args.now) if args.now else None
    services = open_database(settings, auto_migrate=True, clock=clock)
    from bot import jobs

    done = jobs.tick(services, args.now)
    print(", ".join(f"{k}: {v}" for k, v in done.items()) or "nothing due")
    services.dispose()
    return 1 if any(v < 0 for v in done.values()) else 0


def cmd_db(args: argparse.Namespace) -> int:
    """rolesplit db upgrade."""
    settings = load_settings()
    services = Services.from_settings(settings)
    try:
        before = migrate.current_revision(services.engine)
        migrate.upgrade(services.engine)
    except SQLAlchemyError as exc:
        raise database_problem(settings, exc) from None
    after = migrate.current_revision(services.engine)
    print(f"database at {after}" + ("" if before == after else f" (was {before or 'empty'})"))
    services.dispose()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """rolesplit report [PERIOD] [--team T] [--csv] | rolesplit report --study [--team T]."""
    settings = load_settings()
    services = open_database(settings, auto_migrate=False)
    from bot.reports import print_report
    from bot.study import print_study

    try:
        if args.study:
            if args.period or args.csv:
                raise ConfigError(
                    "--study prints the time study's result: leave out PERIOD and --csv"
                )
            return print_study(services, args.team)
        return print_report(services, args.period, args.team, as_csv=args.csv)
    finally:
        services.dispose()


def cmd_demo(args: argparse.Namespace) -> int:
    """The whole product against a local simulated Slack workspace, as a web page."""
    from pathlib import Path

    from bot.demo import serve

    return serve(Path(args.db), port=args.port, fresh=args.fresh)


def cmd_crm(args: argparse.Namespace) -> int:
    """rolesplit crm import FILE.csv [--team T]: load the CRM owner map, all rows or none."""
    settings = load_settings()
    services = open_database(settings, auto_migrate=False)
    from bot.handoff import import_owner_csv

    try:
        return import_owner_csv(services, args.file, args.team)
    finally:
        services.dispose()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="rolesplit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the app (HTTP, or Socket Mode with --socket)")
    run.add_argument("--socket", action="store_true", help="use Socket Mode (SLACK_APP_TOKEN)")
    run.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    run.add_argument("--port", type=int, default=None, help="port (default: PORT, else 3000)")
    run.set_defaults(func=cmd_run)
    tick = sub.add_parser("tick", help="one scheduler pass (prompts, reminders, rollups, nudges)")
    tick.add_argument(
        "--now",
        type=parse_now,
        default=None,
        metavar="INSTANT",
        help="run the pass as if it were this instant (ISO 8601 with a zone, e.g. "
        "2026-11-24T17:30:00Z) — for rehearsals and tests; what is due then is really sent",
    )
    tick.set_defaults(func=cmd_tick)
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="apply the migrations")
    db.set_defaults(func=cmd_db)
    report = sub.add_parser("report", help="the manager report in the terminal")
    report.add_argument(
        "period",
        nargs="?",
        default=None,
        help="this-week (default), last-week, this-month, last-month, Nd, YYYY-MM-DD..YYYY-MM-DD",
    )
    report.add_argument("--team", default=None, help="Slack team id (when several installed)")
    report.add_argument("--csv", action="store_true", help="CSV instead of a table")
    report.add_argument(
        "--study", action="store_true", help="the latest time study's result and split plan"
    )
    report.set_defaults(func=cmd_report)
    crm = sub.add_parser("crm", help="the CRM owner map")
    crm_sub = crm.add_subparsers(dest="action", required=True)
    load = crm_sub.add_parser(
        "import", help="load owners from a CSV: crm, owner_id, slack_user or email"
    )
    load.add_argument("file", help="the CSV file (UTF-8, with a header line)")
    load.add_argument("--team", default=None, help="Slack team id (when several installed)")
    load.set_defaults(func=cmd_crm)
    demo = sub.add_parser(
        "demo", help="the whole product without a Slack workspace, as a page on 127.0.0.1"
    )
    demo.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    demo.add_argument(
        "--db", default="rolesplit-demo.db", help="its SQLite file (default rolesplit-demo.db)"
    )
    demo.add_argument("--fresh", action="store_true", help="start over with a new sample agency")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rolesplit` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"rolesplit: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
