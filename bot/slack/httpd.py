"""The HTTP server: waitress with limits, read deadlines and load shedding; a bounded health check.

The numbers are for operators (README, "Operations"); a reverse proxy in front should be
at least as strict.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from storage.db import ping

log = logging.getLogger("bot.http")


@dataclass(frozen=True)
class Limits:
    """The server's limits (seconds, bytes, connections)."""

    connection_limit: int = 200  # open connections; past it the stalest reader is dropped
    read_timeout: int = 10  # a request (headers and body) must arrive within this
    idle_timeout: int = 30  # a kept-alive connection with no request is closed after this
    shed_after: float = 2.0  # at the limit, a connection this old with no full request may go
    header_bytes: int = 64 * 1024
    body_bytes: int = 1024 * 1024  # Slack's largest payloads (a modal's state) are far below
    threads: int = 8

    def adjustments(self, host: str, port: int) -> Adjustments:
        """waitress's settings for these limits."""
        return Adjustments(
            host=host,
            port=port,
            threads=self.threads,
            ident="rolesplit",
            clear_untrusted_proxy_headers=True,
            connection_limit=self.connection_limit,
            channel_timeout=self.idle_timeout,
            cleanup_interval=1,  # read deadlines are checked every second
            max_request_header_size=self.header_bytes,
            # the app answers up to twice its limit with its own JSON 413; waitress refuses
            # anything larger before reading it
            max_request_body_size=2 * self.body_bytes,
        )


class GuardedChannel(HTTPChannel):  # type: ignore[misc]
    """A waitress channel that remembers when the request it is reading began."""

    reading_since: float | None = None

    def received(self, data: bytes) -> bool:
        """waitress's parser, timing the partial request it leaves behind."""
        started = self.reading_since or time.time()
        result = bool(super().received(data))
        self.reading_since = started if self.request is not None else None
        return result


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    """waitress's TCP server with a read deadline and load shedding at the connection limit.

    A client that trickles its request (a byte every few seconds keeps waitress's inactivity
    timer happy) is cut at `read_timeout`; when every connection slot is taken, the one that
    has been waiting longest without a complete request is closed to let a new one in, so a
    handful of slow clients can never lock `/healthz` or Slack out.
    """

    channel_class = GuardedChannel

    def __init__(self, application: Any, limits: Limits, adj: Adjustments) -> None:
        self.limits = limits
        super().__init__(application, map={}, adj=adj, sockinfo=adj.listen[0])

    def maintenance(self, now: float) -> None:
        """waitress's idle sweep, plus: close connections whose request is overdue."""
        super().maintenance(now)
        cutoff = now - self.limits.read_timeout
        for channel in list(self.active_channels.values()):
            since = getattr(channel, "reading_since", None)
            if not channel.requests and since is not None and since < cutoff:
                log.warning(
                    "closed a connection that took over %ds to send its request",
                    self.limits.read_timeout,
                    extra={"outcome": "slow_client"},
                )
                channel.will_close = True

    def readable(self) -> bool:
        """Accept while under the limit; at the limit, shed the stalest waiting connection."""
        if self.accepting and len(self._map) >= self.adj.connection_limit:
            self._shed(time.time())
        return bool(super().readable())

    def _shed(self, now: float) -> None:
        waiting = [
            (getattr(ch, "reading_since", None) or ch.last_activity, ch)
            for ch in self.active_channels.values()
            if not ch.requests and not ch.will_close
        ]
        if not waiting:
            return  # every connection is being served: new ones wait in the listen backlog
        since, stalest = min(waiting, key=lambda pair: pair[0])
        if now - since >= self.limits.shed_after:
            log.warning(
                "connection limit (%d) reached: closed the connection waiting longest "
                "without a complete request",
                self.adj.connection_limit,
                extra={"outcome": "shed"},
            )
            stalest.will_close = True


class _Ping:
    """One database ping running on its own thread."""

    def __init__(self, engine: Engine) -> None:
        self.done, self.ok = threading.Event(), False
        threading.Thread(target=self._run, args=(engine,), name="healthz", daemon=True).start()

    def _run(self, engine: Engine) -> None:
        try:
            self.ok = ping(engine)
        finally:
            self.done.set()


class HealthCheck:
    """Pings the database on its own thread and answers within `timeout` seconds regardless.

    One ping at a time: while a ping is stuck (a locked SQLite file, a database that does not
    answer), later checks wait on the same one instead of piling up threads or connections.
    """

    def __init__(self, engine: Engine, timeout: float = 0.8) -> None:
        self.engine, self.timeout = engine, timeout
        self._lock = threading.Lock()
        self._current: _Ping | None = None

    def check(self) -> bool | None:
        """True when the database answered, False when it failed, None when it took too long."""
        with self._lock:
            if self._current is None or self._current.done.is_set():
                self._current = _Ping(self.engine)
            current = self._current
        if not current.done.wait(self.timeout):
            return None
        return current.ok


class Drainable(Protocol):
    """The WSGI app AppServer serves: it counts requests in flight and has the listener pool."""

    inflight: int
    pool: Any

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]: ...


class AppServer:
    """A waitress server that can run in the foreground or a thread and drains on shutdown."""

    def __init__(
        self,
        wsgi: Drainable,
        host: str = "0.0.0.0",
        port: int = 3000,
        threads: int = 8,
        limits: Limits | None = None,
    ) -> None:
        self.wsgi = wsgi
        limits = limits or Limits(threads=threads)
        self.server: Any = GuardedServer(wsgi, limits, limits.adjustments(host, port))
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        """The bound port (useful with port 0)."""
        return int(self.server.effective_port)

    @property
    def url(self) -> str:
        """Base URL on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def serve_forever(self) -> None:
        """Run the server loop in this thread until shutdown()."""
        self.server.run()
        self._stopped.set()

    def start(self) -> AppServer:
        """Serve from a daemon thread (tests, benchmarks)."""
        self._thread = threading.Thread(target=self.serve_forever, name="http", daemon=True)
        self._thread.start()
        return self

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop accepting, let in-flight requests and post-ack work finish, then close."""
        deadline = time.monotonic() + timeout
        self.server.accepting = False
        self.server.trigger.pull_trigger(self._close_listener)
        while self.wsgi.inflight and time.monotonic() < deadline:
            time.sleep(0.02)
        pool = self.wsgi.pool
        if pool is not None and hasattr(pool, "shutdown"):
            pool.shutdown(wait=True)
        time.sleep(0.05)  # let the last responses flush
        self.server.task_dispatcher.shutdown(
            cancel_pending=False, timeout=max(0.1, deadline - time.monotonic())
        )
        self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        if self._thread is not None:
            self._thread.join(timeout=5)
        else:
            self._stopped.wait(timeout=5)

    def _close_listener(self) -> None:
        self.server.del_channel()
        self.server.socket.close()
