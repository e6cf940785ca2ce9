"""The demo as a whole: the simulated workspace and the real app on one loopback server, the
clock that drives the app's scheduler pass, and what the page asks for."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import waitress
from waitress import wasyncore

from bot.config import Settings, load_settings
from bot.demo import agency, model
from bot.demo.clock import DemoClock, jump, local_instant, passes
from bot.demo.driver import Driver
from bot.demo.transport import Outcome
from bot.demo.web import Site
from bot.demo.webapi import WebAPI
from bot.demo.workspace import Workspace
from bot.services import Services
from bot.slack.app import pool_of
from bot.slack.pool import ListenerPool
from storage import migrate, repo

log = logging.getLogger("bot.demo")
SETTLE_S = 30.0  # how long the demo waits for the app to finish its work before moving on
TOKEN = "xoxb-demo-northwind-rolesplit"


def default_start(today: date | None = None) -> datetime:
    """16:45 in the office on the latest weekday up to today."""
    day = today or datetime.now(ZoneInfo(agency.WORKSPACE_TZ)).date()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return local_instant(day, dtime(16, 45), agency.WORKSPACE_TZ)


def demo_settings(db_url: str, api_url: str, secret: str) -> Settings:
    """The app's settings for the demo, none of them read from the environment or a .env."""
    values: dict[str, Any] = {
        (info.alias or name): info.default for name, info in Settings.model_fields.items()
    }
    values.update(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": db_url,
            "ROLESPLIT_WEBHOOK_SECRET": "demo-webhook-secret",
            "ROLESPLIT_TIMEZONE": agency.WORKSPACE_TZ,
            "ROLESPLIT_ROLLUP_CHANNEL": agency.ROLLUP_CHANNEL,
            "ROLESPLIT_SCHEDULER": "off",
        }
    )
    return load_settings(_env_file=None, **values)


class Demo:
    """Build with a database path; `start()` serves and seeds; `stop()` saves and closes."""

    def __init__(
        self,
        db: Path,
        *,
        port: int = 3000,
        host: str = "127.0.0.1",
        fresh: bool = False,
        start: datetime | None = None,
    ) -> None:
        self.db, self.snapshot_path = db, db.with_suffix(".slack.json")
        saved = None if fresh else model.load(self.snapshot_path)
        self.fresh = saved is None or not db.exists()
        if self.fresh:
            saved = None
            for path in (db, self.snapshot_path):
                path.unlink(missing_ok=True)
        begin = datetime.fromisoformat(saved.clock) if saved else (start or default_start())
        self.clock = DemoClock(begin)
        self.ws = Workspace(agency.TEAM_ID, agency.TEAM_NAME, agency.BOT, TOKEN, self.clock)
        self.ws.add_user(agency.SLACKBOT)
        if saved is not None:
            self.ws.restore(saved)
        else:
            for user in agency.PEOPLE:
                self.ws.add_user(user)
            for channel in agency.channels(int(begin.timestamp())):
                self.ws.add_channel(channel)
        self.activity: deque[str] = deque(maxlen=300)
        self.seen: dict[tuple[str, str], str] = {}
        self.site = Site(self)
        self.server: Any = waitress.create_server(
            self.site, host=host, port=port, threads=24, ident="rolesplit-demo", channel_timeout=60
        )
        self.url = f"http://{host}:{self.server.effective_port}"
        self.api = WebAPI(self.ws, self.url)
        self.secret = secrets.token_hex(16)
        self.driver = Driver(self.ws, self.url, self.secret, self.url)
        self.services: Services | None = None
        self.pool: ListenerPool | None = None  # the app's listener pool, once it is built
        self._thread: threading.Thread | None = None
        self._tick_lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Demo:
        """Serve, build the real app against the simulated Slack, seed a fresh agency."""
        from bot import create_app
        from bot.demo.seed import seed

        self._thread = threading.Thread(target=self.server.run, name="demo-http", daemon=True)
        self._thread.start()
        settings = demo_settings(f"sqlite:///{self.db.resolve()}", f"{self.url}/api/", self.secret)
        self.services = Services.from_settings(settings, clock=self.clock)
        migrate.upgrade(self.services.engine)
        app = create_app(settings, self.services)
        self.site.app = _app_wsgi(app, self.services)
        self.pool = pool_of(app)
        with self.services.Session.begin() as s:
            ws = repo.ensure_workspace(s, agency.TEAM_ID, agency.TEAM_NAME)
            ws.installed = True
        if self.fresh:
            seed(self)
        self.save()
        return self

    def stop(self) -> None:
        """Save the workspace, stop accepting, let requests and post-ack work finish, close."""
        self.save()
        self.ws.closing = True
        self.ws.touch()
        self.server.accepting = False
        self.server.trigger.pull_trigger(self._close_listener)
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        self.server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.services is not None:
            self.services.dispose()

    def _close_listener(self) -> None:
        self.server.del_channel()
        self.server.socket.close()

    def save(self) -> None:
        """Keep the simulated workspace next to the database."""
        model.save(self.ws.snapshot(), self.snapshot_path)

    def settle(self) -> None:
        """Wait until what the app does after its answers has happened."""
        self.finish_app_work()
        self.site.settle()

    def finish_app_work(self) -> None:
        """Let the app's listener pool finish its work (bounded), so that nothing it is sending
        is caught in flight when the clock jumps ahead."""
        if self.pool is not None and not self.pool.wait_idle(SETTLE_S):
            log.warning("the app was still busy after %.0f s; the clock moves on", SETTLE_S)

    def note(self, text: str) -> None:
        """One line of the "under the hood" log."""
        local = self.clock().astimezone(ZoneInfo(agency.WORKSPACE_TZ))
        self.activity.append(f"{local:%a %d %b %H:%M}  {text}")

    # ------------------------------------------------------------------ the clock
    def move_clock(self, to: str, viewer: str) -> dict[str, int]:
        """Move the clock as a button says: the scheduler passes of the time in between run
        (hourly), and the colleagues of the person using the page answer their evening
        prompts in plain words, as people do."""
        from bot.demo.colleagues import answer_prompts
        from bot.jobs import tick

        with self._tick_lock:
            user = self.ws.users[viewer]
            target = jump(self.clock(), to, user.tz, agency.WORKSPACE_TZ)
            total: dict[str, int] = {}
            for when in passes(self.clock(), target):
                self.finish_app_work()  # an hour passes between passes: what was under way is done
                mark = self.ws.next_ts()
                for job, n in self.tick_at(when, tick).items():
                    total[job] = total.get(job, 0) + max(0, n)
                answer_prompts(self, mark, viewer)
            return total

    def tick_at(self, when: datetime, tick: Any = None) -> dict[str, int]:
        """Set the clock and run one scheduler pass."""
        if tick is None:
            from bot.jobs import tick
        assert self.services is not None
        now = self.clock.set(when)
        started = time.perf_counter()
        done: dict[str, int] = tick(self.services, now)  # its Slack calls are done when it returns
        self.note(f"scheduler pass: {_summary(done)}")
        log.info("tick %s in %.1fs: %s", now, time.perf_counter() - started, done)
        self.ws.touch()
        return done

    # ------------------------------------------------------------------ the page
    def roles(self) -> dict[str, str]:
        """Each person's role on the roster (read from the app's database)."""
        assert self.services is not None
        with self.services.read() as s:
            ws = repo.get_workspace(s, agency.TEAM_ID)
            members = repo.roster(s, ws.id) if ws else []
            return {m.user_id: m.role for m in members}

    def render(self, query: dict[str, str]) -> dict[str, Any]:
        """The page's parts for one person."""
        from bot.demo.render import render

        return render(self, query)

    def act(self, data: dict[str, Any]) -> dict[str, Any]:
        """One visitor action, through the app's real request path."""
        from bot.demo.actions import perform

        outcome: Outcome | dict[str, Any] = perform(self, data)
        self.save()
        if isinstance(outcome, dict):
            return outcome
        return {"ok": outcome.ok, "note": outcome.note, "errors": outcome.errors}


def _summary(done: dict[str, int]) -> str:
    sent = {k: v for k, v in done.items() if v}
    return ", ".join(f"{k} {v}" for k, v in sent.items()) or "nothing due"


def _app_wsgi(app: Any, services: Services) -> Any:
    """The app's own WSGI routes (/slack/events, /healthz, webhooks) — the one import of them."""
    from bot.slack.server import build_wsgi

    return build_wsgi(app, services)
