"""The outbox's sender: what an effect decided to say, delivered after the effect is stored.

A feature queues its messages (`queue_message`, `queue_update`, `queue_file`) in the same
transaction as the effect, so they exist exactly when the effect does. Right after the ack
`send_soon` hands the new rows to the background lane (waiting there for the pace holds no
request up); the scheduler's `send_due` pass sends
whatever is still owed (Slack was failing, the process stopped). Every send keeps to the
workspace's pace and is claimed first (pending → sending): a row is sent once, by whoever
claims it. Outcomes:

- sent;
- pending again, later (a 5xx, a 429, no connection: provably nothing was posted), with a
  growing back-off, up to `MAX_ATTEMPTS`;
- failed (Slack refused for good, or gave no answer after the call went out: it may have been
  posted, so it is not resent). A refusal is told to the row's `tell` person, naming the scope
  Slack asked for when that is the reason.

A row left `sending` by a process that died is marked interrupted after `STALE_SENDING`; a row
still `pending` was never attempted and is always sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services import Services
from bot.slack import outbound
from bot.slack.pool import after_ack, in_background
from storage import outbox_repo as ob
from storage.models import OutboxMessage, Workspace

log = logging.getLogger(__name__)

POST, UPDATE, UPLOAD = "chat.postMessage", "chat.update", "files.upload"
BACKOFF_S = (5, 30, 120, 600, 1800)  # after the 1st, 2nd, … failed try; then every 30 min
MAX_ATTEMPTS = 10  # about three hours of trying
STALE_SENDING = timedelta(minutes=5)  # a claim older than this: its sender is gone
DUE_BATCH = 500  # rows one pass takes at most
RETENTION = timedelta(days=7)  # finished rows are kept this long (what was said, for support)


# ---------------------------------------------------------------- queueing (in the effect's tx)


def queue_message(
    session: Session,
    team_id: str,
    channel: str,
    now: datetime,
    *,
    text: str,
    blocks: Sequence[Mapping[str, Any]] | None = None,
    tell: str | None = None,
    **extra: Any,
) -> int:
    """chat.postMessage (a user id posts into their DM), sent after the transaction commits."""
    body: dict[str, Any] = {"text": text, **extra}
    if blocks:
        body["blocks"] = list(blocks)
    return ob.add(session, ob.Call(team_id, channel, POST, body, tell=tell), now)


def queue_update(
    session: Session,
    team_id: str,
    channel: str,
    ts: str,
    now: datetime,
    *,
    text: str,
    blocks: Sequence[Mapping[str, Any]] | None = None,
) -> int:
    """chat.update of a message the app posted (a prompt shown as answered)."""
    body: dict[str, Any] = {"ts": ts, "text": text}
    if blocks:
        body["blocks"] = list(blocks)
    return ob.add(session, ob.Call(team_id, channel, UPDATE, body), now)


@dataclass(frozen=True)
class File:
    """A file to share: its bytes, name and title, an optional comment, and where in a thread."""

    content: bytes
    filename: str
    title: str
    comment: str | None = None
    thread_ts: str | None = None


def queue_file(
    session: Session, team_id: str, channel: str, now: datetime, file: File, tell: str | None
) -> int:
    """A file shared into a channel or a person's DM (files_upload_v2); `tell` (a user, or a
    channel) hears if Slack refuses it."""
    body: dict[str, Any] = {"filename": file.filename, "title": file.title}
    if file.comment:
        body["initial_comment"] = file.comment
    if file.thread_ts:
        body["thread_ts"] = file.thread_ts
    return ob.add(session, ob.Call(team_id, channel, UPLOAD, body, file.content, tell), now)


def share(
    services: Services, team_id: str, channel: str, files: Sequence[File], tell: str | None
) -> int:
    """Queue files (one transaction) and send them now: outside a request's effect, e.g. a
    report's CSV or chart; a refusal is told to `tell`. How many went out."""
    with services.Session.begin() as s:
        now = services.now()
        ids = [queue_file(s, team_id, channel, now, f, tell) for f in files]
    return send(services, ids)


# ---------------------------------------------------------------- sending


def send_soon(
    context: Mapping[str, Any],
    services: Services,
    ids: Sequence[int],
    then: Callable[[], object] | None = None,
) -> None:
    """After the ack: send these rows on the background lane, where waiting for the pace holds
    nothing up (rows it cannot take stay pending for the scheduler's pass), and run `then`
    (e.g. a hook that refreshes the App Home) on the post-ack lane."""
    if ids:
        in_background(context, send, services, list(ids))
    if then is not None:
        after_ack(context, then)


def send(services: Services, ids: Sequence[int]) -> int:
    """Send these rows now, in order, each at the workspace's pace; how many went out."""
    return sum(_send_one(services, outbox_id) for outbox_id in ids)


def send_due(services: Services, now: datetime) -> int:
    """The scheduler's pass: mark vanished senders' rows interrupted, send what is owed."""
    with services.Session.begin() as s:
        for team_id, channel, method in ob.expire_sending(s, now - STALE_SENDING):
            log.warning(
                "outbox %s to %s interrupted: may have been sent",
                method,
                channel,
                extra={"job": "outbox", "team_id": team_id, "outcome": "interrupted"},
            )
        ids = ob.due(s, now, DUE_BATCH)
    # at the workspace's pace a long backlog takes a while: what is left waits for the next pass
    deadline = time.monotonic() + outbound.pass_budget(services.settings.tick_seconds)
    sent = 0
    for outbox_id in ids:
        if time.monotonic() > deadline:
            break
        sent += _send_one(services, outbox_id, as_of=now)
    return sent


def prune(services: Services, now: datetime) -> int:
    """Delete finished rows past their retention."""
    with services.Session.begin() as s:
        return ob.prune(s, now - RETENTION)


@dataclass(frozen=True)
class _Claimed:
    """A claimed row, read inside its claim's transaction."""

    id: int
    team_id: str
    channel: str
    method: str
    body: dict[str, Any]
    content: bytes | None
    tell: str | None
    attempts: int


def _send_one(services: Services, outbox_id: int, *, as_of: datetime | None = None) -> int:
    # the pace slot first, the claim after the wait: a row waiting for its slot is still
    # `pending`, so a crash meanwhile leaves it to be sent, not marked as maybe sent (when the
    # slot is now, the claim shares the reservation's transaction)
    with services.Session.begin() as s:
        row = s.get(OutboxMessage, outbox_id)
        if row is None or row.status != "pending":
            return 0
        slot = outbound.reserve(s, row.team_id, _rate(services, s, row.team_id))
        c = _claim(services, s, outbox_id, as_of) if slot <= time.time() else None
    if c is None:
        outbound.wait_until(slot)
        with services.Session.begin() as s:
            c = _claim(services, s, outbox_id, as_of)
        if c is None:
            return 0  # another process has it, or it is not due any more
    out = outbound.attempt(services, c.team_id, lambda client: _call(client, c))
    with services.Session.begin() as s:
        notices = _record(s, services.now(), c, out)
    outbound.log_outcome(log, "outbox", c.method, c.team_id, c.channel, out)
    return (1 if out.status == "sent" else 0) + send(services, notices)


def _claim(
    services: Services, s: Session, outbox_id: int, as_of: datetime | None
) -> _Claimed | None:
    """pending → sending (one guarded UPDATE); what to send, or None when it is not ours."""
    claimed = ob.claim(s, outbox_id, max(as_of or services.now(), services.now()))
    if claimed is None:
        return None
    return _Claimed(
        claimed.id,
        claimed.team_id,
        claimed.channel,
        claimed.method,
        dict(claimed.body),
        claimed.content,
        claimed.tell,
        claimed.attempts,
    )


def _rate(services: Services, session: Session, team_id: str) -> int:
    ws = session.query(Workspace).filter_by(team_id=team_id).one_or_none()
    return (
        outbound.per_minute(services.config(ws))
        if ws is not None
        else outbound.DEFAULT_DM_PER_MINUTE
    )


def _call(client: WebClient, c: _Claimed) -> Any:
    if c.method == POST:
        return client.chat_postMessage(channel=c.channel, **c.body)
    if c.method == UPDATE:
        return client.chat_update(channel=c.channel, **c.body)
    if c.method == UPLOAD:  # a file goes to a channel id: a person's DM is opened first
        channel = c.channel
        if channel[:1] in ("U", "W"):
            channel = client.conversations_open(users=channel)["channel"]["id"]
        return client.files_upload_v2(channel=channel, content=c.content or b"", **c.body)
    raise ValueError(f"unknown outbox method {c.method!r}")


def _record(s: Session, now: datetime, c: _Claimed, out: outbound.Outcome) -> list[int]:
    """Store the outcome; the notice queued when Slack refused for good (to send next)."""
    if out.status == "sent":
        ob.finish(s, c.id, "sent", sent_at=now, error=None)
    elif out.status == "retry" and c.attempts < MAX_ATTEMPTS:
        wait = BACKOFF_S[min(c.attempts, len(BACKOFF_S)) - 1]
        ob.finish(s, c.id, "pending", next_at=now + timedelta(seconds=wait), error=out.error)
    elif out.status == "retry":
        ob.finish(s, c.id, "failed", error=f"gave up after {c.attempts} tries: {out.error}"[:200])
    else:
        ob.finish(s, c.id, "failed", error=out.error[:200])
        if c.tell and not out.error.startswith("no answer"):  # Slack refused: say so
            text = refused_text(c.method, c.body, out)
            return [queue_message(s, c.team_id, c.tell, now, text=text)]
    return []


def refused_text(method: str, body: Mapping[str, Any], out: outbound.Outcome) -> str:
    """What the person who can act hears when Slack refuses a message or a file for good."""
    what = f"the file {body.get('filename')}" if method == UPLOAD else "a message"
    why = f"Slack said `{out.error}`"
    if out.needed:
        why = (
            f"rolesplit is missing the `{out.needed}` permission. A workspace admin can grant it "
            "by reinstalling the app (Slack app settings → Install App)"
        )
    return f":warning: I couldn't share {what}: {why}."
