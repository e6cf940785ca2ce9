"""`rolesplit run` as an operator starts it: every mistake is one stderr line, and both modes
drain on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.constants import BOT_TOKEN, SIGNING_SECRET, TEAM_ID
from tests.support.http import free_port, process_env
from tests.support.socket_mode import FakeSocketMode, SocketModeSlack

APP_TOKEN = "xapp-1-A0001-1-abcdef0123456789"
ROOT = Path(__file__).resolve().parents[2]  # this checkout's `bot`, not an installed copy
PASSWORD = "s3cret-Pa55"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = process_env(tmp_path)
    env.update(
        PYTHONPATH=str(ROOT),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        ROLESPLIT_SCHEDULER="off",
        DATABASE_URL=f"sqlite:///{tmp_path / 'rolesplit.db'}",
    )
    env.update(extra)
    return env


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections (bound, never listening)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def socket_slack() -> Iterator[tuple[SocketModeSlack, FakeSocketMode]]:
    """The fake Web API plus a Socket Mode endpoint; the app token is known to both."""
    ws = FakeSocketMode().start()
    fake = SocketModeSlack(bot_token=BOT_TOKEN, team_id=TEAM_ID)
    fake.socket_url = ws.url
    fake.add_token(APP_TOKEN, TEAM_ID)
    fake.start()
    yield fake, ws
    fake.stop()
    ws.stop()


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", "0", *args],
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )


def _one_line(proc: subprocess.CompletedProcess[str], variable: str) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"rolesplit: {variable}"), lines[0]
    assert "Traceback" not in proc.stderr and PASSWORD not in proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (f"postgresql://rolesplit:{PASSWORD}@127.0.0.1:notaport/db", "port is not a number"),
        (f"mysql://rolesplit:{PASSWORD}@127.0.0.1/db", "mysql is not supported"),
        (f"postgresql+psycopg2://rolesplit:{PASSWORD}@127.0.0.1/db", "not installed"),
        ("nonsense", "not a database URL"),
    ],
)
def test_a_malformed_database_url_is_one_line(tmp_path: Path, url: str, words: str) -> None:
    assert words in _one_line(_run(tmp_path, DATABASE_URL=url), "DATABASE_URL")


def test_an_unreachable_database_is_one_line_without_the_password(
    tmp_path: Path, closed_port: int
) -> None:
    url = f"postgresql://rolesplit:{PASSWORD}@127.0.0.1:{closed_port}/db"
    line = _one_line(_run(tmp_path, DATABASE_URL=url), "DATABASE_URL")
    assert "cannot reach the database" in line


@pytest.mark.parametrize("mode", [(), ("--socket",)])
def test_slack_unreachable_is_one_line_naming_slack_api_url(
    tmp_path: Path, closed_port: int, mode: tuple[str, ...]
) -> None:
    url = f"http://127.0.0.1:{closed_port}/api/"
    proc = _run(tmp_path, *mode, SLACK_API_URL=url, SLACK_APP_TOKEN=APP_TOKEN)
    line = _one_line(proc, "SLACK_API_URL")
    assert url in line and "Connection refused" in line and "check the address" in line


def test_a_refused_bot_token_is_one_line(tmp_path: Path, fake_slack: Any) -> None:
    proc = _run(tmp_path, SLACK_API_URL=fake_slack.url, SLACK_BOT_TOKEN="xoxb-revoked-1")
    line = _one_line(proc, "SLACK_BOT_TOKEN")
    assert "refused by Slack (invalid_auth)" in line and "OAuth & Permissions" in line


def test_a_bad_or_refused_app_token_is_one_line(
    tmp_path: Path, socket_slack: tuple[SocketModeSlack, FakeSocketMode]
) -> None:
    fake, ws = socket_slack
    not_app = _run(tmp_path, "--socket", SLACK_API_URL=fake.url, SLACK_APP_TOKEN=BOT_TOKEN)
    assert "starts with xapp-" in _one_line(not_app, "SLACK_APP_TOKEN")
    revoked = _run(tmp_path, "--socket", SLACK_API_URL=fake.url, SLACK_APP_TOKEN="xapp-1-gone")
    line = _one_line(revoked, "SLACK_APP_TOKEN")
    assert "refused by Slack (invalid_auth)" in line and "connections:write" in line
    assert ws.connections == 0


def _spawn(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", *args],
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_good_start_logs_no_warning(tmp_path: Path, fake_slack: Any) -> None:
    port = free_port()
    proc = _spawn(tmp_path, "--port", str(port), SLACK_API_URL=fake_slack.url)
    try:
        for _ in range(300):  # bounded: up to about 30 s
            assert proc.poll() is None, "rolesplit run exited early"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "WARNING" not in err and "will be unused" not in err, err
    assert "stopped cleanly" in err


def _home_opened(envelope_id: str, event: Any) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"Ev{envelope_id}",
            "event_time": 1_700_000_000,
            "event": event,
        },
    }


def test_socket_mode_checks_payloads_and_drains_on_sigterm(
    tmp_path: Path, socket_slack: tuple[SocketModeSlack, FakeSocketMode]
) -> None:
    fake, ws = socket_slack
    fake.add_user("U1", tz="UTC")
    fake.set_delay("users.info", 2.0)  # the work after the ack is still running at SIGTERM
    proc = _spawn(tmp_path, "--socket", SLACK_API_URL=fake.url, SLACK_APP_TOKEN=APP_TOKEN)
    try:
        ws.wait_connected(30)
        ws.send(_home_opened("bad", "app_home_opened"))  # not an object: refused, not acked
        ws.send(
            _home_opened(
                "e1", {"type": "app_home_opened", "user": "U1\x00", "tab": "home", "channel": "D1"}
            )
        )
        assert ws.wait_for_ack("e1")["envelope_id"] == "e1"
        fake.wait_for("users.info", timeout=30)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    (publish,) = fake.calls("views.publish")  # finished after SIGTERM, not cut off
    assert publish.args["user_id"] == "U1"  # the NUL was cleaned at the edge
    assert "bad" not in ws.acks
    assert "refused a Socket Mode request: event: must be an object" in err
    assert "draining" in err and "stopped cleanly" in err and "Traceback" not in err
