"""Hand-off test builders: a team with managers, hunters and farmers; rows and DMs read back."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from storage.models import Account, Handoff, HandoffQuestion, Nudge
from tests.support.app import Running
from tests.support.daylog import add_reps


def team(run: Running) -> None:
    """A manager (UMGR), a hunter (USAM, sam@acme.test), two farmers (UDANA, ULEE)."""
    add_reps(run, ("UMGR", "UTC"), role="manager")
    add_reps(run, ("USAM", "UTC"), role="hunter")
    run.fake.add_user("USAM", email="sam@acme.test", tz="UTC")
    add_reps(run, ("UDANA", "UTC"), ("ULEE", "UTC"), role="farmer")


def accounts(run: Running) -> list[Account]:
    """Every account, oldest first."""
    with run.session() as s:
        return list(s.scalars(select(Account).order_by(Account.id)))


def handoffs(run: Running) -> list[Handoff]:
    """Every hand-off, oldest first."""
    with run.session() as s:
        return list(s.scalars(select(Handoff).order_by(Handoff.id)))


def nudges(run: Running) -> list[Nudge]:
    """Every nudge, by due time."""
    with run.session() as s:
        return list(s.scalars(select(Nudge).order_by(Nudge.due_at, Nudge.id)))


def questions(run: Running) -> list[HandoffQuestion]:
    """Every question asked by DM."""
    with run.session() as s:
        return list(s.scalars(select(HandoffQuestion).order_by(HandoffQuestion.id)))


def intros(run: Running) -> list[Any]:
    """The introductions posted so far."""
    return [c for c in run.fake.calls("chat.postMessage") if c.args["text"].startswith("Hand-off:")]


def dms_to(run: Running, user: str) -> list[Any]:
    """chat.postMessage calls into one person's DM."""
    return [c for c in run.fake.calls("chat.postMessage") if c.args["channel"] == user]


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait (bounded) until work finishing after the ack is visible in the database."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
