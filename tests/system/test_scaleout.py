"""Scale-out: two `rolesplit run` processes on one PostgreSQL serve requests interchangeably and
share the scheduled work — every effect happens exactly once, in Slack and in the database."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from bot.services import Services
from bot.timelog import views as v
from storage import repo
from storage.db import make_engine
from storage.models import Account, DayLog, Handoff, Member, Nudge, Prompt, Rollup
from tests.fakes import FakeSlack, SlackRequests
from tests.support.app import make_settings
from tests.support.constants import BOT_TOKEN, PG_URL, SIGNING_SECRET, TEAM_ID, WEBHOOK_SECRET
from tests.support.daylog import modal_values
from tests.support.db import pg_schema, pg_schema_url
from tests.support.http import free_port, post_webhook, process_env

pg_only = pytest.mark.skipif(
    not PG_URL,
    reason="scale-out runs several processes on one PostgreSQL (SKIP LOCKED claims); "
    "set ROLESPLIT_TEST_POSTGRES_URL — SQLite is the one-process setup",
)

DB_PASSWORD = "pg-password-7c1e9a"  # trust auth ignores it; it must still never be logged
ROLLUP_CHANNEL = "C0ROLLUP"
REPS = ("U1", "U2", "U3")
START_TIMEOUT = 30.0
TICK_TIMEOUT = 60.0


@pytest.fixture
def schema_url() -> Iterator[str]:
    """A private, empty PostgreSQL schema (search_path), with a password in the URL."""
    assert PG_URL
    base = make_url(PG_URL).set(password=DB_PASSWORD).render_as_string(hide_password=False)
    with pg_schema("s") as schema:
        yield pg_schema_url(schema, base)


class Cluster:
    """Subprocesses of `python -m bot`, their logs in files, all stopped at the end."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env, self.workdir = env, workdir
        self.procs: list[subprocess.Popen[str]] = []
        self.logs: list[Path] = []

    def spawn(self, name: str, *args: str) -> subprocess.Popen[str]:
        """Start `python -m bot ARGS`, stderr (the JSON log) to a file, stdout piped."""
        log = self.workdir / f"{name}.log"
        self.logs.append(log)
        stderr: IO[str] = log.open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            env=self.env,
            cwd=self.workdir,  # no stray .env is read
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        stderr.close()
        self.procs.append(proc)
        return proc

    def run(self, *commands: tuple[str, ...]) -> list[str]:
        """Run one-shot commands concurrently; their stdout; each must exit 0."""
        procs = [self.spawn(f"{c[0]}-{len(self.procs)}", *c) for c in commands]
        outs = [p.communicate(timeout=TICK_TIMEOUT)[0] for p in procs]
        for proc, cmd in zip(procs, commands, strict=True):
            assert proc.returncode == 0, (cmd, self.tail())
        return outs

    def serve(self, port: int) -> str:
        """Start `rolesplit run` on a port and wait (bounded) until /healthz answers 200."""
        proc = self.spawn(f"run-{port}", "run", "--host", "127.0.0.1", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"rolesplit run exited: {self.tail()}"
            if get(url, "/healthz") == 200:
                return url
            time.sleep(0.1)
        raise AssertionError(f"rolesplit run did not answer /healthz: {self.tail()}")

    def tail(self) -> str:
        """The end of every log, for failure messages."""
        return "\n".join(f"{p.name}: {p.read_text()[-800:]}" for p in self.logs if p.exists())

    def stop(self) -> None:
        """SIGTERM every process still running (they drain), then SIGKILL stragglers."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
            if proc.stdout is not None:
                proc.stdout.close()


def get(url: str, path: str) -> int | None:
    """GET status, or None when nothing listens yet."""
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=2)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except OSError:
        return None
    finally:
        conn.close()


def webhook(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST /webhooks/deal-won with the Bearer secret; the 202 body."""
    status, body = post_webhook(url, payload, timeout=20)
    assert status == 202, body
    return dict(body)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def go(i: int, call: Callable[[], Any]) -> None:
        barrier.wait(timeout=10)
        results[i] = call()

    threads = [threading.Thread(target=go, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


def base_env(tmp_path: Path, db_url: str, fake: FakeSlack) -> dict[str, str]:
    """The environment of a rolesplit process: this test's database and fake Slack only."""
    return process_env(
        tmp_path,
        DATABASE_URL=db_url,
        SLACK_API_URL=fake.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        ROLESPLIT_WORK_DAYS="mon,tue,wed,thu,fri,sat,sun",
        ROLESPLIT_LOG_FORMAT="json",
    )


def ticks(cluster: Cluster, instant: datetime) -> Counter[str]:
    """`rolesplit tick --now INSTANT` in two processes at once; items handled, summed."""
    now = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    total: Counter[str] = Counter()
    for out in cluster.run(("tick", "--now", now), ("tick", "--now", now)):
        for part in out.strip().split(", "):
            if ": " in part:
                name, count = part.split(": ")
                total[name] += int(count)
    return total


@pg_only
def test_two_processes_share_requests_and_scheduled_work_exactly_once(
    schema_url: str, tmp_path: Path
) -> None:
    fake = FakeSlack(bot_token=BOT_TOKEN, team_id=TEAM_ID).start()
    for uid in ("UBOSS", *REPS, "UDANA", "USAM"):
        fake.add_user(uid, tz="UTC")
    env = base_env(tmp_path, schema_url, fake)
    env.update(
        ROLESPLIT_WEBHOOK_SECRET=WEBHOOK_SECRET,
        ROLESPLIT_MANAGERS="UBOSS",
        ROLESPLIT_ROLLUP_CHANNEL=ROLLUP_CHANNEL,
        ROLESPLIT_SCHEDULER="off",  # the test runs the ticks, at pinned instants
    )
    cluster = Cluster(env, tmp_path)
    # the processes run on the real clock (requests); the ticks are pinned on today's date
    day = datetime.now(UTC).date()
    evening = datetime.combine(day, dtime(17, 30), UTC)
    try:
        cluster.run(("db", "upgrade"))
        url_a, url_b = cluster.serve(free_port()), cluster.serve(free_port())
        a = SlackRequests(url_a, SIGNING_SECRET, team_id=TEAM_ID, fake=fake)
        b = SlackRequests(url_b, SIGNING_SECRET, team_id=TEAM_ID, fake=fake)

        # roster through both processes
        assert a.command("add <@U1|u1> <@U2|u2> <@U3|u3> as hybrid", user_id="UBOSS").status == 200
        assert b.command("add <@UDANA|udana> as farmer", user_id="UBOSS").status == 200
        added = fake.wait_for_response(2, timeout=15)
        assert all("Added" in r["text"] for r in added), added
        # the roster has been there since before last week: this week's rollup reports on it
        # (a week before the roster had anyone is skipped)
        engine = make_engine(schema_url)
        try:
            with engine.begin() as conn:
                conn.execute(update(Member).values(created_at=evening - timedelta(days=14)))
        finally:
            engine.dispose()

        # one won deal posted to both processes at once; another to each in turn
        won = {"sales_rep": "USAM", "account_manager": "UDANA"}
        won["won_at"] = (day - timedelta(days=7)).isoformat()  # day 1 and day 7 nudges due
        acme = {"account": "Acme Corp", "account_id": "CRM-1", **won}
        first = at_once(lambda: webhook(url_a, acme), lambda: webhook(url_b, acme))
        assert sorted(r["status"] for r in first) == ["created", "exists"]
        assert webhook(url_b, {"account": "Globex", **won})["status"] == "created"
        assert webhook(url_a, {"account": "GLOBEX", **won})["status"] == "exists"
        fake.wait_for("conversations.create", 2, timeout=15)

        # the evening: two tick processes at once — prompts, nudges and the rollup
        done = ticks(cluster, evening)
        assert (done["prompts"], done["nudges"], done["rollups"]) == (4, 2, 1), done
        # each hand-off's second nudge waits for the next pass (one per hand-off per pass)
        done = ticks(cluster, evening + timedelta(minutes=1))
        assert (done["prompts"], done["nudges"], done["rollups"]) == (0, 2, 0), done

        # logs: a modal submitted to both at once; a Slack retry to the other process
        assert a.command(f"log {day.isoformat()}", user_id="U1").status == 200
        fake.wait_for("views.open", timeout=15)
        (view,) = [x for x in fake.views.values() if x.get("callback_id") == v.MODAL_CALLBACK]
        submit = {
            "callback_id": v.MODAL_CALLBACK,
            "values": modal_values(day, prospecting="3", account_service="4.5"),
            "user_id": "U1",
            "private_metadata": view["private_metadata"],
            "view_id": view["id"],
            "hash": view["hash"],
        }
        acks = at_once(lambda: a.view_submission(**submit), lambda: b.view_submission(**submit))
        assert [r.status for r in acks] == [200, 200]
        words = f"{day.isoformat()} prospecting 2, accounts 3"
        event = {"event_id": "Ev0SCALE1", "ts": "1764007200.000100"}
        assert b.message_im(words, user_id="U2", **event).status == 200
        assert a.message_im(words, user_id="U2", retry_num=1, **event).status == 200
        yesterday = (day - timedelta(days=1)).isoformat()
        assert (
            b.message_im(f"{yesterday} admin 8", user_id="U3").status == 200
        )  # not today: reminded
        fake.wait_for("chat.postMessage", 3, timeout=15, predicate=lambda c: "Logged" in c.text)
        time.sleep(0.5)  # room for a wrong second confirmation to show

        # later: one reminder each for the two who have not answered; then nothing at all
        done = ticks(cluster, evening + timedelta(hours=2, minutes=5))
        assert (done["prompts"], done["reminders"], done["nudges"]) == (0, 2, 0), done
        done = ticks(cluster, evening + timedelta(hours=2, minutes=20))
        assert sum(done.values()) == 0, done
    finally:
        cluster.stop()
        fake.stop()

    # Slack saw every effect exactly once
    posts = fake.calls("chat.postMessage")
    prompts = [c.args["channel"] for c in posts if c.args.get("text") == v.prompt_text(day)]
    assert sorted(prompts) == sorted([*REPS, "UDANA"])
    reminder = v.prompt_text(day, reminder=True)
    assert sorted(c.args["channel"] for c in posts if c.args.get("text") == reminder) == [
        "U3",
        "UDANA",
    ]
    logged = [c for c in posts if "Logged" in c.text or "Updated" in c.text]
    assert sorted(c.args["channel"] for c in logged) == ["U1", "U2", "U3"]
    names = sorted(c.args["name"] for c in fake.calls("conversations.create"))
    assert names == ["handoff-acme-corp", "handoff-globex"]
    nudges = Counter(
        (c.args["channel"], c.text.split(" of the ")[0].split("> ")[-1])
        for c in posts
        if " of the *" in c.text and "hand-off (transfer on" in c.text
    )
    assert len(nudges) == 4 and set(nudges.values()) == {1}, nudges
    assert [c.args["channel"] for c in posts if c.args["channel"] == ROLLUP_CHANNEL] == [
        ROLLUP_CHANNEL
    ]
    assert fake.contract_violations == []

    # and so did the database
    engine = make_engine(schema_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Member.user_id, Prompt.local_date, Prompt.status, Prompt.reminded_at)
                .join(Member, Member.id == Prompt.member_id)
                .order_by(Member.user_id)
            ).all()
            assert [(r[0], r[1], r[2]) for r in rows] == [
                (u, day, "sent") for u in sorted([*REPS, "UDANA"])
            ]
            assert [r[0] for r in rows if r[3] is not None] == ["U3", "UDANA"]
            days = conn.execute(
                select(Member.user_id, DayLog.work_date)
                .join(Member, Member.id == DayLog.member_id)
                .order_by(Member.user_id)
            ).all()
            assert [tuple(r) for r in days] == [
                ("U1", day),
                ("U2", day),
                ("U3", day - timedelta(days=1)),
            ]
            assert conn.scalar(select(func.count()).select_from(Account)) == 2
            assert conn.scalar(select(func.count()).select_from(Handoff)) == 2
            sent = conn.execute(
                select(Nudge.kind, Nudge.attempts).where(Nudge.sent_at.is_not(None))
            ).all()
            assert sorted(tuple(r) for r in sent) == [("day1", 1)] * 2 + [("day7", 1)] * 2
            assert conn.execute(select(Rollup.status)).scalars().all() == ["sent"]
    finally:
        engine.dispose()

    # both processes served Slack requests; every log line is JSON; no secret in any of them
    lines = [json.loads(x) for log in cluster.logs for x in log.read_text().splitlines()]
    served = Counter(
        (x["path"], x["status"]) for x in lines if x["logger"] == "bot.http" and x["team_id"]
    )
    assert served[("/slack/events", 200)] >= 8, served
    for log in cluster.logs[1:3]:  # the two `run` processes
        assert '"path": "/slack/events"' in log.read_text()
    everything = "\n".join(log.read_text() for log in cluster.logs)
    for secret in (BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET, DB_PASSWORD):
        assert secret not in everything


def test_tick_now_runs_the_pass_as_of_that_instant(
    db_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    services = Services.from_settings(make_settings(db_url, fake_slack.url))
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        repo.upsert_member(s, ws.id, "U1", "hybrid", tz="Asia/Tokyo", now=datetime.now(UTC))
    services.dispose()
    cluster = Cluster(base_env(tmp_path, db_url, fake_slack), tmp_path)
    try:
        # 17:30 in Tokyo on Tuesday 24 November 2026 is 08:30 UTC
        (out,) = cluster.run(("tick", "--now", "2026-11-24T08:29:00Z"))
        assert "prompts: 0, reminders: 0" in out, out
        (out,) = cluster.run(("tick", "--now", "2026-11-24T17:30:00+09:00"))
        assert "prompts: 1, reminders: 0" in out, out
        naive = cluster.spawn("naive", "tick", "--now", "2026-11-24T08:30")
        assert naive.wait(timeout=TICK_TIMEOUT) == 2
    finally:
        cluster.stop()
    (call,) = fake_slack.calls("chat.postMessage")
    assert call.args["channel"] == "U1"
    assert call.args["text"] == v.prompt_text(date(2026, 11, 24))
    assert "has no time zone: add Z or an offset" in cluster.logs[-1].read_text()
