"""Recording a day: who is logging (from the request context), replacing the day in one
transaction that also claims the request's idempotency key, and announcing it.

Every write claims the request's key (view id + hash, button + day, or the DM's channel + ts),
so Slack retries and double clicks change nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.config import parse_work_days
from bot.slack import outbox
from bot.slack.blocks import fmt_time
from bot.slack.context import Request
from bot.split import split_over
from bot.timecalc import week_range
from bot.timelog import views as views
from bot.timelog.parse import CategoryRef
from storage import prompt_repo as pq
from storage import repo
from storage import timelog_repo as tl
from storage.models import Member, Prompt

log = logging.getLogger(__name__)


@dataclass
class Who:
    """The caller as the time log sees them: the request, and the workspace's categories."""

    request: Request
    categories: list[CategoryRef]
    category_ids: dict[str, int]

    @property
    def member(self) -> Member | None:
        """The roster entry, if any."""
        return self.request.member

    @property
    def today(self) -> date:
        """The member's local today."""
        return self.request.member_today

    @property
    def edit_window(self) -> int:
        """How many days back a day may be logged or corrected."""
        return self.request.settings.edit_window_days

    @property
    def prompt_time(self) -> str:
        """The member's evening prompt time (theirs, else the workspace's)."""
        own = self.member.prompt_time if self.member else None
        return own or fmt_time(self.request.settings.prompt_time)

    @property
    def work_days(self) -> tuple[int, ...]:
        """The member's work days (theirs, else the workspace's)."""
        own = self.member.work_days if self.member else None
        return parse_work_days(own) if own else self.request.settings.work_days

    @property
    def problem(self) -> str | None:
        """Why this person cannot log hours, or None."""
        if self.member is None or not self.member.active:
            return views.NOT_ON_ROSTER
        if not self.member.is_rep:
            return views.NOT_A_REP
        return None


def who(req: Request) -> Who:
    """The request's context and the active categories, from one short read transaction."""
    with req.reading() as s:
        ws = req.workspace
        cats = repo.category_lines(s, ws.id) if ws is not None else []
    refs = [CategoryRef(c.key, c.label, tuple(c.aliases or ())) for c in cats]
    return Who(req, refs, {c.key: c.id for c in cats})


@dataclass
class Logged:
    """What was recorded: the day, its one-line summary, and the outbox rows that announce it."""

    day: date
    summary: str
    outbox: list[int]


def record(
    req: Request,
    day: date,
    hours: dict[str, Decimal] | None,
    *,
    source: str,
    idem_key: str,
    note: str | None = None,
    clicked: tuple[str | None, str | None] = (None, None),
) -> Logged | str | None:
    """Replace a day (None hours: a day off), claim the request and queue its announcement —
    the confirmation DM and the prompt (and the clicked message) shown as answered — in one
    transaction: once it commits, the day and everything it says are durable.

    Returns what was logged, a problem to tell the person, or None for a replay.
    """
    services, ws = req.services, req.workspace
    if ws is None:
        return views.NOT_ON_ROSTER
    now = services.now()
    with services.Session.begin() as s:
        member = repo.get_member(s, ws.id, req.user_id)
        if member is None or not member.active:
            return views.NOT_ON_ROSTER
        if not member.is_rep:
            return views.NOT_A_REP
        if not repo.claim_key(s, idem_key, now):
            return None
        cats = repo.categories(s, ws.id, active_only=False)
        ids = {c.key: c.id for c in cats}
        _, replaced = tl.save_day(
            s,
            member.id,
            day,
            {ids[k]: v for k, v in (hours or {}).items() if k in ids},
            note=note,
            source=source,
            now=now,
            day_off=hours is None,
        )
        first, _ = week_range(day)
        by_day = tl.kind_hours_by_day(s, member.id, first, day)
        day_split = split_over(by_day, day, day)
        week = views.Week(
            split_over(by_day, first, day), tl.days_answered(s, member.id, first, day)
        )
        names = [(c.label, (hours or {})[c.key]) for c in cats if (hours or {}).get(c.key)]
        text, blocks = views.confirmation(
            day, day_split, week, names, day_off=hours is None, replaced=replaced
        )
        summary = "day off" if hours is None else views.split_line(day_split)
        queued = [outbox.queue_message(s, req.team_id, req.user_id, now, text=text, blocks=blocks)]
        for channel, ts in _answered_messages(pq.prompt_for(s, member.id, day), clicked):
            queued.append(
                outbox.queue_update(
                    s,
                    req.team_id,
                    channel,
                    ts,
                    now,
                    text=f"{views.day_label(day)}: {summary}",
                    blocks=views.answered_blocks(day, summary),
                )
            )
    return Logged(day, summary, queued)


def _answered_messages(
    prompt: Prompt | None, clicked: tuple[str | None, str | None]
) -> list[tuple[str, str]]:
    """The prompt message of the day, and the message clicked (when another), to mark answered."""
    targets = []
    if prompt is not None and prompt.channel_id and prompt.message_ts:
        targets.append((prompt.channel_id, prompt.message_ts))
    if clicked[0] and clicked[1] and (clicked[0], clicked[1]) not in targets:
        targets.append((clicked[0], clicked[1]))
    return targets


def announce(req: Request, context: Mapping[str, Any], logged: Logged) -> None:
    """After the ack: send what `record` queued, then fire day_logged (the App Home, …)."""
    hooks, services = req.hooks, req.services
    outbox.send_soon(
        context,
        services,
        logged.outbox,
        then=lambda: hooks.fire_day_logged(services, req.team_id, req.user_id),
    )


def tell(client: WebClient, respond: Respond | None, user_id: str, text: str) -> None:
    """An ephemeral answer to a click (or a DM when there is no response_url)."""
    if respond is not None:
        respond(response_type="ephemeral", replace_original=False, text=text)
    else:
        client.chat_postMessage(channel=user_id, text=text)


def logged_hours(req: Request, w: Who, day: date) -> tuple[dict[str, Decimal], str | None]:
    """What is logged for a day, by active category key, and its note."""
    assert w.member is not None
    keys = {v: k for k, v in w.category_ids.items()}
    with req.services.read() as s:
        by_id = tl.day_hours(s, w.member.id, day)
        existing = tl.get_day(s, w.member.id, day)
    return {keys[c]: h for c, h in by_id.items() if c in keys}, existing.note if existing else None


def clicked(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message a click came from."""
    container = body.get("container") or {}
    return container.get("channel_id"), container.get("message_ts")
