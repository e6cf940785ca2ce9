"""Outbound sending: what the app decides to tell someone outside a request (prompts, reminders,
study DMs and results, hand-off nudges).

Each send is claimed in the database first (by the feature), then keeps to its workspace's pace
(a `send_pace` row shared by every process), posts with a client that retries only a 429, is
classified — sent, retry (provably nothing was posted: a later pass tries again) or failed
(permanent errors named) — and its outcome is recorded by the feature and logged here.
"""

from __future__ import annotations

import logging
import time
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig
from bot.services import Services
from bot.slack.client import NoTokenError
from storage.pace_repo import reserve_slot

SEND_THREADS = 8
DEFAULT_DM_PER_MINUTE = 600  # our pace per workspace; Slack allows "several hundred" a minute
NO_TOKEN = "no bot token for the workspace"
# Slack errors that will not go away by trying again (the time log stops prompting the member).
PERMANENT = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "user_disabled",
        "channel_not_found",
        "messages_tab_disabled",
        "is_archived",
    }
)
T = TypeVar("T")


# not sent: the feature's last check before the send said no (the error is its reason)
HELD = "held"


@dataclass(frozen=True)
class Outcome:
    """What a Web API call came to: sent | retry (provably not sent) | failed | held (not sent)."""

    status: str
    error: str = ""
    channel: str = ""
    ts: str = ""
    permanent: bool = False
    needed: str = ""  # the scope Slack names with `missing_scope`


def post(services: Services, team_id: str, channel: str, **message: Any) -> Outcome:
    """chat.postMessage (a user id posts into their DM), classified for the claim's record."""
    return attempt(services, team_id, lambda c: c.chat_postMessage(channel=channel, **message))


def attempt(services: Services, team_id: str, call: Callable[[WebClient], Any]) -> Outcome:
    """One Web API call with the workspace's sending client (it retries only a 429), classified.

    A 5xx, a 429 or no connection: `retry` (provably nothing was posted). An answer with an
    error: `failed` (`permanent` when the person can never be reached; `needed` names a missing
    scope). No answer after the call went out: `failed` too, as it may have been posted.
    """
    try:
        resp = call(services.slack.for_team(team_id, sending=True))
    except NoTokenError:
        return Outcome("retry", NO_TOKEN)
    except SlackApiError as err:
        status = err.response.status_code
        code = str(err.response.get("error") or f"HTTP {status}")
        if status == 429 or status >= 500:  # Slack said no: nothing was posted
            return Outcome("retry", f"HTTP {status} {code}")
        needed = str(err.response.get("needed") or "")
        return Outcome("failed", code, permanent=code in PERMANENT, needed=needed)
    except urllib.error.URLError as err:  # could not connect or send: nothing was posted
        return Outcome("retry", f"connection: {err.reason}")
    except OSError as err:  # sent, then no answer (timeout, reset): it may have been posted
        return Outcome("failed", f"no answer from Slack ({type(err).__name__}); not resent")
    data = resp.data if hasattr(resp, "data") and isinstance(resp.data, dict) else {}
    return Outcome("sent", channel=str(data.get("channel") or ""), ts=str(data.get("ts") or ""))


def log_outcome(
    log: logging.Logger, job: str, what: str, team_id: str, user_id: str, out: Outcome
) -> None:
    """The one line per scheduled item: `<what> <status>[: error]` with job, team, user, outcome."""
    log.log(
        logging.INFO if out.status in ("sent", HELD) else logging.WARNING,
        "%s %s%s",
        what,
        out.status,
        f": {out.error}" if out.error else "",
        extra={"job": job, "team_id": team_id, "user": user_id, "outcome": out.status},
    )


# ---------------------------------------------------------------- the shared pace


def per_minute(cfg: WorkspaceConfig) -> int:
    """The workspace's DM pace (workspace setting `dm_per_minute`, default 600)."""
    return cfg.per_minute("dm_per_minute", DEFAULT_DM_PER_MINUTE)


def reserve(session: Session, team_id: str, rate: int) -> float:
    """Reserve this send's slot in the workspace's shared pace; the wall-clock time to send."""
    interval = 60_000_000 // rate
    slot = reserve_slot(session, f"chat.postMessage:{team_id}", int(time.time() * 1e6), interval)
    return slot / 1e6


def wait_until(wall: float) -> None:
    """Sleep until a wall-clock instant (a pace slot; bounded by the reservation itself)."""
    delay = wall - time.time()
    if delay > 0:
        time.sleep(delay)


# ---------------------------------------------------------------- a pass of sends


def pass_budget(tick_seconds: int) -> float:
    """How long one pass may keep sending before it leaves the rest to the next pass."""
    return max(5.0, tick_seconds * 0.9)


class Pass:
    """One pass's clock: `lease()` is the tick's `now` plus the real time spent since."""

    def __init__(self, services: Services, now: datetime) -> None:
        self.services, self.now = services, now
        self.started = time.monotonic()
        self.budget = pass_budget(services.settings.tick_seconds)

    def lease(self) -> datetime:
        """The instant to store on claims and sends."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def over_budget(self) -> bool:
        """True when this pass should leave the rest to the next one."""
        return time.monotonic() - self.started > self.budget

    def run(self, items: list[Any], fn: Callable[[Any], int]) -> int:
        """Run `fn` over the items on a small bounded pool; how many sent."""
        if not items:
            return 0
        with ThreadPoolExecutor(SEND_THREADS, thread_name_prefix="fanout") as pool:
            return sum(pool.map(fn, items))


@dataclass(frozen=True)
class Claimed(Generic[T]):
    """A claimed send: where it goes, at which pace, what it says, and what its record needs."""

    team_id: str
    user_id: str
    rate: int
    message: dict[str, Any]
    state: T


class Delivery(Protocol[T]):
    """One kind of paced DM: how an item is claimed, and how its outcome is recorded."""

    def claim(self, run: Pass, session: Session) -> Claimed[T] | None:
        """Take the item (one atomic statement) and say what to send; None when not ours."""

    def sending(self, run: Pass, session: Session, state: T) -> bool:
        """Mark the claimed item as on the wire, just before the call; False: no longer ours.

        A claim still waiting for its pace slot is safe to send after a crash; one marked
        sending may have gone out. An item with no such distinction returns True.
        """

    def record(self, run: Pass, session: Session, state: T, out: Outcome) -> None:
        """Store the outcome of the send."""


def deliver(
    run: Pass,
    delivery: Delivery[T],
    log: logging.Logger,
    job: str,
    what: str,
    *,
    hold: Callable[[Claimed[T]], str | None] | None = None,
) -> int:
    """Claim (with its pace slot, in one transaction), wait for the slot, DM, record, log.

    `job` and `what` name the send in its log line (`prompts`, `prompt`). `hold`, asked after
    the claim and outside its transaction, may give a reason not to send after all (the person
    is away): the claim is then recorded as `held` with that reason. Returns 1 when the DM went
    out.
    """
    if run.over_budget():
        return 0
    with run.services.Session.begin() as s:
        claimed = delivery.claim(run, s)
        if claimed is None:
            return 0
        slot = reserve(s, claimed.team_id, claimed.rate)
    reason = hold(claimed) if hold is not None else None
    if reason is not None:
        out = Outcome(HELD, reason)
    else:
        wait_until(slot)
        with run.services.Session.begin() as s:
            ours = delivery.sending(run, s, claimed.state)
        if not ours:
            return 0
        out = post(run.services, claimed.team_id, claimed.user_id, **claimed.message)
    with run.services.Session.begin() as s:
        delivery.record(run, s, claimed.state, out)
    log_outcome(log, job, what, claimed.team_id, claimed.user_id, out)
    return 1 if out.status == "sent" else 0
