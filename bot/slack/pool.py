"""Bolt's listener executor with two lanes — listeners (up to their ack) and work after the ack —
and a background lane for sends that keep to Slack's pace.

Bolt runs every listener on its `listener_executor` and polls for the ack. When a listener
also does its slow work there (a transaction, DMs, an App Home refresh), a burst fills the
pool and the next requests' listeners wait in the queue before they can even ack. Here
listeners hand that work to a narrower second lane (`after_ack`), so the listener lane stays
free for acks and only a few threads compete with them for the interpreter.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)
_INLINE = threading.local()


QUEUE_LIMIT = 500  # listener and post-ack tasks outstanding before new requests must wait
BACKGROUND_LIMIT = 5000  # outbox sends waiting on the background lane (a few ints each)
ADMIT_WAIT_S = 1.0  # how long a new request waits for room before it is refused (503)


class ListenerPool(Executor):
    """`submit` runs Bolt's listeners; `defer` queues post-ack work on its own, narrower lane.

    Acks come first: a deferred task waits (up to `yield_ms`) to start while requests are
    being answered (see `answering`), unless the post-ack backlog has grown past `max_backlog`.

    Back-pressure: the work outstanding on both lanes is bounded by `queue_limit`. The edge
    asks `admit()` before it dispatches a request; while the lanes are full it waits, and
    when they stay full it refuses the request with a retryable answer instead of queueing
    more than memory and a `SIGTERM` drain can take.
    """

    def __init__(
        self,
        listeners: int = 16,
        after_ack: int = 1,
        *,
        yield_ms: float = 50.0,
        max_backlog: int = 100,
        queue_limit: int = QUEUE_LIMIT,
    ) -> None:
        self._listeners = ThreadPoolExecutor(listeners, thread_name_prefix="listener")
        self._after = ThreadPoolExecutor(after_ack, thread_name_prefix="after-ack")
        # sends that keep to Slack's pace: they may wait, so they never hold the lanes up
        self._background = ThreadPoolExecutor(1, thread_name_prefix="outbox")
        self._waiting = 0  # background tasks not yet finished
        self.background_limit = BACKGROUND_LIMIT
        self._yield_s, self._max_backlog = yield_ms / 1000, max_backlog
        self.queue_limit = queue_limit
        self._busy = 0  # requests being answered (dispatched, not yet acked)
        self._backlog = 0  # deferred tasks not yet finished
        self._listening = 0  # listener-lane tasks not yet finished
        self._cond = threading.Condition()

    @property
    def outstanding(self) -> int:
        """Tasks queued or running on both lanes."""
        return self._backlog + self._listening

    def admit(self, timeout: float = ADMIT_WAIT_S) -> bool:
        """Wait up to `timeout` s for room on the lanes; False when they stay full."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._backlog + self._listening >= self.queue_limit:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """A listener (Bolt calls this for every request); run here when marked `inline`."""
        if getattr(_INLINE, "next", False):
            _INLINE.next = False
            done: Future[Any] = Future()
            done.set_result(fn(*args, **kwargs))
            return done
        return self._on_listener_lane(fn, *args, **kwargs)

    def _on_listener_lane(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        with self._cond:
            self._listening += 1
        try:
            future = self._listeners.submit(fn, *args, **kwargs)
        except RuntimeError:
            self._task_done("_listening")
            raise
        future.add_done_callback(lambda _f: self._task_done("_listening"))
        return future

    def _task_done(self, counter: str) -> None:
        with self._cond:
            setattr(self, counter, getattr(self, counter) - 1)
            self._cond.notify_all()

    @contextmanager
    def inline(self, enabled: bool = True) -> Iterator[None]:
        """Run the next listener this thread submits in this thread (see `Wiring.acks_inline`)."""
        _INLINE.next = enabled
        try:
            yield
        finally:
            _INLINE.next = False

    def soon(self, fn: Callable[..., Any], /, *args: Any) -> None:
        """Time-sensitive work after an ack (e.g. views.open with a trigger id): listener lane."""
        try:
            future = self._on_listener_lane(fn, *args)
        except RuntimeError:  # shutting down: do it here, like `defer`, rather than drop it
            fn(*args)
            return
        future.add_done_callback(_log_failure)

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Mark a request as being answered (deferred work waits to start meanwhile)."""
        with self._cond:
            self._busy += 1
        try:
            yield
        finally:
            with self._cond:
                self._busy -= 1
                if self._busy == 0:
                    self._cond.notify_all()

    def defer(self, fn: Callable[..., Any], /, *args: Any) -> None:
        """Work after an ack, in arrival order; run inline once the pool is shutting down."""
        with self._cond:
            self._backlog += 1
        try:
            future = self._after.submit(self._after_acks, fn, args)
        except RuntimeError:  # shut down: finish it here rather than drop it
            self._task_done("_backlog")
            fn(*args)
            return
        future.add_done_callback(self._deferred_done)

    def background(self, fn: Callable[..., Any], /, *args: Any) -> bool:
        """Work that may wait a while (sends at Slack's pace) on its own lane, outside the
        admission bound; False when that lane is full or shut down (the caller's work must then
        be durable elsewhere: outbox rows stay pending for the scheduler's pass)."""
        with self._cond:
            if self._waiting >= self.background_limit:
                return False
            self._waiting += 1
        try:
            future = self._background.submit(fn, *args)
        except RuntimeError:
            self._task_done("_waiting")
            return False
        future.add_done_callback(self._background_done)
        return True

    def _background_done(self, future: Future[Any]) -> None:
        self._task_done("_waiting")
        if not future.cancelled():
            _log_failure(future)

    def _after_acks(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        deadline = time.monotonic() + self._yield_s
        with self._cond:
            while self._busy and self._backlog <= self._max_backlog:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
        fn(*args)

    def _deferred_done(self, future: Future[Any]) -> None:
        self._task_done("_backlog")
        _log_failure(future)

    def wait_idle(self, timeout: float) -> bool:
        """Wait up to `timeout` s until no request is being answered and every lane (the
        background one too) is empty; False if they are still busy then. (The demo lets the app
        finish what it does after its answers before its clock jumps ahead; never call it from
        the pool's own threads.)"""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._busy or self._backlog or self._listening or self._waiting:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Drain the listeners first (they may still defer work), then the post-ack lane; the
        send under way on the background lane finishes, the ones waiting are left (durable,
        they are sent by a later scheduler pass)."""
        self._listeners.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._after.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._background.shutdown(wait=wait, cancel_futures=True)


def _log_failure(future: Future[Any]) -> None:
    err = future.exception()
    if err is not None:
        log.error("work after ack failed", exc_info=err, extra={"outcome": "error"})


def _run_on(
    context: Mapping[str, Any],
    lane: Callable[[ListenerPool], Callable[..., Any]],
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    """`fn(*args)` on one of the request's pool lanes; inline when the app has no pool."""
    pool = getattr(context.get("listener_runner"), "listener_executor", None)
    if isinstance(pool, ListenerPool):
        lane(pool)(fn, *args)
    else:
        fn(*args)


def soon(context: Mapping[str, Any], fn: Callable[..., Any], *args: Any) -> None:
    """Run `fn(*args)` on the listener lane now (time-sensitive: a trigger id expires)."""
    _run_on(context, lambda pool: pool.soon, fn, args)


def after_ack(context: Mapping[str, Any], fn: Callable[..., Any], *args: Any) -> None:
    """Run `fn(*args)` on the app's post-ack lane."""
    _run_on(context, lambda pool: pool.defer, fn, args)


def in_background(context: Mapping[str, Any], fn: Callable[..., Any], *args: Any) -> None:
    """Run `fn(*args)` on the app's background lane (work that waits for Slack's pace)."""
    _run_on(context, lambda pool: pool.background, fn, args)


class Coalescer:
    """Runs `fn` for a key at most once at a time; calls meanwhile fold into one more run.

    The run that follows starts after the last call arrived, so it sees the latest state
    (the App Home after several logs in a row is published once or twice, not N times).
    """

    def __init__(self) -> None:
        self._again: dict[Hashable, bool] = {}
        self._lock = threading.Lock()

    def run(self, key: Hashable, fn: Callable[[], Any]) -> bool:
        """Run now, or ask the run in progress for one more; True when this call ran fn."""
        with self._lock:
            if key in self._again:
                self._again[key] = True
                return False
            self._again[key] = False
        finished = False
        try:
            while True:
                fn()
                with self._lock:
                    if not self._again[key]:
                        del self._again[key]
                        finished = True
                        return True
                    self._again[key] = False
        finally:
            if not finished:  # fn raised: the next call starts afresh
                with self._lock:
                    self._again.pop(key, None)
