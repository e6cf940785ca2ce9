"""Self-protection: back-pressure on post-ack work, slow and idle clients, /healthz, pruning."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import DateTime, column, func, insert, select, table

from bot import jobs
from bot.services import Services, TTLCache
from bot.slack.httpd import AppServer, Limits
from bot.slack.pool import ListenerPool
from bot.slack.server import build_wsgi
from storage import repo
from storage.models import ProcessedRequest
from tests.support.app import Running
from tests.support.clock import Clock
from tests.support.daylog import add_reps


def _get(url: str, timeout: float = 20) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


# ------------------------------------------------------------------ back-pressure


def test_admission_waits_for_room_and_refuses_when_the_lanes_stay_full() -> None:
    pool = ListenerPool(listeners=2, after_ack=1, queue_limit=3)
    gate = threading.Event()
    for _ in range(3):
        pool.defer(gate.wait, 30)
    assert pool.outstanding == 3
    assert pool.admit(timeout=0.2) is False  # full: a new request would be refused
    waiter: list[bool] = []
    thread = threading.Thread(target=lambda: waiter.append(pool.admit(timeout=30)))
    thread.start()
    gate.set()  # the lane catches up…
    thread.join(30)
    assert waiter == [True]  # …and the waiting request gets in
    pool.shutdown()
    assert pool.outstanding == 0


def test_listener_lane_tasks_count_towards_the_bound() -> None:
    pool = ListenerPool(listeners=1, after_ack=1, queue_limit=2)
    gate = threading.Event()
    pool.submit(gate.wait, 30)
    pool.soon(gate.wait, 30)
    assert pool.outstanding == 2 and pool.admit(timeout=0.1) is False
    gate.set()
    pool.shutdown()
    assert pool.outstanding == 0 and pool.admit(timeout=0) is True


def test_when_post_ack_work_falls_behind_new_slack_requests_get_a_retryable_503(
    running: Running,
) -> None:
    add_reps(running, ("U1", "UTC"))
    pool = running.server.wsgi.pool  # the lanes the edge admits requests to
    assert isinstance(pool, ListenerPool)
    pool.queue_limit = 4
    gate = threading.Event()
    pool.defer(gate.wait, 60)  # the after-ack lane is stuck (a slow database, say)
    statuses = []
    for i in range(8):  # DMs in plain words: each leaves its work for after the ack
        resp = running.slack.message_im(f"{i + 1}h prospecting", user_id="U1")
        statuses.append(resp.status)
        if resp.status == 503:
            assert resp.headers["retry-after"] == "1" and "busy" in resp.json()["error"]
        assert pool.outstanding <= pool.queue_limit
    assert statuses == [200, 200, 200] + [503] * 5  # memory stays bounded; Slack redelivers
    gate.set()
    assert running.slack.message_im("2h prospecting", user_id="U1").status == 200


# ------------------------------------------------------------------ slow and idle clients


class _Trickler(threading.Thread):
    """A client that sends a request one byte at a time (a byte a second), or nothing."""

    def __init__(self, port: int, stop: threading.Event, *, idle: bool = False) -> None:
        super().__init__(daemon=True)
        self.port, self.stop, self.idle = port, stop, idle
        self.cut = False

    def run(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        sock.settimeout(1)
        data = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 99\r\n\r\n" * 3
        try:
            for i in range(60):  # bounded: at most a minute
                if self.stop.is_set():
                    return
                if not self.idle:
                    sock.sendall(data[i : i + 1])
                try:
                    if sock.recv(1024) == b"":
                        self.cut = True
                        return
                except TimeoutError:
                    continue
        except OSError:
            self.cut = True
        finally:
            sock.close()


def test_slow_and_idle_clients_cannot_hold_the_server(running: Running) -> None:
    limits = Limits(connection_limit=10, read_timeout=4, idle_timeout=30, shed_after=1)
    server = AppServer(
        build_wsgi(running.app, running.services), host="127.0.0.1", port=0, limits=limits
    ).start()
    stop = threading.Event()
    clients = [_Trickler(server.port, stop, idle=i % 4 == 0) for i in range(20)]
    try:
        for client in clients:
            client.start()
        for _ in range(3):  # /healthz keeps answering while twice the limit is held open
            assert _get(server.url + "/healthz") == (200, {"status": "ok"})
        stop.set()
        for client in clients:
            client.join(70)
        assert any(c.cut for c in clients if not c.idle)  # a trickled request was cut off
        assert any(c.cut for c in clients if c.idle)  # an idle one was shed at the limit
    finally:
        stop.set()
        server.shutdown(timeout=5)


# ------------------------------------------------------------------ health check


def test_healthz_answers_503_within_its_timeout_while_sqlite_is_locked(
    running: Running, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite write lock")
    locker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")  # another process holding a write transaction
        status, body = _get(running.url + "/healthz")
        assert status == 503 and body["reason"] == "database did not answer within 0.8 s"
        assert _get(running.url + "/healthz")[0] == 503  # the stuck ping is not doubled
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    for _ in range(50):  # the stuck ping finishes once the lock goes
        if _get(running.url + "/healthz")[0] == 200:
            break
    else:
        raise AssertionError("/healthz did not recover after the lock was released")


# ------------------------------------------------------------------ bookkeeping and caches


def test_idempotency_keys_and_stale_oauth_states_are_pruned_by_the_tick(
    services: Services, clock: Clock
) -> None:
    now = clock()
    states = table("slack_oauth_states", column("state"), column("expire_at", DateTime()))
    naive = now.replace(tzinfo=None)
    with services.Session.begin() as s:
        assert repo.claim_key(s, "event:old", now - timedelta(hours=25))
        assert repo.claim_key(s, "event:retry-window", now - timedelta(minutes=10))
        assert repo.claim_key(s, "event:23h", now - timedelta(hours=23))
        s.execute(
            insert(states),
            [
                {"state": "left", "expire_at": naive - timedelta(minutes=1)},
                {"state": "open", "expire_at": naive + timedelta(minutes=5)},
            ],
        )
    done = jobs.tick(services, now)
    assert done["prune"] == 2
    with services.Session() as s:
        keys = set(s.scalars(select(ProcessedRequest.key)))
        left = set(s.scalars(select(states.c.state)))
    assert keys == {"event:retry-window", "event:23h"} and left == {"open"}
    with services.Session.begin() as s:  # a retry inside the window is still recognised
        assert not repo.claim_key(s, "event:retry-window", now)
    assert jobs.tick(services, now)["prune"] == 0
    with services.Session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedRequest)) == 2


def test_caches_are_bounded_and_drop_expired_then_oldest_entries() -> None:
    ticks = [0.0]
    cache = TTLCache(ttl=10, clock=lambda: ticks[0], max_entries=3)
    for key in "abc":
        cache.put(key, key.upper())
    cache.put("a", "A2")  # refreshed: now the newest
    cache.put("d", "D")  # full: the oldest ("b") goes
    assert [cache.get(k) for k in "abcd"] == ["A2", None, "C", "D"] and len(cache) == 3
    ticks[0] = 5.0
    cache.put("e", "E")  # still full, nothing expired: "c" goes
    ticks[0] = 12.0  # a, d expired (put at 0); e lives until 15
    cache.put("f", "F")
    assert len(cache) <= 3 and cache.get("e") == "E" and cache.get("f") == "F"
    for i in range(1000):
        cache.put(i, i)
    assert len(cache) == 3
