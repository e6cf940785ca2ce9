"""The console script as an operator runs it: run, db upgrade, schema checks, SIGTERM drain."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage import migrate
from storage.db import make_engine
from tests.support.constants import BOT_TOKEN, PG_URL, SIGNING_SECRET
from tests.support.db import pg_schema as empty_pg_schema
from tests.support.db import pg_schema_url
from tests.support.http import free_port, process_env


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=90,
    )


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """An empty PostgreSQL schema (no migrations applied)."""
    if not PG_URL:
        pytest.skip("ROLESPLIT_TEST_POSTGRES_URL not set")
    with empty_pg_schema() as schema:
        yield pg_schema_url(schema)


def test_run_refuses_an_outdated_schema_until_db_upgrade(pg_schema: str, tmp_path: Path) -> None:
    env = process_env(
        tmp_path,
        DATABASE_URL=pg_schema,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL="http://127.0.0.1:9/api/",
    )
    proc = _cli("run", "--port", "0", env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert "run `rolesplit db upgrade`" in proc.stderr and "Traceback" not in proc.stderr
    up = _cli("db", "upgrade", env=env, cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    assert f"database at {migrate.head_revision()}" in up.stdout
    engine = make_engine(pg_schema)
    assert migrate.is_current(engine)
    engine.dispose()


def test_db_upgrade_on_sqlite_and_unreachable_database(tmp_path: Path) -> None:
    env = process_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    proc = _cli("db", "upgrade", env=env, cwd=tmp_path)
    assert proc.returncode == 0 and "database at" in proc.stdout
    env = process_env(tmp_path, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    proc = _cli("db", "upgrade", env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("rolesplit: DATABASE_URL: cannot reach the database")


class _Reader(threading.Thread):
    """Collects a subprocess's stderr lines without blocking the test."""

    def __init__(self, stream: Any) -> None:
        super().__init__(daemon=True)
        self.stream, self.lines = stream, []  # type: ignore[var-annotated]

    def run(self) -> None:
        for line in self.stream:
            self.lines.append(line)


def _wait_healthy(url: str, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "rolesplit run exited early"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("rolesplit run did not become healthy")


def test_run_serves_healthz_with_the_default_sqlite_and_drains_on_sigterm(
    tmp_path: Path, fake_slack: Any
) -> None:
    """A fresh directory: `rolesplit run` migrates SQLite itself, serves, and stops cleanly."""
    from tests.fakes import SlackRequests

    port = free_port()
    env = process_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        ROLESPLIT_SCHEDULER="off",
        PORT=str(port),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = _Reader(proc.stderr)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        assert (tmp_path / "rolesplit.db").exists()
        with urllib.request.urlopen(url + "/healthz", timeout=5) as resp:
            assert json.loads(resp.read()) == {"status": "ok"}
        # An in-flight request (users.info made slow) must still be answered after SIGTERM.
        fake_slack.add_user("UREP")
        fake_slack.set_delay("users.info", 1.0)
        slack = SlackRequests(url, SIGNING_SECRET, fake=fake_slack)
        result: dict[str, Any] = {}
        sender = threading.Thread(
            target=lambda: result.update(resp=slack.command("roster", user_id="UREP"))
        )
        sender.start()
        fake_slack.wait_for("users.info", timeout=10)
        proc.send_signal(signal.SIGTERM)
        sender.join(timeout=15)
        assert result["resp"].status == 200
        assert "for managers" in result["resp"].json()["text"]
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    reader.join(timeout=5)
    log = "".join(reader.lines)
    assert "draining in-flight requests" in log and "stopped cleanly" in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
