"""The app's processes: `python -m bot run` and `python -m bot tick` as subprocesses on this
test's database and fake Slack, their logs in files, every one killed at the end."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

from tests.fakes import FakeSlack
from tests.faults.signed import SECRET

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-faults-token-0000"
MANAGER = "UMGR0001"
START_TIMEOUT = 30.0
CLI_TIMEOUT = 60.0


class HarnessError(RuntimeError):
    """The harness could not do its part (a broken set-up, not a finding about the app)."""


def free_port() -> int:
    """A loopback port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(db_url: str, fake: FakeSlack, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a rolesplit process: this test's database and fake Slack only."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "ROLESPLIT_")) and k not in ("DATABASE_URL", "PORT")
    }
    env.update(
        HOME=str(home),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
        DATABASE_URL=db_url,
        SLACK_API_URL=fake.url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        ROLESPLIT_MANAGERS=MANAGER,
        ROLESPLIT_LOG_FORMAT="json",
        ROLESPLIT_TICK_SECONDS="2",
    )
    env.update(extra)
    return env


class Served:
    """One `python -m bot run` process and its URL."""

    def __init__(self, proc: subprocess.Popen[bytes], url: str) -> None:
        self.proc, self.url = proc, url

    def kill(self) -> None:
        """`kill -9`: no drain, no goodbye."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM (the app drains), SIGKILL after `timeout`; the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=10)


class Procs:
    """`python -m bot …` subprocesses with their logs in files; `close()` kills what is left."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env, self.workdir = env, workdir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.served: list[Served] = []
        self.logs: list[Path] = []

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """Start `python -m bot ARGS` in the work directory (no stray .env), log to a file."""
        log = self.workdir / f"{name}-{len(self.logs)}.log"
        self.logs.append(log)
        err: IO[bytes] = log.open("wb")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", *args],
                env=self.env,
                cwd=self.workdir,
                stdout=subprocess.PIPE,
                stderr=err,
            )
        finally:
            err.close()
        self.procs.append(proc)
        return proc

    def serve(self) -> Served:
        """`rolesplit run` on a free port, once /healthz answers 200 (bounded)."""
        port = free_port()
        proc = self.spawn("run", "run", "--host", "127.0.0.1", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise HarnessError(f"rolesplit run exited at start: {self.tail()}")
            if health(url) == 200:
                self.served.append(Served(proc, url))
                return self.served[-1]
            time.sleep(0.1)
        raise HarnessError(f"rolesplit run did not answer /healthz: {self.tail()}")

    def tick(self, now: datetime | None = None, timeout: float = CLI_TIMEOUT) -> str:
        """One scheduler pass, `python -m bot tick [--now]`, to its end; its summary line."""
        args = ["tick"] + (["--now", now.strftime("%Y-%m-%dT%H:%M:%SZ")] if now else [])
        proc = self.spawn("tick", *args)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=10)
            raise HarnessError(f"tick did not finish in {timeout:.0f} s: {self.tail()}") from None
        return out.decode(errors="replace").strip()

    def tail(self, chars: int = 1500) -> str:
        """The end of every log, for failure messages."""
        return "\n".join(
            f"--- {p.name}: {p.read_text(errors='replace')[-chars:]}"
            for p in self.logs
            if p.exists()
        )

    def stop_servers(self) -> None:
        """SIGTERM every `rolesplit run` still up and wait (bounded) while it drains."""
        for served in self.served:
            served.terminate()

    def close(self) -> None:
        """Kill every process still running and reap it."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            if proc.stdout is not None:
                proc.stdout.close()


def health(url: str) -> int | None:
    """GET /healthz: the status, or None when nothing answers."""
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=2)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except OSError:
        return None
    finally:
        conn.close()
